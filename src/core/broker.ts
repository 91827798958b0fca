/**
 * The three broker flavours behind event fan-out.
 *
 * - `queue` (RabbitMQ 4.x style): exchanges route a copy to every bound queue; manual
 *   ack; failures are retried after a backoff, requeued or rejected; per-queue TTL,
 *   max-length (drop-head or reject-publish), delivery limit, dead-lettering.
 * - `log` (Kafka 4.x style): records are appended to partitions by key and never
 *   change; each subscriber is a consumer group with its own committed offsets; a
 *   partition is read by one member at a time, in order; retention ignores reading.
 * - `sns-sqs`: a topic copies each message to subscribed queues (filter policies
 *   apply); a received message is invisible for the visibility timeout and reappears
 *   unless deleted; the redrive policy moves it to a dead-letter queue after
 *   maxReceiveCount receives; FIFO queues keep order per message group and drop
 *   repeats seen within five minutes.
 *
 * Every copy's life is written to the trace with the same records in all flavours
 * (enqueued, delivered, acked, requeued, dead-lettered...), so metrics, invariants and
 * the canvas work the same way whichever broker is chosen.
 */
import { hashString, nextFloat } from './rng';
import {
  checkOrderDone,
  type Delivery,
  type Deque,
  dequeAt,
  dequePopFront,
  dequePushBack,
  dequePushFront,
  Ev,
  type GroupState,
  type Job,
  type LogRecord,
  type Message,
  nodeOf,
  type Order,
  type Partition,
  type PublishInTransit,
  type QueueState,
  type RunContext,
  record,
  releaseSlot,
  rememberId,
  type ServiceState,
  type SimState,
  type SimEvent,
  sampleLatency,
  schedule,
  takeSlot,
  workOutcome,
} from './state';
import { BROKER_NODE, Effect, Reason, Rec } from './trace';
import { FOR_FAILED_ORDER } from './metrics';

/** How often a standard SQS queue hands out a message twice although it was deleted. */
export const STANDARD_DUPLICATE_RATE = 0.002;
/** SNS FIFO deduplication window (fixed by AWS). */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;
/** Dead letters kept for inspection and redrive. */
export const MAX_KEPT_DEAD_LETTERS = 2000;

const queueNode = (ctx: RunContext, qi: number) => (ctx.model.queues[qi] as { node: number }).node;
const consumerOf = (ctx: RunContext, qi: number) => (ctx.model.queues[qi] as { service: number }).service;

function newMessage(state: SimState, id: number, qi: number, order: Order, type: number, publishedAt: number): Message {
  return {
    id,
    queue: qi,
    order,
    type,
    publishedAt,
    enqueuedAt: state.now,
    attempts: 0,
    cause: 0,
    effectDone: false,
    lastError: 0,
    retry: null,
    where: 'ready',
    expiresAt: Number.POSITIVE_INFINITY,
    receipt: 0,
    part: -1,
    offset: -1,
    rec: null,
  };
}

// ---------------------------------------------------------------------------------
// Publishing and routing

/** A service publishes an event; it reaches the broker after one network trip. */
export function publish(ctx: RunContext, state: SimState, index: number, type: number, order: Order, job: Job | null): void {
  const p: PublishInTransit = { id: ++state.nextEvent, type, order, from: index, job, publishedAt: state.now };
  order.live++;
  record(ctx, state, Rec.Published, nodeOf(ctx, index), BROKER_NODE, p.id, order.corr, 0, type, ctx.network);
  schedule(state, state.now + ctx.network, Ev.PublishArrive, p);
}

function passesFilter(ctx: RunContext, qi: number, order: Order): boolean {
  const filter = ctx.filters[qi];
  if (!filter) return true;
  for (const [attribute, accepted] of filter) if (!accepted.has(order.attrs[attribute] ?? -1)) return false;
  return true;
}

export function onPublishArrive(ctx: RunContext, state: SimState, p: PublishInTransit): void {
  const order = p.order;
  const broker = ctx.scenario.broker;
  let refused = 0;
  if (broker.kind === 'sns-sqs' && broker.fifo && isDuplicatePublish(state, `${order.corr}:${p.type}`)) {
    // Content-based deduplication: the same order's event again within five minutes.
    record(ctx, state, Rec.Deduplicated, BROKER_NODE, BROKER_NODE, p.id, order.corr, 0, p.type, 0);
  } else if (broker.kind === 'log') {
    appendToLog(ctx, state, p);
  } else {
    // Counted first, then copied: no array per publish on the hot path.
    const routes = ctx.routes[p.type] as number[];
    const isTarget = (qi: number) => (state.queues[qi] as QueueState).subscribed && passesFilter(ctx, qi, order);
    let targets = 0;
    for (const qi of routes) if (isTarget(qi)) targets++;
    if (targets === 0) {
      // No queue is bound: the message is dropped (or kept by an alternate exchange).
      const ae = broker.kind === 'queue' && broker.alternate_exchange ? ctx.model.aeNode : BROKER_NODE;
      record(ctx, state, Rec.Unroutable, BROKER_NODE, ae, p.id, order.corr, 0, p.type, 0);
    } else {
      record(ctx, state, Rec.Routed, BROKER_NODE, BROKER_NODE, p.id, order.corr, 0, p.type, targets);
      for (const qi of routes) {
        if (isTarget(qi) && !enqueueCopy(ctx, state, newMessage(state, p.id, qi, order, p.type, p.publishedAt))) refused = Reason.Overflow;
      }
    }
  }
  order.live--;
  // The publisher's confirm travels back (negative if a full queue refused the message).
  if (p.job) schedule(state, state.now + ctx.network, Ev.ConfirmArrive, p.job, refused);
  checkOrderDone(ctx, state, order);
}

