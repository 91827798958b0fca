/**
 * One order's trace records folded into spans: the shape a tracing tool shows. The
 * waterfall view draws them and the OpenTelemetry export (otel.ts) writes them out.
 *
 *   order #36                                   (the whole life of the order)
 *     user -> Order Service call                (request chain: one call per hop,
 *       Order Service handles the call           each handled by the callee, which may
 *         Order Service publishes OrderCreated   call the next hop or publish an event)
 *           waits in analytics queue            (event fan-out: per copy, time in the
 *           Analytics processes (attempt 1)      queue, each delivery, each backoff and
 *           backoff before attempt 2             the time parked as a dead letter)
 *           ...
 *
 * Pure: records in, spans out. Each kind of record has one handler: the request chain's
 * in ./chain.ts, event fan-out's in ./events.ts; ./book.ts holds the open spans.
 */
import type { Model } from '../../core/model';
import type { RecKind, TraceRecord } from '../../core/trace';
import { type RecordHandler, SpanBook } from './book';
import { chainHandlers } from './chain';
import { eventHandlers } from './events';
import type { OrderSpan, OrderTrace } from './types';

export { shortNodeName } from './book';
export type { OrderSpan, OrderTrace, SpanEvent, SpanKind, SpanStatus } from './types';

const HANDLERS: Partial<Record<RecKind, RecordHandler>> = { ...chainHandlers, ...eventHandlers };

/**
 * Build the spans of one order from its records (one order's, in trace order:
 * `Simulation.orderRecords(corr)`), up to `now`: spans still open end at `now`.
 * Returns null when there are no records (the order does not exist yet).
 */
export function buildOrderTrace(
  records: readonly TraceRecord[],
  model: Model,
  now: number,
): OrderTrace | null {
  const first = records[0];
  const last = records[records.length - 1];
  if (!first || !last) return null;
  const book = new SpanBook(model, first.corr, first.t);
  for (const r of records) HANDLERS[r.kind]?.(book, r);
  const { end, outcome } = book.finish(last.t, now);
  return { corr: book.corr, start: first.t, end, spans: book.spans, outcome, poison: book.poison };
}

/** Spans in tree order (each parent before its children, siblings by start), with depth. */
export function treeOrder(spans: readonly OrderSpan[]): Array<{ span: OrderSpan; depth: number }> {
  const children = new Map<number, OrderSpan[]>();
  for (const s of spans) {
    const list = children.get(s.parent);
    if (list) list.push(s);
    else children.set(s.parent, [s]);
  }
  const out: Array<{ span: OrderSpan; depth: number }> = [];
  const visit = (parent: number, depth: number) => {
    const list = children.get(parent);
    if (!list) return;
    list.sort((a, b) => a.start - b.start || a.id - b.id);
    for (const s of list) {
      out.push({ span: s, depth });
      visit(s.id, depth + 1);
    }
  };
  visit(0, 0);
  return out;
}
