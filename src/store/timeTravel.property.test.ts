/**
 * Time travel through the learner's controls is exact: for random built-in scenarios,
 * random actions and random moments t1 < t2, playing to t2 and then going back to t1 on
 * the timeline shows what a fresh run to t1 shows (same trace hash, same report), on
 * every visible side. Forking there gives what a fresh run with the new history gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInScenarios } from '../content/scenarios';
import { type InterventionBody, Simulation } from '../core';
import type { SideMirror } from '../run/mirror';
import type { Side } from '../run/modes';
import { toggleOutage } from './actions';
import { type Playground, SPIKE_MIN_RATE, SPIKE_MS } from './playground';
import { createHeadlessPlayground } from './headless';

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

/** What a learner does with the controls (the same doors the views use). */
async function act(pg: Playground, a: Action): Promise<void> {
  const services = pg.getState().scenario.services;
  const id = (i: number) => services[i % services.length]?.id as string;
  let body: InterventionBody;
  switch (a.kind) {
    case 'outage':
      await toggleOutage(pg, id(a.service));
      return;
    case 'rate':
      body = { kind: 'rate', rate: a.rate };
      break;
    case 'spike':
      body = {
        kind: 'spike',
        rate: Math.max(SPIKE_MIN_RATE, 8 * pg.getState().rate),
        durationMs: SPIKE_MS,
      };
      break;
    case 'order':
      body = { kind: 'order' };
      break;
    case 'scale':
      body = {
        kind: 'scale',
        service: id(a.service),
        replicas: a.replicas,
        concurrency: a.concurrency,
      };
      break;
    case 'slow':
      body = { kind: 'fault', service: id(a.service), patch: { slowFactor: a.factor } };
      break;
  }
  await pg.apply(body);
}

function visible(pg: Playground): Array<[Side, SideMirror]> {
  const runs = pg.getState().runs;
  return (['chain', 'event'] as const)
    .filter((side) => runs[side])
    .map((side) => [side, runs[side] as SideMirror]);
}

/** A fresh run of one side to `t`, with the actions up to `t`. */
function fresh(pg: Playground, side: Side, run: SideMirror, t: number): Simulation {
  const s = pg.getState();
  const sim = new Simulation(s.scenario, {
    architecture: side,
    seed: s.seed,
    openEnded: true,
    interventions: run.interventions.filter((i) => i.at <= t),
  });
  sim.runUntil(t);
  return sim;
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

describe('time travel through the playground', { timeout: 240_000 }, () => {
  it('t2 then back to t1 equals a fresh run to t1 (trace hash and report); a fork equals a fresh run of the new history', async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async (c) => {
        const [t1, t2] = c.t1 <= c.t2 ? [c.t1, c.t2] : [c.t2, c.t1];
        const pg = createHeadlessPlayground({
          scenarioId: c.scenario,
          mode: c.mode,
          playing: false,
        });
        for (const [at, action] of [...c.actions].sort((a, b) => a[0] - b[0])) {
          await pg.playback.advanceTo(at);
          await act(pg, action);
        }
        // At the head of the run nothing asked: every action went through.
        expect(pg.getState().pendingFork).toBeNull();
        const end = Math.max(t2, pg.getState().now);
        await pg.playback.advanceTo(end);
        const atEnd = visible(pg).map(([, run]) => run.traceHash);

        await pg.timeTravel.seek(t1);
        expect(pg.getState().now).toBe(t1);
        for (const [side, run] of visible(pg)) {
          const ref = fresh(pg, side, run, t1);
          expect(run.now).toBe(t1);
          expect(run.traceHash).toBe(ref.traceHash);
          expect(run.report()).toEqual(ref.report());
        }

        // Forward again on the timeline: the same future as before.
        await pg.timeTravel.seek(end);
        expect(visible(pg).map(([, run]) => run.traceHash)).toEqual(atEnd);

        // Back to t1 and change something: the new future is the new history, run fresh.
        await pg.timeTravel.seek(t1);
        await act(pg, c.fork);
        if (t1 < end && pg.getState().pendingFork) {
          expect(pg.getState().pendingFork?.at).toBe(t1);
          await pg.timeTravel.confirmFork('discard');
          expect(pg.getState().head).toBe(t1);
        }
        await pg.playback.advanceTo(t1 + 2000);
        for (const [side, run] of visible(pg)) {
          const ref = fresh(pg, side, run, t1 + 2000);
          expect(run.traceHash).toBe(ref.traceHash);
        }
      }),
      { numRuns: 80 },
    );
  });
});
