/**
 * Consumers, the same on every broker: a copy is handed to a free worker, travels to
 * it, the work succeeds or fails, and the flavour is told which (acknowledge, onFailure,
 * onCrash). The side effect and its idempotency check are shared too.
 */
import {
  cancel,
  checkOrderDone,
  crashesBeforeAck,
  type Delivery,
  effectCode,
  Ev,
  type Message,
  nodeOf,
  type QueueState,
  type RunContext,
  record,
  releaseSlot,
  rememberId,
  type Order,
  type ServiceState,
  type SimState,
  sampleLatency,
  schedule,
  takeSlot,
  workOutcome,
} from '../state';
import { type IdempotencyInfo, SagaMsg, type ServiceInfo } from '../model';
import { COMPENSATION_EFFECT, REPEAT_NEW_ID } from '../metrics';
import { onReply } from '../orchestration';
import { AckCode, Effect, Reason, Rec } from '../trace';
import { failedForGood, publish, sagaSend } from './routing';

/** Give the service's free workers messages from its queue, each flavour its own way. */
export function startConsumers(ctx: RunContext, state: SimState, index: number): void {
  const svc = state.services[index] as ServiceState;
  const qi = ctx.serviceQueue[index] as number;
  // A down broker delivers nothing; its consumers start again when it is back (setBrokerFault).
  if (svc.down || qi < 0 || state.broker.down) return;
  const q = state.queues[qi] as QueueState;
  if (!q.subscribed) return;
  ctx.flavour.startConsumers(ctx, state, index, svc, qi, q);
}

/** The broker hands `msg` to a consumer of service `index`: count the delivery. */
export function handOut(ctx: RunContext, state: SimState, index: number, msg: Message): void {
  const q = state.queues[msg.queue] as QueueState;
  msg.attempts++;
  msg.where = 'in-flight';
  q.inFlight++;
  record(
    ctx,
    state,
    Rec.Delivered,
    ctx.queueNode[msg.queue] as number,
    nodeOf(ctx, index),
    msg.id,
    msg.order.corr,
    msg.attempts,
    msg.cause,
    state.now - msg.enqueuedAt,
  );
  msg.cause = 0;
}

/**
 * Does service `index` have a handler for the copy's event type? Only a fanout exchange
 * (queue flavour) hands a consumer types it did not bind to: every bound queue gets
 * every event, whatever its routing key.
 */
export function handles(ctx: RunContext, index: number, type: number): boolean {
  const broker = ctx.model.broker;
  if (broker.kind !== 'queue' || broker.exchange !== 'fanout') return true;
  return (ctx.model.services[index] as ServiceInfo).subscribes.includes(type);
}

/**
 * A worker of service `index` takes the handed-out copy and works on it. A copy that
 * was waiting in line when the worker freed up is already at the consumer: its prefetch
 * buffer (queue, SQS batch receive, a log fetch) brought it over while the worker was
 * busy, so the worker starts at once and is busy only while the service works. A copy
 * handed to an idle worker first travels the network hop. `channel`: the consumer's
 * channel it is unacknowledged on (queue flavour), or -1. A copy the consumer has no
 * handler for takes no work time: it is acked on arrival.
 */
export function startWork(
  ctx: RunContext,
  state: SimState,
  index: number,
  msg: Message,
  channel = -1,
): Delivery {
  const svc = state.services[index] as ServiceState;
  const work = handles(ctx, index, msg.type) ? sampleLatency(ctx, svc, index) : 0;
  const hop = msg.enqueuedAt < state.now ? 0 : ctx.network;
  const d: Delivery = {
    msg,
    svc: index,
    startedAt: state.now,
    duration: work,
    done: null,
    slot: -1,
    receipt: msg.receipt,
    channel,
  };
  takeSlot(svc, d);
  d.done = schedule(state, state.now + hop + work, Ev.DeliveryDone, d);
  return d;
}

