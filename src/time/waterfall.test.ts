import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import { Rec, Simulation } from '../core';
import { buildOrderTrace, type OrderSpan, type OrderTrace } from './spans';
import { orderSteps } from './steps';
import { waterfallOf } from './waterfall';

function run(
  id: string,
  architecture: 'chain' | 'event' | 'orchestration',
  until: number,
  after?: (sim: Simulation) => void,
) {
  const sim = new Simulation(findScenario(id)!, { architecture });
  sim.runUntil(until);
  after?.(sim);
  return sim;
}

function traceOf(sim: Simulation, corr: number): OrderTrace {
  const t = buildOrderTrace(sim.orderRecords(corr), sim.model, sim.now);
  if (!t) throw new Error(`no order ${corr}`);
  return t;
}

/** Every span lies inside its parent and lasts zero or more. */
function expectWellNested(trace: OrderTrace): void {
  const byId = new Map(trace.spans.map((s) => [s.id, s]));
  const roots = trace.spans.filter((s) => s.parent === 0);
  expect(roots).toHaveLength(1);
  for (const s of trace.spans) {
    expect(s.end).toBeGreaterThanOrEqual(s.start);
    if (s.parent === 0) continue;
    const p = byId.get(s.parent) as OrderSpan;
    expect(p, `parent of ${s.name}`).toBeDefined();
    expect(s.start).toBeGreaterThanOrEqual(p.start);
    // Work may go on after a parent call ended (a consumer long after the publish), but never before the order.
    expect(s.start).toBeGreaterThanOrEqual(trace.start);
    expect(s.end).toBeLessThanOrEqual(trace.end);
  }
}

describe('spans of one order', () => {
  it('request chain: one call per hop, each nested in the caller, the user waiting for all of it', () => {
    const sim = run('checkout', 'chain', 20_000);
    const trace = traceOf(sim, 5);
    expectWellNested(trace);
    const calls = trace.spans.filter((s) => s.kind === 'call');
    expect(calls.map((c) => c.facts.callee)).toEqual(['Order', 'Payment', 'Email', 'Analytics']);
    // Each call sits inside the handling of the previous hop, and lasts longer than the next.
    for (let i = 1; i < calls.length; i++) {
      const call = calls[i] as OrderSpan;
      const parent = trace.spans.find((s) => s.id === call.parent);
      expect(parent?.kind).toBe('handle');
      expect(call.end - call.start).toBeLessThan(
        (calls[i - 1] as OrderSpan).end - (calls[i - 1] as OrderSpan).start,
      );
    }
    const userCall = calls[0] as OrderSpan;
    expect(trace.spans[0]?.facts.response_ms).toBe(userCall.end - userCall.start);
    expect(trace.outcome).toMatch(/^answered ok after \d+ ms$/);
    expect(trace.spans.every((s) => !s.open)).toBe(true);
  });

  it('orchestration: each command nested in the reply before it, so the steps line up one after another; the parallel group under one reply', () => {
    const sim = run('orchestrated-checkout', 'orchestration', 20_000);
    const trace = traceOf(sim, 5);
    expectWellNested(trace);
    const names = trace.spans.filter((s) => s.kind === 'publish').map((s) => s.name);
    expect(names.slice(0, 4)).toEqual([
      'Order commands ReserveStock → 1 queue',
      'Inventory replies InventoryDone → 1 queue',
      'Order commands ChargePayment → 1 queue',
      'Payment replies PaymentDone → 1 queue',
    ]);
    const reads = trace.spans.filter((s) => s.name.startsWith('Order reads the reply'));
    expect(reads.length).toBe(4);
    // Each step starts after the previous step's reply was read: a staircase.
    const charge = trace.spans.find((s) => s.name.startsWith('Payment processes ChargePayment'));
    const stockRead = reads[0] as OrderSpan;
    expect(charge?.start).toBeGreaterThanOrEqual(stockRead.end);
    expect(trace.outcome).toMatch(
      /^answered ok after \d+ ms; confirmed: every step of its saga replied done after \d+ ms$/,
    );
  });

  it('event fan-out: a short answer, then parallel consumers under one publish', () => {
    const sim = run('checkout', 'event', 20_000);
    const trace = traceOf(sim, 5);
    expectWellNested(trace);
    const publish = trace.spans.find((s) => s.kind === 'publish') as OrderSpan;
    expect(publish.eventType).toBe('OrderCreated');
    expect(publish.facts.copies).toBe(3);
    const consumers = trace.spans.filter((s) => s.kind === 'process');
    expect(consumers).toHaveLength(3);
    expect(consumers.every((c) => c.parent === publish.id)).toBe(true);
    // They overlap in time: parallel, not one after another.
    const latestStart = Math.max(...consumers.map((c) => c.start));
    const earliestEnd = Math.min(...consumers.map((c) => c.end));
    expect(latestStart).toBeLessThanOrEqual(earliestEnd);
    const response = trace.spans[0]?.facts.response_ms as number;
    const completion = trace.spans[0]?.facts.completion_ms as number;
    expect(response).toBeLessThan(completion);
    expect(trace.outcome).toContain('fully processed');
  });

  it('poison message: failures, backoffs, a dead letter, and after a redrive the same again', () => {
    const sim = run('poison-message', 'event', 5000, (s) => {
      s.intervene({ kind: 'redrive' });
      s.runUntil(7000);
    });
    const trace = traceOf(sim, 36);
    expectWellNested(trace);
    expect(trace.poison).toBe(true);
    const analytics = trace.spans.filter(
      (s) => s.kind === 'process' && s.name.startsWith('Analytics'),
    );
    expect(analytics).toHaveLength(10);
    expect(
      analytics.every((s) => s.status === 'error' && s.statusMessage === 'poison message'),
    ).toBe(true);
    expect(trace.spans.filter((s) => s.kind === 'backoff')).toHaveLength(8);
    const parked = trace.spans.filter((s) => s.kind === 'dead-letter');
    expect(parked).toHaveLength(2);
    expect(parked[0]?.open).toBe(false);
    expect(parked[0]?.end).toBe(5000);
    expect(parked[1]?.open).toBe(true);
    expect(analytics[5]?.facts.redelivered_because).toBe('redriven from the dead-letter queue');
    expect(trace.outcome).toContain('1 copy in the dead-letter queue');
  });

  it('two copies parked read as "2 copies", not a misspelling', () => {
    const sim = run('poison-message', 'event', 5000);
    const records = sim.orderRecords(36);
    const parked = records.find((r) => r.kind === Rec.DeadLettered);
    if (!parked) throw new Error('order 36 is not dead-lettered by 5 s');
    const another = { ...parked, msg: parked.msg + 1_000_000 };
    const trace = buildOrderTrace([...records, another], sim.model, sim.now);
    expect(trace?.outcome).toContain('; 2 copies in the dead-letter queue');
  });

  it('duplicate delivery: the repeated side effect is marked', () => {
    const sim = run('duplicate-delivery', 'event', 20_000);
    const trace = traceOf(sim, 111);
    expect(trace.spans.some((s) => s.kind === 'process' && s.facts.duplicate === true)).toBe(true);
    expect(orderSteps(sim.orderRecords(111), sim.model).some((s) => s.kind === 'duplicate')).toBe(
      true,
    );
  });

  it('a declined order on the event side: accepted, then PaymentFailed, OrderCancelled, and the order ends cancelled', () => {
    const sim = run('payment-declined-saga', 'event', 20_000);
    const failed = sim.traceTail(20_000).find((r) => r.kind === Rec.Compensating);
    if (!failed) throw new Error('no declined order');
    const trace = traceOf(sim, failed.corr);
    expectWellNested(trace);
    expect(trace.outcome).toMatch(/cancelled after \d+ ms: a step failed for good/);
    const types = new Set(
      sim
        .orderRecords(failed.corr)
        .filter((r) => r.kind === Rec.Published)
        .map((r) => sim.model.eventTypes[r.code]),
    );
    expect([...types].sort()).toEqual(['OrderCancelled', 'OrderCreated', 'PaymentFailed']);
  });

  it('an order in progress ends at now, open', () => {
    const sim = run('email-outage', 'event', 15_000);
    // Email is down from 10 s to 30 s: this order's email copy is still waiting.
    const received = sim.traceTail(4096).find((r) => r.kind === Rec.OrderReceived && r.t > 14_000);
    const trace = traceOf(sim, received?.corr ?? 1);
    expect(trace.end).toBe(15_000);
    expect(trace.spans[0]?.open).toBe(true);
    const waiting = trace.spans.find((s) => s.kind === 'wait' && s.open);
    expect(waiting?.name).toBe('waits in email queue');
    expect(waiting?.end).toBe(15_000);
  });

  it('no records: no trace', () => {
    const sim = run('checkout', 'event', 100);
    expect(buildOrderTrace(sim.orderRecords(999), sim.model, sim.now)).toBeNull();
  });
});

