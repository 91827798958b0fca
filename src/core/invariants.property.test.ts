/**
 * DESIGN.md §6 invariants, checked over random scenarios with fast-check
 * (200 runs per property in `npm test`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbScenario } from './arbitraries';
import type { InterventionBody } from './interventions';
import { Simulation } from './simulation';
import { Effect, Reason, Rec, type TraceRecord } from './trace';

const RUNS = { numRuns: 200 };
/** Run until nothing is left to happen (arrivals stop at duration_ms, faults here all end). */
function drained(sim: Simulation): void {
  let guard = 0;
  while (sim.step()) expect(guard++).toBeLessThan(1_000_000);
  expect(sim.nextEventAt()).toBeUndefined();
}

/**
 * Conservation per subscription, now: every copy is processed, acked unread, waiting, in
 * flight, dead-lettered, expired or dropped; the metrics (a reducer over the trace) agree
 * with the engine's own queues; and no count is negative.
 */
function expectConserved(sim: Simulation): void {
  sim.model.queues.forEach((_, i) => {
    const q = sim.queue(i);
    expect(q.copies).toBe(
      q.processed + q.ignored + q.waiting + q.inFlight + q.deadLettered + q.expired + q.dropped,
    );
    const c = sim.queueContents(i);
    expect(c.ready + c.retrying).toBe(q.waiting);
    expect(c.inFlight).toBe(q.inFlight);
    for (const n of [q.waiting, q.inFlight, c.ready, c.retrying, c.inFlight])
      expect(n).toBeGreaterThanOrEqual(0);
  });
}

