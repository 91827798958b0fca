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
 * Pure: records in, spans out. Records must be one order's, in trace order
 * (`Simulation.orderRecords(corr)`).
 */
import { type Model, REASON_NAMES, Rec, type ReasonCode, type TraceRecord } from '../core';

export type SpanKind =
  | 'order'
  | 'call'
  | 'handle'
  | 'publish'
  | 'wait'
  | 'process'
  | 'backoff'
  | 'dead-letter';

export type SpanStatus = 'ok' | 'error' | 'unset';

export interface SpanEvent {
  t: number;
  name: string;
  detail?: string;
}

export interface OrderSpan {
  /** 1, 2, ... in the order spans were opened. */
  id: number;
  /** 0 for the root. */
  parent: number;
  kind: SpanKind;
  /** What a learner reads in the waterfall. */
  name: string;
  /** Model node where it happens (service, queue, dead-letter queue, or the client). */
  node: number;
  start: number;
  end: number;
  /** Still going at the time the records end (`now`). */
  open: boolean;
  status: SpanStatus;
  /** Why it failed, when it did. */
  statusMessage: string;
  /** Call id or event id; 0 for the root. */
  msg: number;
  /** Delivery or call attempt, 0 where it does not apply. */
  attempt: number;
  /** Event type of a publish / wait / process span, else ''. */
  eventType: string;
  /** Extra facts shown in the waterfall and exported as attributes. */
  facts: Record<string, string | number | boolean>;
  events: SpanEvent[];
}

export interface OrderTrace {
  corr: number;
  start: number;
  end: number;
  spans: OrderSpan[];
  /** One line: how the order ended (or that it is still going). */
  outcome: string;
  poison: boolean;
}