function isDuplicatePublish(state: SimState, key: string): boolean {
  // Entries are in insertion order, so expired ones are at the front.
  for (const [k, until] of state.dedup) {
    if (until > state.now) break;
    state.dedup.delete(k);
  }
  if (state.dedup.has(key)) return true;
  state.dedup.set(key, state.now + DEDUP_WINDOW_MS);
  return false;
}

/** Put a new copy on a queue. Returns false if a full queue refused it. */
function enqueueCopy(ctx: RunContext, state: SimState, msg: Message): boolean {
  const qi = msg.queue;
  const q = state.queues[qi] as QueueState;
  const broker = ctx.scenario.broker;
  const node = queueNode(ctx, qi);
  const full = broker.kind === 'queue' && broker.max_length !== undefined && q.ready.size - q.tombstones >= broker.max_length;
  if (full && broker.kind === 'queue' && broker.overflow === 'reject-publish') {
    record(ctx, state, Rec.PublishRejected, BROKER_NODE, node, msg.id, msg.order.corr, 0, Reason.Overflow, 0);
    return false;
  }
  msg.order.live++;
  record(ctx, state, Rec.Enqueued, BROKER_NODE, node, msg.id, msg.order.corr, 0, msg.type, 0);
  dequePushBack(q.ready, msg);
  if (broker.kind === 'queue' && broker.message_ttl_ms !== undefined) {
    msg.expiresAt = state.now + broker.message_ttl_ms;
    schedule(state, msg.expiresAt, Ev.Expire, msg);
  }
  // drop-head: the oldest waiting messages make room.
  enforceMaxLength(ctx, state, q);
  startConsumers(ctx, state, consumerOf(ctx, qi));
  return true;
}

/** Oldest live message of the ready line, skipping expired tombstones. */
function popReady(q: QueueState): Message | undefined {
  for (;;) {
    const msg = dequePopFront(q.ready);
    if (msg?.where !== 'done') return msg;
    q.tombstones--;
  }
}

function removeAt<T>(d: Deque<T>, i: number): T {
  const item = dequeAt(d, i) as T;
  // Shift the items before it one place towards the back, then drop the head.
  for (let k = i; k > 0; k--) d.buf[(d.head + k) % d.buf.length] = dequeAt(d, k - 1);
  dequePopFront(d);
  return item;
}

// ---------------------------------------------------------------------------------
// The log (Kafka style)

function partitionOf(key: number, partitions: number): number {
  return hashString(`key-${key}`) % partitions;
}

function appendToLog(ctx: RunContext, state: SimState, p: PublishInTransit): void {
  const broker = ctx.scenario.broker;
  if (broker.kind !== 'log') return;
  const partitions = state.topics[p.type] as Partition[];
  const pi = partitionOf(p.order.key, broker.partitions);
  const part = partitions[pi] as Partition;
  const rec: LogRecord = { offset: part.end, id: p.id, order: p.order, type: p.type, publishedAt: p.publishedAt, appendedAt: state.now, effects: 0 };
  part.end++;
  dequePushBack(part.records, rec);
  record(ctx, state, Rec.Appended, BROKER_NODE, BROKER_NODE, p.id, p.order.corr, 0, pi, rec.offset);
  applyRetention(ctx, state, p.type, pi);
  // Every subscribed group can now read it: one copy per group.
  const groups = (ctx.routes[p.type] as number[]).filter((qi) => (state.queues[qi] as QueueState).subscribed);
  record(ctx, state, Rec.Routed, BROKER_NODE, BROKER_NODE, p.id, p.order.corr, 0, p.type, groups.length);
  for (const qi of groups) {
    p.order.live++;
    record(ctx, state, Rec.Enqueued, BROKER_NODE, queueNode(ctx, qi), p.id, p.order.corr, 0, p.type, rec.offset);
    startConsumers(ctx, state, consumerOf(ctx, qi));
  }
}

