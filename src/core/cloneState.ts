/**
 * A deep copy of plain data, as `structuredClone` makes it, several times faster for the
 * engine's state: objects, arrays, Maps, Sets and typed arrays, with shared references
 * kept shared (one order held by several copies of a message stays one order in the copy).
 *
 * `structuredClone` serialises the whole graph and reads it back: about 3 µs per message
 * of a queue's backlog, so restoring a checkpoint with 6,700 waiting copies took ~30 ms
 * and checkpoints were 15% of the engine benchmark. This copies each object once, in
 * place. Only what the state holds is supported (DESIGN.md: state is plain data); a
 * function or a class instance with a prototype of its own is a programming error and
 * throws, as `structuredClone` would for a function.
 */

import {
  type Call,
  type Deque,
  type Delivery,
  Ev,
  type EventOf,
  type EventRefs,
  type EvKind,
  type Job,
  type LogRecord,
  type Message,
  type Order,
  type SagaState,
  type SimEvent,
  type SimState,
} from './state';

type Seen = Map<object, unknown>;

function copyValue(value: unknown, seen: Seen): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') throw new Error('cloneState: a function in the state');
    return value;
  }
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    // Copied whole, then its objects replaced in the copy: reads and writes touch the copy
    // only. Read element by element, the live state's arrays were transitioned by this
    // function's optimised code, which sees every kind of array, to its most general
    // elements kind (HOLEY_ELEMENTS): at the first checkpoint after V8 optimised it, every
    // hot engine function deoptimised at once ("wrong map" on the heap, the services, the
    // random streams), and the next run's fresh arrays made them polymorphic. `slice`
    // keeps the source's elements kind (the random streams stay unboxed doubles) and
    // copies numbers without a call per element.
    const out = value.slice();
    seen.set(value, out);
    for (let i = 0; i < out.length; i++) {
      const item: unknown = out[i];
      if (typeof item === 'object' ? item !== null : typeof item === 'function')
        out[i] = copyValue(item, seen);
    }
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    const out = (value as unknown as { slice(): object }).slice();
    seen.set(value, out);
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(value, out);
    for (const [k, v] of value) out.set(copyValue(k, seen), copyValue(v, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    seen.set(value, out);
    for (const v of value) out.add(copyValue(v, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    throw new Error(`cloneState: a ${proto?.constructor?.name ?? 'class'} instance in the state`);
  // A spread copies every own field at once and gives the copy its source's layout (the
  // same hidden class where V8 can), so a state restored from a checkpoint runs through
  // the same optimised code as a fresh one; adding the fields one by one to `{}` built
  // other hidden classes, with a megamorphic store per field. Object fields are then
  // replaced by their copies.
  const out: Record<string, unknown> =
    proto === null ? Object.assign(Object.create(null), value) : { ...value };
  seen.set(value, out);
  for (const key in out) {
    const field = out[key];
    if (typeof field === 'object' ? field === null : typeof field !== 'function') continue;
    const copy = copyValue(field, seen);
    // A key named `__proto__` (a learner's attribute name) is data, not the prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, {
        value: copy,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = copy;
  }
  return out;
}

/** A deep copy of `state` (plain data), shared references kept shared. */
export function cloneState<T>(state: T): T {
  return copyValue(state, new Map()) as T;
}

/**
 * A checkpoint: `cloneState` of a run's state, with the objects a busy run holds by the
 * thousand (scheduled events, deliveries, copies of messages, orders) each copied by a
 * literal of its own type. The generic copy goes through a spread that V8 cannot
 * specialise (it sees every shape): ~500 ns an object, and ~7% of the engine benchmark's
 * run went to its 30 checkpoints of ~1,600 objects behind ~750 pending events. Measured
 * on that state (bundled, quiet machine): 0.65-0.96 ms a copy generic, 0.25 ms typed.
 * The literals list their fields in the order the engine creates them, so the copies
 * share the originals' hidden classes; the compiler checks that each lists every field
 * of its type. Everything else, and whatever these hold that is not one of them, is
 * copied by `copyValue`, sharing one map of what was copied already.
 */
export function cloneSimState(state: SimState): SimState {
  const seen: Seen = new Map();
  const heap: SimEvent[] = new Array(state.heap.length);
  seen.set(state.heap, heap);
  for (let i = 0; i < heap.length; i++) heap[i] = copyEvent(state.heap[i] as SimEvent, seen);
  // The waiting lines, by type too: a backlog is what a run holds most of. Measured (seek
  // bench, checkout at 50 orders/s, 5 minutes in): the chain's services held ~25,600
  // objects waiting in their accept lines and the event side's queues ~8,000 copies, and
  // restoring them generically was a third of a seek's time.
  for (const q of state.queues) copyDeque(q.ready, seen, copyMessage);
  for (const svc of state.services) copyDeque(svc.accept, seen, copyJob);
  return copyValue(state, seen) as SimState;
}

/** A ring buffer's copy, its items copied by `copy` (the generic copy then finds it done). */
function copyDeque<T>(d: Deque<T>, seen: Seen, copy: (item: T, seen: Seen) => T): void {
  if (seen.has(d)) return;
  // `slice` keeps the array's elements kind (see copyValue); the ring's empty slots stay.
  const buf = d.buf.slice();
  seen.set(d.buf, buf);
  for (let i = 0; i < buf.length; i++) {
    const item = buf[i];
    if (item !== undefined) buf[i] = copy(item, seen);
  }
  const out: Deque<T> = { buf, head: d.head, size: d.size };
  seen.set(d, out);
}

function copyJob(j: Job, seen: Seen): Job {
  const known = seen.get(j);
  if (known !== undefined) return known as Job;
  const out: Job = {
    call: j.call,
    svc: j.svc,
    order: j.order,
    state: j.state,
    startedAt: j.startedAt,
    duration: j.duration,
    downstream: j.downstream,
    pendingConfirms: j.pendingConfirms,
    confirmError: j.confirmError,
    retrying: j.retrying,
    publishRetries: j.publishRetries,
    done: null,
    slot: j.slot,
  };
  seen.set(j, out);
  out.call = copyCall(j.call, seen);
  out.order = copyOrder(j.order, seen);
  const shared = seen.get(j.downstream);
  if (shared !== undefined) out.downstream = shared as Call[];
  else {
    const downstream: Call[] = new Array(j.downstream.length);
    seen.set(j.downstream, downstream);
    for (let i = 0; i < downstream.length; i++)
      downstream[i] = copyCall(j.downstream[i] as Call, seen);
    out.downstream = downstream;
  }
  if (j.retrying) out.retrying = copyValue(j.retrying, seen) as number[];
  if (j.done) out.done = copyEvent(j.done, seen);
  return out;
}

function copyCall(c: Call, seen: Seen): Call {
  const known = seen.get(c);
  if (known !== undefined) return known as Call;
  const out: Call = {
    id: c.id,
    order: c.order,
    caller: c.caller,
    callerJob: null,
    callee: c.callee,
    attempt: c.attempt,
    sentAt: c.sentAt,
    open: c.open,
    timeout: null,
  };
  seen.set(c, out);
  out.order = copyOrder(c.order, seen);
  if (c.callerJob) out.callerJob = copyJob(c.callerJob, seen);
  if (c.timeout) out.timeout = copyEvent(c.timeout, seen);
  return out;
}

function copyEvent<E extends SimEvent>(ev: E, seen: Seen): E {
  const known = seen.get(ev);
  if (known !== undefined) return known as E;
  const out: EventOf<EvKind> = {
    at: ev.at,
    seq: ev.seq,
    kind: ev.kind,
    ref: null,
    code: ev.code,
    cancelled: ev.cancelled,
  };
  seen.set(ev, out);
  out.ref = copyRef(ev, seen);
  return out as E;
}

/** What an event carries, copied by its type where that is one of the common ones. */
function copyRef(ev: SimEvent, seen: Seen): EventRefs[EvKind] {
  switch (ev.kind) {
    case Ev.DeliveryDone:
    case Ev.ConsumerTimeout:
      return copyDelivery(ev.ref, seen);
    case Ev.RetryReady:
    case Ev.Expire:
    case Ev.VisibilityExpire:
      return copyMessage(ev.ref, seen);
    default:
      return copyValue(ev.ref, seen) as EventRefs[EvKind];
  }
}

function copyDelivery(d: Delivery, seen: Seen): Delivery {
  const known = seen.get(d);
  if (known !== undefined) return known as Delivery;
  const out: Delivery = {
    msg: d.msg,
    svc: d.svc,
    startedAt: d.startedAt,
    duration: d.duration,
    done: null,
    slot: d.slot,
    receipt: d.receipt,
    channel: d.channel,
  };
  seen.set(d, out);
  out.msg = copyMessage(d.msg, seen);
  if (d.done) out.done = copyEvent(d.done, seen);
  return out;
}

function copyMessage(m: Message, seen: Seen): Message {
  const known = seen.get(m);
  if (known !== undefined) return known as Message;
  const out: Message = {
    id: m.id,
    queue: m.queue,
    order: m.order,
    type: m.type,
    publishedAt: m.publishedAt,
    enqueuedAt: m.enqueuedAt,
    attempts: m.attempts,
    returns: m.returns,
    cause: m.cause,
    effectDone: m.effectDone,
    lastError: m.lastError,
    retry: null,
    where: m.where,
    expiresAt: m.expiresAt,
    receipt: m.receipt,
    part: m.part,
    offset: m.offset,
    rec: null,
  };
  seen.set(m, out);
  out.order = copyOrder(m.order, seen);
  if (m.retry) out.retry = copyEvent(m.retry, seen);
  if (m.rec) out.rec = copyValue(m.rec, seen) as LogRecord;
  return out;
}

function copyOrder(o: Order, seen: Seen): Order {
  const known = seen.get(o);
  if (known !== undefined) return known as Order;
  const out: Order = {
    corr: o.corr,
    receivedAt: o.receivedAt,
    live: o.live,
    effects: o.effects,
    answered: o.answered,
    completed: o.completed,
    deadLettered: o.deadLettered,
    poison: o.poison,
    rootCause: o.rootCause,
    rootNode: o.rootNode,
    cancelled: o.cancelled,
    saga: null,
    key: o.key,
    attrs: o.attrs,
  };
  seen.set(o, out);
  if (o.saga) out.saga = copyValue(o.saga, seen) as SagaState;
  out.attrs = copyValue(o.attrs, seen) as number[];
  return out;
}
