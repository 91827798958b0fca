/**
 * The queue flavour, modelled on RabbitMQ 4.2 (AMQP 0-9-1 consumers): the exchange routes
 * a copy to every bound queue; each consumer replica has one channel, with at most
 * `prefetch` unacknowledged deliveries; a failed message is retried through a retry
 * queue, requeued at once, or rejected; a queue can have a message TTL and a max-length
 * (drop-head or reject-publish), and everything that leaves unprocessed is dead-lettered.
 *
 * Sources (rabbitmq/rabbitmq-server at tag v4.2.9):
 * - Delivery limit: `deps/rabbit/src/rabbit_fifo.erl`, `return_one/8`: every return
 *   (`#return{}` from basic.nack/basic.reject with requeue, and `return_all/6` when the
 *   consumer's channel or process goes down) increments the message's `acquired_count`,
 *   and the message is dead-lettered when `acquired_count > delivery_limit`. So with the
 *   default limit of 20 (release-notes/4.0.1.md, "Quorum Queues Now Have a Default
 *   Redelivery Limit") a message is delivered at most 21 times. RabbitMQ 4.3 changed this
 *   (release-notes/4.3.0.md: the limit counts `delivery-count`, and explicit returns no
 *   longer count); this model follows 4.0–4.2.
 * - Classic queues have no delivery limit (docs: quorum-queues#poison-message-handling).
 * - Consumer timeout: `deps/rabbit/src/rabbit_channel.erl`, `evaluate_consumer_timeout1/2`:
 *   a delivery unacknowledged for longer than `consumer_timeout` (default 1,800,000 ms,
 *   `deps/rabbit/Makefile`) closes the channel with PRECONDITION_FAILED, and a closed
 *   channel returns all its unacknowledged messages (`return_all/6`, in message order).
 *   The broker checks on the channel's tick; here the timeout fires at its exact moment.
 * - Max length with drop-head (docs: maxlength): the queue never holds more than the limit;
 *   here room is made before a copy enters, so no recorded moment shows one too many.
 */
import type { Scenario } from '../scenario';
import {
  type BrokerFlavour,
  cancel,
  type Delivery,
  dequePopFront,
  electing,
  dequePushBack,
  dequePushFront,
  Ev,
  type Message,
  nodeOf,
  type QueueState,
  type RunContext,
  record,
  releaseSlot,
  type ServiceState,
  type SimState,
  schedule,
} from '../state';
import { BROKER_NODE, Reason, Rec } from '../trace';
import { fromNowOn, neverScheduled, noGroup, noOffsets, noTopics } from './absent';
import { completeCopy, deliver, startConsumers } from './consumers';
import { deadLetter, endCopy, markRequeued, nack, nackForRetry, redriveDeadLetters } from './retry';
import { routeCopies } from './routing';

export type QueueSettings = Extract<Scenario['broker'], { kind: 'queue' }>;

/** Reused by `freeChannel`: unacknowledged deliveries per channel of one service. */
let channelLoad = new Int32Array(16);

