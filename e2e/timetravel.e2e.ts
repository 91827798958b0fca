/**
 * Time travel and following one order, clicked through the built app like a learner:
 * the timeline scrubber, Step back, forking the future from the past (and keeping the
 * old one as branch A), following an order through retries into the dead-letter queue
 * and back via redrive, and exporting the trace. One page for the file, a fresh paused
 * run per test; simulated time is injected.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { advanceBy, advanceTo, clockMs, playButton, reset, strip, tab, toNumber } from './app';
import { filePage, saveDownload } from './browser';

const app = filePage();
let page: Page;

beforeAll(() => {
  page = app.page;
});

const timeline = () => page.getByRole('slider', { name: 'Timeline' });

describe('time travel', () => {
  it('scrub back before an outage, change the past, keep the old future as branch A: a different outcome', async () => {
    await reset(page, { mode: 'chain' });
    await advanceTo(page, 6000);
    // Email goes down now, at the head of the run: no question asked.
    await page.getByRole('switch', { name: 'Email Service outage' }).click();
    await expect
      .poll(() =>
        page.getByRole('switch', { name: 'Email Service outage' }).getAttribute('aria-checked'),
      )
      .toBe('true');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await advanceTo(page, 9000);
    await expect.poll(() => strip(page, 'chain', 'failed')).toBeGreaterThan(5);
    const end = await clockMs(page);
    const failedBefore = await strip(page, 'chain', 'failed');

    // The learner's outage is marked on the timeline.
    const learnerFault = page.locator('.timeline-mark.mark-fault.by-learner');
    await expect
      .poll(() => learnerFault.getAttribute('title'))
      .toContain('You took Email Service down');
    expect(await timeline().getAttribute('aria-valuetext')).toBe('00:09.000');

    // Back to 3 s with the keyboard: before the outage, nothing had failed yet.
    await timeline().focus();
    await page.keyboard.press('Home');
    await expect.poll(() => clockMs(page)).toBe(0);
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => clockMs(page)).toBe(3000);
    expect(await timeline().getAttribute('aria-valuetext')).toBe('00:03.000');
    await expect.poll(() => strip(page, 'chain', 'ok')).toBeGreaterThan(0);
    expect(await strip(page, 'chain', 'failed')).toBe(0);
    const email = page.getByRole('switch', { name: 'Email Service outage' });
    await expect.poll(() => email.getAttribute('aria-checked')).toBe('false');
    await page.getByText('Viewing the past').waitFor();
    // The timeline still covers the whole run: forward again gives the same numbers.
    await page.keyboard.press('End');
    await expect.poll(() => clockMs(page)).toBe(end);
    await expect.poll(() => strip(page, 'chain', 'failed')).toBe(failedBefore);
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => clockMs(page)).toBe(3000);

    // A different choice in the past: Payment goes down instead. It asks first.
    const payment = page.getByRole('switch', { name: 'Payment Service outage' });
    await payment.click();
    const dialog = page.getByRole('dialog', { name: 'Change the past?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('This discards what happened after 00:03.000');
    // Cancel changes nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await payment.getAttribute('aria-checked')).toBe('false');

    await payment.click();
    await dialog.getByRole('button', { name: 'Keep it as branch A' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => payment.getAttribute('aria-checked')).toBe('true');
    const branch = page.getByRole('region', { name: /^Branch A/ });
    await branch.waitFor();
    // The new timeline ends here; the Email outage of the old future is gone from it.
    await expect
      .poll(() => learnerFault.getAttribute('title'))
      .toContain('You took Payment Service down');
    expect(await learnerFault.count()).toBe(1);

    await advanceTo(page, end);
    // Same moment, two outcomes: branch A (Email down at 6 s) and now (Payment down at 3 s).
    const cell = (metric: string, which: 'A' | 'now') =>
      branch.locator(`tr[data-side="chain"] td[data-metric="${metric}"] [data-branch="${which}"]`);
    await expect
      .poll(async () => toNumber(await cell('failed', 'now').textContent()))
      .toBe(await strip(page, 'chain', 'failed'));
    await expect
      .poll(async () => toNumber(await cell('failed', 'A').textContent()))
      .toBe(failedBefore);
    const failedNow = toNumber(await cell('failed', 'now').textContent());
    expect(failedNow).toBeGreaterThan(failedBefore);
    expect(await email.getAttribute('aria-checked')).toBe('false');
    await branch.getByRole('button', { name: 'Close branch A' }).click();
    await branch.waitFor({ state: 'detached' });
  });

  it('Discard: the old future is gone and the timeline ends at the change', async () => {
    await reset(page, { scenario: 'email-outage', mode: 'event' });
    await advanceTo(page, 12_000);
    // The scenario's own outage (10 s) is marked.
    await expect
      .poll(() => page.locator('.timeline-mark.mark-fault').first().getAttribute('title'))
      .toContain('Scenario: Email Service down');
    await timeline().focus();
    await page.keyboard.press('Home');
    // Five quick presses, five seconds (each goes on from where the last one aimed).
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => clockMs(page)).toBe(5000);
    await page.getByRole('button', { name: 'Send one order' }).click();
    await page.getByRole('button', { name: 'Discard what happened after 00:05.000' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await page.getByRole('region', { name: /^Branch A/ }).count()).toBe(0);
    await expect.poll(() => timeline().getAttribute('max')).toBe('5000');
    await expect
      .poll(() => page.locator('.timeline-mark.mark-action.by-learner').getAttribute('title'))
      .toContain('You sent one order');
  });

  it('Step back goes back one event at a time, three times, by button and by ","', async () => {
    await reset(page);
    await advanceTo(page, 2000);
    const seen = [await clockMs(page)];
    const last = () => seen[seen.length - 1] as number;
    const stepBack = page.getByRole('button', { name: 'Step back' });
    for (let i = 0; i < 3; i++) {
      await stepBack.click();
      await expect.poll(() => clockMs(page)).toBeLessThan(last());
      seen.push(await clockMs(page));
    }
    await page.getByRole('heading', { level: 1, name: 'Fanout' }).click();
    await page.keyboard.press(',');
    await expect.poll(() => clockMs(page)).toBeLessThan(last());
    seen.push(await clockMs(page));
    // Step forward again: the clock moves on from there.
    await page.keyboard.press('.');
    await expect.poll(() => clockMs(page)).toBeGreaterThan(last());
    expect(await playButton(page).textContent()).toContain('Play');
  });

  it('dragging the timeline in compare mode moves both sides together', async () => {
    await reset(page);
    await advanceTo(page, 8000);
    const end = await clockMs(page);
    const box = await timeline().boundingBox();
    if (!box) throw new Error('no timeline');
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 1, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => clockMs(page)).toBeLessThan(100);
    await expect.poll(() => strip(page, 'chain', 'ok')).toBe(0);
    await expect.poll(() => strip(page, 'event', 'ok')).toBe(0);
    // The track keeps its place and size in the past.
    expect(await timeline().boundingBox()).toEqual(box);
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2);
    await expect.poll(() => clockMs(page)).toBeGreaterThan(end * 0.35);
    expect(await clockMs(page)).toBeLessThan(end * 0.65);
    await expect.poll(() => strip(page, 'chain', 'ok')).toBeGreaterThan(0);
    await expect.poll(() => strip(page, 'event', 'ok')).toBeGreaterThan(0);
  });
});

describe('following one order', () => {
  it('follows a poison order through retries into the dead-letter queue and back via redrive', async () => {
    await reset(page, { scenario: 'poison-message', mode: 'event' });
    await advanceTo(page, 5000);
    await tab(page, 'Trace').click();
    await page.getByLabel('Order number').fill('36');
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    const view = page.getByTestId('follow-event');
    await view.waitFor();
    expect(await view.getByRole('heading').textContent()).toBe('Event fan-out: order #36');
    const hops = view.getByRole('list', { name: /^Hops of/ });
    await expect.poll(() => hops.textContent()).toContain('dead-lettered from analytics queue');
    const hopText = (await hops.textContent()) ?? '';
    expect(hopText).toContain('the broker routed OrderCreated to 3 queues');
    expect(hopText).toContain('failed at Analytics: poison message');
    expect(hopText).toMatch(/retried after a \d+ ms backoff/);
    expect(hopText).toContain('dead-lettered from analytics queue after attempt 5: poison message');
    const waterfall = view.getByRole('list', { name: /^Waterfall of/ });
    expect(await waterfall.locator('li[data-kind="backoff"]').count()).toBe(4);
    expect(await waterfall.locator('li[data-kind="dead-letter"]').count()).toBe(1);

    // The canvas highlights its path, through the analytics queue into the dead-letter queue.
    const layer = page.locator('canvas.follow-layer[data-side="event"]');
    await expect.poll(() => layer.getAttribute('data-follow-order')).toBe('36');
    const nodes = ((await layer.getAttribute('data-follow-nodes')) ?? '').split(',');
    expect(nodes).toEqual(
      expect.arrayContaining(['orders', 'analytics-queue', 'analytics', 'dead-letter']),
    );

    // Redrive the dead letters (the Broker tab's control), then watch it come back.
    await view.getByRole('button', { name: 'Redrive it from the Broker tab' }).click();
    expect(await tab(page, 'Broker').getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'Redrive dead letters' }).click();
    await advanceBy(page, 400);
    await tab(page, 'Trace').click();
    const after = page.getByTestId('follow-event').getByRole('list', { name: /^Hops of/ });
    await expect
      .poll(async () => (await after.textContent()) ?? '')
      .toContain('redriven from the dead-letter queue back to analytics queue');
    expect(await after.textContent()).toContain('redriven from the dead-letter queue)');
  });

  it('clicking a token on the canvas follows its order', async () => {
    await reset(page, { mode: 'chain' });
    // Reduced motion: a token sits still at the middle of its edge, so we know where to click.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      const tokens = page.locator('canvas.token-layer[data-side="chain"]');
      const follow = page.locator('canvas.follow-layer[data-side="chain"]');
      await expect.poll(() => tokens.getAttribute('data-motion')).toBe('reduced');
      await advanceTo(page, 3000);
      await expect
        .poll(async () => Number(await tokens.getAttribute('data-token-count')))
        .toBeGreaterThan(3);
      // With the side panel closed: picking an order brings it back, on the Trace tab.
      await page.getByRole('button', { name: 'Side panel' }).click();
      await page.getByRole('complementary', { name: 'Side panel' }).waitFor({ state: 'detached' });
      const middles = await page.evaluate(() =>
        [...document.querySelectorAll('section[data-side="chain"] .react-flow__edge-path')].flatMap(
          (el) => {
            const path = el as SVGPathElement;
            const p = path.getPointAtLength(path.getTotalLength() / 2);
            const m = path.getScreenCTM();
            return m ? [{ x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f }] : [];
          },
        ),
      );
      expect(middles.length).toBeGreaterThan(3);
      let picked = '';
      for (let tries = 0; tries < 6 && !picked; tries++) {
        for (const p of middles) {
          await page.mouse.click(p.x, p.y);
          picked = (await follow.getAttribute('data-follow-order')) ?? '';
          if (picked) break;
        }
        // No token at any middle at this moment: a little later, try again.
        if (!picked) await advanceBy(page, 37);
      }
      expect(picked).toMatch(/^\d+$/);
      expect(await tab(page, 'Trace').getAttribute('aria-selected')).toBe('true');
      await page
        .getByTestId('follow-chain')
        .getByRole('heading', { name: `Request chain: order #${picked}` })
        .waitFor();
      // Its token gets a ring, and its path is highlighted.
      await expect
        .poll(async () => Number(await follow.getAttribute('data-follow-tokens')))
        .toBeGreaterThan(0);
      expect((await follow.getAttribute('data-follow-nodes'))?.split(',')).toContain('orders');
    } finally {
      await page.emulateMedia({ reducedMotion: null });
    }
  });

  it('compare: the same order on both sides, the chain waits for every hop, fan-out answers at once', async () => {
    await reset(page);
    await advanceTo(page, 3000);
    await tab(page, 'Trace').click();
    // A recent order, picked from the list: followed on both canvases.
    const pick = page.getByRole('list', { name: 'Orders to follow' }).getByRole('button').first();
    const picked = ((await pick.textContent()) ?? '').replace(/\D/g, '');
    await pick.click();
    await expect
      .poll(() =>
        page.locator('canvas.follow-layer[data-side="event"]').getAttribute('data-follow-order'),
      )
      .toBe(picked);
    // An older one, typed in: long answered on both sides.
    const corr = String(Math.max(1, Number(picked) - 10));
    await page.getByLabel('Order number').fill(corr);
    await page.getByLabel('Order number').press('Enter');
    for (const side of ['chain', 'event'] as const) {
      await page.getByTestId(`follow-${side}`).waitFor();
      await expect
        .poll(() =>
          page
            .locator(`canvas.follow-layer[data-side="${side}"]`)
            .getAttribute('data-follow-order'),
        )
        .toBe(corr);
    }
    const answered = async (side: string) => {
      const text =
        (await page.getByTestId(`follow-${side}`).locator('.follow-outcome').textContent()) ?? '';
      const m = /nswered ok after (\d+) ms/.exec(text);
      return m ? Number(m[1]) : Number.NaN;
    };
    await expect.poll(() => answered('chain')).toBeGreaterThan(0);
    await expect.poll(() => answered('event')).toBeGreaterThan(0);
    expect(await answered('chain')).toBeGreaterThan((await answered('event')) * 2);
    // Fan-out: parallel consumers under one publish; the chain: one call per hop.
    const waterfall = (side: string) =>
      page.getByTestId(`follow-${side}`).getByRole('list', { name: /^Waterfall of/ });
    expect(await waterfall('event').locator('li[data-kind="process"]').count()).toBe(3);
    expect(await waterfall('chain').locator('li[data-kind="call"]').count()).toBe(4);
  });

  it('exports the run as readable JSON and as OpenTelemetry spans', async () => {
    await reset(page, { mode: 'event' });
    await advanceTo(page, 2000);
    await tab(page, 'Trace').click();

    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Trace JSON: Event fan-out' }).click(),
    ]);
    expect(jsonDownload.suggestedFilename()).toBe('fanout-checkout-event-00m02s.trace.json');
    const trace = JSON.parse(await readFile(await saveDownload(jsonDownload), 'utf8'));
    expect(trace.format).toBe('fanout-trace');
    expect(trace.records.length).toBeGreaterThan(20);
    expect(trace.records[0]).toMatchObject({
      kind: 'order-received',
      from: 'client',
      to: 'orders',
    });

    const [otelDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'OpenTelemetry: Event fan-out' }).click(),
    ]);
    const otel = JSON.parse(await readFile(await saveDownload(otelDownload), 'utf8'));
    const spans = otel.resourceSpans.flatMap((rs: { scopeSpans: Array<{ spans: unknown[] }> }) =>
      rs.scopeSpans.flatMap((s) => s.spans),
    ) as Array<{ traceId: string; kind: number; attributes: Array<{ key: string }> }>;
    expect(spans.length).toBeGreaterThan(10);
    expect(
      spans.some((s) => s.kind === 4 && s.attributes.some((a) => a.key === 'messaging.system')),
    ).toBe(true);
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  });
});
