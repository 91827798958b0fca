/**
 * The playground shell against the built app: playback, architecture tabs, compare mode
 * under an outage, keyboard shortcuts and URL parameters. Time is driven with a high
 * speed, never with long sleeps. Any page error fails a test (see browser.ts).
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clockMs, pause, playButton, strip } from './app';
import { expectNoAxeViolations, openPage } from './browser';

/** Opens the app; a locator that waits longer than 8 s fails with its own message, not the test timeout. */
async function open(path: string) {
  const opened = await openPage(path);
  opened.page.setDefaultTimeout(8000);
  return opened;
}



/** `N waiting` of a queue node on the fan-out canvas. */
async function queueWaiting(page: Page, queue: string): Promise<number> {
  const text =
    (await page.locator(`[data-testid^="queue-event-${queue}"]`).first().textContent()) ?? '';
  const m = /([\d,]+)\s*waiting/.exec(text);
  if (!m) throw new Error(`queue ${queue} shows "${text}"`);
  return Number((m[1] as string).replace(/,/g, ''));
}



/** The stage section of one architecture (one, or two in Compare). */
const side = (page: Page, which: 'chain' | 'event'): Locator =>
  page.locator(`section.stage-side[data-side="${which}"]`);

const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });

describe('playground', () => {
  it('opens checkout in Compare, already playing, with both sides and no axe violations', async () => {
    const { page } = await open('/');
    await page.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
    expect(await page.getByRole('button', { name: /^Scenario:/ }).textContent()).toContain(
      'Checkout',
    );
    expect(await tab(page, 'Compare').getAttribute('aria-selected')).toBe('true');
    expect(await playButton(page).textContent()).toContain('Pause');
    await side(page, 'chain').waitFor();
    await side(page, 'event').waitFor();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(200);
    await expect.poll(() => strip(page, 'event', 'ok'), { timeout: 5000 }).toBeGreaterThan(0);
    await expectNoAxeViolations(page);
  });

  it('Play/Pause flips its name and freezes the clock', async () => {
    const { page } = await open('/');
    await pause(page);
    const frozen = await clockMs(page);
    await page.waitForTimeout(300);
    expect(await clockMs(page)).toBe(frozen);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(frozen);
  });

  it('Step advances the clock to the next event and pauses', async () => {
    const { page } = await open('/');
    await pause(page);
    const before = await clockMs(page);
    const step = page.getByRole('button', { name: 'Step', exact: true });
    for (let i = 0; i < 5; i++) await step.click();
    expect(await clockMs(page)).toBeGreaterThan(before);
    expect(await playButton(page).textContent()).toContain('Play');
  });

  it('Speed goes from 0.1x to 50x and is kept in the URL', async () => {
    const { page } = await open('/');
    const speed = page.getByRole('slider', { name: 'Speed' });
    await speed.focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('output[for]').first().textContent()).toBe('50x');
    expect(new URL(page.url()).searchParams.get('speed')).toBe('50');
    // At 50x, a few hundred milliseconds of wall time are many simulated seconds.
    const t0 = await clockMs(page);
    await expect.poll(() => clockMs(page), { timeout: 3000 }).toBeGreaterThan(t0 + 5000);
    await page.keyboard.press('Home');
    expect(await speed.getAttribute('aria-valuetext')).toBe('0.1x');
  });

  it('switches architecture tabs and stays axe-clean on each view', async () => {
    const { page } = await open('/');
    await tab(page, 'Request chain').click();
    expect(await tab(page, 'Request chain').getAttribute('aria-selected')).toBe('true');
    await side(page, 'chain').waitFor();
    expect(await side(page, 'event').count()).toBe(0);
    expect(await page.locator('.strip tbody tr').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('arch')).toBe('chain');
    await expectNoAxeViolations(page);

    // Arrow keys move between tabs.
    await tab(page, 'Request chain').focus();
    await page.keyboard.press('ArrowRight');
    expect(await tab(page, 'Event fan-out').getAttribute('aria-selected')).toBe('true');
    await side(page, 'event').waitFor();
    expect(await side(page, 'chain').count()).toBe(0);
    await page.locator('[data-testid^="queue-event-email"]').first().waitFor();
    await expectNoAxeViolations(page);

    await tab(page, 'Compare').click();
    await side(page, 'chain').waitFor();
    await side(page, 'event').waitFor();
  });

  it('compare: an Email outage fails chain requests while fan-out queues the emails, then drains', async () => {
    const { page } = await open('/?scenario=checkout&speed=20');
    await side(page, 'event').waitFor();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(1000);

    // One control takes Email down on both sides.
    await page.getByRole('switch', { name: 'Email Service outage' }).first().click();
    const switches = page.getByRole('switch', { name: 'Email Service outage' });
    expect(await switches.count()).toBe(2);
    for (const s of await switches.all()) expect(await s.getAttribute('aria-checked')).toBe('true');

    await expect.poll(() => strip(page, 'chain', 'failed'), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => queueWaiting(page, 'email'), { timeout: 10_000 }).toBeGreaterThan(5);
    expect(await strip(page, 'event', 'failed')).toBe(0);
    expect(await strip(page, 'event', 'lost')).toBe(0);
    expect(await strip(page, 'event', 'waiting')).toBeGreaterThanOrEqual(0);

    // Email comes back: its queue drains to zero, nothing was lost on the fan-out side.
    await page.getByRole('switch', { name: 'Email Service outage' }).first().click();
    for (const s of await switches.all())
      expect(await s.getAttribute('aria-checked')).toBe('false');
    await pause(page);
    await page.getByRole('slider', { name: 'Orders per second' }).fill('0');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => queueWaiting(page, 'email'), { timeout: 10_000 }).toBe(0);
    expect(await page.locator('[data-testid^="queue-event-email"]').first().textContent()).toMatch(
      /(^|\D)0\s*waiting/,
    );
    expect(await strip(page, 'event', 'failed')).toBe(0);
    expect(await strip(page, 'event', 'lost')).toBe(0);
    await expectNoAxeViolations(page);
  });

  it('keyboard: Space, ".", "r", "1" and "?"', async () => {
    const { page } = await open('/');
    await page.getByRole('heading', { level: 1, name: 'Fanout' }).click();

    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();

    const before = await clockMs(page);
    for (let i = 0; i < 3; i++) await page.keyboard.press('.');
    await expect.poll(() => clockMs(page)).toBeGreaterThan(before);

    await page.keyboard.press('r');
    await expect.poll(() => clockMs(page)).toBe(0);

    const orderSwitch = page.getByRole('switch', { name: 'Order Service outage' }).first();
    expect(await orderSwitch.getAttribute('aria-checked')).toBe('false');
    await page.keyboard.press('1');
    await expect.poll(() => orderSwitch.getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('1');
    await expect.poll(() => orderSwitch.getAttribute('aria-checked')).toBe('false');

    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    for (const expected of [
      'Space',
      'Play or pause',
      'Step',
      'Reset',
      'Show keyboard shortcuts',
      'Email Service',
    ]) {
      expect(text).toContain(expected);
    }
    await expectNoAxeViolations(page);
    // Shortcuts do nothing while the dialog is open; Escape closes it.
    await page.keyboard.press('Space');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await playButton(page).textContent()).toContain('Play');
  });

  it('URL parameters open that exact setup', async () => {
    const { page } = await open('/?scenario=email-outage&arch=chain&seed=7&speed=5');
    expect(await page.getByRole('button', { name: /^Scenario:/ }).textContent()).toContain(
      'Email goes down',
    );
    expect(await tab(page, 'Request chain').getAttribute('aria-selected')).toBe('true');
    await side(page, 'chain').waitFor();
    expect(await side(page, 'event').count()).toBe(0);
    expect(await page.getByRole('slider', { name: 'Speed' }).getAttribute('aria-valuetext')).toBe(
      '5x',
    );
    expect(await page.getByRole('alert').count()).toBe(0);
    const url = new URL(page.url());
    expect(url.searchParams.get('seed')).toBe('7');
    expect(url.searchParams.get('scenario')).toBe('email-outage');
  });

  it('a bad URL parameter is named in a message and the app still works', async () => {
    const { page } = await open('/?arch=bogus');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('"arch"');
    expect(await tab(page, 'Compare').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => clockMs(page)).toBeGreaterThan(200);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
  });

  it('the side panel switches between Inspector and Metrics and can be closed', async () => {
    const { page } = await open('/');
    const panel = page.getByRole('complementary', { name: 'Side panel' });
    expect(await tab(page, 'Inspector').getAttribute('aria-selected')).toBe('true');
    await tab(page, 'Metrics').click();
    expect(await tab(page, 'Metrics').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => panel.getByRole('tabpanel').textContent()).not.toBe('');
    await expectNoAxeViolations(page);
    const toggle = page.getByRole('button', { name: 'Side panel' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await panel.waitFor({ state: 'detached' });
    await toggle.click();
    await panel.waitFor();
  });

  it('fits 1280x720 and 1920x1080, light and dark, without scrolling the page', async () => {
    const { page } = await open('/?scenario=email-outage');
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        const size = await page.evaluate(() => ({
          scrollW: document.documentElement.scrollWidth,
          scrollH: document.documentElement.scrollHeight,
        }));
        expect(size.scrollW, `${width}x${height}`).toBeLessThanOrEqual(width);
        expect(size.scrollH, `${width}x${height}`).toBeLessThanOrEqual(height);
        for (const control of [
          playButton(page),
          page.getByRole('button', { name: 'Send one order' }),
          page.getByRole('slider', { name: 'Orders per second' }),
          page.locator('.strip tr[data-side="event"] td[data-metric="lost"]'),
        ]) {
          const box = await control.boundingBox();
          expect(
            box && box.y + box.height <= height && box.x + box.width <= width,
            `${width}x${height}`,
          ).toBe(true);
        }
      }
    }
    await expectNoAxeViolations(page);
  });

  it('the scenario picker lists every built-in scenario with its description', async () => {
    const { page } = await open('/');
    const trigger = page.getByRole('button', { name: /^Scenario:/ });
    await trigger.click();
    const list = page.getByRole('list', { name: 'Built-in scenarios' });
    await list.waitFor();
    expect(await list.getByRole('listitem').count()).toBe(8);
    await expectNoAxeViolations(page);
    await list
      .getByRole('button', { name: /flash sale/i })
      .first()
      .click();
    await list.waitFor({ state: 'hidden' });
    expect(await trigger.textContent()).not.toContain('Checkout');
    expect(new URL(page.url()).searchParams.get('scenario')).toBe('traffic-spike');
  });
});