describe('hops', () => {
  it('reads like the journey: accepted, published, routed, delivered, failed, retried, dead-lettered, redriven', () => {
    const sim = run('poison-message', 'event', 5000, (s) => {
      s.intervene({ kind: 'redrive' });
      s.runUntil(5100);
    });
    const steps = orderSteps(sim.orderRecords(36), sim.model);
    const kinds = steps.map((s) => s.kind);
    for (const k of [
      'accepted',
      'published',
      'routed',
      'delivered',
      'processed',
      'failed',
      'retry',
      'dead-letter',
      'redriven',
    ] as const)
      expect(kinds).toContain(k);
    expect(steps.find((s) => s.kind === 'routed')?.text).toBe(
      'the broker routed OrderCreated to 3 queues',
    );
    expect(steps.find((s) => s.kind === 'dead-letter')?.text).toBe(
      'dead-lettered from analytics queue after attempt 5: poison message',
    );
    for (let i = 1; i < steps.length; i++)
      expect(steps[i]?.t).toBeGreaterThanOrEqual(steps[i - 1]?.t as number);
  });
});

describe('waterfall rows', () => {
  it('sit on one axis, parents before children, instant waits left out', () => {
    const sim = run('poison-message', 'event', 8000);
    const w = waterfallOf(sim.orderRecords(36), sim.model, sim.now);
    if (!w) throw new Error('no waterfall');
    expect(w.rows[0]?.kind).toBe('order');
    expect(w.rows[0]?.left).toBe(0);
    expect(w.rows[0]?.width).toBeCloseTo(100);
    for (const r of w.rows) {
      expect(r.left).toBeGreaterThanOrEqual(0);
      expect(r.width).toBeGreaterThanOrEqual(0);
      expect(r.left + r.width).toBeLessThanOrEqual(100.0001);
      expect(r.kind === 'wait' && r.end === r.start).toBe(false);
    }
    const backoff = w.rows.find((r) => r.kind === 'backoff');
    expect(backoff?.note).toMatch(/^retry in \d+ ms$/);
    expect(w.rows.find((r) => r.kind === 'dead-letter')?.bad).toBe(true);
  });
});