describe('invariants over random scenarios', { timeout: 120_000 }, () => {
  it('1. the same scenario and seed give the same trace hash, and time never goes backwards', () => {
    fc.assert(
      fc.property(
        arbScenario(),
        fc.constantFrom('chain' as const, 'event' as const),
        (s, architecture) => {
          const a = new Simulation(s, { architecture, keepTrace: true });
          const b = new Simulation(s, { architecture });
          a.runUntil(s.duration_ms * 2);
          // Run b in uneven slices: the hash must not depend on how time is advanced.
          for (let t = 0; t <= s.duration_ms * 2; t += 137) b.runUntil(t);
          b.runUntil(s.duration_ms * 2);
          expect(b.traceHash).toBe(a.traceHash);
          const trace = a.fullTrace;
          for (let i = 1; i < trace.length; i++)
            expect((trace[i] as TraceRecord).t).toBeGreaterThanOrEqual(
              (trace[i - 1] as TraceRecord).t,
            );
        },
      ),
      RUNS,
    );
  });

  it('2. a publish creates exactly one copy per matching subscription', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
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
          const got = [...(copies.get(r.msg) ?? []), ...(refused.get(r.msg) ?? [])];
          expect(got.length).toBe(r.value);
          expect(new Set(got).size).toBe(got.length);
          for (const node of got) expect(bound).toContain(node);
          // No filter policies or late joiners here: every bound queue is a target.
          expect([...got].sort()).toEqual([...bound].sort());
        }
        for (const r of sim.fullTrace) {
          if (r.kind !== Rec.Published || deduplicated.has(r.msg)) continue;
          // Every publish that reached the broker was routed or counted as unroutable.
          const reached = sim.fullTrace.some(
            (x) => x.msg === r.msg && (x.kind === Rec.Routed || x.kind === Rec.Unroutable),
          );
          const inTransit = r.t + s.network_ms > sim.now;
          expect(reached || inTransit).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('3. conservation at every step, per subscription: copies = processed + ignored + waiting + in flight + dead-lettered + expired + dropped', () => {
    fc.assert(
      fc.property(arbScenario({ openEndedFaults: true }), (s) => {
        const sim = new Simulation(s, { architecture: 'event' });
        let steps = 0;
        while (sim.step() && steps++ < 5000) {
          expectConserved(sim);
        }
      }),
      RUNS,
    );
  });

  it('3 and 12. conservation and no negative count hold under learner actions at any moment (offset resets forward and back during retries, redrives, scaling, late subscribers)', () => {
    fc.assert(
      fc.property(
        fc.oneof(arbScenario({ brokers: ['log'] }), arbScenario()),
        fc.array(arbAction, { minLength: 1, maxLength: 6 }),
        (s, actions) => {
          const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
          const consumers = sim.model.queues.map(
            (q) => sim.model.services[q.service]?.id as string,
          );
          // Each action as the steps a learner takes, at their moments.
          const steps = actions.flatMap((a) => plan(a, consumers)).sort((x, y) => x.at - y.at);
          const check = () => expectConserved(sim);
          let next = 0;
          let guard = 0;
          for (;;) {
            while (next < steps.length && (steps[next]?.at ?? 0) <= sim.now) {
              sim.intervene((steps[next] as Step).body);
              next++;
              check();
            }
            const at = sim.nextEventAt();
            const due = steps[next]?.at;
            if (at === undefined && due === undefined) break;
            if (due !== undefined && (at === undefined || due < at)) sim.runUntil(due);
            else sim.step();
            check();
            expect(guard++).toBeLessThan(1_000_000);
          }
          // Drained: every copy ended exactly once, with a recorded reason.
          const ends = new Map<string, number>();
          for (const r of sim.fullTrace) {
            if (r.kind === Rec.Enqueued || r.kind === Rec.Redriven)
              ends.set(`${r.msg}@${r.to}`, (ends.get(`${r.msg}@${r.to}`) ?? 0) - 1);
            else if (r.kind === Rec.Acked)
              ends.set(`${r.msg}@${r.to}`, (ends.get(`${r.msg}@${r.to}`) ?? 0) + 1);
            else if (r.kind === Rec.Dropped || r.kind === Rec.Expired)
              ends.set(`${r.msg}@${r.from}`, (ends.get(`${r.msg}@${r.from}`) ?? 0) + 1);
            else if (r.kind === Rec.DeadLettered)
              ends.set(`${r.msg}@${r.from}`, (ends.get(`${r.msg}@${r.from}`) ?? 0) + 1);
          }
          for (const [k, n] of ends) expect([k, n]).toEqual([k, 0]);
          const r = sim.report();
          expect(r.events.in_queue).toBe(0);
          expect(r.events.in_flight).toBe(0);
        },
      ),
      RUNS,
    );
  });

  it('4. no phantoms: everything enqueued or delivered was published', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
        sim.runUntil(s.duration_ms * 2);
        const published = new Set<number>();
        const enqueued = new Set<string>();
        for (const r of sim.fullTrace) {
          if (r.kind === Rec.Published) published.add(r.msg);
          if (r.kind === Rec.Enqueued) {
            expect(published.has(r.msg)).toBe(true);
            enqueued.add(`${r.msg}@${r.to}`);
          }
          if (r.kind === Rec.Delivered) expect(enqueued.has(`${r.msg}@${r.from}`)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('5. at-least-once and drain: every copy ends processed, dead-lettered, dropped or expired, with a recorded reason', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
        drained(sim);
        const ends = new Map<string, TraceRecord[]>();
        const key = (msg: number, queueNode: number) => `${msg}@${queueNode}`;
        for (const r of sim.fullTrace) {
          let k: string | undefined;
          if (r.kind === Rec.Enqueued) ends.set(key(r.msg, r.to), []);
          else if (r.kind === Rec.Acked) k = key(r.msg, r.to);
          else if (
            r.kind === Rec.DeadLettered ||
            r.kind === Rec.Dropped ||
            r.kind === Rec.Expired
          ) {
            k = key(r.msg, r.from);
            expect(r.code).not.toBe(Reason.None);
          }
          if (k) ends.get(k)?.push(r);
        }
        for (const [, outcomes] of ends) expect(outcomes).toHaveLength(1);
        const r = sim.report();
        expect(r.events.in_queue).toBe(0);
        expect(r.events.in_flight).toBe(0);
        expect(
          r.events.processed +
            r.events.ignored +
            r.events.dead_lettered +
            r.events.dropped +
            r.events.expired,
        ).toBe(ends.size);
        expect(r.requests.pending).toBe(0);
      }),
      RUNS,
    );
  });

  it('6. every duplicate delivery has a recorded cause', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
        drained(sim);
        for (const r of sim.fullTrace) {
          if (r.kind !== Rec.Delivered) continue;
          const causes: number[] = [
            Reason.CrashBeforeAck,
            Reason.Reset,
            Reason.Retry,
            Reason.VisibilityTimeout,
            Reason.StandardDuplicate,
            // Queue: a closed channel (consumer timeout, or a crash of another delivery on it).
            Reason.ConsumerTimeout,
            Reason.ChannelClosed,
            // Log: a share group's lock ran out; a member evicted after max.poll.interval.ms.
            Reason.LockTimeout,
            Reason.PollTimeout,
          ];
          // A share consumer releases a record it failed on: delivered again at once.
          if (s.broker.kind === 'log' && s.broker.group_type === 'share')
            causes.push(Reason.Error, Reason.Poison);
          // nack with requeue puts the message back with the error that caused it.
          if (s.broker.kind === 'queue' && s.broker.on_failure === 'requeue')
            causes.push(Reason.Error, Reason.Poison);
          if (r.attempt > 1) expect(causes).toContain(r.code);
          else expect(r.code).toBe(Reason.None);
        }
      }),
      RUNS,
    );
  });

  it('7. an idempotent consumer performs at most one side effect per message id', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
        drained(sim);
        const effects = new Map<string, number>();
        for (const r of sim.fullTrace) {
          if (r.kind !== Rec.Processed || (r.code & 3) === Effect.SkippedIdempotent) continue;
          const svc = sim.model.services.find((x) => x.node === r.from);
          if (!svc?.idempotent || svc.index === sim.model.entry) continue;
          const k = `${svc.id}:${r.msg}`;
          effects.set(k, (effects.get(k) ?? 0) + 1);
        }
        for (const n of effects.values()) expect(n).toBe(1);
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
          const sim = new Simulation(s, { architecture: 'event' });
          const max = s.broker.kind === 'queue' ? (s.broker.max_length ?? 0) : 0;
          let steps = 0;
          while (sim.step() && steps++ < 5000) {
            sim.model.queues.forEach((_, i) => {
              expect(sim.queueContents(i).ready).toBeLessThanOrEqual(max);
              // The metric keeps the most ever waiting: every record it saw included.
              expect(sim.queue(i).maxDepth).toBeLessThanOrEqual(max);
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
        const depthOf = new Map(
          sim.model.chain.map((svc, d) => [sim.model.services[svc]?.node as number, d + 1]),
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

  it('11. Little’s law: time-average waiting = arrival rate x mean wait (exact once drained)', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: 'event' });
        drained(sim);
        type Q = {
          readyArea: number;
          waitSum: number;
          readyEntries: number;
          deliveries: number;
          leftCount: number;
          leftSum: number;
        };
        const m = (sim as unknown as { state: { metrics: { queues: Q[] } } }).state.metrics;
        sim.report(); // settles the depth integrals at `now`
        for (const q of m.queues) {
          // Everything that entered the line left it: delivered, or expired / dropped from it.
          expect(q.readyEntries).toBe(q.deliveries + q.leftCount);
          // L * T = (lambda * T) * W  <=>  area under the waiting curve = total time waited
          expect(q.readyArea).toBe(q.waitSum + q.leftSum);
        }
      }),
      RUNS,
    );
  });

  it('13. producer side: committed work = published + never published + waiting in the outbox, at every step; with an outbox nothing is lost at the producer', () => {
    fc.assert(
      fc.property(arbScenario({ producerCrashes: true }), (s) => {
        const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
        const entry = sim.model.services[sim.model.entry];
        if (!entry) throw new Error('no entry');
        const emits = entry.emits.length;
        const afterCommit = entry.publish === 'after-commit';
        // Counted from the trace records themselves, one record at a time.
        let read = 0;
        let commits = 0;
        let published = 0;
        let republished = 0;
        let phantom = 0;
        let never = 0;
        let saved = 0;
        let relayed = 0;
        const check = () => {
          const trace = sim.fullTrace;
          for (; read < trace.length; read++) {
            const r = trace[read] as TraceRecord;
            const fromEntry = r.from === entry.node;
            if (r.kind === Rec.Processed && fromEntry) commits++;
            else if (
              r.kind === Rec.Published &&
              (fromEntry || (entry.outboxNode >= 0 && r.from === entry.outboxNode))
            )
              published++;
            else if (r.kind === Rec.Republished) republished++;
            else if (r.kind === Rec.Phantom) phantom++;
            else if (r.kind === Rec.NeverPublished) never++;
            else if (r.kind === Rec.OutboxSaved) saved++;
            else if (r.kind === Rec.OutboxRelayed) relayed++;
            // Work committed, then a crash before the answer and before the publish.
            else if (
              r.kind === Rec.ResponseSent &&
              fromEntry &&
              r.code === Reason.CrashBeforeAck &&
              afterCommit
            )
              never += emits;
          }
          // Rows saved and not yet published once (a relay that died after publishing
          // a row leaves it waiting, but it did leave once).
          const unsent = saved - (published - republished) * (entry.publish === 'outbox' ? 1 : 0);
          const left = published - republished - phantom;
          expect(commits * emits).toBe(left + never + (entry.publish === 'outbox' ? unsent : 0));
          const e = sim.report().events;
          expect(e.never_published).toBe(never);
          expect(e.phantom).toBe(phantom);
          expect(e.republished).toBe(republished);
          expect(e.in_outbox).toBe(saved - relayed);
          expect(e.lost).toBeGreaterThanOrEqual(e.never_published);
        };
        let steps = 0;
        while (sim.step()) if (steps++ % 97 === 0) check();
        check();
        expect(sim.nextEventAt()).toBeUndefined();
        const e = sim.report().events;
        if (entry.publish === 'outbox') {
          // Whatever the producer's crashes and outages: every row was published.
          expect(e.never_published).toBe(0);
          expect(e.in_outbox).toBe(0);
          expect(relayed).toBe(commits * emits);
        }
        // Only work published before its commit can be a phantom; only a relay republishes.
        if (entry.publish !== 'before-commit') expect(e.phantom).toBe(0);
        if (entry.publish !== 'outbox') expect(e.republished).toBe(0);
      }),
      RUNS,
    );
  });
});

import { parseScenario } from './scenario';

function parse(input: unknown) {
  const r = parseScenario(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** A learner action at a random moment: an offset reset (which stops and restarts the group around it), a redrive, a scale, a late subscription. */
const arbAction = fc.record({
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
type Step = { at: number; body: InterventionBody };

function plan(a: ActionDraw, consumers: string[]): Step[] {
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
