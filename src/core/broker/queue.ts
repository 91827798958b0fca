/**
 * The queue flavour (RabbitMQ 4.x style): the exchange routes a copy to every bound
 * queue; consumers ack manually, with at most `prefetch` unacknowledged each; a failed
 * message is retried after a backoff, requeued at once (until the quorum queue's
 * delivery limit) or rejected; a queue can have a message TTL and a max-length
 * (drop-head or reject-publish), and everything that leaves unprocessed is dead-lettered.
 */
import type { Scenario } from '../scenario';
import {
  type BrokerFlavour,
  dequePopFront,
  dequePushBack,
  dequePushFront,
  Ev,
  type Message,
  type QueueState,
  type RunContext,
  record,
  type ServiceState,
  type SimState,
  schedule,
} from '../state';
import { BROKER_NODE, Reason, Rec } from '../trace';
import { completeCopy, deliver, startConsumers } from './consumers';
import { deadLetter, endCopy, markRequeued, nack, nackForRetry, redriveDeadLetters } from './retry';
import { fromNowOn, neverScheduled, noGroup, noOffsets, noTopics } from './absent';
import { routeCopies } from './routing';

export type QueueSettings = Extract<Scenario['broker'], { kind: 'queue' }>;

/** The queue flavour's rules for one run, with its settings. */
export function createQueueFlavour(settings: QueueSettings): BrokerFlavour {
  const maxLength = settings.max_length;
  const ttl = settings.message_ttl_ms;

  /** Put a new copy on a queue. Returns false if a full queue refused it. */
  function enqueue(ctx: RunContext, state: SimState, msg: Message): boolean {
    const qi = msg.queue;
    const q = state.queues[qi] as QueueState;
    const node = ctx.queueNode[qi] as number;
    if (
      maxLength !== undefined &&
      settings.overflow === 'reject-publish' &&
      q.ready.size - q.tombstones >= maxLength
    ) {
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
    msg.order.live++;
    record(ctx, state, Rec.Enqueued, BROKER_NODE, node, msg.id, msg.order.corr, 0, msg.type, 0);
    dequePushBack(q.ready, msg);
    if (ttl !== undefined) {
      msg.expiresAt = state.now + ttl;
      schedule(state, msg.expiresAt, Ev.Expire, msg);
    }
    // drop-head: the oldest waiting messages make room.
    enforceMaxLength(ctx, state, q);
    startConsumers(ctx, state, ctx.consumerOf[qi] as number);
    return true;
  }

  /** After a message (re-)enters the line, a capped queue drops from the head. */
  function enforceMaxLength(ctx: RunContext, state: SimState, q: QueueState): void {
    if (maxLength === undefined) return;
    while (q.ready.size - q.tombstones > maxLength) {
      const head = popReady(q);
      if (!head) return;
      endCopy(ctx, state, head, Reason.Overflow);
    }
  }

  /**
   * An unacknowledged copy goes back to the head of its queue, or is dead-lettered once
   * it has been delivered `delivery_limit` times (when the return counts against it).
   */
  function requeue(
    ctx: RunContext,
    state: SimState,
    msg: Message,
    cause: number,
    node: number,
    qNode: number,
    checkLimit: boolean,
  ): void {
    const q = state.queues[msg.queue] as QueueState;
    if (checkLimit && msg.attempts >= settings.delivery_limit) {
      nack(ctx, state, msg, cause, node, qNode);
      deadLetter(ctx, state, msg, Reason.DeliveryLimit);
      return;
    }
    markRequeued(ctx, state, msg, cause, node, qNode);
    dequePushFront(q.ready, msg);
    if (msg.expiresAt <= state.now) {
      // Its TTL ran out while a consumer held it: it expires as soon as it is back.
      expire(ctx, state, msg);
      return;
    }
    enforceMaxLength(ctx, state, q);
  }

  return {
    accept: (ctx, state, p) => routeCopies(ctx, state, p, enqueue),

    startConsumers(ctx, state, index, svc, _qi, q) {
      // Prefetch caps unacknowledged messages per consumer (one consumer per replica).
      const capacity = consumerCapacity(svc, settings.prefetch);
      while (svc.busy < capacity && q.ready.size - q.tombstones > 0) {
        const msg = popReady(q);
        if (!msg) return;
        deliver(ctx, state, index, msg);
      }
    },

    acknowledge: completeCopy,

    onFailure(ctx, state, msg, failure, node, qNode) {
      if (settings.on_failure === 'requeue') {
        // nack with requeue: straight back to the head of the queue, until the delivery limit.
        requeue(ctx, state, msg, failure, node, qNode, true);
        return;
      }
      nackForRetry(ctx, state, msg, failure, node, qNode, settings.on_failure === 'reject');
    },

    onCrash(ctx, state, msg, node, qNode) {
      requeue(ctx, state, msg, Reason.CrashBeforeAck, node, qNode, true);
    },

    onConsumerDown(ctx, state, msg, node, qNode) {
      requeue(ctx, state, msg, Reason.Reset, node, qNode, true);
    },

    retryReady(ctx, state, msg, q) {
      dequePushBack(q.ready, msg);
      if (msg.expiresAt <= state.now) expire(ctx, state, msg);
      else enforceMaxLength(ctx, state, q);
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

/** How many messages a service consumes at once. */
function consumerCapacity(svc: ServiceState, prefetch: number | undefined): number {
  return prefetch === undefined ? svc.workers : svc.replicas * Math.min(svc.concurrency, prefetch);
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
