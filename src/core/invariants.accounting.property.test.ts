/**
 * DESIGN.md §6 invariants over random scenarios (fast-check, 200 runs per property), part 3 of
 * 3: accounting: Little's law on every queue, and the producer side (committed = published +
 * never published + in the outbox). The properties are split in three files so vitest's two
 * workers share them evenly; the helpers live in invariantChecks.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbScenario } from './arbitraries';
import { brokerRun, drained, RUNS } from './invariantChecks';
import { Simulation } from './simulation';
import { Reason, Rec, type TraceRecord } from './trace';

describe('invariants over random scenarios', { timeout: 120_000 }, () => {
  it('11. Little’s law: time-average waiting = arrival rate x mean wait (exact once drained)', () => {
    fc.assert(
      fc.property(arbScenario(), (s) => {
        const sim = new Simulation(s, { architecture: brokerRun(s) });
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

  it('13. producer side: committed work = published + refused (a failed order) + never published + waiting in the outbox, at every step, whatever the broker outages; with an outbox nothing is lost at the producer', () => {
    fc.assert(
      fc.property(arbScenario({ producerCrashes: true }), (s) => {
        // The dual write is the event side's; orchestration's producers are 13b's.
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
        // Never published: by the entry service (its dual write), and by any service.
        let neverAll = 0;
        // Refused by a down broker as the entry service published (not its relay's tries).
        let refused = 0;
        let retries = 0;
        let syncFailed = 0;
        const hybrid = sim.model.chainSteps.length > 1;
        // Hybrid: the services the entry calls publish their own events after their work,
        // so one that crashes before answering leaves them unpublished too.
        const calledEmits = new Map<number, number>();
        for (const index of sim.model.chainSteps.flat()) {
          const svc = sim.model.services[index];
          if (svc && index !== sim.model.entry && svc.publish === 'after-commit')
            calledEmits.set(svc.node, svc.emits.length);
        }
        let drainedNow = false;
        const retry = entry.publishFailure === 'retry';
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
            else if (r.kind === Rec.NeverPublished) {
              neverAll++;
              if (fromEntry) never++;
            } else if (r.kind === Rec.PublishRefused && r.to === entry.node) refused++;
            else if (r.kind === Rec.PublishRetry) retries++;
            else if (r.kind === Rec.OutboxSaved) saved++;
            else if (r.kind === Rec.OutboxRelayed) relayed++;
            // Work committed, then a crash before the answer and before the publish.
            else if (
              r.kind === Rec.ResponseSent &&
              fromEntry &&
              r.code === Reason.CrashBeforeAck &&
              afterCommit
            ) {
              // (The report counts these as never published too: no record of their own.)
              never += emits;
              neverAll += emits;
            } else if (r.kind === Rec.ResponseSent && r.code === Reason.CrashBeforeAck)
              neverAll += calledEmits.get(r.from) ?? 0;
            // Hybrid: work committed, then a synchronous call failed (a declined card, a
            // down Payment): the order failed and nothing was published for it.
            else if (
              r.kind === Rec.ResponseSent &&
              fromEntry &&
              (r.code === Reason.Downstream || r.code === Reason.Declined) &&
              afterCommit
            )
              syncFailed += emits;
          }
          // Rows saved and not yet published once (a relay that died after publishing
          // a row leaves it waiting, but it did leave once).
          const unsent = saved - (published - republished) * (entry.publish === 'outbox' ? 1 : 0);
          // Every publish made again follows one that was refused: count each event once.
          const left = published - republished - phantom - retries;
          // Published before the commit, a refused publish saves nothing: no commit to count.
          const refusedCommitted = afterCommit ? refused : 0;
          const accounted =
            left +
            refusedCommitted +
            never +
            syncFailed +
            (entry.publish === 'outbox' ? unsent : 0);
          // Hybrid: between its commit and its publish the entry waits for its synchronous
          // calls, so committed work may not be accounted for yet (it is once drained).
          if (hybrid && !drainedNow) expect(accounted).toBeLessThanOrEqual(commits * emits);
          else expect(commits * emits).toBe(accounted);
          const e = sim.report().events;
          expect(e.never_published).toBe(neverAll);
          expect(e.publish_retries).toBe(retries);
          if (!retry) expect(retries).toBe(0);
          expect(e.phantom).toBe(phantom);
          expect(e.republished).toBe(republished);
          expect(e.in_outbox).toBe(saved - relayed);
          expect(e.lost).toBeGreaterThanOrEqual(e.never_published);
        };
        let steps = 0;
        while (sim.step()) {
          if (steps++ % 97 === 0) check();
          if (steps > 1_000_000) expect.fail('the run never drained');
        }
        drainedNow = true;
        check();
        expect(sim.nextEventAt()).toBeUndefined();
        const e = sim.report().events;
        // The report's refused publishes: the entry service's, its relay's and consumers'.
        expect(e.refused).toBeGreaterThanOrEqual(refused);
        if (entry.publish === 'outbox') {
          // Whatever the producer's crashes and the broker's outages: every row was published.
          expect(never).toBe(0);
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

  it('13b. orchestration: every saga message the broker refuses (down, or a full queue) is kept by its sender and sent again, once per refusal; nothing is lost at a producer but what a full queue refused ten times, and no saga decides twice', () => {
    fc.assert(
      fc.property(
        arbScenario({ producerCrashes: true }).filter((s) => brokerRun(s) === 'orchestration'),
        (s) => {
          const sim = new Simulation(s, { architecture: 'orchestration', keepTrace: true });
          drained(sim);
          let refused = 0;
          let resent = 0;
          let givenUp = 0;
          const rejected = new Set<number>();
          const decided = new Set<number>();
          for (const r of sim.fullTrace) {
            if (r.kind === Rec.PublishRefused) refused++;
            else if (r.kind === Rec.PublishRetry) resent++;
            else if (r.kind === Rec.PublishRejected) rejected.add(r.msg);
            else if (r.kind === Rec.NeverPublished) givenUp++;
            else if (r.kind === Rec.Compensating) {
              expect(decided.has(r.corr)).toBe(false);
              decided.add(r.corr);
            }
          }
          // A full queue that refuses a message ten times makes its sender give up on it.
          expect(resent).toBe(refused + rejected.size - givenUp);
          const e = sim.report().events;
          expect(e.never_published).toBe(givenUp);
          if (rejected.size === 0) expect(givenUp).toBe(0);
          expect(e.publish_retries).toBe(resent);
          // Every order whose saga decided to cancel ends cancelled (or failed for the user).
          expect(sim.report().orders.cancelled).toBeLessThanOrEqual(decided.size);
        },
      ),
      RUNS,
    );
  });
});
