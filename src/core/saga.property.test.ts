/**
 * Issue 12's rule for sagas, over random runs: under at-least-once delivery a failure
 * event can come twice (a step that crashes after publishing it and before its ack is
 * handed the order again, declines it again and publishes again, with a new id), yet a
 * compensator deduplicating by business key, saved in the same transaction as its effect,
 * compensates each failed order once: never twice, and (once the run has drained) exactly
 * once unless the failure event itself ended unprocessed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import { drained, parse, RUNS } from './invariantChecks';
import type { Scenario, ScenarioInput } from './scenario';
import { Simulation } from './simulation';
import { Effect, Rec } from './trace';

const saga = findScenario('payment-declined-saga') as Scenario;

const arbSaga = fc
  .record({
    seed: fc.nat({ max: 0xffff_ffff }),
    broker: fc.constantFrom(
      { kind: 'queue' as const },
      { kind: 'queue' as const, on_failure: 'requeue' as const },
      { kind: 'log' as const, partitions: 2 },
      { kind: 'sns-sqs' as const },
    ),
    declineRate: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
    paymentCrash: fc.double({ min: 0, max: 0.6, noNaN: true }),
    sagaCrash: fc.double({ min: 0, max: 0.3, noNaN: true }),
    rate: fc.integer({ min: 2, max: 30 }),
    durationMs: fc.integer({ min: 1_000, max: 8_000 }),
    maxAttempts: fc.integer({ min: 1, max: 6 }),
    sagaWorkers: fc.integer({ min: 1, max: 4 }),
  })
  .map((r) => {
    const input = structuredClone(saga) as ScenarioInput;
    input.seed = r.seed;
    input.duration_ms = r.durationMs;
    input.broker = r.broker;
    input.workload = { rate_per_s: r.rate };
    input.delivery = { ...input.delivery, max_attempts: r.maxAttempts };
    for (const svc of input.services) {
      if (svc.id === 'payment') (svc as { decline_rate?: number }).decline_rate = r.declineRate;
      if (svc.id === 'order-saga') svc.concurrency = r.sagaWorkers;
    }
    input.faults = [
      { service: 'payment', at_ms: 0, mode: 'crash-before-ack', error_rate: r.paymentCrash },
      { service: 'order-saga', at_ms: 0, mode: 'crash-before-ack', error_rate: r.sagaCrash },
    ];
    return parse(input);
  });

describe('a compensation happens once per failed order', { timeout: 120_000 }, () => {
  it('14. with business-key idempotency saved with the effect, no order is compensated twice, and every failed order is compensated unless its failure event ended unprocessed', () => {
    fc.assert(
      fc.property(arbSaga, (s) => {
        const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
        drained(sim);
        const node = (id: string) =>
          sim.model.nodes.findIndex((n) => n.kind === 'service' && n.id === id);
        const payment = node('payment');
        const orderSaga = node('order-saga');
        const cancelled = sim.model.eventTypes.indexOf('OrderCancelled');
        const failed = new Set<number>();
        const compensations = new Map<number, number>();
        const announcements = new Map<number, number>();
        /** Orders whose failure event reached the saga's queue and ended there unprocessed. */
        const unprocessed = new Set<number>();
        const sagaQueue = sim.model.queues.find((q) => q.id === 'order-saga')?.node;
        for (const r of sim.fullTrace) {
          if (r.kind === Rec.Compensating && r.from === payment) failed.add(r.corr);
          if (r.kind === Rec.Processed && r.from === orderSaga && r.code === Effect.First)
            compensations.set(r.corr, (compensations.get(r.corr) ?? 0) + 1);
          if (r.kind === Rec.Published && r.from === orderSaga && r.code === cancelled)
            announcements.set(r.corr, (announcements.get(r.corr) ?? 0) + 1);
          if (
            (r.kind === Rec.DeadLettered || r.kind === Rec.Dropped || r.kind === Rec.Expired) &&
            (r.from === sagaQueue || r.to === sagaQueue)
          )
            unprocessed.add(r.corr);
        }
        for (const [corr, n] of compensations)
          if (n > 1) expect.fail(`order ${corr} was compensated ${n} times`);
        for (const [corr, n] of announcements)
          if (n > 1) expect.fail(`order ${corr}'s cancellation was published ${n} times`);
        for (const corr of failed)
          if (!compensations.has(corr) && !unprocessed.has(corr))
            expect.fail(`order ${corr} failed and was never compensated`);
        // Only failed orders are compensated.
        for (const corr of compensations.keys())
          if (!failed.has(corr)) expect.fail(`order ${corr} was compensated without failing`);
        expect(sim.report().orders.cancelled).toBe(compensations.size);
      }),
      { numRuns: Math.round(RUNS.numRuns / 4) },
    );
  });
});
