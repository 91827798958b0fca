/**
 * The playground shell in the built app: opening, playback, architecture tabs, compare
 * mode under an outage, keyboard shortcuts, URL parameters, the side panel, the layout at
 * projector sizes and the scenario picker. One page for the file; each test starts from a
 * fresh paused run (`reset`) or, where the address matters, a fresh page load (`load`).
 * Simulated time is injected (`advanceTo`), never waited for.
 */
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  advanceBy,
  advanceTo,
  clockMs,
  engineIdle,
  nodeNumber,
  playButton,
  reset,
  simNow,
  stageSide,
  strip,
  tab,
} from './app';
import { builtInScenarios } from '../src/content/scenarios';
import { load, filePage } from './browser';

const app = filePage();
let page: Page;

beforeAll(() => {
  page = app.page;
});

beforeEach(async () => {
  await reset(page);
});

/** `N waiting` of a queue node on the fan-out canvas. */
const emailWaiting = () =>
  nodeNumber(page.locator('[data-testid^="queue-event-email"]').first(), 'waiting');

/** Two animation frames: the playback loop has had its chance to move the clock. */
const twoFrames = () =>
  page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );

describe('opening', () => {
  it('opens checkout in Compare, already playing, with both sides, and the clock runs', async () => {
    await load(app, '');
    expect(await page.title()).toBe('Fanout');
    await page.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
    expect(await page.getByRole('button', { name: /^Scenario:/ }).textContent()).toContain(
      'Checkout',
    );
    expect(await tab(page, 'Compare').getAttribute('aria-selected')).toBe('true');
    expect(await playButton(page).textContent()).toContain('Pause');
    await stageSide(page, 'chain').waitFor();
    await stageSide(page, 'event').waitFor();
    // This test is about playing itself: the wall clock moves the simulated one.
    await expect.poll(() => clockMs(page)).toBeGreaterThan(100);
  });

  it('URL parameters open that exact setup', async () => {
    await load(app, '?scenario=email-outage&arch=chain&seed=7&speed=5&paused=1');
    expect(await page.getByRole('button', { name: /^Scenario:/ }).textContent()).toContain(
      'Email goes down',
    );
    expect(await tab(page, 'Request chain').getAttribute('aria-selected')).toBe('true');
    await stageSide(page, 'chain').waitFor();
    expect(await stageSide(page, 'event').count()).toBe(0);
    expect(await page.getByRole('slider', { name: 'Speed' }).getAttribute('aria-valuetext')).toBe(
      '5x',
    );
    expect(await page.getByRole('alert').count()).toBe(0);
    const url = new URL(page.url());
    expect(url.searchParams.get('seed')).toBe('7');
    expect(url.searchParams.get('scenario')).toBe('email-outage');
    expect(await playButton(page).textContent()).toContain('Play');
  });

  it('a bad URL parameter is named in a message, and the app still works', async () => {
    await load(app, '?arch=bogus&paused=1');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('"arch"');
    expect(await tab(page, 'Compare').getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(0);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
  });
});

describe('playback', () => {
  it('Play/Pause flips its name; paused, animation frames leave the clock where it is', async () => {
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await engineIdle(page);
    const frozen = await clockMs(page);
    expect(await simNow(page)).toBe(frozen);
    // Frames keep coming while paused (injected ones too): nothing moves.
    await page.evaluate(() => window.__fanout?.playground.playback.tick(100));
    await twoFrames();
    expect(await clockMs(page)).toBe(frozen);
  });

  it('Step advances the clock to the next event and stays paused', async () => {
    await advanceTo(page, 1000);
    const step = page.getByRole('button', { name: 'Step', exact: true });
    for (let i = 0; i < 5; i++) await step.click();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(1000);
    expect(await playButton(page).textContent()).toContain('Play');
  });

  it('Speed goes from 0.1x to 50x, is kept in the URL, and 50x runs fifty times faster', async () => {
    const speed = page.getByRole('slider', { name: 'Speed' });
    await speed.focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('output[for]').first().textContent()).toBe('50x');
    await expect.poll(() => new URL(page.url()).searchParams.get('speed')).toBe('50');
    // One injected 100 ms frame at 50x is 5 s of simulated time.
    await page.evaluate(() => {
      const playback = window.__fanout?.playground.playback;
      playback?.play();
      playback?.tick(100);
      playback?.pause();
    });
    await expect.poll(() => clockMs(page)).toBe(5000);
    await page.keyboard.press('Home');
    await expect.poll(() => speed.getAttribute('aria-valuetext')).toBe('0.1x');
    expect(new URL(page.url()).searchParams.get('speed')).toBe('0.1');
  });
});