/** Delete records past retention; groups that had not read them lose them. */
function applyRetention(ctx: RunContext, state: SimState, type: number, pi: number): void {
  const broker = ctx.scenario.broker;
  if (broker.kind !== 'log') return;
  const part = (state.topics[type] as Partition[])[pi] as Partition;
  const horizon = state.now - broker.retention_ms;
  const deleted: LogRecord[] = [];
  let oldest = dequeAt(part.records, 0);
  while (oldest && oldest.appendedAt < horizon) {
    deleted.push(dequePopFront(part.records) as LogRecord);
    part.start++;
    oldest = dequeAt(part.records, 0);
  }
  if (deleted.length === 0) return;
  const first = (deleted[0] as LogRecord).offset;
  for (let qi = 0; qi < state.queues.length; qi++) {
    const q = state.queues[qi] as QueueState;
    const g = q.group;
    if (!g || !q.subscribed) continue;
    g.parts.forEach(([t, p], s) => {
      if (t !== type || p !== pi) return;
      while ((g.position[s] as number) < part.start) {
        // Unread and deleted: it expired for this group (retention does not wait for readers).
        const offset = g.position[s] as number;
        const current = g.current[s];
        const rec = current?.offset === offset ? current : deleted[offset - first];
        if (!rec) break;
        if (current?.offset === offset) g.current[s] = null;
        const since = 'appendedAt' in rec ? Math.max(rec.appendedAt, g.since[s] as number) : rec.enqueuedAt;
        expireForGroup(ctx, state, qi, g, s, rec.id, rec.order, offset, since);
      }
      // A committed offset below the log start points at nothing: it resets to the start
      // (a record fetched before it was deleted is still being handled and may yet fail).
      g.committed[s] = Math.max(g.committed[s] as number, part.start);
    });
  }
}

function expireForGroup(ctx: RunContext, state: SimState, qi: number, g: GroupState, s: number, id: number, order: Order, offset: number, visibleSince: number): void {
  const node = queueNode(ctx, qi);
  record(ctx, state, Rec.Expired, node, node, id, order.corr, 0, Reason.Expired, state.now - visibleSince);
  g.position[s] = offset + 1;
  g.committed[s] = Math.max(g.committed[s] as number, offset + 1);
  order.deadLettered = true;
  order.live--;
  checkOrderDone(ctx, state, order);
}

/** Log: the group goes back to read `msg` again; if retention deleted it meanwhile, it expires. */
function rewindTo(ctx: RunContext, state: SimState, g: GroupState, msg: Message): void {
  const [type, pi] = g.parts[msg.part] as [number, number];
  const part = (state.topics[type] as Partition[])[pi] as Partition;
  if (msg.offset >= part.start) {
    g.position[msg.part] = msg.offset;
    return;
  }
  // Deleted while it was being handled. Retention may already have moved the group
  // past later records too: never step back over those.
  const ahead = g.position[msg.part] as number;
  g.current[msg.part] = null;
  msg.where = 'done';
  expireForGroup(ctx, state, msg.queue, g, msg.part, msg.id, msg.order, msg.offset, msg.enqueuedAt);
  g.position[msg.part] = Math.max(ahead, msg.offset + 1);
}

function recordAt(state: SimState, type: number, pi: number, offset: number): LogRecord | undefined {
  const part = (state.topics[type] as Partition[])[pi] as Partition;
  return dequeAt(part.records, offset - part.start);
}

/** Hand free members of a group the next record of partitions they own. */
function startGroup(ctx: RunContext, state: SimState, index: number, svc: ServiceState, qi: number, g: GroupState): void {
  const slots = g.parts.length;
  if (slots === 0) return;
  const members = svc.workers;
  // A member is busy while any partition it owns has a record in flight.
  const busyMembers = new Set<number>();
  for (let s = 0; s < slots; s++) if (g.current[s]?.where === 'in-flight') busyMembers.add(s % members);
  for (let k = 0; k < slots && svc.busy < svc.workers; k++) {
    const s = (g.cursor + k) % slots;
    const member = s % members;
    if (busyMembers.has(member) || g.blocked[s]) continue;
    let msg = g.current[s];
    if (msg && msg.where !== 'ready') continue;
    if (!msg) {
      const [type, pi] = g.parts[s] as [number, number];
      const rec = recordAt(state, type, pi, g.position[s] as number);
      if (!rec) continue;
      msg = newMessage(state, rec.id, qi, rec.order, rec.type, rec.publishedAt);
      msg.enqueuedAt = Math.max(rec.appendedAt, g.since[s] as number);
      msg.part = s;
      msg.offset = rec.offset;
      msg.rec = rec;
      // Read again after a reset: the group's consumer may already have done its work.
      msg.effectDone = (rec.effects & (1 << qi)) !== 0;
      // Read before: the group's offsets were moved back.
      if (rec.offset < (g.readUpTo[s] as number)) msg.cause = Reason.Replay;
      g.current[s] = msg;
    }
    g.readUpTo[s] = Math.max(g.readUpTo[s] as number, msg.offset + 1);
    g.position[s] = msg.offset + 1;
    if (ctx.scenario.broker.kind === 'log' && ctx.scenario.broker.commit === 'before') g.committed[s] = msg.offset + 1;
    busyMembers.add(member);
    deliver(ctx, state, index, msg);
  }
  g.cursor = (g.cursor + 1) % slots;
}

// ---------------------------------------------------------------------------------
// Consumers

/** How many messages a service consumes at once. */
function consumerCapacity(ctx: RunContext, svc: ServiceState): number {
  const broker = ctx.scenario.broker;
  if (broker.kind === 'queue' && broker.prefetch !== undefined) {
    // Prefetch caps unacknowledged messages per consumer (one consumer per replica).
    return svc.replicas * Math.min(svc.concurrency, broker.prefetch);
  }
  return svc.workers;
}