/** Hand out and start work at once (flavours with nothing to do in between). */
export function deliver(
  ctx: RunContext,
  state: SimState,
  index: number,
  msg: Message,
  channel = -1,
): Delivery {
  handOut(ctx, state, index, msg);
  return startWork(ctx, state, index, msg, channel);
}

/** The consumer's side effect, unless an idempotent consumer has seen this message id. */
function performEffect(ctx: RunContext, state: SimState, d: Delivery): void {
  const { msg, svc: index } = d;
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const order = msg.order;
  const idem = ctx.serviceIdempotency[index] as IdempotencyInfo;
  const key = idem.businessKey ? businessKey(order, msg.type) : msg.id;
  // (Most consumers keep no store: no lookup for them, on the hottest path of a run.)
  const inStore = svc.seen.ids.size > 0 && svc.seen.ids.has(key);
  // The broker knows this message was handled before (`effectDone`): the effect repeats
  // unless the store catches it. A consumer with its idempotency spelled out decides by
  // its store alone; plain `idempotent: true` also trusts the broker's mark.
  const seenBefore = msg.effectDone || inStore;
  if (svc.idempotent && (idem.exact ? inStore : seenBefore)) {
    record(
      ctx,
      state,
      Rec.Processed,
      node,
      node,
      msg.id,
      order.corr,
      msg.attempts,
      Effect.SkippedIdempotent,
      d.duration,
    );
    return;
  }
  // A repeat is the same message again (redelivered), or, for a consumer of one event
  // type, the same order again under another id (an outbox republish): the card charged
  // twice either way. (A consumer of several types cannot tell the second case apart.)
  // Work for an order being cancelled (its payment declined) is done for a failed order,
  // unless it is the compensation itself.
  const repeat =
    seenBefore || ((order.effects & (1 << index)) !== 0 && ctx.serviceOneType[index] === 1);
  const saga = ctx.model.saga;
  const sagaKind = saga ? (saga.typeKind[msg.type] as number) : 0;
  const code =
    effectCode(order, repeat, order.cancelled && ctx.compensation[msg.type] === 0) |
    (repeat && !seenBefore ? REPEAT_NEW_ID : 0) |
    (sagaKind === SagaMsg.Compensate ? COMPENSATION_EFFECT : 0);
  msg.effectDone = true;
  if (msg.rec) msg.rec.effects |= 1 << msg.queue;
  // Only a consumer written to be idempotent keeps a store of the ids it handled; one that
  // saves the key after the effect saves it at the ack (see onDeliveryDone).
  if (svc.idempotent && !idem.afterEffect) rememberId(svc.seen, key, idem.window);
  order.effects |= 1 << index;
  record(ctx, state, Rec.Processed, node, node, msg.id, order.corr, msg.attempts, code, d.duration);
  for (const type of ctx.serviceEmits[index] as readonly number[])
    publish(ctx, state, index, type, order, null);
  // Orchestrated: a step replies to the orchestrator that its command (or compensation) is done.
  if (saga && (sagaKind === SagaMsg.Command || sagaKind === SagaMsg.Compensate)) {
    const reply = sagaKind === SagaMsg.Command ? saga.done[index] : saga.compensated[index];
    sagaSend(ctx, state, index, reply as number, order, 1);
  }
}