/** The queue flavour's rules for one run, with its settings. */
export function createQueueFlavour(settings: QueueSettings): BrokerFlavour {
  const maxLength = settings.max_length;
  const ttl = settings.message_ttl_ms;
  // A classic queue requeues forever; a quorum queue counts returns against its limit.
  const deliveryLimit =
    settings.queue_type === 'classic' ? Number.POSITIVE_INFINITY : settings.delivery_limit;
  const consumerTimeout = settings.consumer_timeout_ms;

  /**
   * A capped queue makes room before a copy enters its line: the oldest waiting copies
   * are dropped (drop-head) until one more fits. With max-length 0 nothing ever fits,
   * and nothing is dropped: the copy entering is the one dropped right after.
   */
  function makeRoom(ctx: RunContext, state: SimState, q: QueueState): void {
    if (maxLength === undefined) return;
    while (q.ready.size - q.tombstones >= maxLength) {
      const head = popReady(q);
      if (!head) return;
      endCopy(ctx, state, head, Reason.Overflow);
    }
  }

  /** With max-length 0 a copy cannot stay: it leaves as soon as it entered. */
  function dropIfNoRoom(ctx: RunContext, state: SimState, q: QueueState): void {
    if (maxLength === 0) {
      const head = popReady(q);
      if (head) endCopy(ctx, state, head, Reason.Overflow);
    }
  }

  /** Put a new copy on a queue. Returns false if a full queue refused it. */
  function enqueue(ctx: RunContext, state: SimState, msg: Message): boolean {
    const qi = msg.queue;
    const q = state.queues[qi] as QueueState;
    const node = ctx.queueNode[qi] as number;
    const rejecting = maxLength !== undefined && settings.overflow === 'reject-publish';
    if (rejecting && refuses(q, maxLength)) {
      record(
        ctx,
        state,
        Rec.PublishRejected,
        BROKER_NODE,
        node,
        msg.id,
        msg.order.corr,
        0,
        Reason.Overflow,
        0,
      );
      return false;
    }
    // drop-head: the oldest waiting messages make room first.
    if (!rejecting) makeRoom(ctx, state, q);
    msg.order.live++;
    record(ctx, state, Rec.Enqueued, BROKER_NODE, node, msg.id, msg.order.corr, 0, msg.type, 0);
    dequePushBack(q.ready, msg);
    if (ttl !== undefined) {
      msg.expiresAt = state.now + ttl;
      schedule(state, msg.expiresAt, Ev.Expire, msg);
    }
    if (!rejecting) dropIfNoRoom(ctx, state, q);
    // A quorum queue judges its limit after the enqueue: past it, it blocks its publishers.
    else if (q.ready.size - q.tombstones > (maxLength as number)) q.blocked = true;
    startConsumers(ctx, state, ctx.consumerOf[qi] as number);
    return true;
  }

  /**
   * Does a queue with reject-publish refuse a publish now? A classic queue refuses once it
   * holds max-length ready messages. A quorum queue (rabbit_fifo in 4.2.9:
   * `is_over_limit` is ready > max-length, checked after each enqueue; `is_below_soft_limit`
   * is ready =< trunc(0.8 x max-length)) accepts the message that takes it one past the
   * limit, then refuses until it is back to 80% of it. Simplified: the queue unblocks at the
   * next publish after it got there, not at the moment it did (the same publishes are
   * refused unless returned messages refill it in between).
   */
  function refuses(q: QueueState, max: number): boolean {
    const ready = q.ready.size - q.tombstones;
    if (settings.queue_type === 'classic') return ready >= max;
    if (q.blocked && ready <= Math.trunc(max * 0.8)) q.blocked = false;
    return q.blocked;
  }

  /**
   * An unacknowledged copy is returned to its queue: back to the head, or dead-lettered
   * by a quorum queue once it has been returned more than `delivery_limit` times.
   */
  function returnToQueue(
    ctx: RunContext,
    state: SimState,
    msg: Message,
    cause: number,
    node: number,
    qNode: number,
  ): void {
    const q = state.queues[msg.queue] as QueueState;
    msg.returns++;
    if (msg.returns > deliveryLimit) {
      nack(ctx, state, msg, cause, node, qNode);
      deadLetter(ctx, state, msg, Reason.DeliveryLimit);
      return;
    }
    makeRoom(ctx, state, q);
    markRequeued(ctx, state, msg, cause, node, qNode);
    dequePushFront(q.ready, msg);
    if (msg.expiresAt <= state.now) {
      // Its TTL ran out while a consumer held it: it expires as soon as it is back.
      expire(ctx, state, msg);
      return;
    }
    dropIfNoRoom(ctx, state, q);
  }

  /**
   * The broker closes a consumer's channel (it crashed, or did not ack in time): every
   * delivery unacknowledged on it is abandoned and returned, the oldest first in line.
   * `first` is a copy already taken off the consumer (the one that crashed), or null; it
   * goes back last, so it is at the very head.
   */
  function closeChannel(
    ctx: RunContext,
    state: SimState,
    index: number,
    channel: number,
    first: Message | null,
    firstCause: number,
    otherCause: number,
  ): void {
    const svc = state.services[index] as ServiceState;
    const node = nodeOf(ctx, index);
    const held = svc.active
      .filter((item): item is Delivery => 'msg' in item && item.channel === channel)
      // Newest first: each return goes to the head, so the oldest ends up in front.
      .sort((a, b) => b.startedAt - a.startedAt || b.slot - a.slot);
    for (const d of held) {
      if (d.done) cancel(state, d.done);
      releaseSlot(svc, d);
    }
    for (const d of held) {
      if (d.msg.where !== 'in-flight') continue;
      returnToQueue(ctx, state, d.msg, otherCause, node, ctx.queueNode[d.msg.queue] as number);
    }
    if (first)
      returnToQueue(ctx, state, first, firstCause, node, ctx.queueNode[first.queue] as number);
  }

  return {
    accept: (ctx, state, p) => routeCopies(ctx, state, p, enqueue),

    heldUntil(ctx, state, p) {
      // Quorum queues only (validation refuses a leader change on classic ones). The whole
      // publish waits for the election, the other queues' copies with it: see the Broker tab.
      const leaderless = state.broker.leaderless;
      if (leaderless.length === 0) return 0;
      let until = 0;
      for (const qi of ctx.routes[p.type] as number[])
        if (electing(state, qi)) until = Math.max(until, leaderless[qi] as number);
      return until;
    },

    startConsumers(ctx, state, index, svc, qi, q) {
      // A quorum queue without a leader delivers nothing until one is elected.
      if (electing(state, qi)) return;
      while (q.ready.size - q.tombstones > 0) {
        const channel = freeChannel(svc, settings.prefetch);
        if (channel < 0) return;
        const msg = popReady(q);
        if (!msg) return;
        const d = deliver(ctx, state, index, msg, channel);
        // Only a delivery that will still be unacknowledged at the timeout needs a timer.
        if (ctx.network + d.duration > consumerTimeout)
          schedule(state, d.startedAt + consumerTimeout, Ev.ConsumerTimeout, d);
      }
    },

    acknowledge: completeCopy,

    onFailure(ctx, state, msg, failure, node, qNode) {
      if (settings.on_failure === 'requeue') {
        // nack with requeue: straight back to the head of the queue, until the delivery limit.
        returnToQueue(ctx, state, msg, failure, node, qNode);
        return;
      }
      // retry: the consumer's code rejects it to a retry queue (a TTL'd queue that
      // dead-letters back here); reject: rejected without requeue, to the dead-letter queue.
      nackForRetry(ctx, state, msg, failure, node, qNode, settings.on_failure === 'reject');
    },

    onCrash(ctx, state, msg, _node, _qNode, channel) {
      // The crashed process's channel closes: it returns all it held, not just this one.
      const index = ctx.consumerOf[msg.queue] as number;
      closeChannel(ctx, state, index, channel, msg, Reason.CrashBeforeAck, Reason.ChannelClosed);
    },

    onConsumerDown(ctx, state, msg, node, qNode) {
      returnToQueue(ctx, state, msg, Reason.Reset, node, qNode);
    },

    onConsumerTimeout(ctx, state, d) {
      // Stale: acked, returned or abandoned since the timer was set.
      if (d.slot < 0 || d.msg.where !== 'in-flight' || d.done?.cancelled) return;
      closeChannel(ctx, state, d.svc, d.channel, null, 0, Reason.ConsumerTimeout);
      startConsumers(ctx, state, d.svc);
    },

    makeRoom,

    retryReady(ctx, state, msg, q) {
      // Dead-lettered back from the retry queue (room was made): it joins the end of the
      // line as a message new to this queue, so its returns start again from zero.
      msg.returns = 0;
      dequePushBack(q.ready, msg);
      if (msg.expiresAt <= state.now) expire(ctx, state, msg);
      else dropIfNoRoom(ctx, state, q);
    },

    onExpire(ctx, state, msg) {
      if (msg.where === 'ready' && msg.expiresAt <= state.now) expire(ctx, state, msg);
    },

    onVisibilityExpire: neverScheduled,
    onSubscribe: fromNowOn,
    resetOffsets: noOffsets,
    redrive: redriveDeadLetters,
    createGroup: noGroup,
    createTopics: noTopics,
  };
}

