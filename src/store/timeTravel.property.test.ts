/**
 * Time travel through the learner's controls is exact: for random built-in scenarios,
 * random actions and random moments t1 < t2, playing to t2 and then going back to t1 on
 * the timeline shows what a fresh run to t1 shows (same trace hash, same report), on
 * every visible side. Forking there gives what a fresh run with the new history gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInScenarios } from '../content/scenarios';
import type { Simulation } from '../core';
import {
  createPlaygroundStore,
  createSideSim,
  type PlaygroundState,
  type Side,
} from './playground';
import { timeTravelOf } from './timeTravel';

type Action =
  | { kind: 'outage'; service: number }
  | { kind: 'rate'; rate: number }
  | { kind: 'spike' }
  | { kind: 'order' }
  | { kind: 'scale'; service: number; replicas: number; concurrency: number }
  | { kind: 'slow'; service: number; factor: number };

const arbAction: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('outage' as const), service: fc.nat(5) }),
  fc.record({ kind: fc.constant('rate' as const), rate: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ kind: fc.constant('spike' as const) }),
  fc.record({ kind: fc.constant('order' as const) }),
  fc.record({
    kind: fc.constant('scale' as const),
    service: fc.nat(5),
    replicas: fc.integer({ min: 1, max: 3 }),
    concurrency: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({
    kind: fc.constant('slow' as const),
    service: fc.nat(5),
    factor: fc.integer({ min: 1, max: 6 }),
  }),
);

/** What a learner does with the controls (the same store actions the views call). */
function act(s: PlaygroundState, a: Action): void {
  const services = s.scenario.services;
  const id = (i: number) => services[i % services.length]?.id as string;
  switch (a.kind) {
    case 'outage':
      s.toggleOutage(id(a.service));
      return;
    case 'rate':
      s.setRate(a.rate);
      return;
    case 'spike':
      s.spike();
      return;
    case 'order':
      s.sendOrder();
      return;
    case 'scale':
      s.scale(id(a.service), a.replicas, a.concurrency);
      return;
    case 'slow':
      s.setFault(id(a.service), { slowFactor: a.factor });
      return;
  }
}

function sidesOf(s: PlaygroundState): Array<[Side, Simulation]> {
  return (['chain', 'event'] as const)
    .filter((side) => s.sims[side])
    .map((side) => [side, s.sims[side] as Simulation]);
}

/** A fresh run of one side to `t`, with the interventions up to `t`. */
function fresh(s: PlaygroundState, side: Side, sim: Simulation, t: number): Simulation {
  const run = createSideSim(
    s.scenario,
    s.seed,
    side,
    sim.interventions.filter((i) => i.at <= t),
  );
  run.runUntil(t);
  return run;
}

const HORIZON = 12_000;

const arbCase = fc.record({
  scenario: fc.constantFrom(...builtInScenarios.map((s) => s.id)),
  mode: fc.constantFrom('chain' as const, 'event' as const, 'compare' as const),
  actions: fc.array(fc.tuple(fc.integer({ min: 0, max: HORIZON }), arbAction), { maxLength: 5 }),
  t1: fc.integer({ min: 0, max: HORIZON }),
  t2: fc.integer({ min: 0, max: HORIZON }),
  fork: arbAction,
});

describe('time travel through the store', { timeout: 240_000 }, () => {
  it('t2 then back to t1 equals a fresh run to t1 (trace hash and report); a fork equals a fresh run of the new history', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const [t1, t2] = c.t1 <= c.t2 ? [c.t1, c.t2] : [c.t2, c.t1];
        const store = createPlaygroundStore({
          scenarioId: c.scenario,
          mode: c.mode,
          playing: false,
        });
        const time = timeTravelOf(store).store;
        for (const [at, action] of [...c.actions].sort((a, b) => a[0] - b[0])) {
          store.getState().advanceTo(at);
          act(store.getState(), action);
        }
        // At the head of the run nothing asked: every action went through.
        expect(time.getState().pendingFork).toBeNull();
        const end = Math.max(t2, store.getState().now);
        store.getState().advanceTo(end);
        const atEnd = sidesOf(store.getState()).map(([, sim]) => sim.traceHash);

        time.getState().seek(t1);
        expect(store.getState().now).toBe(t1);
        for (const [side, sim] of sidesOf(store.getState())) {
          const ref = fresh(store.getState(), side, sim, t1);
          expect(sim.now).toBe(t1);
          expect(sim.traceHash).toBe(ref.traceHash);
          expect(sim.report()).toEqual(ref.report());
        }

        // Forward again on the timeline: the same future as before.
        time.getState().seek(end);
        expect(sidesOf(store.getState()).map(([, sim]) => sim.traceHash)).toEqual(atEnd);

        // Back to t1 and change something: the new future is the new history, run fresh.
        time.getState().seek(t1);
        act(store.getState(), c.fork);
        if (t1 < end) {
          expect(time.getState().pendingFork?.at).toBe(t1);
          time.getState().confirmFork('discard');
        }
        expect(time.getState().head).toBe(t1);
        store.getState().advanceTo(t1 + 2000);
        for (const [side, sim] of sidesOf(store.getState())) {
          expect(sim.interventions.every((i) => i.at <= t1)).toBe(true);
          const ref = fresh(store.getState(), side, sim, t1 + 2000);
          expect(sim.traceHash).toBe(ref.traceHash);
        }
      }),
      { numRuns: 120 },
    );
  });
});
