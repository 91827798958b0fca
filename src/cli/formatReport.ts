/**
 * The human-readable form of a run report: a few summary lines, then one table row
 * per service and per queue. Plain ASCII, so it reads the same in any terminal and
 * can be pasted into a lesson.
 */
import type { LatencySummary, Report } from '../core/reportTypes';

/** Columns: the first left-aligned, the rest right-aligned numbers. */
function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const BROKER_NAMES = {
  queue: 'queue (RabbitMQ style)',
  log: 'log (Kafka style)',
  'sns-sqs': 'SNS + SQS',
} as const;

/** The broker's health or confirm time is not the default, or it refused something. */
function brokerTouched(report: Report): boolean {
  const b = report.broker;
  return b.down || b.slow_factor !== 1 || b.confirm_ms > 0 || report.events.refused > 0;
}

const latency = (l: LatencySummary) =>
  `p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms`;

/**
 * @param names service id -> display name (`Payment Service`); ids without a name
 *   are shown as they are.
 */
export function formatReport(
  report: Report,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const { requests: rq, events: ev, orders } = report;
  const chain = report.architecture === 'chain';
  const failedFast = chain && Object.values(report.services).some((s) => s.short_circuited > 0);
  const pastDeadline = chain && Object.values(report.services).some((s) => s.past_deadline > 0);
  const declines = Object.values(report.services).some((s) => s.declined > 0);
  const publishRefused = !chain && ev.refused > 0;
  const orchestration = report.architecture === 'orchestration';
  const compensations = Object.values(report.services).some((s) => s.compensations > 0);
  const arch = chain ? 'request chain' : orchestration ? 'orchestrated saga' : 'event fan-out';
  const lines: string[] = [
    `${report.scenario}: ${arch}, seed ${report.seed}, ${report.until_ms} ms simulated`,
    '',
    `Requests  sent ${rq.sent}, succeeded ${rq.succeeded}, failed ${rq.failed}, pending ${rq.pending}`,
    `          response time ${latency(rq.latency_ms)}`,
    `${orchestration ? 'Messages' : 'Events  '}  published ${ev.published}, processed ${ev.processed}${ev.ignored > 0 ? ` (and ${ev.ignored} acked unread: no handler)` : ''}, redelivered ${ev.redelivered}, duplicates ${ev.duplicates}${ev.duplicates_by_cause.new_id > 0 ? ` (same message ${ev.duplicates_by_cause.same_message}, same order under a new id ${ev.duplicates_by_cause.new_id})` : ''}`,
    `          in queue ${ev.in_queue}, in flight ${ev.in_flight}, dead-lettered ${ev.dead_lettered}, lost ${ev.lost} (dropped ${ev.dropped}, expired ${ev.expired}, unroutable ${ev.unroutable - report.broker.unroutable_kept}${ev.never_published > 0 ? `, never published ${ev.never_published}` : ''})`,
    // The producer side, once it has something to say (issue 12: the dual write, the outbox).
    ...(ev.never_published + ev.phantom + ev.republished + ev.in_outbox + ev.refused > 0
      ? [
          `Producer  never published ${ev.never_published} (saved, then died before publishing), phantom ${ev.phantom} (published, never saved), republished ${ev.republished} (outbox relay), in outbox ${ev.in_outbox}${ev.refused > 0 ? `, refused by the broker ${ev.refused}` : ''}`,
        ]
      : []),
    `Orders    completed ${orders.completed}, with dead letters ${orders.with_dead_letters}${orders.cancelled > 0 ? `, cancelled ${orders.cancelled} (a step failed for good, then compensated${chain ? '' : '; each was told "accepted" first'})` : ''}`,
    `          completion time ${latency(orders.completion_ms)}`,
    // When the user's answer is not the order's fate (events answer "accepted" at once),
    // or some orders end cancelled: how long until each order's final state.
    ...(!chain || orders.cancelled > 0
      ? [`          final outcome after ${latency(orders.outcome_ms)}`]
      : []),
    // Orchestrated: how the sagas ended, and the compensations the orchestrator ran.
    ...(orchestration
      ? [
          `Sagas     confirmed ${orders.completed}, cancelled ${orders.cancelled}, compensations run ${Object.values(report.services).reduce((n, s) => n + s.compensations, 0)} (commands and replies through the broker)`,
        ]
      : []),
    ...(!chain
      ? [
          `Broker    ${BROKER_NAMES[report.broker.kind]}: unroutable ${report.broker.unroutable} (kept by an alternate exchange ${report.broker.unroutable_kept}), deduplicated ${report.broker.deduplicated}`,
          // Its own health and confirm time, once a scenario or the learner touched them.
          ...(brokerTouched(report)
            ? [
                `          ${report.broker.down ? 'down' : 'up'}${report.broker.slow_factor !== 1 ? `, confirms x${report.broker.slow_factor} slower` : ''}, confirm_ms ${report.broker.confirm_ms}, publishes refused ${ev.refused}, publish retries ${ev.publish_retries}`,
              ]
            : []),
        ]
      : []),
    '',
    table(
      [
        'Service',
        ...(chain ? ['calls', 'refused'] : []),
        ...(publishRefused ? ['publishes refused'] : []),
        ...(failedFast ? ['failed fast'] : []),
        ...(pastDeadline ? ['past deadline'] : []),
        'processed',
        ...(declines ? ['declined'] : []),
        ...(compensations ? ['compensations'] : []),
        'failed',
        'duplicates',
        'for failed orders',
        'max backlog',
        'p99 ms',
      ],
      Object.entries(report.services).map(([id, s]) => [
        names.has(id) ? `${names.get(id)} (${id})` : id,
        // A chain's retries multiply calls down the line; refused ones did no work.
        ...(chain ? [s.calls, s.refused] : []),
        // Publishes the broker refused (only shown once it has refused one).
        ...(publishRefused ? [s.publish_refused] : []),
        // Calls a circuit breaker did not send (only shown once one has).
        ...(failedFast ? [s.short_circuited] : []),
        // Calls it did not start because the order's deadline was too close.
        ...(pastDeadline ? [s.past_deadline] : []),
        s.processed,
        // Business refusals (a declined card): answers, not failures (only once there is one).
        ...(declines ? [s.declined] : []),
        // Compensating commands carried out (orchestration, only once there is one).
        ...(compensations ? [s.compensations] : []),
        s.failed,
        s.duplicates,
        s.done_for_failed_orders,
        s.max_backlog,
        s.latency_ms.p99,
      ]),
    ),
  ];
  const queues = Object.entries(report.queues);
  if (queues.length > 0) {
    const log = report.broker.kind === 'log';
    lines.push(
      '',
      table(
        [
          log ? 'Group' : 'Queue',
          'copies',
          'processed',
          'waiting',
          'in flight',
          'dead-lettered',
          'lost',
          'max depth',
          'redelivered',
          log ? 'lag' : 'max receives',
        ],
        queues.map(([id, q]) => [
          id,
          q.copies,
          q.processed,
          q.waiting,
          q.in_flight,
          q.dead_lettered,
          q.dropped + q.expired,
          q.max_depth,
          q.redelivered,
          log ? (q.lag ?? 0) : q.max_receives,
        ]),
      ),
    );
  }
  lines.push('', `Trace hash ${report.trace_hash}`);
  return `${lines.join('\n')}\n`;
}
