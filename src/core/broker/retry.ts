/**
 * Retries and dead letters, the same on every broker that has them: a nacked copy waits
 * out a capped exponential backoff with full jitter and comes back, until its last
 * attempt sends it to the dead-letter queue (or drops it when there is none).
 */
import { nextFloat } from '../rng';
import {
  checkOrderDone,
  dequePushBack,
  emptyDeadLetters,
  Ev,
  type Message,
  type Order,
  type QueueState,
  type RunContext,
  record,
  type SimState,
  schedule,
} from '../state';
import { Reason, Rec } from '../trace';
import { startConsumers } from './consumers';
import { failedForGood, newMessage } from './routing';

/** min(cap, base * 2^(attempts-1)), with full jitter: anywhere between 0 and that. */
function backoffDelay(ctx: RunContext, state: SimState, attempts: number): number {
  const d = ctx.scenario.delivery;
  const ceiling =
    d.backoff === 'fixed'
      ? d.base_ms
      : Math.min(d.cap_ms, d.base_ms * 2 ** Math.min(attempts - 1, 40));
  // Full jitter: anywhere between 0 and the ceiling, so retries of many messages spread out.
  return d.jitter === 'full' ? Math.floor(nextFloat(state.backoffRng) * (ceiling + 1)) : ceiling;
}

/**
 * The consumer rejects a copy it failed. It is dead-lettered when `final` (rejected
 * without requeue) or after its last attempt; otherwise it waits out a backoff.
 * Returns true when a retry was scheduled.
 */
export function nackForRetry(
  ctx: RunContext,
  state: SimState,
  msg: Message,
  failure: number,
  node: number,
  qNode: number,
  final: boolean,
): boolean {
  nack(ctx, state, msg, failure, node, qNode);
  if (final || msg.attempts >= ctx.scenario.delivery.max_attempts) {
    deadLetter(ctx, state, msg, failure);
    return false;
  }
  const delay = backoffDelay(ctx, state, msg.attempts);
  (state.queues[msg.queue] as QueueState).retrying++;
  msg.where = 'retrying';
  // Into the retry queue or topic where there is one, else waiting in place.
  record(
    ctx,
    state,
    Rec.RetryScheduled,
    qNode,
    parkedAt(ctx, qNode),
    msg.id,
    msg.order.corr,
    msg.attempts,
    failure,
    delay,
  );
  msg.retry = schedule(state, state.now + delay, Ev.RetryReady, msg);
  return true;
}

/** The backoff is over: the copy is back in line (where, the flavour says). */
export function onRetryReady(ctx: RunContext, state: SimState, msg: Message): void {
  msg.cause = Reason.Retry;
  // A capped queue makes room before the copy is back in its line (queue flavour).
  ctx.flavour.makeRoom?.(ctx, state, state.queues[msg.queue] as QueueState);
  endBackoff(ctx, state, msg);
  ctx.flavour.retryReady(ctx, state, msg, state.queues[msg.queue] as QueueState);
  startConsumers(ctx, state, ctx.consumerOf[msg.queue] as number);
}

/**
 * A copy's backoff is over, or cut short (log: its group's offsets were reset): it is
 * ready again, and not yet back in any line. The caller puts it back, or ends it.
 */
export function endBackoff(ctx: RunContext, state: SimState, msg: Message): void {
  const q = state.queues[msg.queue] as QueueState;
  const qNode = ctx.queueNode[msg.queue] as number;
  q.retrying--;
  msg.retry = null;
  msg.enqueuedAt = state.now;
  msg.where = 'ready';
  record(
    ctx,
    state,
    Rec.RetryReady,
    parkedAt(ctx, qNode),
    qNode,
    msg.id,
    msg.order.corr,
    msg.attempts,
    0,
    0,
  );
}

/** Where a copy waits out its backoff: on its queue, or (log, retry-topic consumers) on the retry topic. */
function parkedAt(ctx: RunContext, qNode: number): number {
  return ctx.model.retryNode >= 0 ? ctx.model.retryNode : qNode;
}

/**
 * The copy leaves its consumer's hands without an ack: a nack, or (SNS + SQS) a
 * visibility timeout. `cause` is the Reason; what becomes of the copy is the caller's.
 */
export function nack(
  ctx: RunContext,
  state: SimState,
  msg: Message,
  cause: number,
  node: number,
  qNode: number,
): void {
  (state.queues[msg.queue] as QueueState).inFlight--;
  record(ctx, state, Rec.Nacked, node, qNode, msg.id, msg.order.corr, msg.attempts, cause, 0);
}

/**
 * An unacknowledged copy is back in its queue's line (queue, SQS) or its group will
 * read it again (log): the bookkeeping every flavour shares. The caller puts it back.
 */
