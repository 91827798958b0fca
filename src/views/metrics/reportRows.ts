/**
 * The run report's numbers as table rows. Values are the engine's `sim.report()` fields,
 * unrounded except latency (whole milliseconds, as the CLI prints them).
 */
import type { Report } from '../../core/reportTypes';

export interface ReportRow {
  key: string;
  label: string;
  /** How it is measured (tooltip). */
  note: string;
  value(r: Report): number | null;
  /** Only meaningful for the event architecture. */
  eventOnly?: boolean;
}

const ms = (x: number) => (Number.isFinite(x) ? Math.round(x) : null);

export const REPORT_ROWS: ReportRow[] = [
  {
    key: 'sent',
    label: 'Orders sent',
    note: 'Orders users placed so far.',
    value: (r) => r.requests.sent,
  },
  {
    key: 'succeeded',
    label: 'Answered ok',
    note: 'Orders whose user got a success answer.',
    value: (r) => r.requests.succeeded,
  },
  {
    key: 'failed',
    label: 'Failed',
    note: 'Orders whose user got an error (timeout, unavailable, downstream failure).',
    value: (r) => r.requests.failed,
  },
  {
    key: 'pending',
    label: 'Waiting for an answer',
    note: 'Orders sent and not yet answered.',
    value: (r) => r.requests.pending,
  },
  {
    key: 'p50',
    label: 'Response p50 (ms)',
    note: 'Median time from order to success answer, over the whole run.',
    value: (r) => ms(r.requests.latency_ms.p50),
  },
  {
    key: 'p99',
    label: 'Response p99 (ms)',
    note: '99th percentile of the time from order to success answer, over the whole run.',
    value: (r) => ms(r.requests.latency_ms.p99),
  },
  {
    key: 'completed',
    label: 'Fully processed',
    note: 'Orders whose every piece of work finished (chain: answered ok; fan-out: every copy processed).',
    value: (r) => r.orders.completed,
  },
  {
    key: 'cancelled',
    label: 'Cancelled by a saga',
    note: 'Orders in which a step failed for good (declined, dead-lettered) and the steps before it were compensated. With events each was answered "accepted" first.',
    value: (r) => r.orders.cancelled,
  },
  {
    key: 'outcome_p50',
    label: 'Final outcome p50 (ms)',
    note: 'Median time from order to its final state, confirmed or cancelled: the chain answers with it; with events the last step or compensation decides it, after the "accepted".',
    value: (r) => ms(r.orders.outcome_ms.p50),
  },
  {
    key: 'outcome_p99',
    label: 'Final outcome p99 (ms)',
    note: '99th percentile of the time from order to its final state, confirmed or cancelled.',
    value: (r) => ms(r.orders.outcome_ms.p99),
  },
  {
    key: 'published',
    label: 'Events published',
    note: 'Events services published to the broker.',
    value: (r) => r.events.published,
    eventOnly: true,
  },
  {
    key: 'in_queue',
    label: 'Waiting in queues',
    note: 'Copies waiting in all queues, retries in backoff included.',
    value: (r) => r.events.in_queue,
    eventOnly: true,
  },
  {
    key: 'in_flight',
    label: 'In flight',
    note: 'Copies delivered and not yet acknowledged.',
    value: (r) => r.events.in_flight,
    eventOnly: true,
  },
  {
    key: 'redelivered',
    label: 'Redelivered',
    note: 'Deliveries after the first of the same copy.',
    value: (r) => r.events.redelivered,
    eventOnly: true,
  },
  {
    key: 'dead_lettered',
    label: 'Dead-lettered',
    note: 'Copies moved to the dead-letter queue.',
    value: (r) => r.events.dead_lettered,
    eventOnly: true,
  },
  {
    key: 'lost',
    label: 'Lost',
    note: 'Gone for good without being processed: dropped, expired, unroutable with no alternate exchange to keep it, or never published (saved by a producer that died before publishing). Dead letters are kept, so they are not lost.',
    value: (r) => r.events.lost,
    eventOnly: true,
  },
  {
    key: 'never_published',
    label: 'Never published',
    note: 'Producer side: work that was saved but whose event never left, because the service died between its commit and its publish (the dual write). Part of Lost.',
    value: (r) => r.events.never_published,
    eventOnly: true,
  },
  {
    key: 'phantom',
    label: 'Phantom events',
    note: 'Producer side: events published for work that was never saved (published before the commit, then a crash).',
    value: (r) => r.events.phantom,
    eventOnly: true,
  },
  {
    key: 'republished',
    label: 'Republished (outbox)',
    note: 'Outbox rows the relay published again, with a new message id, because it died after publishing them and before marking them sent.',
    value: (r) => r.events.republished,
    eventOnly: true,
  },
  {
    key: 'duplicates',
    label: 'Duplicates',
    note: 'Side effects performed twice for the same message or order.',
    value: (r) => r.events.duplicates,
  },
];