/** Give the service's free workers messages from its queue, each flavour its own way. */
export function startConsumers(ctx: RunContext, state: SimState, index: number): void {
  const svc = state.services[index] as ServiceState;
  const qi = (ctx.model.services[index] as { queue: number }).queue;
  if (svc.down || qi < 0) return;
  const q = state.queues[qi] as QueueState;
  if (!q.subscribed) return;
  const broker = ctx.scenario.broker;
  if (broker.kind === 'log') {
    if (q.group) startGroup(ctx, state, index, svc, qi, q.group);
    return;
  }
  const capacity = consumerCapacity(ctx, svc);
  while (svc.busy < capacity && q.ready.size - q.tombstones > 0) {
    let msg: Message | undefined;
    if (broker.kind === 'sns-sqs') {
      msg = broker.fifo ? takeFifo(q) : takeStandard(state, q);
      if (!msg) return;
    } else {
      msg = popReady(q);
    }
    if (!msg) return;
    deliver(ctx, state, index, msg);
  }
}

/** FIFO: the first message whose group has nothing in flight. Order within a group holds. */
function takeFifo(q: QueueState): Message | undefined {
  for (let i = 0; i < q.ready.size; i++) {
    const msg = dequeAt(q.ready, i) as Message;
    if (!q.groupsInFlight.has(msg.order.key)) return removeAt(q.ready, i);
  }
  return undefined;
}

/** Standard queue: best-effort order, so one of the first few messages. */
function takeStandard(state: SimState, q: QueueState): Message {
  const window = Math.min(3, q.ready.size);
  return removeAt(q.ready, Math.floor(nextFloat(state.orderRng) * window));
}

function deliver(ctx: RunContext, state: SimState, index: number, msg: Message): void {
  const svc = state.services[index] as ServiceState;
  const q = state.queues[msg.queue] as QueueState;
  msg.attempts++;
  msg.where = 'in-flight';
  q.inFlight++;
  record(ctx, state, Rec.Delivered, queueNode(ctx, msg.queue), nodeOf(ctx, index), msg.id, msg.order.corr, msg.attempts, msg.cause, state.now - msg.enqueuedAt);
  msg.cause = 0;
  const broker = ctx.scenario.broker;
  if (broker.kind === 'sns-sqs') {
    msg.receipt = ++state.nextReceipt;
    if (broker.fifo) q.groupsInFlight.add(msg.order.key);
    schedule(state, state.now + broker.visibility_timeout_ms, Ev.VisibilityExpire, msg, msg.receipt);
  }
  const work = sampleLatency(ctx, svc, index);
  const d: Delivery = { msg, svc: index, startedAt: state.now, duration: work, done: null as unknown as SimEvent, slot: -1, receipt: msg.receipt };
  takeSlot(svc, d);
  // The copy travels to the consumer, then the consumer works on it.
  d.done = schedule(state, state.now + ctx.network + work, Ev.DeliveryDone, d);
}

function backoffDelay(ctx: RunContext, state: SimState, attempts: number): number {
  const d = ctx.scenario.delivery;
  const ceiling = d.backoff === 'fixed' ? d.base_ms : Math.min(d.cap_ms, d.base_ms * 2 ** Math.min(attempts - 1, 40));
  // Full jitter: anywhere between 0 and the ceiling, so retries of many messages spread out.
  return d.jitter === 'full' ? Math.floor(nextFloat(state.backoffRng) * (ceiling + 1)) : ceiling;
}

/** The consumer's side effect, unless an idempotent consumer has seen this message id. */
function performEffect(ctx: RunContext, state: SimState, d: Delivery): void {
  const { msg, svc: index } = d;
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const order = msg.order;
  const seenBefore = msg.effectDone || svc.seen.ids.has(msg.id);
  if (seenBefore && svc.idempotent) {
    record(ctx, state, Rec.Processed, node, node, msg.id, order.corr, msg.attempts, Effect.SkippedIdempotent, d.duration);
    return;
  }
  let code: number = seenBefore ? Effect.Duplicate : Effect.First;
  if (order.answered === 2) code |= FOR_FAILED_ORDER;
  msg.effectDone = true;
  if (msg.rec) msg.rec.effects |= 1 << msg.queue;
  // Only a consumer written to be idempotent keeps a store of the ids it handled.
  if (svc.idempotent) rememberId(svc.seen, msg.id);
  order.effects |= 1 << index;
  record(ctx, state, Rec.Processed, node, node, msg.id, order.corr, msg.attempts, code, d.duration);
  for (const type of (ctx.model.services[index] as { emits: number[] }).emits) publish(ctx, state, index, type, order, null);
}

export function onDeliveryDone(ctx: RunContext, state: SimState, d: Delivery): void {
  const { msg, svc: index } = d;
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const qNode = queueNode(ctx, msg.queue);
  const broker = ctx.scenario.broker;
  releaseSlot(svc, d);
  const failure = workOutcome(ctx, svc, index, msg.order);

  if (msg.where !== 'in-flight' || (broker.kind === 'sns-sqs' && msg.receipt !== d.receipt)) {
    // SQS: the visibility timeout ended while this worker was still busy; the message
    // went back to the queue and may be with another worker. The work still happened.
    if (failure) record(ctx, state, Rec.WorkFailed, node, node, msg.id, msg.order.corr, msg.attempts, failure, d.duration);
    else performEffect(ctx, state, d);
    record(ctx, state, Rec.AckRejected, node, qNode, msg.id, msg.order.corr, msg.attempts, Reason.VisibilityTimeout, 0);
    startConsumers(ctx, state, index);
    return;
  }

  if (failure) {
    msg.lastError = failure;
    record(ctx, state, Rec.WorkFailed, node, node, msg.id, msg.order.corr, msg.attempts, failure, d.duration);
    onFailure(ctx, state, msg, failure, node, qNode);
  } else {
    performEffect(ctx, state, d);
    if (svc.crashRate > 0 && nextFloat(svc.crashRng) < svc.crashRate) {
      // The consumer dies before its ack reaches the broker.
      msg.lastError = Reason.CrashBeforeAck;
      onCrash(ctx, state, msg, node, qNode);
    } else {
      acknowledge(ctx, state, msg, node, qNode);
    }
  }
  startConsumers(ctx, state, index);
}

