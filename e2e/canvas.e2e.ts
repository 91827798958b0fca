/**
 * The architecture canvas in the built app: the nodes of each architecture, tokens drawn
 * from simulated time (still while paused, fixed points with reduced motion), a service's
 * outage switch and status, the inspector's list of waiting messages, the fault menu and
 * the metrics charts. One page for the file, a fresh paused run per test; time injected.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { advanceBy, advanceTo, clockMs, engineIdle, nodeNumber, reset, setSpeed, tab } from './app';
import { filePage } from './browser';

const app = filePage();
let page: Page;

beforeAll(() => {
  page = app.page;
});

function tokens(side: 'chain' | 'event') {
  return page
    .locator(`canvas.token-layer[data-side="${side}"]`)
    .evaluate((c: HTMLCanvasElement) => ({
      count: Number(c.dataset.tokenCount ?? 0),
      digest: c.dataset.tokenDigest ?? '',
    }));
}

async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

/** Two animation frames: the playback loop and the token layer have had their chance to move. */
const twoFrames = () =>
  page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );

describe('architecture canvas', () => {
  it('shows the nodes of the request chain and of the event fan-out', async () => {
    await reset(page, { mode: 'chain' });
    for (const name of ['Order Service', 'Payment Service', 'Email Service', 'Analytics Service']) {
      await page.getByRole('button', { name, exact: true }).waitFor();
      await page.getByRole('switch', { name: `${name} outage` }).waitFor();
    }
    expect(await page.getByText('Users / API').count()).toBe(1);
    expect(await page.getByTestId('broker-chain').count()).toBe(0);

    await reset(page, { mode: 'event' });
    await page.getByTestId('broker-event').waitFor();
    expect(await text(page.getByTestId('broker-event'))).toMatch(/direct exchange/i);
    for (const name of [
      'Payment queue',
      'Email queue',
      'Analytics queue',
      'Dead-letter queue',
      'Order Service',
      'Email Service',
    ]) {
      await page.getByRole('button', { name, exact: true }).waitFor();
    }
    expect(await text(page.getByTestId('queue-event-email-queue'))).toMatch(/\d+ waiting/);
  });

  it('draws tokens in flight; they move while playing and stay exactly still while paused', async () => {
    await reset(page, { mode: 'event' });
    await advanceTo(page, 3000);
    await expect.poll(async () => (await tokens('event')).count).toBeGreaterThan(0);
    const atThree = await tokens('event');

    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(async () => (await tokens('event')).digest).not.toBe(atThree.digest);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await engineIdle(page);

    const before = await tokens('event');
    const t0 = await clockMs(page);
    await page.evaluate(() => window.__fanout?.playground.playback.tick(100));
    await twoFrames();
    expect(await tokens('event')).toEqual(before);
    expect(await clockMs(page)).toBe(t0);
  });

  it('with prefers-reduced-motion the tokens jump to fixed points instead of gliding', async () => {
    await reset(page, { mode: 'chain' });
    const layer = page.locator('canvas.token-layer[data-side="chain"]');
    expect(await layer.getAttribute('data-motion')).toBe('full');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      await expect.poll(() => layer.getAttribute('data-motion')).toBe('reduced');
      await advanceTo(page, 2000);
      await expect.poll(async () => (await tokens('chain')).count).toBeGreaterThan(0);
    } finally {
      await page.emulateMedia({ reducedMotion: null });
    }
    await expect.poll(() => layer.getAttribute('data-motion')).toBe('full');
  });

  it('at 20x a busy edge is a band with its rate; at 1x every token is drawn; reduced motion keeps the band', async () => {
    const layer = page.locator('canvas.token-layer[data-side="event"]');
    const bands = async () => ({
      count: Number(await layer.getAttribute('data-band-count')),
      text: (await layer.getAttribute('data-bands')) ?? '',
    });
    await reset(page, { scenario: 'poison-message', mode: 'event', speed: 20 });
    await advanceTo(page, 24_000);
    await expect.poll(async () => (await bands()).count).toBeGreaterThan(0);
    // Ten orders a second leave the Order Service: its publish edge says so, in events a second.
    const publish = /Order Service → Direct exchange: event (\d+(?:\.\d)?)\/s/.exec(
      (await bands()).text,
    );
    expect(publish, (await bands()).text).not.toBeNull();
    expect(Number(publish?.[1])).toBeGreaterThan(5);
    expect(Number(publish?.[1])).toBeLessThan(15);

    // The same moment at 1x: no band, every token on its own.
    await setSpeed(page, 1);
    await expect.poll(async () => (await bands()).count).toBe(0);
    expect((await tokens('event')).count).toBeGreaterThan(0);

    await page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      await expect.poll(() => layer.getAttribute('data-motion')).toBe('reduced');
      await setSpeed(page, 20);
      await expect.poll(async () => (await bands()).count).toBeGreaterThan(0);
      expect((await bands()).text).toMatch(/Order Service → Direct exchange: event \d/);
    } finally {
      await page.emulateMedia({ reducedMotion: null });
    }
  });

  it('a node counter that changes flares and ticks; a still one does not; with reduced motion none moves', async () => {
    // Every animation a counter starts, by node and by what the counter counts.
    await page.evaluate(() => {
      const w = window as unknown as { counterMoves: string[]; counterHooked?: boolean };
      w.counterMoves = [];
      if (w.counterHooked) return;
      w.counterHooked = true;
      const animate = Element.prototype.animate;
      Element.prototype.animate = function (...args) {
        const counter = this.closest('.counter');
        if (counter) {
          const node = counter.closest('[data-testid]')?.getAttribute('data-testid');
          const words = counter.parentElement?.textContent?.replace(/[\d,]+/, '').trim();
          w.counterMoves.push(`${node}: ${words}`);
        }
        return animate.apply(this, args);
      };
    });
    const moves = () =>
      page.evaluate(() => (window as unknown as { counterMoves: string[] }).counterMoves);
    const clear = () =>
      page.evaluate(() => {
        (window as unknown as { counterMoves: string[] }).counterMoves = [];
      });

    await reset(page, { mode: 'event' });
    await advanceTo(page, 2000);
    await clear();
    const node = page.getByTestId('service-event-email');
    const before = await nodeNumber(node, 'processed');
    await advanceBy(page, 1000);
    await expect.poll(() => nodeNumber(node, 'processed')).toBeGreaterThan(before);
    await expect.poll(moves).toContain('service-event-email: processed');
    // Nothing failed: that counter stood still.
    expect(await nodeNumber(node, 'failed')).toBe(0);
    expect(await moves()).not.toContain('service-event-email: failed');

    await page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      const layer = page.locator('canvas.token-layer[data-side="event"]');
      await expect.poll(() => layer.getAttribute('data-motion')).toBe('reduced');
      await clear();
      const still = await nodeNumber(node, 'processed');
      await advanceBy(page, 1000);
      await expect.poll(() => nodeNumber(node, 'processed')).toBeGreaterThan(still);
      expect(await moves()).toEqual([]);
    } finally {
      await page.emulateMedia({ reducedMotion: null });
    }
  });

  it('Email off shows `down` (the status pops; none did as the canvas opened), its queue fills, and the inspector lists the waiting messages', async () => {
    // Every node whose status animates, looked at every frame (framer-motion hands the pop
    // to Web Animations: each lasts several frames).
    await page.evaluate(() => {
      const w = window as unknown as { statusPops: string[]; watchPops: boolean };
      w.statusPops = [];
      w.watchPops = true;
      const look = () => {
        for (const el of document.querySelectorAll('.status')) {
          if (el.getAnimations().length === 0) continue;
          const node = el.parentElement?.closest('[data-testid^="service-"]');
          w.statusPops.push(node?.getAttribute('data-testid') ?? '?');
        }
        if (w.watchPops) requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    });
    const pops = () =>
      page.evaluate(() => (window as unknown as { statusPops: string[] }).statusPops);
    // The fan-out canvas opens fresh: every service shows its state, and nothing pops.
    await reset(page, { mode: 'chain' });
    await reset(page, { mode: 'event' });
    await advanceTo(page, 1000);
    expect(await page.getByTestId('service-status').count()).toBeGreaterThan(3);
    expect(await pops()).toEqual([]);
    const outage = page.getByRole('switch', { name: 'Email Service outage' });
    expect(await outage.getAttribute('aria-checked')).toBe('false');
    await outage.click();
    await expect.poll(() => outage.getAttribute('aria-checked')).toBe('true');
    const emailNode = page.getByTestId('service-event-email');
    await expect.poll(() => text(emailNode.getByTestId('service-status'))).toContain('down');
    await expect.poll(pops).toContain('service-event-email');
    await page.evaluate(() => {
      (window as unknown as { watchPops: boolean }).watchPops = false;
    });

    const queue = page.getByTestId('queue-event-email-queue');
    await advanceBy(page, 3000);
    await expect.poll(() => nodeNumber(queue, 'waiting')).toBeGreaterThanOrEqual(5);

    await page.getByRole('button', { name: 'Email queue', exact: true }).click();
    const inspector = page.getByTestId('inspector');
    await inspector.getByRole('heading', { name: 'Email queue' }).waitFor();
    const rows = inspector.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(5);
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
    await expect.poll(() => outage.getAttribute('aria-checked')).toBe('false');
    await expect.poll(() => text(emailNode.getByTestId('service-status'))).toContain('up');
  });

  it('a down service in the chain counts the calls it refuses, and the inspector gives calls per order', async () => {
    await reset(page, { mode: 'chain' });
    const outage = page.getByRole('switch', { name: 'Analytics Service outage' });
    await outage.click();
    await expect.poll(() => outage.getAttribute('aria-checked')).toBe('true');
    await advanceTo(page, 3000);
    const analytics = page.getByTestId('service-chain-analytics');
    await expect.poll(() => nodeNumber(analytics, 'refused')).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Analytics Service', exact: true }).click();
    const inspector = page.getByTestId('inspector');
    await inspector.getByRole('heading', { name: 'Analytics Service' }).waitFor();
    const summary = await inspector.textContent();
    expect(summary).toMatch(/Refused while down\s*[1-9]/);
    expect(summary).toMatch(/Calls per order\s*\d+\.\d/);
    await outage.click();
    await expect.poll(() => outage.getAttribute('aria-checked')).toBe('false');
  });

  it("the chain's Safeguards: a circuit breaker makes calls to a down service fail fast, said on its node and in the inspector", async () => {
    await reset(page, { scenario: 'email-outage', mode: 'chain' });
    const safeguards = page.getByLabel('Safeguards:');
    expect(await safeguards.inputValue()).toBe('none');
    await safeguards.selectOption('both');
    // A design change: the run restarts at 0 with the breaker and the deadline.
    await expect
      .poll(() => page.evaluate(() => window.__fanout?.playground.getState().scenario.sync))
      .toMatchObject({ deadline_ms: 1000, circuit_breaker: { failure_rate: 0.5 } });
    expect(await clockMs(page)).toBe(0);
    // Email is down from 10 s. The breakers judge the last 10 s of calls: once the
    // refusals outnumber the successes still in that window (about 15.5 s), they open.
    await advanceTo(page, 18_000);
    const email = page.getByTestId('service-chain-email');
    await expect.poll(() => text(email)).toMatch(/circuit (open|half-open)/);
    // The node's count is the engine's.
    const engine = await page.evaluate(
      () => window.__fanout?.playground.getState().runs.chain?.service(2).shortCircuited,
    );
    await expect.poll(() => nodeNumber(email, 'failed fast')).toBe(engine);
    await page.getByRole('button', { name: 'Payment Service', exact: true }).click();
    const inspector = page.getByTestId('inspector');
    await inspector.getByRole('heading', { name: 'Payment Service' }).waitFor();
    expect(await inspector.textContent()).toMatch(/Failed fast \(circuit open\)\s*[1-9]/);
    await safeguards.selectOption('none');
    await expect
      .poll(() => page.evaluate(() => window.__fanout?.playground.getState().scenario.sync))
      .toEqual({ timeout_ms: 1000, retries: 0 });
  });

  it('the fault menu makes a service slow, in words on the node', async () => {
    await reset(page, { mode: 'chain' });
    await page.getByRole('button', { name: 'Payment Service fault settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Payment Service fault settings' });
    await dialog.getByLabel('Slow (latency ×)').selectOption('8');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => text(page.getByTestId('service-chain-payment').getByTestId('service-status')))
      .toContain('slow ×8');
  });

  it('the Metrics tab loads the charts, with both sides, and the report table', async () => {
    await reset(page, { scenario: 'email-outage' });
    await advanceTo(page, 12_000);
    await tab(page, 'Metrics').click();
    await page.getByTestId('report-table').waitFor();
    // Four charts, each drawn by uPlot on its canvas, with both sides as two kinds of line.
    expect(await page.locator('figure.chart').count()).toBe(4);
    await expect.poll(() => page.locator('.uplot-host canvas').count()).toBeGreaterThanOrEqual(4);
    expect(await text(page.locator('.metrics-key'))).toMatch(/Dashed lines: .*; solid lines: /);
  });
});
