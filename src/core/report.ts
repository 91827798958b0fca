/** Build the run report (DESIGN.md §4) from the metrics and the live state. */
import type { RunContext, SimState } from './engine';
import { histSummary } from './histogram';
import { settleAreas } from './metrics';
import type { QueueReport, Report, ServiceReport } from './reportTypes';
import { traceHash } from './trace';
import { groupPartitions, oldestWaitingAge } from './broker';

export function buildReport(ctx: RunContext, state: SimState): Report {
  const m = state.metrics;
  settleAreas(m, state.now);
  let inQueue = 0;
  let inFlight = 0;
  let deadLettered = 0;
  let expired = 0;
  let dropped = 0;
  let processedCopies = 0;
  let ignored = 0;
  const queues: Record<string, QueueReport> = {};
  ctx.model.queues.forEach((info, i) => {
    const q = m.queues[i];
    if (!q) return;
    inQueue += q.ready + q.retrying;
    inFlight += q.inFlight;
    deadLettered += q.deadLettered;
    expired += q.expired;
    dropped += q.dropped;
    processedCopies += q.processed;
    ignored += q.ignored;
    queues[info.id] = {
      copies: q.copies,
      processed: q.processed,
      ignored: q.ignored,
      waiting: q.ready + q.retrying,
      in_flight: q.inFlight,
      dead_lettered: q.deadLettered,
      expired: q.expired,
      dropped: q.dropped,
      max_depth: q.maxDepth,
      retrying: q.retrying,
      oldest_age_ms: oldestWaitingAge(state, i),
      redelivered: q.redeliveries,
      max_receives: q.maxAttempt,
      rejected: q.rejected,
      redriven: q.redriven,
    };
    if (ctx.scenario.broker.kind === 'log') {
      const parts = groupPartitions(ctx, state, i);
      const report = queues[info.id] as QueueReport;
      report.partition_lag = parts.map((p) => p.lag);
      report.lag = parts.reduce((sum, p) => sum + p.lag, 0);
    }
  });
  let queued = 0;
  for (const s of state.services) queued += s.accept.size;
  const services: Record<string, ServiceReport> = {};
  ctx.model.services.forEach((info, i) => {
    const s = m.services[i];
    if (!s) return;
    services[info.id] = {
      processed: s.processed,
      failed: s.failed,
      max_backlog: s.maxBacklog,
      latency_ms: histSummary(s.latency),
      done_for_failed_orders: s.doneForFailedOrders,
      duplicates: s.duplicates,
      calls: s.calls,
      refused: s.refused,
      short_circuited: s.shortCircuited,
      past_deadline: s.pastDeadline,
      declined: s.declined,
      publish_refused: s.publishRefused,
      compensations: s.compensations,
    };
  });
  return {
    scenario: ctx.scenario.id,
    seed: ctx.seed,
    architecture: ctx.model.architecture,
    until_ms: state.now,
    requests: {
      sent: m.ordersReceived,
      succeeded: m.ordersSucceeded,
      failed: m.ordersFailed,
      pending: m.ordersReceived - m.ordersSucceeded - m.ordersFailed,
      queued,
      latency_ms: histSummary(m.latency),
    },
    events: {
      published: m.published,
      delivered: m.delivered,
      processed: processedCopies,
      ignored,
      redelivered: m.redelivered,
      duplicates: m.duplicates,
      duplicates_by_cause: {
        same_message: m.duplicates - m.duplicatesNewId,
        new_id: m.duplicatesNewId,
      },
      in_queue: inQueue,
      in_flight: inFlight,
      dead_lettered: deadLettered,
      expired,
      dropped,
      unroutable: m.unroutable,
      never_published: m.neverPublished,
      phantom: m.phantom,
      republished: m.republished,
      in_outbox: m.outboxSaved - m.outboxRelayed,
      refused: m.publishRefused,
      publish_retries: m.publishRetries,
      lost: dropped + expired + (m.unroutable - m.unroutableKept) + m.neverPublished,
    },
    orders: {
      completed: m.ordersCompleted,
      with_dead_letters: m.ordersCompletedWithDeadLetters,
      cancelled: m.ordersCancelled,
      completion_ms: histSummary(m.completion),
      outcome_ms: histSummary(m.outcome),
    },
    services,
    queues,
    broker: {
      kind: ctx.scenario.broker.kind,
      unroutable: m.unroutable,
      unroutable_kept: m.unroutableKept,
      deduplicated: m.deduplicated,
      down: state.broker.down,
      slow_factor: state.broker.slowFactor,
      confirm_ms: ctx.confirmMs,
      electing: electingNow(ctx, state),
    },
    trace_hash: traceHash(state.trace),
  };
}

/** What elects a leader now: quorum queues by id, or partitions as "partition N". */
function electingNow(ctx: RunContext, state: SimState): string[] {
  const out: string[] = [];
  state.broker.leaderless.forEach((until, target) => {
    if (until <= state.now) return;
    out.push(
      ctx.model.broker.kind === 'queue'
        ? (ctx.model.queues[target]?.id ?? String(target))
        : `partition ${target}`,
    );
  });
  return out;
}
