import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, expectNoPageErrors, openPage } from './browser';

async function tokenState(page: Page, side: 'chain' | 'event') {
  return page
    .locator(`canvas.token-layer[data-side="${side}"]`)
    .evaluate((c: HTMLCanvasElement) => ({
      count: Number(c.dataset.tokenCount ?? 0),
      digest: c.dataset.tokenDigest ?? '',
    }));
}

async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function pause(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Pause', exact: true });
  if (await button.count()) await button.click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
}

const clock = (page: Page) => page.getByRole('timer').textContent();

async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

describe('architecture canvas', () => {
  it('shows the nodes of the request chain and of the event fan-out', async () => {
    const chain = await openPage('/?arch=chain&scenario=checkout');
    for (const name of ['Order Service', 'Payment Service', 'Email Service', 'Analytics Service']) {
      await chain.page.getByRole('button', { name, exact: true }).waitFor();
      await chain.page.getByRole('switch', { name: `${name} outage` }).waitFor();
    }
    expect(await chain.page.getByText('Users / API').count()).toBe(1);
    expect(await chain.page.getByTestId('broker-chain').count()).toBe(0);
    expectNoPageErrors(chain);

    const event = await openPage('/?arch=event&scenario=checkout');
    await event.page.getByTestId('broker-event').waitFor();
    expect(await text(event.page.getByTestId('broker-event'))).toMatch(/fanout exchange/i);
    for (const name of [
      'Payment queue',
      'Email queue',
      'Analytics queue',
      'Dead-letter queue',
      'Order Service',
      'Email Service',
    ]) {
      await event.page.getByRole('button', { name, exact: true }).waitFor();
    }
    expect(await text(event.page.locator('[data-testid="queue-event-email-queue"]'))).toMatch(
      /\d+ waiting/,
    );
    expectNoPageErrors(event);
  });

  it('draws tokens while playing, and they stay exactly still while paused', async () => {
    const opened = await openPage('/?arch=event&scenario=checkout');
    const { page } = opened;
    await page.locator('canvas.token-layer[data-side="event"]').waitFor({ state: 'attached' });
    await waitUntil(
      async () => (await tokenState(page, 'event')).count > 0,
      10_000,
      'tokens on the canvas',
    );

    await pause(page);
    const before = await tokenState(page, 'event');
    const t0 = await clock(page);
    await page.waitForTimeout(700);
    const after = await tokenState(page, 'event');
    expect(after).toEqual(before);
    expect(await clock(page)).toBe(t0);

    expectNoPageErrors(opened);
  });

  it('with prefers-reduced-motion the tokens jump to fixed points instead of gliding', async () => {
    const opened = await openPage('/?arch=chain&scenario=checkout');
    const { page } = opened;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const layer = page.locator('canvas.token-layer[data-side="chain"]');
    await waitUntil(
      async () => (await layer.getAttribute('data-motion')) === 'reduced',
      5_000,
      'reduced motion',
    );
    await waitUntil(async () => (await tokenState(page, 'chain')).count > 0, 10_000, 'tokens');
    expectNoPageErrors(opened);
  });

  it('switching Email off shows `down`, its queue fills, and the inspector lists the waiting messages', async () => {
    const opened = await openPage('/?arch=event&scenario=checkout&speed=5');
    const { page } = opened;
    const outage = page.getByRole('switch', { name: 'Email Service outage' });
    await outage.waitFor();
    expect(await outage.getAttribute('aria-checked')).toBe('false');
    await outage.click();
    expect(await outage.getAttribute('aria-checked')).toBe('true');
    const emailNode = page.locator('[data-testid="service-event-email"]');
    expect(await text(emailNode.getByTestId('service-status'))).toContain('down');

    const queue = page.locator('[data-testid="queue-event-email-queue"]');
    await waitUntil(
      async () => Number((/(\d+) waiting/.exec(await text(queue)) ?? [])[1] ?? 0) >= 5,
      15_000,
      'email messages waiting',
    );
    await pause(page);

    await page.getByRole('button', { name: 'Email queue', exact: true }).click();
    const inspector = page.getByTestId('inspector');
    await inspector.getByRole('heading', { name: 'Email queue' }).waitFor();
    const rows = inspector.locator('tbody tr');
    await waitUntil(async () => (await rows.count()) >= 5, 5_000, 'inspector rows');
    const cells = await rows.first().locator('td').allTextContents();
    expect(cells[0]).toMatch(/^\d+$/); // message id
    expect(cells[1]).toBe('OrderCreated');
    expect(cells[2]).toMatch(/^#\d+$/); // order number
    expect(cells[3]).toMatch(/^\d+$/); // attempt
    const trace = await inspector.getByRole('listitem').allTextContents();
    expect(trace.some((line) => /^t=\d+\.\d{3}s /.test(line))).toBe(true);

    // Keyboard: the node's name is a button; Enter selects it.
    await page.getByRole('button', { name: 'Payment queue', exact: true }).focus();
    await page.keyboard.press('Enter');
    await inspector.getByRole('heading', { name: 'Payment queue' }).waitFor();

    await outage.click();
    expect(await outage.getAttribute('aria-checked')).toBe('false');
    expect(await text(emailNode.getByTestId('service-status'))).toContain('up');
    expectNoPageErrors(opened);
  });

  it('the fault menu makes a service slow, in words on the node', async () => {
    const opened = await openPage('/?arch=chain&scenario=checkout');
    const { page } = opened;
    await page.getByRole('button', { name: 'Payment Service fault settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Payment Service fault settings' });
    await dialog.getByLabel('Slow (latency ×)').selectOption('8');
    await page.keyboard.press('Escape');
    expect(await dialog.count()).toBe(0);
    expect(
      await text(
        page.locator('[data-testid="service-chain-payment"]').getByTestId('service-status'),
      ),
    ).toContain('slow ×8');
    expectNoPageErrors(opened);
  });

  it('has no axe violations with both canvases, the inspector, the fault menu and the metrics panel showing', async () => {
    const opened = await openPage('/?arch=compare&scenario=email-outage');
    const { page } = opened;
    await page.locator('canvas.token-layer[data-side="event"]').waitFor({ state: 'attached' });
    await waitUntil(async () => (await tokenState(page, 'event')).count > 0, 10_000, 'tokens');
    await pause(page);
    await expectNoAxeViolations(page);

    await page
      .locator('.architecture-canvas[data-side="event"]')
      .getByRole('button', { name: 'Email queue', exact: true })
      .click();
    await page.getByTestId('inspector').waitFor();
    await page
      .locator('.architecture-canvas[data-side="chain"]')
      .getByRole('button', { name: 'Email Service fault settings' })
      .click();
    await page.getByRole('dialog', { name: 'Email Service fault settings' }).waitFor();
    await expectNoAxeViolations(page);
    await page.keyboard.press('Escape');

    // The metrics panel loads on demand: charts for both sides and the report table.
    await page.getByRole('tab', { name: 'Metrics' }).click();
    await page.getByTestId('report-table').waitFor();
    expect(await page.locator('.uplot-host canvas').count()).toBeGreaterThanOrEqual(4);
    await expectNoAxeViolations(page);
    expectNoPageErrors(opened);
  });
});