/**
 * The consumer channel (one per replica) with the fewest unacknowledged deliveries,
 * while it has fewer than its prefetch; -1 when every channel is full. Without a
 * prefetch the playground caps a channel at the replica's concurrency (a teaching
 * default: RabbitMQ itself sets no limit unless the consumer sends basic.qos).
 */
function freeChannel(svc: ServiceState, prefetch: number | undefined): number {
  const cap = prefetch === undefined ? svc.concurrency : Math.min(svc.concurrency, prefetch);
  const channels = svc.replicas;
  // After a scale-down, channels of removed replicas still finish their work.
  if (svc.busy >= channels * cap) return -1;
  // One replica, one channel: everything a consumer holds is on it.
  if (channels === 1) return 0;
  if (channelLoad.length < channels) channelLoad = new Int32Array(channels * 2);
  channelLoad.fill(0, 0, channels);
  for (const item of svc.active) {
    if ('msg' in item && item.channel >= 0 && item.channel < channels)
      channelLoad[item.channel] = (channelLoad[item.channel] as number) + 1;
  }
  let best = -1;
  for (let c = 0; c < channels; c++) {
    const load = channelLoad[c] as number;
    if (load < cap && (best < 0 || load < (channelLoad[best] as number))) best = c;
  }
  return best;
}

/** Oldest live message of the ready line, skipping expired tombstones. */
export function popReady(q: QueueState): Message | undefined {
  for (;;) {
    const msg = dequePopFront(q.ready);
    if (msg?.where !== 'done') return msg;
    q.tombstones--;
  }
}

/** The TTL of a waiting message ran out: leave a tombstone in the line and end the copy. */
function expire(ctx: RunContext, state: SimState, msg: Message): void {
  const q = state.queues[msg.queue] as QueueState;
  q.tombstones++;
  endCopy(ctx, state, msg, Reason.Expired);
}
