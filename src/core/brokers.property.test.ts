/** Flavour-specific invariants (DESIGN.md §6: 8, 9), the topic matcher and log replay. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbScenario } from './arbitraries';
import { bindingMatches, parseScenario } from './scenario';
import { Simulation } from './simulation';
import { Rec } from './trace';

const RUNS = { numRuns: 200 };

/** Reference: a topic pattern as a regular expression over "." + routing key. */
function referenceRegex(pattern: string): RegExp {
  const body = pattern
    .split('.')
    .map((w) =>
      w === '#'
        ? '(?:\\.[^.]+)*'
        : w === '*'
          ? '\\.[^.]+'
          : `\\.${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    )
    .join('');
  return new RegExp(`^${body}$`);
}

describe('broker flavours, over random scenarios', { timeout: 120_000 }, () => {
  it('topic patterns match exactly what the reference regular expression matches', () => {
    const word = fc.constantFrom('order', 'created', 'eu', 'us', 'paid', 'a');
    const key = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join('.'));
    const pattern = fc
      .array(fc.oneof(word, fc.constant('*'), fc.constant('#')), { minLength: 1, maxLength: 5 })
      .map((w) => w.join('.'));
    fc.assert(
      fc.property(pattern, key, (p, k) => {
        expect(bindingMatches(p, k, true)).toBe(referenceRegex(p).test(`.${k}`));
      }),
      { numRuns: 2000 },
    );
    expect(bindingMatches('order.#', 'order', true)).toBe(true);
    expect(bindingMatches('order.*', 'order', true)).toBe(false);
    expect(bindingMatches('#.eu', 'order.created.eu', true)).toBe(true);
  });

  it('8. log: offsets only grow, start <= committed <= end, one consumer reads a partition in order, a key always lands on one partition', () => {
    fc.assert(
      fc.property(arbScenario({ brokers: ['log'] }), (s) => {
        const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
        let steps = 0;
        while (sim.step() && steps++ < 3000) {
          sim.model.queues.forEach((_, qi) => {
            for (const p of sim.partitions(qi)) {
              expect(p.start).toBeLessThanOrEqual(p.committed);
              expect(p.committed).toBeLessThanOrEqual(p.end);
            }
          });
        }
        const typeOf = new Map<number, number>();
        const keyOf = new Map<number, number>();
        const partOf = new Map<number, string>();
        const nextOffset = new Map<string, number>();
        const keyPartition = new Map<string, number>();
        const acked = new Map<string, number>();
        const ordered =
          s.broker.kind === 'log' &&
          s.broker.retry === 'in-place' &&
          s.broker.group_type === 'consumer';
        for (const r of sim.fullTrace) {
          if (r.kind === Rec.OrderReceived) keyOf.set(r.corr, r.value);
          if (r.kind === Rec.Published) typeOf.set(r.msg, r.code);
          if (r.kind === Rec.Appended) {
            const tp = `${typeOf.get(r.msg)}/${r.code}`;
            expect(r.value).toBe(nextOffset.get(tp) ?? 0);
            nextOffset.set(tp, r.value + 1);
            partOf.set(r.msg, tp);
            const kk = `${typeOf.get(r.msg)}/${keyOf.get(r.corr)}`;
            expect(keyPartition.get(kk) ?? r.code).toBe(r.code);
            keyPartition.set(kk, r.code);
          }
          // Order holds for a consumer group retrying in place; a retry topic and a share
          // group give it up on purpose (see brokers.test.ts).
          if (r.kind === Rec.Acked && ordered) {
            const k = `${r.to}:${partOf.get(r.msg)}`;
            expect(r.value).toBeGreaterThan(acked.get(k) ?? -1);
            acked.set(k, r.value);
          }
        }
      }),
      RUNS,
    );
  });

  it('9. queue: unacked per consumer never exceeds prefetch, waiting never exceeds max-length', () => {
    fc.assert(
      fc.property(arbScenario({ brokers: ['queue'], openEndedFaults: true }), (s) => {
        const sim = new Simulation(s, { architecture: 'event' });
        const broker = s.broker.kind === 'queue' ? s.broker : undefined;
        // A quorum queue with reject-publish takes one message past its limit, then refuses.
        const most =
          broker?.max_length === undefined
            ? Number.POSITIVE_INFINITY
            : broker.max_length +
              (broker.overflow === 'reject-publish' && broker.queue_type === 'quorum' ? 1 : 0);
        const prefetch = broker?.prefetch ?? Number.POSITIVE_INFINITY;
        let steps = 0;
        while (sim.step() && steps++ < 3000) {
          sim.model.queues.forEach((info, qi) => {
            const svc = sim.service(info.service);
            const c = sim.queueContents(qi);
            // Checked at every step: `expect` only runs to name what broke.
            if (c.inFlight > svc.replicas * prefetch)
              expect(c.inFlight).toBeLessThanOrEqual(svc.replicas * prefetch);
            if (c.ready > most) expect(c.ready).toBeLessThanOrEqual(most);
          });
        }
      }),
      RUNS,
    );
  });

  it('replay: resetting a stopped group to offset X delivers exactly the records from max(X, log start) to log end, in order', () => {
    const arb = fc.record({
      seed: fc.integer({ min: 0, max: 0xffff_ffff }),
      rate: fc.integer({ min: 1, max: 60 }),
      x: fc.integer({ min: -5, max: 200 }),
      retention: fc.constantFrom(400, 1500, 604_800_000),
      errorRate: fc.constantFrom(0, 0.3),
    });
    fc.assert(
      fc.property(arb, ({ seed, rate, x, retention, errorRate }) => {
        const parsed = parseScenario({
          version: 1,
          id: 'replay',
          name: 'Replay',
          seed,
          duration_ms: 2000,
          entry: 'orders',
          broker: { kind: 'log', partitions: 1, retention_ms: retention },
          services: [
            { id: 'orders', name: 'Orders', latency_ms: 2, emits: ['OrderCreated'] },
            {
              id: 'audit',
              name: 'Audit',
              latency_ms: 3,
              concurrency: 2,
              subscribes: ['OrderCreated'],
            },
          ],
          workload: { rate_per_s: rate },
          faults:
            errorRate > 0
              ? [{ service: 'audit', at_ms: 0, mode: 'flaky', error_rate: errorRate }]
              : [],
          delivery: { max_attempts: 10, base_ms: 1, cap_ms: 5 },
        });
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
        const sim = new Simulation(parsed.scenario, { architecture: 'event', keepTrace: true });
        sim.runUntil(3000);
        sim.intervene({ kind: 'fault', service: 'audit', patch: { down: true } });
        const [before] = sim.partitions(0);
        const resetAt = sim.traceCount;
        expect(
          sim.intervene({
            kind: 'reset-offsets',
            service: 'audit',
            target: { to: 'offset', offset: x },
          }),
        ).toBeNull();
        sim.intervene({ kind: 'fault', service: 'audit', patch: { down: false } });
        sim.runUntil(20_000);
        const offsetOf = new Map<number, number>();
        for (const r of sim.fullTrace) if (r.kind === Rec.Appended) offsetOf.set(r.msg, r.value);
        const read: number[] = [];
        for (const r of sim.fullTrace.slice(resetAt)) {
          if (r.kind !== Rec.Delivered) continue;
          const offset = offsetOf.get(r.msg) as number;
          if (read.at(-1) !== offset) read.push(offset);
        }
        const from = Math.min(Math.max(x, before?.start ?? 0), before?.end ?? 0);
        expect(read).toEqual(Array.from({ length: (before?.end ?? 0) - from }, (_, i) => from + i));
      }),
      RUNS,
    );
  });
});
