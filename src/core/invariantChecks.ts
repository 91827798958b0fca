/**
 * Helpers shared by the invariant property files (DESIGN.md §6): how a run is drained, the
 * conservation check run at every step, and learner actions drawn at random moments.
 * Checks that run at every step compare plain numbers first and call `expect` only to name
 * what broke: `expect` costs microseconds, and these checks run millions of times.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { InterventionBody } from './interventions';
import { parseScenario, type Scenario } from './scenario';
import type { Simulation } from './simulation';

/**
 * The run with a broker a random scenario asks for: orchestrated when it says so, else
 * event fan-out. The properties about the broker's side run every scenario this way, so
 * each of them covers orchestration too.
 */
export function brokerRun(s: Scenario): 'event' | 'orchestration' {
  return s.architecture === 'orchestration' ? 'orchestration' : 'event';
}

/** 200 random scenarios per property in `npm test`. */
export const RUNS = { numRuns: 200 };

/** Run until nothing is left to happen (arrivals stop at duration_ms, faults here all end). */
export function drained(sim: Simulation): void {
  let guard = 0;
  while (sim.step()) if (guard++ >= 1_000_000) expect.fail('the run never drained');
  expect(sim.nextEventAt()).toBeUndefined();
}

/**
 * Conservation per subscription, now: every copy is processed, acked unread, waiting, in
 * flight, dead-lettered, expired or dropped; the metrics (a reducer over the trace) agree
 * with the engine's own queues; and no count is negative.
 */
export function expectConserved(sim: Simulation): void {
  sim.model.queues.forEach((_, i) => {
    const q = sim.queue(i);
    const c = sim.queueContents(i);
    const ended = q.processed + q.ignored + q.deadLettered + q.expired + q.dropped;
    const holds =
      q.copies === ended + q.waiting + q.inFlight &&
      c.ready + c.retrying === q.waiting &&
      c.inFlight === q.inFlight &&
      Math.min(q.waiting, q.inFlight, c.ready, c.retrying, c.inFlight) >= 0;
    // Checked at every step: `expect` only runs to name what broke (it costs microseconds).
    if (holds) return;
    expect(q.copies).toBe(ended + q.waiting + q.inFlight);
    expect(c.ready + c.retrying).toBe(q.waiting);
    expect(c.inFlight).toBe(q.inFlight);
    for (const n of [q.waiting, q.inFlight, c.ready, c.retrying, c.inFlight])
      expect(n).toBeGreaterThanOrEqual(0);
  });
}

export function parse(input: unknown) {
  const r = parseScenario(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** A learner action at a random moment: an offset reset (which stops and restarts the group around it), a redrive, a scale, a late subscription. */
export const arbAction = fc.record({
  at: fc.integer({ min: 0, max: 3500 }),
  consumer: fc.nat(),
  kind: fc.constantFrom('reset', 'reset', 'redrive', 'scale', 'subscribe'),
  to: fc.constantFrom('earliest', 'latest', 'offset', 'time'),
  offset: fc.integer({ min: 0, max: 60 }),
  back: fc.integer({ min: 0, max: 3000 }),
  stoppedFor: fc.integer({ min: 0, max: 800 }),
  replicas: fc.integer({ min: 1, max: 3 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  from: fc.constantFrom('earliest' as const, 'latest' as const),
});
export type Step = { at: number; body: InterventionBody };

export function plan(a: ActionDraw, consumers: string[]): Step[] {
  const service = consumers[a.consumer % Math.max(1, consumers.length)];
  if (a.kind === 'redrive') return [{ at: a.at, body: { kind: 'redrive' } }];
  if (!service) return [];
  if (a.kind === 'scale')
    return [
      {
        at: a.at,
        body: { kind: 'scale', service, replicas: a.replicas, concurrency: a.concurrency },
      },
    ];
  if (a.kind === 'subscribe')
    return [{ at: a.at, body: { kind: 'subscribe', service, from: a.from } }];
  const target =
    a.to === 'earliest'
      ? { to: 'earliest' as const }
      : a.to === 'latest'
        ? { to: 'offset' as const, offset: 1_000_000 }
        : a.to === 'offset'
          ? { to: 'offset' as const, offset: a.offset }
          : { to: 'time' as const, at: Math.max(0, a.at - a.back) };
  // Kafka resets only a group with no members: stop it, reset, start it again later.
  return [
    { at: a.at, body: { kind: 'fault', service, patch: { down: true } } },
    { at: a.at, body: { kind: 'reset-offsets', service, target } },
    { at: a.at + a.stoppedFor, body: { kind: 'fault', service, patch: { down: false } } },
  ];
}
type ActionDraw = typeof arbAction extends fc.Arbitrary<infer T> ? T : never;