describe('architecture tabs', () => {
  it('Request chain, then Event fan-out by arrow key, then Compare: the stage follows, and the URL', async () => {
    await tab(page, 'Request chain').click();
    await expect.poll(() => tab(page, 'Request chain').getAttribute('aria-selected')).toBe('true');
    await stageSide(page, 'chain').waitFor();
    await stageSide(page, 'event').waitFor({ state: 'detached' });
    expect(await page.locator('.strip tbody tr').count()).toBe(1);
    await expect.poll(() => new URL(page.url()).searchParams.get('arch')).toBe('chain');

    // Arrow keys move between tabs.
    await tab(page, 'Request chain').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => tab(page, 'Event fan-out').getAttribute('aria-selected')).toBe('true');
    await stageSide(page, 'event').waitFor();
    await stageSide(page, 'chain').waitFor({ state: 'detached' });
    await page.locator('[data-testid^="queue-event-email"]').first().waitFor();

    await tab(page, 'Compare').click();
    await stageSide(page, 'chain').waitFor();
    await stageSide(page, 'event').waitFor();
    expect(await page.locator('.strip tbody tr').count()).toBe(2);
  });

  it('Orchestration shows the orchestrator; Compare picks any two sides from the keyboard, and the URL keeps the pair', async () => {
    await reset(page, { scenario: 'orchestrated-checkout', mode: 'orchestration' });
    await expect.poll(() => tab(page, 'Orchestration').getAttribute('aria-selected')).toBe('true');
    await stageSide(page, 'orchestration').waitFor();
    await page.getByTestId('service-orchestration-orders').getByTestId('orchestrator').waitFor();
    await advanceTo(page, 5000);
    await expect
      .poll(async () => nodeNumber(page.getByTestId('service-orchestration-orders'), 'sagas'))
      .toBeGreaterThan(0);
    await expect.poll(() => new URL(page.url()).searchParams.get('arch')).toBe('orchestration');

    await tab(page, 'Compare').click();
    await stageSide(page, 'chain').waitFor();
    await stageSide(page, 'event').waitFor();
    // The bottom canvas's picker, by keyboard: events -> orchestration.
    const bottom = page.getByRole('combobox', { name: 'Bottom' });
    await bottom.focus();
    await bottom.selectOption('orchestration');
    await stageSide(page, 'orchestration').waitFor();
    await stageSide(page, 'event').waitFor({ state: 'detached' });
    await expect
      .poll(() => new URL(page.url()).searchParams.get('arch'))
      .toBe('compare:chain:orchestration');
    expect(await page.locator('.strip tbody tr').count()).toBe(2);
    // Picking the side the other canvas shows swaps them.
    await page.getByRole('combobox', { name: 'Top' }).selectOption('orchestration');
    await expect
      .poll(() => new URL(page.url()).searchParams.get('arch'))
      .toBe('compare:orchestration:chain');
  });
});

