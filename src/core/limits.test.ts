/**
 * A run that grows without bound is stopped by the engine itself, with one line that
 * says why, instead of freezing whatever drives it: events, events at one moment (time
 * stops advancing) and what it holds at once (memory).
 */
import { describe, expect, it } from 'vitest';
import { RunLimitError } from './limits';
import { liveItems, Simulation } from './simulation';
import { makeScenario } from './testkit';
import type { Scenario } from './scenario';

describe('run limits', { timeout: 30_000 }, () => {
  it('stops after the event limit, within a few thousand events of it', () => {
    const sim = new Simulation(makeScenario({ architecture: 'event' }), {
      openEnded: true,
      limits: { maxEvents: 20_000 },
    });
    let error: unknown;
    try {
      sim.runUntil(10 * 60_000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunLimitError);
    const limit = error as RunLimitError;
    expect(limit.kind).toBe('events');
    expect(limit.events).toBeGreaterThan(20_000);
    expect(limit.events).toBeLessThan(20_000 + 5000);
    expect(limit.message).toMatch(
      /^stopped at t = \d+\.\d{3} s after [\d,]+ events \(the limit is 20,000\)$/,
    );
  });

  it('stops a loop with no delay (validation refuses it; this is what happens if it slips past)', () => {
    // A subscriber re-emitting what it receives, with no latency and no network time:
    // every event makes another at the same millisecond, forever.
    const valid = makeScenario({
      architecture: 'event',
      network_ms: 1,
      workload: { rate_per_s: 1 },
      services: [
        { id: 'orders', name: 'Order Service', latency_ms: 1, emits: ['OrderCreated'] },
        { id: 'echo', name: 'Echo', latency_ms: 1, subscribes: ['Echoed'], emits: ['Echoed'] },
        {
          id: 'start',
          name: 'Start',
          latency_ms: 1,
          subscribes: ['OrderCreated'],
          emits: ['Echoed'],
        },
      ],
      chain: ['orders'],
    });
    const hostile: Scenario = {
      ...valid,
      network_ms: 0,
      services: valid.services.map((s) => (s.id === 'echo' ? { ...s, latency_ms: 0 } : s)),
    };
    const sim = new Simulation(hostile, { limits: { maxEventsPerMoment: 50_000 } });
    expect(() => sim.runUntil(5000)).toThrowError(
      /events at this one millisecond, so simulated time cannot advance/,
    );
  });

  it('stops a run whose queues grow past what it may hold', () => {
    // 2,000 orders a second into consumers that can take a few hundred.
    const s = makeScenario({
      architecture: 'event',
      workload: { rate_per_s: 2000 },
      duration_ms: 60 * 60_000,
    });
    const sim = new Simulation(s, { limits: { maxLive: 50_000 } });
    let error: RunLimitError | undefined;
    try {
      sim.runUntil(60 * 60_000);
    } catch (e) {
      error = e as RunLimitError;
    }
    expect(error?.kind).toBe('memory');
    expect(error?.live).toBeGreaterThan(50_000);
    expect(error?.live).toBeLessThan(80_000);
    expect(error?.message).toMatch(
      /holds [\d,]+ messages and timers at once \(the limit is 50,000\)/,
    );
  });

  it('checkpoints copy a bounded number of live items, however big the run grows', () => {
    const s = makeScenario({
      architecture: 'event',
      workload: { rate_per_s: 300 },
      duration_ms: 10 * 60_000,
    });
    const sim = new Simulation(s, { maxCheckpointWeight: 60_000, checkpointMinEvents: 0 });
    sim.runUntil(2 * 60_000);
    expect(liveItems(sim.snapshotState() as never)).toBeGreaterThan(10_000);
    const weights = (sim as unknown as { checkpoints: { weight: number }[] }).checkpoints.map(
      (c) => c.weight,
    );
    expect(weights.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60_000);
    // And going back is still exact.
    const hash = sim.traceHash;
    sim.runUntil(30_000);
    sim.runUntil(2 * 60_000);
    expect(sim.traceHash).toBe(hash);
  });

  it('a host may stop early only at the end of a millisecond, so a replay reaches the same state', () => {
    const s = makeScenario({ architecture: 'event', workload: { rate_per_s: 300 } });
    const sim = new Simulation(s);
    let asks = 0;
    const reached = sim.runUntil(8000, { shouldYield: () => ++asks > 2 });
    expect(reached).toBeLessThan(8000);
    expect(sim.now).toBe(reached);
    // Acting there and going on gives exactly what a fresh run with that action gives.
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
    sim.runUntil(9000);
    const fresh = new Simulation(s, {
      interventions: [{ at: reached, kind: 'fault', service: 'email', patch: { down: true } }],
    });
    fresh.runUntil(9000);
    expect(sim.traceHash).toBe(fresh.traceHash);
  });
});