function acknowledge(ctx: RunContext, state: SimState, msg: Message, node: number, qNode: number): void {
  const q = state.queues[msg.queue] as QueueState;
  const broker = ctx.scenario.broker;
  if (broker.kind === 'sns-sqs') {
    if (broker.fifo) q.groupsInFlight.delete(msg.order.key);
    else if (nextFloat(state.orderRng) < STANDARD_DUPLICATE_RATE) {
      // The delete did not reach every copy of the queue: the message will be received again.
      requeue(ctx, state, msg, Reason.StandardDuplicate, node, qNode, false);
      return;
    }
  }
  if (broker.kind === 'log' && q.group) {
    // Never behind what retention already skipped.
    q.group.committed[msg.part] = Math.max(q.group.committed[msg.part] as number, msg.offset + 1);
    q.group.current[msg.part] = null;
  }
  q.inFlight--;
  msg.where = 'done';
  // value: the committed record's offset (log), for order checks.
  record(ctx, state, Rec.Acked, node, qNode, msg.id, msg.order.corr, msg.attempts, 0, Math.max(0, msg.offset));
  msg.order.live--;
  checkOrderDone(ctx, state, msg.order);
}

function onFailure(ctx: RunContext, state: SimState, msg: Message, failure: number, node: number, qNode: number): void {
  const broker = ctx.scenario.broker;
  const q = state.queues[msg.queue] as QueueState;
  if (broker.kind === 'sns-sqs') {
    // Nothing to tell SQS: the message stays invisible until its visibility timeout ends.
    return;
  }
  if (broker.kind === 'queue' && broker.on_failure === 'requeue') {
    // nack with requeue: straight back to the head of the queue, until the delivery limit.
    requeue(ctx, state, msg, failure, node, qNode, true);
    return;
  }
  q.inFlight--;
  record(ctx, state, Rec.Nacked, node, qNode, msg.id, msg.order.corr, msg.attempts, failure, 0);
  if (broker.kind === 'queue' && broker.on_failure === 'reject') {
    deadLetter(ctx, state, msg, failure);
    return;
  }
  if (msg.attempts >= ctx.scenario.delivery.max_attempts) {
    deadLetter(ctx, state, msg, failure);
    return;
  }
  const delay = backoffDelay(ctx, state, msg.attempts);
  q.retrying++;
  msg.where = 'retrying';
  if (broker.kind === 'log' && q.group) q.group.blocked[msg.part] = true;
  record(ctx, state, Rec.RetryScheduled, qNode, qNode, msg.id, msg.order.corr, msg.attempts, failure, delay);
  msg.retry = schedule(state, state.now + delay, Ev.RetryReady, msg);
}

function onCrash(ctx: RunContext, state: SimState, msg: Message, node: number, qNode: number): void {
  const broker = ctx.scenario.broker;
  if (broker.kind === 'sns-sqs') return; // not deleted: it reappears after the visibility timeout
  if (broker.kind === 'log' && broker.commit === 'before') {
    // The offset was committed before the work: nothing will be read again.
    acknowledge(ctx, state, msg, node, qNode);
    return;
  }
  requeue(ctx, state, msg, Reason.CrashBeforeAck, node, qNode, true);
}

/**
 * An unacknowledged copy goes back to the head of its queue (queue, SQS) or the
 * group's position goes back to its committed offset (log).
 */
function requeue(ctx: RunContext, state: SimState, msg: Message, cause: number, node: number, qNode: number, checkLimit: boolean): void {
  const q = state.queues[msg.queue] as QueueState;
  const broker = ctx.scenario.broker;
  if (checkLimit && broker.kind === 'queue' && msg.attempts >= broker.delivery_limit) {
    q.inFlight--;
    record(ctx, state, Rec.Nacked, node, qNode, msg.id, msg.order.corr, msg.attempts, cause, 0);
    deadLetter(ctx, state, msg, Reason.DeliveryLimit);
    return;
  }
  q.inFlight--;
  msg.cause = cause;
  msg.enqueuedAt = state.now;
  msg.where = 'ready';
  record(ctx, state, Rec.Requeued, node, qNode, msg.id, msg.order.corr, msg.attempts, cause, 0);
  if (broker.kind === 'log' && q.group) {
    rewindTo(ctx, state, q.group, msg);
    return;
  }
  if (broker.kind === 'sns-sqs' && broker.fifo) q.groupsInFlight.delete(msg.order.key);
  dequePushFront(q.ready, msg);
  if (msg.expiresAt <= state.now) {
    // Its TTL ran out while a consumer held it: it expires as soon as it is back.
    expire(ctx, state, msg);
    return;
  }
  enforceMaxLength(ctx, state, q);
}

