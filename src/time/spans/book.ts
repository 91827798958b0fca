/**
 * The spans of one order while its records are read: what is open, found by what
 * identifies it in the records, and the verbs the record handlers use (open, close,
 * fail, wait in a queue). The handlers live in ./chain.ts and ./events.ts.
 */
import type { Model } from '../../core/model';
import { REASON_NAMES, type ReasonCode, type TraceRecord } from '../../core/trace';
import type { OrderSpan, SpanKind, SpanStatus } from './types';

/** What one kind of record does to the order's spans. */
export type RecordHandler = (book: SpanBook, r: TraceRecord) => void;

export function reasonName(code: number): string {
  return REASON_NAMES[code as ReasonCode] || `reason ${code}`;
}

/** Short names a learner says: `Email`, `email queue`, `the user`. */
export function shortNodeName(model: Model, index: number): string {
  const n = model.nodes[index];
  if (!n) return `node ${index}`;
  if (n.kind === 'client') return 'the user';
  if (n.kind === 'service') return n.label.replace(/ Service$/, '');
  if (n.kind === 'broker') return 'the broker';
  return n.label;
}

/** Key of a call or its handling: one per attempt. */
export const attemptKey = (r: TraceRecord) => `${r.msg}:${r.attempt}`;
/** Key of one copy of an event at a queue or a consumer. */
export const copyKey = (msg: number, node: number) => `${msg}:${node}`;

export class SpanBook {
  readonly spans: OrderSpan[] = [];
  readonly root: OrderSpan;
  poison = false;
  outcome = '';
  /** The order's life is over for the user and every copy (not counting dead letters). */
  finished = false;

  readonly calls = new Map<string, OrderSpan>(); // attemptKey
  readonly handles = new Map<string, OrderSpan>(); // attemptKey
  readonly publishes = new Map<number, OrderSpan>(); // event id
  readonly waits = new Map<string, OrderSpan>(); // copyKey(msg, queue node)
  readonly backoffs = new Map<string, OrderSpan>(); // copyKey(msg, queue node)
  readonly parked = new Map<number, OrderSpan>(); // event id -> dead-letter span
  readonly processes = new Map<string, OrderSpan>(); // copyKey(msg, service node), latest
  readonly eventTypes = new Map<number, string>(); // event id -> type

  constructor(
    readonly model: Model,
    readonly corr: number,
    start: number,
  ) {
    const entry = model.services[model.entry]?.node ?? 0;
    this.root = this.open('order', 0, entry, start, `Order #${corr}`);
  }

  name(node: number): string {
    return shortNodeName(this.model, node);
  }

  typeOf(code: number): string {
    return this.model.eventTypes[code] ?? 'event';
  }

  open(
    kind: SpanKind,
    parent: number,
    node: number,
    start: number,
    label: string,
    extra: Partial<OrderSpan> = {},
  ): OrderSpan {
    const span: OrderSpan = {
      id: this.spans.length + 1,
      parent,
      kind,
      name: label,
      node,
      start,
      end: start,
      open: true,
      status: 'unset',
      statusMessage: '',
      msg: 0,
      attempt: 0,
      eventType: '',
      facts: {},
      events: [],
      ...extra,
    };
    this.spans.push(span);
    return span;
  }

  close(span: OrderSpan, t: number, status: SpanStatus = 'ok', message = ''): void {
    span.end = Math.max(span.end, t);
    span.open = false;
    if (span.status !== 'error') span.status = status;
    if (message && !span.statusMessage) span.statusMessage = message;
  }

  /** Close with `reason` as the error when `code` is not 0. */
  closeWith(span: OrderSpan, t: number, code: number): void {
    if (code === 0) this.close(span, t);
    else this.close(span, t, 'error', reasonName(code));
  }

  fail(span: OrderSpan, message: string): void {
    span.status = 'error';
    span.statusMessage = message;
  }

  /** The span of work going on at `node` at this moment: the parent of what it starts. */
  activeAt(node: number): OrderSpan {
    for (let i = this.spans.length - 1; i >= 0; i--) {
      const s = this.spans[i] as OrderSpan;
      if (s.open && s.node === node && (s.kind === 'handle' || s.kind === 'process')) return s;
    }
    return this.root;
  }

  /** The publish span of an event (the parent of its copies), else the root. */
  publishOf(msg: number): OrderSpan {
    return this.publishes.get(msg) ?? this.root;
  }

  startWait(msg: number, queueNode: number, t: number, after: string): void {
    const span = this.open(
      'wait',
      this.publishOf(msg).id,
      queueNode,
      t,
      `waits in ${this.name(queueNode)}`,
      {
        msg,
        eventType: this.eventTypes.get(msg) ?? '',
      },
    );
    if (after) span.facts.after = after;
    this.waits.set(copyKey(msg, queueNode), span);
  }

  endWait(msg: number, queueNode: number, t: number, status: SpanStatus, message = ''): void {
    const key = copyKey(msg, queueNode);
    const w = this.waits.get(key);
    if (!w) return;
    this.close(w, t, status, message);
    this.waits.delete(key);
  }

  /** Close the spans still going at `now` and say how the order ended. */
  finish(lastT: number, now: number): { end: number; outcome: string } {
    const { root, spans } = this;
    let end = root.start;
    for (const s of spans) {
      if (s === root) continue;
      if (s.open) s.end = Math.max(s.start, now);
      end = Math.max(end, s.end);
    }
    const stillGoing = spans.some((s) => s !== root && s.open && s.kind !== 'dead-letter');
    end = Math.max(end, lastT);
    root.open = stillGoing || !this.finished;
    root.end = root.open ? Math.max(end, now) : end;
    if (!root.open && root.status !== 'error') root.status = 'ok';
    let outcome = this.outcome || 'in progress';
    if (this.outcome && root.open) outcome = `${outcome}; work still going on`;
    const parked = this.parked.size;
    if (parked > 0)
      outcome = `${outcome}; ${parked} cop${parked === 1 ? 'y' : 'ies'} in the dead-letter queue`;
    return { end: root.end, outcome };
  }
}
