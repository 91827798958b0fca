/** seek(t): any earlier moment is exactly what a fresh run to that moment gives. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbScenario } from './arbitraries';
import { type Intervention, Simulation } from './simulation';
import { makeScenario } from './testkit';

const arbInterventions = (services: string[], horizon: number) =>
  fc.array(
    fc.oneof(
      fc.record({
        at: fc.integer({ min: 0, max: horizon }),
        kind: fc.constant('fault' as const),
        service: fc.constantFrom(...services),
        patch: fc.record({ down: fc.boolean() }),
      }),
      fc.record({
        at: fc.integer({ min: 0, max: horizon }),
        kind: fc.constant('fault' as const),
        service: fc.constantFrom(...services),
        patch: fc.record({
          slowFactor: fc.integer({ min: 1, max: 5 }),
          errorRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
        }),
      }),
      fc.record({
        at: fc.integer({ min: 0, max: horizon }),
        kind: fc.constant('scale' as const),
        service: fc.constantFrom(...services),
        replicas: fc.integer({ min: 1, max: 3 }),
        concurrency: fc.integer({ min: 1, max: 4 }),
      }),
      fc.record({
        at: fc.integer({ min: 0, max: horizon }),
        kind: fc.constant('rate' as const),
        rate: fc.double({ min: 0, max: 40, noNaN: true }),
      }),
      fc.record({
        at: fc.integer({ min: 0, max: horizon }),
        kind: fc.constant('spike' as const),
        rate: fc.double({ min: 0, max: 80, noNaN: true }),
        durationMs: fc.integer({ min: 1, max: 1000 }),
      }),
      fc.record({ at: fc.integer({ min: 0, max: horizon }), kind: fc.constant('order' as const) }),
    ),
    { maxLength: 6 },
  );

/** Make the interventions live, as a learner would: run to each moment, then act. */
function playLive(sim: Simulation, interventions: Intervention[]): void {
  for (const i of [...interventions].sort((a, b) => a.at - b.at)) {
    sim.runUntil(i.at);
    const { at: _at, ...body } = i;
    sim.intervene(body);
  }
}

describe('seek', { timeout: 120_000 }, () => {
  it('going back to t gives the same trace hash and state as a fresh run to t, for random runs and interventions', () => {
    const arb = arbScenario().chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.constantFrom('chain' as const, 'event' as const, 'orchestration' as const),
        arbInterventions(
          s.services.map((x) => x.id),
          s.duration_ms,
        ),
        fc.integer({ min: 0, max: s.duration_ms * 2 }),
        fc.integer({ min: 0, max: s.duration_ms * 2 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([s, architecture, interventions, a, b]) => {
        const [t1, t2] = a < b ? [a, b] : [b, a];
        // Small rings keep the deep state comparison quick; the logic is the same at any size.
        const small = { traceCapacity: 256, seriesCapacity: 64 };
        const live = new Simulation(s, {
          architecture,
          checkpointEveryMs: 200,
          checkpointMinEvents: 0,
          ...small,
        });
        playLive(live, interventions);
        live.runUntil(Math.max(t2, live.now));
        live.seek(t1);
        const fresh = new Simulation(s, {
          architecture,
          interventions: live.interventions.filter((i) => i.at <= t1),
          ...small,
        });
        fresh.runUntil(t1);
        expect(live.now).toBe(t1);
        expect(live.traceHash).toBe(fresh.traceHash);
        expect(live.snapshotState()).toEqual(fresh.snapshotState());
        // And forward again to where it was: the same future as before.
        const again = new Simulation(s, { architecture, interventions: live.interventions });
        again.runUntil(Math.max(t2, live.interventions.at(-1)?.at ?? 0));
        // seek forward may start from a checkpoint left ahead by the jump back.
        live.seek(Math.max(t2, live.interventions.at(-1)?.at ?? 0));
        expect(live.traceHash).toBe(again.traceHash);
      }),
      { numRuns: 200 },
    );
  });

  it('forks the future when the learner acts after going back', () => {
    const s = makeScenario({ duration_ms: 20_000 });
    const sim = new Simulation(s, { architecture: 'chain' });
    sim.runUntil(5000);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
    sim.runUntil(15_000);
    const failedWithOutage = sim.report().requests.failed;
    expect(failedWithOutage).toBeGreaterThan(50);
    sim.seek(4000);
    expect(sim.report().requests.failed).toBe(0);
    // A different choice at 4 s: no outage, a spike instead.
    sim.intervene({ kind: 'spike', rate: 30, durationMs: 1000 });
    expect(sim.interventions.map((i) => i.kind)).toEqual(['spike']);
    sim.runUntil(15_000);
    expect(sim.report().requests.failed).toBeLessThan(failedWithOutage);
  });

  it('acting after going back, with nothing ahead of the clock, still forks: a later seek shows the new future, never the old one', () => {
    const s = makeScenario({ duration_ms: 60_000 });
    // Checkpoints every 2 s, whatever the load: the old future leaves some behind.
    const sim = new Simulation(s, { architecture: 'event', checkpointMinEvents: 1 });
    sim.runUntil(40_000);
    sim.seek(5000);
    const epoch = sim.epoch;
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
    // Readers that built on the old future (markers, caches) are told to start again.
    expect(sim.epoch).not.toBe(epoch);
    sim.runUntil(40_000);
    sim.seek(30_000);
    const fresh = new Simulation(s, { architecture: 'event' });
    fresh.runUntil(5000);
    fresh.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
    fresh.runUntil(30_000);
    expect(sim.queue(1).waiting).toBe(fresh.queue(1).waiting);
    expect(sim.traceHash).toBe(fresh.traceHash);
  });

  it('steps one event at a time, and time only moves forward', () => {
    const sim = new Simulation(makeScenario(), { architecture: 'event' });
    let last = 0;
    for (let i = 0; i < 500; i++) {
      const next = sim.nextEventAt();
      expect(sim.step()).toBe(true);
      expect(sim.now).toBe(next);
      expect(sim.now).toBeGreaterThanOrEqual(last);
      last = sim.now;
    }
    expect(sim.eventsProcessed).toBe(500);
  });
});

describe('following one order', () => {
  it('re-creates exactly the records of one order, long after they left the ring', () => {
    const s = makeScenario({
      duration_ms: 30_000,
      faults: [
        { service: 'email', at_ms: 2000, duration_ms: 3000, mode: 'flaky', error_rate: 0.5 },
      ],
    });
    const sim = new Simulation(s, { architecture: 'event', keepTrace: true, traceCapacity: 256 });
    sim.runUntil(30_000);
    for (const corr of [1, 25, 40, 150]) {
      const expected = sim.fullTrace.filter((r) => r.corr === corr);
      expect(expected.length).toBeGreaterThan(5);
      expect(sim.orderRecords(corr)).toEqual(expected);
    }
    expect(sim.allRecords()).toEqual(sim.fullTrace);
    expect(sim.orderRecords(10_000)).toEqual([]);
  });
});