/** After a message re-enters the line (requeue, retry), a capped queue drops from the head. */
function enforceMaxLength(ctx: RunContext, state: SimState, q: QueueState): void {
  const broker = ctx.scenario.broker;
  if (broker.kind !== 'queue' || broker.max_length === undefined) return;
  while (q.ready.size - q.tombstones > broker.max_length) {
    const head = popReady(q);
    if (!head) return;
    endCopy(ctx, state, head, Reason.Overflow);
  }
}

/** A copy is finished without being processed: to the dead-letter queue if there is one. */
function deadLetter(ctx: RunContext, state: SimState, msg: Message, reason: number): void {
  const qNode = queueNode(ctx, msg.queue);
  const order = msg.order;
  msg.where = 'done';
  const q = state.queues[msg.queue] as QueueState;
  if (ctx.scenario.broker.kind === 'log' && q.group) {
    // Parked on a dead-letter topic; the group commits past it and moves on.
    q.group.committed[msg.part] = Math.max(q.group.committed[msg.part] as number, msg.offset + 1);
    q.group.current[msg.part] = null;
  }
  if (ctx.scenario.delivery.dead_letter) {
    // value: time spent waiting in line, for copies that leave from there (TTL, overflow).
    record(ctx, state, Rec.DeadLettered, qNode, ctx.model.dlqNode, msg.id, order.corr, msg.attempts, reason, state.now - msg.enqueuedAt);
    const dl = state.deadLetters;
    dl.count++;
    dl.items.push(msg);
    dl.reasons.push(reason);
    if (dl.items.length > MAX_KEPT_DEAD_LETTERS) {
      dl.items.shift();
      dl.reasons.shift();
    }
  } else {
    record(ctx, state, Rec.Dropped, qNode, qNode, msg.id, order.corr, msg.attempts, reason, 0);
  }
  order.deadLettered = true;
  order.live--;
  checkOrderDone(ctx, state, order);
}

/** End a copy that is still in the ready line (TTL, overflow): dead-letter or drop it. */
function endCopy(ctx: RunContext, state: SimState, msg: Message, reason: number): void {
  msg.where = 'done';
  const qNode = queueNode(ctx, msg.queue);
  if (ctx.scenario.delivery.dead_letter) {
    deadLetter(ctx, state, msg, reason);
    return;
  }
  record(ctx, state, reason === Reason.Expired ? Rec.Expired : Rec.Dropped, qNode, qNode, msg.id, msg.order.corr, msg.attempts, reason, state.now - msg.enqueuedAt);
  msg.order.deadLettered = true;
  msg.order.live--;
  checkOrderDone(ctx, state, msg.order);
}

/** The TTL of a waiting message ran out: leave a tombstone in the line and end the copy. */
function expire(ctx: RunContext, state: SimState, msg: Message): void {
  const q = state.queues[msg.queue] as QueueState;
  q.tombstones++;
  endCopy(ctx, state, msg, Reason.Expired);
}

export function onExpire(ctx: RunContext, state: SimState, msg: Message): void {
  if (msg.where === 'ready' && msg.expiresAt <= state.now) expire(ctx, state, msg);
}

export function onVisibilityExpire(ctx: RunContext, state: SimState, msg: Message, receipt: number): void {
  if (msg.where !== 'in-flight' || msg.receipt !== receipt) return;
  const broker = ctx.scenario.broker;
  const index = consumerOf(ctx, msg.queue);
  const node = nodeOf(ctx, index);
  const qNode = queueNode(ctx, msg.queue);
  const q = state.queues[msg.queue] as QueueState;
  if (broker.kind === 'sns-sqs' && msg.attempts >= broker.max_receive_count) {
    // Redrive policy: received maxReceiveCount times and never deleted.
    q.inFlight--;
    if (broker.fifo) q.groupsInFlight.delete(msg.order.key);
    record(ctx, state, Rec.Nacked, node, qNode, msg.id, msg.order.corr, msg.attempts, Reason.VisibilityTimeout, 0);
    deadLetter(ctx, state, msg, msg.lastError || Reason.VisibilityTimeout);
  } else {
    requeue(ctx, state, msg, Reason.VisibilityTimeout, node, qNode, false);
  }
  startConsumers(ctx, state, index);
}

export function onRetryReady(ctx: RunContext, state: SimState, msg: Message): void {
  const q = state.queues[msg.queue] as QueueState;
  const qNode = queueNode(ctx, msg.queue);
  q.retrying--;
  msg.retry = null;
  msg.cause = Reason.Retry;
  msg.enqueuedAt = state.now;
  msg.where = 'ready';
  record(ctx, state, Rec.RetryReady, qNode, qNode, msg.id, msg.order.corr, msg.attempts, 0, 0);
  if (ctx.scenario.broker.kind === 'log' && q.group) {
    // Retried in place: the partition waited, so order is kept.
    q.group.blocked[msg.part] = false;
    rewindTo(ctx, state, q.group, msg);
  } else {
    dequePushBack(q.ready, msg);
    if (msg.expiresAt <= state.now) expire(ctx, state, msg);
    else enforceMaxLength(ctx, state, q);
  }
  startConsumers(ctx, state, consumerOf(ctx, msg.queue));
}

