/**
 * The engine runs in a Web Worker: what that buys a learner. While a heavy run plays at
 * 50x the page still answers a click at once; when the engine cannot keep up the clock
 * slows and the playback bar says so; a run that grows without bound is stopped with one
 * message and the page stays usable. One page for the file. The first two tests are
 * about playing itself, so they play; the last one injects time.
 */
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apply, clickRoundTripMs, clockMs, pause, reset, setSpeed } from './app';
import { filePage } from './browser';

const app = filePage();
let page: Page;

beforeAll(() => {
  page = app.page;
});

beforeEach(async () => {
  await reset(page);
});

/**
 * Checkout at 5,000 orders per second on both sides, every service scaled to keep up (so
 * the run stays heavy without growing: the engine's limits never stop it), playing at 50x.
 */
async function playHeavyRun(): Promise<void> {
  for (const service of ['orders', 'payment', 'email', 'analytics'])
    expect(await apply(page, { kind: 'scale', service, replicas: 32, concurrency: 64 })).toBeNull();
  expect(await apply(page, { kind: 'rate', rate: 5000 })).toBeNull();
  await setSpeed(page, 50);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
  // The engine is at work: the clock moves.
  await expect.poll(() => clockMs(page)).toBeGreaterThan(500);
}

describe('the engine in a worker', () => {
  it('runs in a worker of its own: the page answers clicks within 1 s while a heavy run plays at 50x, and while the engine works on one long command', async () => {
    expect(page.workers().some((w) => /engine\.worker/.test(w.url()))).toBe(true);
    await playHeavyRun();
    const times: number[] = [];
    for (let i = 0; i < 4; i++) times.push(await clickRoundTripMs(page));
    expect(
      Math.max(...times),
      `click round trips ${times.map(Math.round).join(', ')} ms`,
    ).toBeLessThan(1000);
    // Four toggles: the side panel is open again.
    expect(
      await page.getByRole('button', { name: 'Side panel' }).getAttribute('aria-pressed'),
    ).toBe('true');
    // A learner's own click (real input) pauses it.
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();

    // A fresh run at 5,000 orders/s, paused; the engine is asked for its first ten
    // simulated seconds at once (no frame budget: most of a million events of work).
    // Meanwhile a click, queued as a task on the page's main thread, is handled at once:
    // the engine is not on that thread.
    await reset(page);
    expect(await apply(page, { kind: 'rate', rate: 5000 })).toBeNull();
    const toggle = page.getByRole('button', { name: 'Side panel' });
    const timing = await toggle.evaluate(async (button) => {
      const pg = window.__fanout?.playground;
      if (!pg) throw new Error('no window.__fanout on this page');
      const sent = performance.now();
      let done = Number.NaN;
      // (Should the watchdog ever stop it on a very loaded machine, it is done all the same.)
      const advanced = pg.playback
        .advanceTo(10_000)
        .catch(() => {})
        .then(() => {
          done = performance.now() - sent;
        });
      const handled = await new Promise<number>((resolve) => {
        new MutationObserver((_, observer) => {
          observer.disconnect();
          resolve(performance.now() - sent);
        }).observe(button, { attributes: true, attributeFilter: ['aria-pressed'] });
        setTimeout(() => (button as HTMLButtonElement).click(), 0);
      });
      await advanced;
      return { handled, done };
    });
    expect(timing.handled).toBeLessThan(1000);
    expect(timing.handled, `the engine took ${Math.round(timing.done)} ms`).toBeLessThan(
      timing.done,
    );
  });

  it('says "running at Nx, not 50x" when the engine cannot keep up, and stops saying it when paused', async () => {
    await playHeavyRun();
    const note = page.locator('.playback .status-note', { hasText: /^Running at / });
    await note.waitFor();
    const text = (await note.textContent()) ?? '';
    const m = /^Running at ([\d.]+)x, not 50x: the simulation cannot keep up at this speed\.$/.exec(
      text,
    );
    expect(m, text).not.toBeNull();
    expect(Number(m?.[1])).toBeLessThan(50);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await note.waitFor({ state: 'detached' });
  });

  it('a run that grows without bound is stopped with one message, and the page stays usable', async () => {
    // A teacher's scenario file: every event to eleven slow consumers, 5,000 orders a second.
    const events = Array.from({ length: 8 }, (_, i) => `Thing${i}Happened`);
    const consumers = Array.from({ length: 11 }, (_, i) => ({
      id: `c${i}`,
      name: `Consumer ${i}`,
      latency_ms: 60_000,
      concurrency: 1,
      subscribes: events,
    }));
    const file = {
      version: 1,
      id: 'everything-to-everyone',
      name: 'Everything to everyone',
      seed: 1,
      duration_ms: 600_000,
      architecture: 'event',
      broker: { kind: 'queue' },
      entry: 'orders',
      services: [
        { id: 'orders', name: 'Order Service', latency_ms: 1, concurrency: 64, emits: events },
        ...consumers,
      ],
      chain: ['orders', ...consumers.map((c) => c.id)],
      workload: { rate_per_s: 5000 },
    };
    const transfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'flood.json', { type: 'application/json' }));
      return dt;
    }, JSON.stringify(file));
    await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
    await page.getByRole('status').filter({ hasText: 'Opened flood.json' }).waitFor();
    await pause(page);

    // Simulated time is moved on in small steps (each answer is watched), until it stops.
    await page.evaluate(async () => {
      const pg = window.__fanout?.playground;
      while (pg && !pg.getState().error && pg.getState().now < 5000)
        await pg.playback.advanceTo(pg.getState().now + 250);
    });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.count()).toBe(1);
    expect(await alert.textContent()).toMatch(
      /^This run was stopped at t = \d+\.\d{3} s: the run holds [\d,]+ messages and timers at once \(the limit is 600,000\)\. Fanout stops runs that grow without bound so the page stays responsive\. Paused at t = \d+\.\d s\./,
    );
    expect(await page.getByRole('button', { name: 'Play', exact: true }).count()).toBe(1);

    // Still usable: the message goes away, Reset starts again, another scenario opens.
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect.poll(() => clockMs(page)).toBe(0);
    await page.getByRole('button', { name: /^Scenario:/ }).click();
    await page
      .getByRole('list', { name: 'Built-in scenarios' })
      .getByRole('button', { name: /checkout/i })
      .first()
      .click();
    await expect
      .poll(() => page.getByRole('button', { name: /^Scenario:/ }).textContent())
      .toContain('Checkout');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(0);
  });
});