function reasonName(code: number): string {
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

/**
 * Build the spans of one order from its records, up to `now` (spans still open end at
 * `now`). Returns null when there are no records (the order does not exist yet).
 */
export function buildOrderTrace(
  records: readonly TraceRecord[],
  model: Model,
  now: number,
): OrderTrace | null {
  const first = records[0];
  if (!first) return null;
  const corr = first.corr;
  const spans: OrderSpan[] = [];
  const name = (i: number) => shortNodeName(model, i);

  const open = (
    kind: SpanKind,
    parent: number,
    node: number,
    start: number,
    label: string,
    extra: Partial<OrderSpan> = {},
  ): OrderSpan => {
    const span: OrderSpan = {
      id: spans.length + 1,
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
    spans.push(span);
    return span;
  };
  const close = (span: OrderSpan, t: number, status: SpanStatus = 'ok', message = '') => {
    span.end = Math.max(span.end, t);
    span.open = false;
    if (span.status !== 'error') span.status = status;
    if (message && !span.statusMessage) span.statusMessage = message;
  };
  const fail = (span: OrderSpan, message: string) => {
    span.status = 'error';
    span.statusMessage = message;
  };

  const root = open('order', 0, model.services[model.entry]?.node ?? 0, first.t, `Order #${corr}`);
  let poison = false;
  let outcome = '';
  let finished = false;

  // Open spans by what identifies them in the records.
  const calls = new Map<string, OrderSpan>(); // `${msg}:${attempt}`
  const handles = new Map<string, OrderSpan>(); // `${msg}:${attempt}`
  const publishes = new Map<number, OrderSpan>(); // event id
  const waits = new Map<string, OrderSpan>(); // `${msg}:${queueNode}`
  const backoffs = new Map<string, OrderSpan>(); // `${msg}:${queueNode}`
  const parked = new Map<number, OrderSpan>(); // event id -> dead-letter span
  const processes = new Map<string, OrderSpan>(); // `${msg}:${serviceNode}`, latest
  const copyOf = (msg: number, node: number) => `${msg}:${node}`;
  const typeOf = (code: number) => model.eventTypes[code] ?? 'event';
  const eventTypes = new Map<number, string>();

  /** The span of work going on at `node` for this order at this moment: the parent of what it starts. */
  const activeAt = (node: number): OrderSpan => {
    for (let i = spans.length - 1; i >= 0; i--) {
      const s = spans[i] as OrderSpan;
      if (s.open && s.node === node && (s.kind === 'handle' || s.kind === 'process')) return s;
    }
    return root;
  };

  const startWait = (msg: number, queueNode: number, t: number, why: string) => {
    const parent = publishes.get(msg) ?? root;
    const span = open('wait', parent.id, queueNode, t, `waits in ${name(queueNode)}`, {
      msg,
      eventType: eventTypes.get(msg) ?? '',
    });
    if (why) span.facts.after = why;
    waits.set(copyOf(msg, queueNode), span);
  };
  const endWait = (msg: number, queueNode: number, t: number, status: SpanStatus, message = '') => {
    const key = copyOf(msg, queueNode);
    const w = waits.get(key);
    if (w) {
      close(w, t, status, message);
      waits.delete(key);
    }
  };

  for (const r of records) {
    switch (r.kind) {
      case Rec.OrderReceived:
        if (r.code === 1) {
          poison = true;
          root.facts.poison = true;
        }
        break;
      case Rec.RequestSent: {
        const parent = activeAt(r.from);
        const span = open(
          'call',
          parent.id,
          r.from,
          r.t,
          `${name(r.from) === 'the user' ? 'The user' : name(r.from)} calls ${name(r.to)}`,
          { msg: r.msg, attempt: r.attempt },
        );
        span.facts.callee = name(r.to);
        calls.set(`${r.msg}:${r.attempt}`, span);
        break;
      }
      case Rec.RequestArrived: {
        const call = calls.get(`${r.msg}:${r.attempt}`);
        const span = open(
          'handle',
          call?.id ?? root.id,
          r.to,
          r.t,
          `${name(r.to)} handles the call`,
          {
            msg: r.msg,
            attempt: r.attempt,
          },
        );
        handles.set(`${r.msg}:${r.attempt}`, span);
        break;
      }
      case Rec.WorkStarted: {
        const h = handles.get(`${r.msg}:${r.attempt}`);
        if (!h) break;
        h.facts.waited_for_worker_ms = r.t - h.start;
        if (r.code !== 0) {
          h.events.push({
            t: r.t,
            name: 'dropped while waiting for a worker',
            detail: reasonName(r.code),
          });
          fail(h, reasonName(r.code));
        } else {
          h.events.push({ t: r.t, name: 'work started', detail: `takes ${r.value} ms` });
        }
        break;
      }
      case Rec.Processed:
      case Rec.WorkFailed: {
        const effect = r.code & 3;
        const p = processes.get(copyOf(r.msg, r.to));
        const target = p?.open ? p : (handles.get(`${r.msg}:${r.attempt}`) ?? p);
        if (!target) break;
        if (r.kind === Rec.WorkFailed) {
          target.events.push({ t: r.t, name: 'failed', detail: reasonName(r.code) });
          fail(target, reasonName(r.code));
        } else if (effect === 1) {
          target.events.push({ t: r.t, name: 'processed again: duplicate side effect' });
          target.facts.duplicate = true;
        } else if (effect === 2) {
          target.events.push({ t: r.t, name: 'already done: skipped (idempotent)' });
          target.facts.skipped_idempotent = true;
        } else {
          target.events.push({ t: r.t, name: 'processed' });
        }
        target.facts.work_ms = r.value;
        if (!target.open) target.end = Math.max(target.end, r.t);
        break;
      }
      case Rec.ResponseSent: {
        const h = handles.get(`${r.msg}:${r.attempt}`);
        if (h) close(h, r.t, r.code === 0 ? 'ok' : 'error', r.code === 0 ? '' : reasonName(r.code));
        break;
      }
      case Rec.CallSucceeded:
      case Rec.CallFailed: {
        const c = calls.get(`${r.msg}:${r.attempt}`);
        if (!c) break;
        const ok = r.kind === Rec.CallSucceeded;
        close(c, r.t, ok ? 'ok' : 'error', ok ? '' : reasonName(r.code));
        // A callee that never answered (timeout, down): its handling ends with the call.
        const h = handles.get(`${r.msg}:${r.attempt}`);
        if (h?.open && !ok)
          h.events.push({ t: r.t, name: 'the caller gave up', detail: reasonName(r.code) });
        break;
      }
      case Rec.ResponseDiscarded: {
        const h = handles.get(`${r.msg}:${r.attempt}`);
        if (h) {
          h.events.push({ t: r.t, name: 'answer arrived too late: ignored' });
          close(h, r.t, 'error', 'the caller had given up');
        }
        break;
      }
      case Rec.OrderSucceeded:
        root.facts.response_ms = r.value;
        root.events.push({
          t: r.t,
          name: 'the user got a success answer',
          detail: `${r.value} ms`,
        });
        outcome = `answered ok after ${r.value} ms`;
        if (model.architecture === 'chain') finished = true;
        break;
      case Rec.OrderFailed:
        root.facts.response_ms = r.value;
        root.events.push({ t: r.t, name: 'the user got an error', detail: reasonName(r.code) });
        fail(root, reasonName(r.code));
        outcome = `failed for the user after ${r.value} ms: ${reasonName(r.code)} at ${name(r.from)}`;
        finished = true;
        break;
      case Rec.OrderCompleted: {
        root.facts.completion_ms = r.value;
        const dead = r.code === 1;
        root.events.push({
          t: r.t,
          name: 'every piece of work finished',
          detail: dead ? 'some copies were dead-lettered' : `${r.value} ms after the order`,
        });
        if (model.architecture === 'event') {
          outcome = `${outcome ? `${outcome}; ` : ''}fully processed after ${r.value} ms${dead ? ', with a dead letter' : ''}`;
          if (dead) fail(root, 'a copy was dead-lettered');
        }
        finished = true;
        break;
      }
      case Rec.Published: {
        const type = typeOf(r.code);
        eventTypes.set(r.msg, type);
        const parent = activeAt(r.from);
        const span = open('publish', parent.id, r.from, r.t, `${name(r.from)} publishes ${type}`, {
          msg: r.msg,
          eventType: type,
        });
        publishes.set(r.msg, span);
        break;
      }
      case Rec.Appended: {
        const p = publishes.get(r.msg);
        if (p) {
          p.facts.partition = r.code;
          p.facts.offset = r.value;
        }
        break;
      }
      case Rec.Routed: {
        const p = publishes.get(r.msg);
        if (p) {
          p.facts.copies = r.value;
          p.name = `${p.name} → ${r.value} queue${r.value === 1 ? '' : 's'}`;
          close(p, r.t);
        }
        break;
      }
      case Rec.Unroutable:
      case Rec.PublishRejected:
      case Rec.Deduplicated: {
        const p = publishes.get(r.msg);
        if (!p) break;
        if (r.kind === Rec.Deduplicated) {
          p.events.push({ t: r.t, name: 'dropped by the topic as a repeat (deduplicated)' });
          close(p, r.t);
        } else {
          const why = r.kind === Rec.Unroutable ? 'matched no queue' : reasonName(r.code);
          p.events.push({
            t: r.t,
            name: r.kind === Rec.Unroutable ? 'unroutable' : 'refused',
            detail: why,
          });
          close(p, r.t, 'error', why);
        }
        break;
      }
      case Rec.Enqueued:
        startWait(r.msg, r.to, r.t, '');
        break;
      case Rec.Delivered: {
        endWait(r.msg, r.from, r.t, 'ok');
        const parent = publishes.get(r.msg) ?? root;
        const type = eventTypes.get(r.msg) ?? '';
        const span = open(
          'process',
          parent.id,
          r.to,
          r.t,
          `${name(r.to)} processes${type ? ` ${type}` : ''} (attempt ${r.attempt})`,
          { msg: r.msg, attempt: r.attempt, eventType: type },
        );
        span.facts.queue = name(r.from);
        span.facts.waited_ms = r.value;
        if (r.code !== 0) span.facts.redelivered_because = reasonName(r.code);
        processes.set(copyOf(r.msg, r.to), span);
        break;
      }
      case Rec.Acked:
      case Rec.Nacked:
      case Rec.Requeued:
      case Rec.AckRejected: {
        const p = processes.get(copyOf(r.msg, r.from));
        if (r.kind === Rec.Acked) {
          if (p) close(p, r.t);
        } else if (r.kind === Rec.Nacked) {
          if (p) {
            p.events.push({ t: r.t, name: 'rejected (nack)', detail: reasonName(r.code) });
            close(p, r.t, 'error', reasonName(r.code));
          }
        } else if (r.kind === Rec.AckRejected) {
          if (p) {
            p.events.push({
              t: r.t,
              name: 'acknowledgement came too late',
              detail: reasonName(r.code),
            });
            close(p, r.t, 'error', reasonName(r.code));
          }
        } else {
          if (p) {
            p.events.push({
              t: r.t,
              name: 'back to the head of the queue',
              detail: reasonName(r.code),
            });
            close(p, r.t, 'error', reasonName(r.code));
          }
          startWait(r.msg, r.to, r.t, reasonName(r.code));
        }
        break;
      }
      case Rec.RetryScheduled: {
        const parent = publishes.get(r.msg) ?? root;
        const span = open(
          'backoff',
          parent.id,
          r.from,
          r.t,
          `backoff ${r.value} ms before attempt ${r.attempt + 1}`,
          {
            msg: r.msg,
            attempt: r.attempt,
            eventType: eventTypes.get(r.msg) ?? '',
          },
        );
        span.facts.delay_ms = r.value;
        span.facts.after = reasonName(r.code);
        backoffs.set(copyOf(r.msg, r.from), span);
        break;
      }
      case Rec.RetryReady: {
        const key = copyOf(r.msg, r.from);
        const b = backoffs.get(key);
        if (b) {
          close(b, r.t);
          backoffs.delete(key);
        }
        startWait(r.msg, r.from, r.t, 'retry after backoff');
        break;
      }
      case Rec.DeadLettered: {
        endWait(r.msg, r.from, r.t, 'error', reasonName(r.code));
        const parent = publishes.get(r.msg) ?? root;
        const span = open(
          'dead-letter',
          parent.id,
          r.to,
          r.t,
          `parked in ${name(r.to)} (from ${name(r.from)})`,
          { msg: r.msg, attempt: r.attempt, eventType: eventTypes.get(r.msg) ?? '' },
        );
        span.status = 'error';
        span.statusMessage = `dead-lettered after attempt ${r.attempt}: ${reasonName(r.code)}`;
        span.facts.queue = name(r.from);
        parked.set(r.msg, span);
        // Also on the copy's last delivery, where a tracing tool would show it.
        const consumer = model.services.find(
          (x) => x.queue >= 0 && model.queues[x.queue]?.node === r.from,
        );
        const last = consumer ? processes.get(copyOf(r.msg, consumer.node)) : undefined;
        last?.events.push({ t: r.t, name: 'dead-lettered', detail: reasonName(r.code) });
        break;
      }
      case Rec.Redriven: {
        const d = parked.get(r.msg);
        if (d) {
          d.end = r.t;
          d.open = false;
          d.events.push({ t: r.t, name: 'redriven', detail: `back to ${name(r.to)}` });
          parked.delete(r.msg);
        }
        startWait(r.msg, r.to, r.t, 'redriven from the dead-letter queue');
        break;
      }
      case Rec.Expired:
      case Rec.Dropped: {
        const why = r.kind === Rec.Expired ? 'expired' : `dropped: ${reasonName(r.code)}`;
        endWait(r.msg, r.from, r.t, 'error', why);
        const b = backoffs.get(copyOf(r.msg, r.from));
        if (b?.open) close(b, r.t, 'error', why);
        break;
      }
      default:
        break;
    }
  }

  // Whatever is still going at `now` (waiting, in a backoff, parked, being processed).
  let end = first.t;
  for (const s of spans) {
    if (s === root) continue;
    if (s.open) s.end = Math.max(s.start, now);
    end = Math.max(end, s.end);
  }
  const stillGoing = spans.some((s) => s !== root && s.open && s.kind !== 'dead-letter');
  const last = records[records.length - 1] as TraceRecord;
  end = Math.max(end, last.t);
  root.end = stillGoing || !finished ? Math.max(end, now) : end;
  root.open = stillGoing || !finished;
  if (!root.open && root.status !== 'error') root.status = 'ok';
  if (!outcome) outcome = 'in progress';
  else if (root.open) outcome = `${outcome}; work still going on`;
  if (parked.size > 0)
    outcome = `${outcome}; ${parked.size} copy${parked.size === 1 ? '' : 'ies'} in the dead-letter queue`;
  return { corr, start: first.t, end: root.end, spans, outcome, poison };
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
