/**
 * DESIGN.md §6 invariants over random scenarios (fast-check, 200 runs per property), part 1 of
 * 3: what a run records: determinism, one copy per subscription, conservation at every step,
 * no phantoms, max-length, and the chain's retries, answers and availability. The properties are split
 * in three files so vitest's two workers share them evenly; the helpers live in
 * invariantChecks.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbScenario } from './arbitraries';
import { brokerRun, drained, expectConserved, parse, RUNS } from './invariantChecks';
import { Simulation } from './simulation';
import { Rec } from './trace';

describe('invariants over random scenarios', { timeout: 120_000 }, () => {
  it('1. the same scenario and seed give the same trace hash, and time never goes backwards', () => {
    fc.assert(
      fc.property(
        arbScenario(),
        fc.constantFrom('chain' as const, 'event' as const, 'orchestration' as const),
        (s, architecture) => {
          const a = new Simulation(s, { architecture, keepTrace: true });
          const b = new Simulation(s, { architecture });
          a.runUntil(s.duration_ms * 2);
          // Run b in uneven slices: the hash must not depend on how time is advanced.
          for (let t = 0; t <= s.duration_ms * 2; t += 137) b.runUntil(t);
          b.runUntil(s.duration_ms * 2);
          expect(b.traceHash).toBe(a.traceHash);
          const times = a.fullTrace.map((r) => r.t);
          const back = times.findIndex((t, i) => i > 0 && t < (times[i - 1] as number));
          if (back > 0) expect(times[back]).toBeGreaterThanOrEqual(times[back - 1] as number);
        },
      ),
      RUNS,
    );
  });

  it('2. a publish creates exactly one copy per matching subscription', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: brokerRun(s), keepTrace: true });
        sim.runUntil(s.duration_ms * 2);
        // Every subscription bound to the event gets one copy, unless its full queue
        // refused it (reject-publish) or a FIFO topic dropped the event as a repeat.
        const copies = new Map<number, number[]>();
        const refused = new Map<number, number[]>();
        const deduplicated = new Set<number>();
        for (const r of sim.fullTrace) {
          if (r.kind === Rec.Enqueued) copies.set(r.msg, [...(copies.get(r.msg) ?? []), r.to]);
          if (r.kind === Rec.PublishRejected)
            refused.set(r.msg, [...(refused.get(r.msg) ?? []), r.to]);
          if (r.kind === Rec.Deduplicated) deduplicated.add(r.msg);
        }
        for (const r of sim.fullTrace) {
          if (r.kind !== Rec.Routed) continue;
          const bound = (sim.model.routes[r.code] ?? []).map(
            (q) => sim.model.queues[q]?.node as number,
          );
          const got = [...(copies.get(r.msg) ?? []), ...(refused.get(r.msg) ?? [])].sort();
          // No filter policies or late joiners here: every bound queue is a target, once.
          const want = [...bound].sort();
          if (got.length === r.value && got.join() === want.join()) continue;
          expect(got.length).toBe(r.value);
          expect(got).toEqual(want);
        }
        const reached = new Set<number>();
        for (const x of sim.fullTrace)
          if (x.kind === Rec.Routed || x.kind === Rec.Unroutable) reached.add(x.msg);
        // The longest a publish can take to reach the broker and be stored (confirm_ms, and
        // a slow broker multiplying the confirm's whole round trip).
        const confirm = s.broker.confirm_ms ?? 0;
        const factor = Math.max(
          1,
          ...s.faults.map((f) => (f.service === 'broker' ? (f.factor ?? 1) : 1)),
        );
        const storing = s.network_ms + Math.ceil(factor * (2 * s.network_ms + confirm));
        for (const r of sim.fullTrace) {
          if (r.kind !== Rec.Published || deduplicated.has(r.msg)) continue;
          // Every publish that reached the broker was routed or counted as unroutable. A
          // publish needing a leader being elected waits for the election's end first.
          // (An election starting while it waits can keep it waiting longer.)
          let elected = r.t;
          for (const f of [...s.faults].sort((a, b) => a.at_ms - b.at_ms))
            if (f.mode === 'leader-change' && f.at_ms <= elected + s.network_ms)
              elected = Math.max(elected, f.at_ms + (f.duration_ms ?? 0));
          const inTransit = elected + storing > sim.now;
          if (!reached.has(r.msg) && !inTransit) expect({ unrouted: r }).toBeUndefined();
        }
      }),
      RUNS,
    );
  });

  it('3. conservation at every step, per subscription: copies = processed + ignored + waiting + in flight + dead-lettered + expired + dropped', () => {
    fc.assert(
      fc.property(arbScenario({ openEndedFaults: true }), (s) => {
        const sim = new Simulation(s, { architecture: brokerRun(s) });
        let steps = 0;
        while (sim.step() && steps++ < 5000) {
          expectConserved(sim);
        }
      }),
      RUNS,
    );
  });

  it('4. no phantoms: everything enqueued or delivered was published', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: brokerRun(s), keepTrace: true });
        sim.runUntil(s.duration_ms * 2);
        const published = new Set<number>();
        const enqueued = new Set<string>();
        for (const r of sim.fullTrace) {
          if (r.kind === Rec.Published) published.add(r.msg);
          if (r.kind === Rec.Enqueued) {
            if (!published.has(r.msg)) expect({ enqueuedUnpublished: r }).toBeUndefined();
            enqueued.add(`${r.msg}@${r.to}`);
          }
          if (r.kind === Rec.Delivered && !enqueued.has(`${r.msg}@${r.from}`))
            expect({ deliveredNeverEnqueued: r }).toBeUndefined();
        }
      }),
      RUNS,
    );
  });

  it('9. a queue never holds more than its max-length, at any recorded moment', () => {
    fc.assert(
      fc.property(
        arbScenario({ brokers: ['queue'], openEndedFaults: true }).filter(
          (s) => s.broker.kind === 'queue' && (s.broker.max_length ?? 0) > 0,
        ),
        (s) => {
          const sim = new Simulation(s, { architecture: brokerRun(s) });
          // A quorum queue with reject-publish takes one past its limit before it refuses.
          const b = s.broker;
          const max =
            b.kind === 'queue'
              ? (b.max_length ?? 0) +
                (b.overflow === 'reject-publish' && b.queue_type === 'quorum' ? 1 : 0)
              : 0;
          let steps = 0;
          while (sim.step() && steps++ < 5000) {
            sim.model.queues.forEach((_, i) => {
              const ready = sim.queueContents(i).ready;
              // The metric keeps the most ever waiting: every record it saw included.
              const most = sim.queue(i).maxDepth;
              if (ready > max || most > max)
                expect({ ready, most }).toEqual({ ready: max, most: max });
            });
          }
        },
      ),
      RUNS,
    );
  });

  it('10a. chain: calls at depth d per order never exceed (1 + retries)^d', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: 'chain', keepTrace: true });
        drained(sim);
        // Services called in parallel share a depth: each gets at most the calls above it.
        const depthOf = new Map(
          sim.model.services.filter((x) => x.hop >= 0).map((x) => [x.node, x.hop + 1]),
        );
        const calls = new Map<string, number>();
        for (const r of sim.fullTrace) {
          if (r.kind !== Rec.RequestSent) continue;
          const k = `${r.corr}:${r.to}`;
          calls.set(k, (calls.get(k) ?? 0) + 1);
        }
        for (const [k, n] of calls) {
          const node = Number(k.split(':')[1]);
          expect(n).toBeLessThanOrEqual((1 + s.sync.retries) ** (depthOf.get(node) as number));
        }
      }),
      RUNS,
    );
  });

  it('10c. chain: every order gets exactly one answer, and no answer comes later than a deadline allows (circuit breakers and deadlines drawn at random)', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: 'chain', keepTrace: true });
        drained(sim);
        const answers = new Map<number, number>();
        let received = 0;
        for (const r of sim.fullTrace) {
          if (r.kind === Rec.OrderReceived) received++;
          if (r.kind !== Rec.OrderSucceeded && r.kind !== Rec.OrderFailed) continue;
          answers.set(r.corr, (answers.get(r.corr) ?? 0) + 1);
          // The user retries too: each attempt waits at most timeout_ms, all of them at
          // most the deadline.
          const limit = Math.min(
            (1 + s.sync.retries) * s.sync.timeout_ms,
            s.sync.deadline_ms ?? Number.POSITIVE_INFINITY,
          );
          if (r.value > limit) expect({ answeredAfter: r.value }).toEqual({ answeredAfter: limit });
        }
        expect(answers.size).toBe(received);
        for (const [corr, n] of answers) if (n !== 1) expect([corr, n]).toEqual([corr, 1]);
        expect(sim.report().requests.pending).toBe(0);
      }),
      RUNS,
    );
  });

  it('10b. chain: measured availability matches the product of the hops’ availabilities', () => {
    const arb = fc.record({
      seed: fc.integer({ min: 0, max: 0xffff_ffff }),
      rates: fc.array(fc.double({ min: 0, max: 0.3, noNaN: true }), { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(arb, ({ seed, rates }) => {
        const services = rates.map((_, i) => ({
          id: `s${i}`,
          name: `S${i}`,
          latency_ms: 2,
          concurrency: 64,
          ...(i === 0 ? { emits: ['OrderCreated'] } : { subscribes: ['OrderCreated'] }),
        }));
        const input = {
          version: 1 as const,
          id: 'availability',
          name: 'Availability',
          seed,
          duration_ms: 60_000,
          entry: 's0',
          services,
          workload: { rate_per_s: 25 },
          faults: rates.map((error_rate, i) => ({
            service: `s${i}`,
            at_ms: 0,
            mode: 'flaky' as const,
            error_rate,
          })),
        };
        const sim = new Simulation(parse(input), { architecture: 'chain' });
        sim.runUntil(70_000);
        const r = sim.report();
        const p = rates.reduce((acc, e) => acc * (1 - e), 1);
        const n = r.requests.sent;
        const sigma = Math.sqrt((p * (1 - p)) / n);
        // 4.5 sigma: a false alarm about once in 150,000 runs. The normal approximation is
        // poor when failures are very rare, so a few failures more are also accepted.
        expect(Math.abs(r.requests.succeeded / n - p)).toBeLessThanOrEqual(4.5 * sigma + 3 / n);
      }),
      RUNS,
    );
  });
});