/** The consumer went down: what it was holding goes back, each flavour its own way. */
export function dropConsumerWork(ctx: RunContext, state: SimState, index: number): void {
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const broker = ctx.scenario.broker;
  // Oldest delivery back at the very head.
  const held = svc.active.filter((item): item is Delivery => 'msg' in item).sort((a, b) => b.startedAt - a.startedAt || b.slot - a.slot);
  for (const d of held) {
    d.done.cancelled = true;
    releaseSlot(svc, d);
    const msg = d.msg;
    if (msg.where !== 'in-flight' || (broker.kind === 'sns-sqs' && msg.receipt !== d.receipt)) continue;
    const qNode = queueNode(ctx, msg.queue);
    if (broker.kind === 'sns-sqs') continue; // SQS does not know: it reappears after the visibility timeout
    if (broker.kind === 'log' && broker.commit === 'before') {
      // Committed before processing and never processed: at-most-once loses it.
      const q = state.queues[msg.queue] as QueueState;
      q.inFlight--;
      msg.where = 'done';
      if (q.group) q.group.current[msg.part] = null;
      record(ctx, state, Rec.Nacked, node, qNode, msg.id, msg.order.corr, msg.attempts, Reason.Reset, 0);
      record(ctx, state, Rec.Dropped, qNode, qNode, msg.id, msg.order.corr, msg.attempts, Reason.Reset, 0);
      msg.order.deadLettered = true;
      msg.order.live--;
      checkOrderDone(ctx, state, msg.order);
      continue;
    }
    requeue(ctx, state, msg, Reason.Reset, node, qNode, true);
  }
}

// ---------------------------------------------------------------------------------
// Learner actions on the broker

/** A subscriber joins during the run. On a log it starts at the earliest or latest offset. */
export function subscribe(ctx: RunContext, state: SimState, index: number, from: 'earliest' | 'latest'): void {
  const qi = (ctx.model.services[index] as { queue: number }).queue;
  const q = state.queues[qi];
  if (!q || q.subscribed) return;
  q.subscribed = true;
  const qNode = queueNode(ctx, qi);
  record(ctx, state, Rec.Subscribed, nodeOf(ctx, index), qNode, 0, 0, 0, from === 'earliest' ? 1 : 0, 0);
  const g = q.group;
  if (g) {
    g.parts.forEach(([type, pi], s) => {
      const part = (state.topics[type] as Partition[])[pi] as Partition;
      const start = from === 'earliest' ? part.start : part.end;
      g.position[s] = start;
      g.committed[s] = start;
      g.since[s] = state.now;
      // The history it will read counts as its copies.
      for (let offset = start; offset < part.end; offset++) {
        const rec = recordAt(state, type, pi, offset) as LogRecord;
        rec.order.live++;
        record(ctx, state, Rec.Enqueued, BROKER_NODE, qNode, rec.id, rec.order.corr, 0, rec.type, offset);
      }
    });
  }
  startConsumers(ctx, state, index);
}

export type OffsetTarget = { to: 'earliest' } | { to: 'offset'; offset: number } | { to: 'time'; at: number };

/**
 * Move a stopped group's committed offsets (log flavour). Records between the new
 * offset and the old one are read again, in order. Returns a problem, or null.
 */
export function resetOffsets(ctx: RunContext, state: SimState, index: number, target: OffsetTarget): string | null {
  if (ctx.scenario.broker.kind !== 'log') return 'offsets exist only on a log broker';
  const svc = state.services[index] as ServiceState;
  const qi = (ctx.model.services[index] as { queue: number }).queue;
  const q = state.queues[qi];
  const g = q?.group;
  if (!q || !g || !q.subscribed) return 'this service reads no topic';
  if (!svc.down) return 'stop the consumer group first (switch the service off), as Kafka requires';
  const qNode = queueNode(ctx, qi);
  let replayed = 0;
  g.parts.forEach(([type, pi], s) => {
    const part = (state.topics[type] as Partition[])[pi] as Partition;
    const current = g.current[s];
    if (current?.where === 'retrying') {
      if (current.retry) current.retry.cancelled = true;
      onRetryReadyQuiet(ctx, state, current);
    }
    g.current[s] = null;
    g.blocked[s] = false;
    let next: number;
    if (target.to === 'earliest') next = part.start;
    else if (target.to === 'offset') next = Math.min(Math.max(target.offset, part.start), part.end);
    else {
      next = part.end;
      for (let offset = part.start; offset < part.end; offset++) {
        if ((recordAt(state, type, pi, offset) as LogRecord).appendedAt >= target.at) {
          next = offset;
          break;
        }
      }
    }
    const old = g.committed[s] as number;
    for (let offset = next; offset < old; offset++) {
      const rec = recordAt(state, type, pi, offset) as LogRecord;
      rec.order.live++;
      replayed++;
      record(ctx, state, Rec.Enqueued, BROKER_NODE, qNode, rec.id, rec.order.corr, 0, Reason.Replay, offset);
    }
    for (let offset = old; offset < next; offset++) {
      // Skipped forward: these are never read by this group.
      const rec = recordAt(state, type, pi, offset) as LogRecord;
      record(ctx, state, Rec.Dropped, qNode, qNode, rec.id, rec.order.corr, 0, Reason.Replay, state.now - Math.max(rec.appendedAt, g.since[s] as number));
      rec.order.live--;
      checkOrderDone(ctx, state, rec.order);
    }
    g.position[s] = next;
    g.committed[s] = next;
    g.since[s] = state.now;
  });
  const code = target.to === 'earliest' ? 0 : target.to === 'offset' ? 1 : 2;
  record(ctx, state, Rec.OffsetsReset, nodeOf(ctx, index), qNode, 0, 0, 0, code, replayed);
  return null;
}