describe('compare under an outage', () => {
  it('Email down: chain requests fail while fan-out queues the emails; back up, the queue drains and nothing is lost', async () => {
    await advanceTo(page, 1000);
    // One control takes Email down on both sides.
    await page.getByRole('switch', { name: 'Email Service outage' }).first().click();
    const switches = page.getByRole('switch', { name: 'Email Service outage' });
    expect(await switches.count()).toBe(2);
    for (const s of await switches.all())
      await expect.poll(() => s.getAttribute('aria-checked')).toBe('true');

    await advanceBy(page, 10_000);
    await expect.poll(() => strip(page, 'chain', 'failed')).toBeGreaterThan(0);
    await expect.poll(emailWaiting).toBeGreaterThan(5);
    expect(await strip(page, 'event', 'failed')).toBe(0);
    expect(await strip(page, 'event', 'lost')).toBe(0);
    expect(await strip(page, 'event', 'waiting')).toBeGreaterThan(5);

    // Email comes back, no new orders: its queue drains to zero, nothing lost on the fan-out side.
    await page.getByRole('switch', { name: 'Email Service outage' }).first().click();
    for (const s of await switches.all())
      await expect.poll(() => s.getAttribute('aria-checked')).toBe('false');
    const rate = page.getByRole('slider', { name: 'Orders per second' });
    await rate.fill('0');
    await rate.blur();
    await page
      .locator('.timeline-mark[title*="You set the rate to 0 orders/s"]')
      .waitFor({ state: 'attached' });
    await advanceBy(page, 20_000);
    await expect.poll(emailWaiting).toBe(0);
    expect(await strip(page, 'event', 'waiting')).toBe(0);
    expect(await strip(page, 'event', 'failed')).toBe(0);
    expect(await strip(page, 'event', 'lost')).toBe(0);
    expect(await strip(page, 'chain', 'failed')).toBeGreaterThan(0);
  });
});

describe('keyboard', () => {
  it('Space plays and pauses, "." steps, "r" resets, "1" takes the first service down, "?" lists the shortcuts', async () => {
    await page.getByRole('heading', { level: 1, name: 'Fanout' }).click();
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
    // Shortcuts do nothing while the dialog is open; Escape closes it.
    await page.keyboard.press('Space');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await playButton(page).textContent()).toContain('Play');
  });
});

describe('side panel and layout', () => {
  it('the side panel switches between Inspector and Metrics and can be closed and opened', async () => {
    const panel = page.getByRole('complementary', { name: 'Side panel' });
    expect(await tab(page, 'Inspector').getAttribute('aria-selected')).toBe('true');
    await tab(page, 'Metrics').click();
    expect(await tab(page, 'Metrics').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('report-table').waitFor();
    const toggle = page.getByRole('button', { name: 'Side panel' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await panel.waitFor({ state: 'detached' });
    await toggle.click();
    await panel.waitFor();
  });

  it('fits 1280x720 and 1920x1080, light and dark, without scrolling the page', async () => {
    await reset(page, { scenario: 'email-outage' });
    await advanceTo(page, 15_000);
    try {
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
              `${width}x${height} ${colorScheme}`,
            ).toBe(true);
          }
        }
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.emulateMedia({ colorScheme: null });
    }
  });

  it('the scenario picker lists every built-in scenario; picking one opens it', async () => {
    const trigger = page.getByRole('button', { name: /^Scenario:/ });
    await trigger.click();
    const list = page.getByRole('list', { name: 'Built-in scenarios' });
    await list.waitFor();
    // Every built-in, by name, in the picker's order.
    const names = await list.getByRole('listitem').allTextContents();
    expect(names).toHaveLength(builtInScenarios.length);
    for (const [i, s] of builtInScenarios.entries()) expect(names[i]).toContain(s.name);
    await list
      .getByRole('button', { name: /flash sale/i })
      .first()
      .click();
    await list.waitFor({ state: 'hidden' });
    await expect.poll(() => trigger.textContent()).not.toContain('Checkout');
    await expect.poll(() => new URL(page.url()).searchParams.get('scenario')).toBe('traffic-spike');
  });
});
