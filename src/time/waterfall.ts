/**
 * The rows of the waterfall view: one per span, in tree order, each placed on a shared
 * time axis (percent of the order's whole life) with a short note of what it shows.
 */
import {
  buildOrderTrace,
  type OrderSpan,
  type OrderTrace,
  type SpanKind,
  treeOrder,
} from './spans';
import type { Model } from '../core/model';
import type { TraceRecord } from '../core/trace';
import { durationText } from '../core/format';

export interface WaterfallRow {
  id: number;
  depth: number;
  kind: SpanKind;
  label: string;
  /** Short facts: "waited 1.20 s", "failed: poison message", "3 copies". */
  note: string;
  start: number;
  end: number;
  open: boolean;
  bad: boolean;
  /** Position on the axis, 0..100. */
  left: number;
  /** Width on the axis, 0..100 (0 for an instant). */
  width: number;
}

export interface Waterfall {
  trace: OrderTrace;
  rows: WaterfallRow[];
  /** Axis start and length (ms). */
  axisStart: number;
  axisMs: number;
  /** Rows left out past the limit. */
  hidden: number;
}

/** How long a span took (core/format.ts). */
export const formatDuration = (ms: number): string => durationText(ms);

function note(s: OrderSpan): string {
  const d = formatDuration(s.end - s.start);
  const parts: string[] = [];
  switch (s.kind) {
    case 'order':
      if (typeof s.facts.response_ms === 'number')
        parts.push(`answered after ${formatDuration(s.facts.response_ms)}`);
      if (typeof s.facts.completion_ms === 'number')
        parts.push(`all work done after ${formatDuration(s.facts.completion_ms)}`);
      break;
    case 'call':
      parts.push(s.open ? `waiting for ${d}` : `took ${d}`);
      break;
    case 'handle':
      if (typeof s.facts.waited_for_worker_ms === 'number' && s.facts.waited_for_worker_ms > 0)
        parts.push(`waited ${formatDuration(s.facts.waited_for_worker_ms)} for a worker`);
      if (typeof s.facts.work_ms === 'number')
        parts.push(`work ${formatDuration(s.facts.work_ms)}`);
      break;
    case 'publish':
      if (typeof s.facts.copies === 'number')
        parts.push(`${s.facts.copies} cop${s.facts.copies === 1 ? 'y' : 'ies'}`);
      if (typeof s.facts.partition === 'number')
        parts.push(`partition ${s.facts.partition}, offset ${s.facts.offset}`);
      break;
    case 'wait':
      parts.push(s.open ? `waiting for ${d}` : `waited ${d}`);
      if (s.facts.after) parts.push(String(s.facts.after));
      break;
    case 'process':
      if (typeof s.facts.work_ms === 'number')
        parts.push(`work ${formatDuration(s.facts.work_ms)}`);
      if (s.facts.redelivered_because) parts.push(`again: ${s.facts.redelivered_because}`);
      if (s.facts.duplicate) parts.push('duplicate side effect');
      if (s.facts.skipped_idempotent) parts.push('skipped: already done');
      break;
    case 'backoff':
      parts.push(`retry in ${formatDuration(Number(s.facts.delay_ms ?? 0))}`);
      break;
    case 'dead-letter':
      parts.push(s.open ? `parked for ${d} so far` : `parked ${d}, then redriven`);
      break;
  }
  if (s.status === 'error' && s.statusMessage) parts.push(`failed: ${s.statusMessage}`);
  if (s.open && s.kind !== 'wait' && s.kind !== 'call' && s.kind !== 'dead-letter')
    parts.push('still going');
  return parts.join(' · ');
}

/** Rows for the waterfall; instant waits (delivered at once) are left out, they say nothing. */
export function waterfallRows(trace: OrderTrace, limit = 200): Waterfall {
  const axisStart = trace.start;
  const axisMs = Math.max(1, trace.end - trace.start);
  const all = treeOrder(trace.spans).filter(
    ({ span }) =>
      !(span.kind === 'wait' && !span.open && span.end === span.start && span.status !== 'error'),
  );
  const rows = all.slice(0, limit).map(({ span, depth }) => ({
    id: span.id,
    depth,
    kind: span.kind,
    label: span.name,
    note: note(span),
    start: span.start,
    end: span.end,
    open: span.open,
    bad: span.status === 'error',
    left: ((span.start - axisStart) / axisMs) * 100,
    width: (Math.max(0, span.end - span.start) / axisMs) * 100,
  }));
  return { trace, rows, axisStart, axisMs, hidden: all.length - rows.length };
}

/** Records to waterfall in one call (null when the order has no records yet). */
export function waterfallOf(
  records: readonly TraceRecord[],
  model: Model,
  now: number,
): Waterfall | null {
  const trace = buildOrderTrace(records, model, now);
  return trace ? waterfallRows(trace) : null;
}