function onRetryReadyQuiet(ctx: RunContext, state: SimState, msg: Message): void {
  const q = state.queues[msg.queue] as QueueState;
  const qNode = queueNode(ctx, msg.queue);
  q.retrying--;
  msg.retry = null;
  msg.where = 'ready';
  msg.enqueuedAt = state.now;
  record(ctx, state, Rec.RetryReady, qNode, qNode, msg.id, msg.order.corr, msg.attempts, 0, 0);
  // It is about to be rewound with the rest of the partition: it ends here as a copy.
  record(ctx, state, Rec.Dropped, qNode, qNode, msg.id, msg.order.corr, msg.attempts, Reason.Replay, state.now - msg.enqueuedAt);
  msg.where = 'done';
  msg.order.live--;
}

/** Move kept dead letters back to the queues they came from (queue and SNS + SQS flavours). */
export function redrive(ctx: RunContext, state: SimState): number {
  if (ctx.scenario.broker.kind === 'log') return 0;
  const dl = state.deadLetters;
  const items = dl.items.splice(0);
  dl.reasons.splice(0);
  for (const old of items) {
    // A fresh object: the old one may still sit as a tombstone in a ready line.
    const msg: Message = { ...old, where: 'ready', attempts: 0, cause: Reason.Redrive, enqueuedAt: state.now, expiresAt: Number.POSITIVE_INFINITY, retry: null };
    const q = state.queues[msg.queue] as QueueState;
    msg.order.live++;
    record(ctx, state, Rec.Redriven, ctx.model.dlqNode, queueNode(ctx, msg.queue), msg.id, msg.order.corr, 0, Reason.Redrive, 0);
    dequePushBack(q.ready, msg);
  }
  for (const qi of new Set(items.map((m) => m.queue))) startConsumers(ctx, state, consumerOf(ctx, qi));
  return items.length;
}

export function setIdempotent(ctx: RunContext, state: SimState, index: number, on: boolean): void {
  const svc = state.services[index] as ServiceState;
  if (svc.idempotent === on) return;
  svc.idempotent = on;
  const node = nodeOf(ctx, index);
  record(ctx, state, Rec.IdempotencyChanged, node, node, 0, 0, 0, 0, on ? 1 : 0);
}

/**
 * Age (since it was published) of the oldest message still waiting to be processed on a
 * queue, or unread by a group on a log: the number operators watch to see a consumer fall
 * behind. 0 when nothing waits.
 */
export function oldestWaitingAge(state: SimState, qi: number): number {
  const q = state.queues[qi];
  if (!q?.subscribed) return 0;
  let oldest = Number.POSITIVE_INFINITY;
  const g = q.group;
  if (g) {
    g.parts.forEach(([type, pi], s) => {
      const current = g.current[s];
      if (current && current.where !== 'in-flight') oldest = Math.min(oldest, current.publishedAt);
      const rec = recordAt(state, type, pi, g.position[s] as number);
      if (rec) oldest = Math.min(oldest, rec.publishedAt);
    });
  } else {
    for (let i = 0; i < q.ready.size; i++) {
      const msg = dequeAt(q.ready, i) as Message;
      if (msg.where === 'ready') oldest = Math.min(oldest, msg.publishedAt);
    }
    if (q.retrying > 0) {
      // Messages waiting out a backoff are referenced only by their timers.
      for (const ev of state.heap) {
        if (ev.kind === Ev.RetryReady && !ev.cancelled && (ev.ref as Message).queue === qi) oldest = Math.min(oldest, (ev.ref as Message).publishedAt);
      }
    }
  }
  return Number.isFinite(oldest) ? state.now - oldest : 0;
}

/** Per-partition view of a group, for lag displays. */
export interface PartitionView {
  topic: number;
  partition: number;
  start: number;
  end: number;
  committed: number;
  lag: number;
  owner: number;
  inFlight: boolean;
}

export function groupPartitions(ctx: RunContext, state: SimState, qi: number): PartitionView[] {
  const q = state.queues[qi];
  const g = q?.group;
  if (!g) return [];
  const svc = state.services[consumerOf(ctx, qi)] as ServiceState;
  return g.parts.map(([topic, partition], s) => {
    const part = (state.topics[topic] as Partition[])[partition] as Partition;
    const committed = q.subscribed ? (g.committed[s] as number) : part.end;
    return {
      topic,
      partition,
      start: part.start,
      end: part.end,
      committed,
      lag: part.end - committed,
      owner: s % Math.max(1, svc.workers),
      inFlight: g.current[s]?.where === 'in-flight',
    };
  });
}