export function markRequeued(
  ctx: RunContext,
  state: SimState,
  msg: Message,
  cause: number,
  node: number,
  qNode: number,
): void {
  const q = state.queues[msg.queue] as QueueState;
  q.inFlight--;
  msg.cause = cause;
  msg.enqueuedAt = state.now;
  msg.where = 'ready';
  record(ctx, state, Rec.Requeued, node, qNode, msg.id, msg.order.corr, msg.attempts, cause, 0);
}

/** A copy is finished without being processed: to the dead-letter queue if there is one. */
export function deadLetter(ctx: RunContext, state: SimState, msg: Message, reason: number): void {
  if (!ctx.scenario.delivery.dead_letter) {
    dropCopy(ctx, state, msg, Rec.Dropped, reason, 0);
    return;
  }
  msg.where = 'done';
  // value: time spent waiting in line, for copies that leave from there (TTL, overflow).
  record(
    ctx,
    state,
    Rec.DeadLettered,
    ctx.queueNode[msg.queue] as number,
    ctx.model.dlqNode,
    msg.id,
    msg.order.corr,
    msg.attempts,
    reason,
    state.now - msg.enqueuedAt,
  );
  // Kept, every one: an SQS redrive or a RabbitMQ shovel moves the whole queue back.
  const dl = state.deadLetters;
  dl.count++;
  dl.id.push(msg.id);
  dl.queue.push(msg.queue);
  dl.type.push(msg.type);
  dl.publishedAt.push(msg.publishedAt);
  dl.attempts.push(msg.attempts);
  dl.reason.push(reason);
  dl.effectDone.push(msg.effectDone ? 1 : 0);
  dl.order.push(msg.order);
  loseCopy(ctx, state, msg, reason);
}

/** End a copy that is still in the ready line (TTL, overflow): dead-letter or drop it. */
export function endCopy(ctx: RunContext, state: SimState, msg: Message, reason: number): void {
  if (ctx.scenario.delivery.dead_letter) deadLetter(ctx, state, msg, reason);
  else
    dropCopy(
      ctx,
      state,
      msg,
      reason === Reason.Expired ? Rec.Expired : Rec.Dropped,
      reason,
      state.now - msg.enqueuedAt,
    );
}

/**
 * Discard a copy for good, with no dead-letter queue to keep it. `kind`: `Rec.Dropped`,
 * or `Rec.Expired` for a TTL; `value`: how long it waited in line, where it waited.
 */
export function dropCopy(
  ctx: RunContext,
  state: SimState,
  msg: Message,
  kind: number,
  reason: number,
  value: number,
): void {
  const qNode = ctx.queueNode[msg.queue] as number;
  msg.where = 'done';
  record(ctx, state, kind, qNode, qNode, msg.id, msg.order.corr, msg.attempts, reason, value);
  loseCopy(ctx, state, msg, reason);
}

/**
 * One of the order's copies ended unprocessed (dead-lettered, dropped, expired, for
 * `reason`): the order carries the mark, and this may have been the last thing it waited for.
 */
export function loseCopy(
  ctx: RunContext,
  state: SimState,
  copy: { queue: number; order: Order; id: number; type: number },
  reason: number,
): void {
  const order = copy.order;
  // A saga step fails for good here: its failure events go out before the order lets go.
  failedForGood(
    ctx,
    state,
    ctx.consumerOf[copy.queue] as number,
    order,
    copy.id,
    copy.type,
    reason,
  );
  order.deadLettered = true;
  order.live--;
  checkOrderDone(ctx, state, order);
}

/** Move every dead letter back to the queue it came from, oldest first; returns how many. */
export function redriveDeadLetters(ctx: RunContext, state: SimState): number {
  const dl = state.deadLetters;
  const n = dl.id.length;
  const queues = new Set<number>();
  for (let i = 0; i < n; i++) {
    const msg = newMessage(
      state,
      dl.id[i] as number,
      dl.queue[i] as number,
      dl.order[i] as Order,
      dl.type[i] as number,
      dl.publishedAt[i] as number,
    );
    msg.cause = Reason.Redrive;
    msg.effectDone = dl.effectDone[i] === 1;
    const q = state.queues[msg.queue] as QueueState;
    msg.order.live++;
    record(
      ctx,
      state,
      Rec.Redriven,
      ctx.model.dlqNode,
      ctx.queueNode[msg.queue] as number,
      msg.id,
      msg.order.corr,
      0,
      Reason.Redrive,
      0,
    );
    dequePushBack(q.ready, msg);
    queues.add(msg.queue);
  }
  state.deadLetters = { ...emptyDeadLetters(), count: dl.count };
  for (const qi of queues) startConsumers(ctx, state, ctx.consumerOf[qi] as number);
  return n;
}
