/**
 * DESIGN.md §6 invariants over random scenarios (fast-check, 200 runs per property), part 2 of
 * 3: delivery: conservation under learner actions, at-least-once with every copy ending once,
 * every duplicate explained, idempotent consumers. The properties are split in three files so
 * vitest's two workers share them evenly; the helpers live in invariantChecks.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbScenario } from './arbitraries';
import {
  arbAction,
  brokerRun,
  drained,
  expectConserved,
  plan,
  RUNS,
  type Step,
} from './invariantChecks';
import { Simulation } from './simulation';
import { Effect, Reason, Rec, type TraceRecord } from './trace';

describe('invariants over random scenarios', { timeout: 120_000 }, () => {
  it('3 and 12. conservation and no negative count hold under learner actions at any moment (offset resets forward and back during retries, redrives, scaling, late subscribers)', () => {
    fc.assert(
      fc.property(
        fc.oneof(arbScenario({ brokers: ['log'] }), arbScenario()),
        fc.array(arbAction, { minLength: 1, maxLength: 6 }),
        (s, actions) => {
          const sim = new Simulation(s, { architecture: brokerRun(s), keepTrace: true });
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
            if (guard++ >= 1_000_000) expect.fail('the run never drained');
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
          for (const [k, n] of ends) if (n !== 0) expect([k, n]).toEqual([k, 0]);
          const r = sim.report();
          expect(r.events.in_queue).toBe(0);
          expect(r.events.in_flight).toBe(0);
        },
      ),
      RUNS,
    );
  });

  it('5. at-least-once and drain: every copy ends processed, dead-lettered, dropped or expired, with a recorded reason', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: brokerRun(s), keepTrace: true });
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
            if (r.code === Reason.None) expect({ endedWithoutReason: r }).toBeUndefined();
          }
          if (k) ends.get(k)?.push(r);
        }
        for (const [, outcomes] of ends)
          if (outcomes.length !== 1) expect(outcomes).toHaveLength(1);
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
        const sim = new Simulation(s, { architecture: brokerRun(s), keepTrace: true });
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
          const explained = r.attempt > 1 ? causes.includes(r.code) : r.code === Reason.None;
          if (!explained) expect({ unexplainedRedelivery: r }).toBeUndefined();
        }
      }),
      RUNS,
    );
  });

  it('7. an idempotent consumer performs at most one side effect per key it remembers: per message id, or per order and event type with a business key (saved with the effect, nothing forgotten)', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: brokerRun(s), keepTrace: true });
        drained(sim);
        const typeOf = new Map<number, number>();
        for (const r of sim.fullTrace) if (r.kind === Rec.Published) typeOf.set(r.msg, r.code);
        const effects = new Map<string, number>();
        for (const r of sim.fullTrace) {
          if (r.kind !== Rec.Processed || (r.code & 3) === Effect.SkippedIdempotent) continue;
          const svc = sim.model.services.find((x) => x.node === r.from);
          // Consumers only: a service called synchronously (hybrid) takes calls, not copies.
          if (!svc?.idempotent || svc.index === sim.model.entry || svc.queue < 0) continue;
          // A key saved after the effect leaves a gap, and a small window forgets: both are
          // shown by the saga tests, not promised here.
          if (svc.idempotency.afterEffect) continue;
          const key = svc.idempotency.businessKey ? `${r.corr}:${typeOf.get(r.msg)}` : r.msg;
          const k = `${svc.id}:${key}`;
          effects.set(k, (effects.get(k) ?? 0) + 1);
        }
        const keys = (id: string) => [...effects.keys()].filter((k) => k.startsWith(`${id}:`));
        for (const [k, n] of effects) {
          const svc = sim.model.services.find((x) => k.startsWith(`${x.id}:`));
          if (svc && keys(svc.id).length > svc.idempotency.window) continue;
          if (n !== 1) expect([k, n]).toEqual([k, 1]);
        }
      }),
      RUNS,
    );
  });
});