/** The worker finished with a delivered copy. */
export function onDeliveryDone(ctx: RunContext, state: SimState, d: Delivery): void {
  const { msg, svc: index } = d;
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const qNode = ctx.queueNode[msg.queue] as number;
  releaseSlot(svc, d);
  if (!handles(ctx, index, msg.type)) {
    // Fanout delivered an event type this consumer has no handler for: it acks it
    // unread, with no work, no side effect and nothing emitted (Acked code NoHandler).
    completeCopy(ctx, state, msg, node, qNode, AckCode.NoHandler);
    startConsumers(ctx, state, index);
    return;
  }
  const failure = workOutcome(ctx, svc, index, msg.order);

  // The work happened (or failed) whatever the broker makes of its outcome.
  if (failure) {
    record(
      ctx,
      state,
      Rec.WorkFailed,
      node,
      node,
      msg.id,
      msg.order.corr,
      msg.attempts,
      failure,
      d.duration,
    );
    // A refusal is this step's final answer: a saga publishes its failure events now.
    if (failure === Reason.Declined)
      failedForGood(ctx, state, index, msg.order, msg.id, msg.type, Reason.Declined);
  } else if (ctx.model.saga && msg.queue === ctx.model.saga.replyQueue) {
    // The orchestrator read a reply: its saga moves on (its state is saved with the work).
    onReply(ctx, state, msg);
  } else performEffect(ctx, state, d);

  if (msg.where !== 'in-flight' || msg.receipt !== d.receipt) {
    // Receipts change only on SNS + SQS, where a visibility timeout can hand the message
    // to another worker while this one is still busy: the delete is refused.
    record(
      ctx,
      state,
      Rec.AckRejected,
      node,
      qNode,
      msg.id,
      msg.order.corr,
      msg.attempts,
      Reason.VisibilityTimeout,
      0,
    );
  } else if (failure && failure !== Reason.Declined) {
    msg.lastError = failure;
    ctx.flavour.onFailure(ctx, state, msg, failure, node, qNode);
  } else if (crashesBeforeAck(svc)) {
    // The consumer dies before its ack reaches the broker (after its failure events, for
    // a declined copy: the redelivery declines and publishes them again).
    msg.lastError = Reason.CrashBeforeAck;
    ctx.flavour.onCrash(ctx, state, msg, node, qNode, d.channel);
  } else {
    // Declined or done: acknowledged. A refusal is an answer; retrying would refuse again.
    const idem = ctx.serviceIdempotency[index] as IdempotencyInfo;
    if (!failure && svc.idempotent && idem.afterEffect)
      rememberId(
        svc.seen,
        idem.businessKey ? businessKey(msg.order, msg.type) : msg.id,
        idem.window,
      );
    ctx.flavour.acknowledge(ctx, state, msg, node, qNode);
  }
  startConsumers(ctx, state, index);
}

/**
 * The business key of a copy: its order and event type (e.g. "the OrderCreated of order
 * 12"), the same for a redelivery and for a republish under a new message id.
 */
function businessKey(order: Order, type: number): number {
  // Message ids are positive; business keys are negative, so the two never collide.
  return -(order.corr * 256 + type + 1);
}

/**
 * The copy is done for good, acknowledged: processed, or (`AckCode.NoHandler`) acked
 * unread by a consumer with no handler for its type, which metrics count as ignored.
 */
export function completeCopy(
  ctx: RunContext,
  state: SimState,
  msg: Message,
  node: number,
  qNode: number,
  code = 0,
): void {
  const q = state.queues[msg.queue] as QueueState;
  q.inFlight--;
  msg.where = 'done';
  // value: the committed record's offset (log), for order checks.
  record(
    ctx,
    state,
    Rec.Acked,
    node,
    qNode,
    msg.id,
    msg.order.corr,
    msg.attempts,
    code,
    code === AckCode.NoHandler ? 0 : Math.max(0, msg.offset),
  );
  msg.order.live--;
  checkOrderDone(ctx, state, msg.order);
}

/** The consumer went down: what it was holding goes back, each flavour its own way. */
export function dropConsumerWork(ctx: RunContext, state: SimState, index: number): void {
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  // Oldest delivery back at the very head.
  const held = svc.active
    .filter((item): item is Delivery => 'msg' in item)
    .sort((a, b) => b.startedAt - a.startedAt || b.slot - a.slot);
  for (const d of held) {
    if (d.done) cancel(state, d.done);
    releaseSlot(svc, d);
    const msg = d.msg;
    // Already back in line, or (SNS + SQS) handed to another worker since.
    if (msg.where !== 'in-flight' || msg.receipt !== d.receipt) continue;
    ctx.flavour.onConsumerDown(ctx, state, msg, node, ctx.queueNode[msg.queue] as number);
  }
}
