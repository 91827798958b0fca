/**
 * The SNS + SQS flavour: a topic copies each message to the subscribed queues whose
 * filter policy accepts it; a received message is invisible for the visibility timeout
 * and reappears unless deleted, its receive count rising each time; the redrive policy
 * moves it to the dead-letter queue after maxReceiveCount receives. Standard queues
 * deliver at least once in best-effort order; FIFO queues keep order per message group
 * and drop repeats seen within five minutes.
 */
import { nextFloat } from '../rng';
import type { Scenario } from '../scenario';
import {
  type BrokerFlavour,
  dequeAt,
  dequePushBack,
  dequePushFront,
  dequeRemoveAt,
  Ev,
  type Message,
  type QueueState,
  type RunContext,
  record,
  type SimState,
  schedule,
} from '../state';
import { BROKER_NODE, Reason, Rec } from '../trace';
import { fromNowOn, neverScheduled, noGroup, noOffsets, noTopics } from './absent';
import { completeCopy, handOut, startConsumers, startWork } from './consumers';
import { deadLetter, markRequeued, nack, redriveDeadLetters } from './retry';
import { routeCopies } from './routing';

/** How often a standard SQS queue hands out a message twice although it was deleted. */
export const STANDARD_DUPLICATE_RATE = 0.002;
/** SNS FIFO deduplication window (fixed by AWS). */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

export type SnsSqsSettings = Extract<Scenario['broker'], { kind: 'sns-sqs' }>;

/** The SNS + SQS flavour's rules for one run, with its settings. */
export function createSnsSqsFlavour(settings: SnsSqsSettings): BrokerFlavour {
  const fifo = settings.fifo;

  function deliver(
    ctx: RunContext,
    state: SimState,
    index: number,
    msg: Message,
    q: QueueState,
  ): void {
    handOut(ctx, state, index, msg);
    // Each receive gets a new receipt; only the latest one can delete the message.
    msg.receipt = ++state.nextReceipt;
    if (fifo) q.groupsInFlight.add(msg.order.key);
    schedule(
      state,
      state.now + settings.visibility_timeout_ms,
      Ev.VisibilityExpire,
      msg,
      msg.receipt,
    );
    startWork(ctx, state, index, msg);
  }

  /** Not deleted in time: the message is visible again, at the head of its queue. */
  function requeue(
    ctx: RunContext,
    state: SimState,
    msg: Message,
    cause: number,
    node: number,
    qNode: number,
  ): void {
    const q = state.queues[msg.queue] as QueueState;
    markRequeued(ctx, state, msg, cause, node, qNode);
    if (fifo) q.groupsInFlight.delete(msg.order.key);
    dequePushFront(q.ready, msg);
  }

  /** Put a new copy on a queue (SQS queues are not capped). */
  function enqueue(ctx: RunContext, state: SimState, msg: Message): boolean {
    const qi = msg.queue;
    const q = state.queues[qi] as QueueState;
    msg.order.live++;
    record(
      ctx,
      state,
      Rec.Enqueued,
      BROKER_NODE,
      ctx.queueNode[qi] as number,
      msg.id,
      msg.order.corr,
      0,
      msg.type,
      0,
    );
    dequePushBack(q.ready, msg);
    startConsumers(ctx, state, ctx.consumerOf[qi] as number);
    return true;
  }

  return {
    accept(ctx, state, p) {
      if (fifo && isDuplicatePublish(state, `${p.order.corr}:${p.type}`)) {
        // Content-based deduplication: the same order's event again within five minutes.
        record(
          ctx,
          state,
          Rec.Deduplicated,
          BROKER_NODE,
          BROKER_NODE,
          p.id,
          p.order.corr,
          0,
          p.type,
          0,
        );
        return 0;
      }
      return routeCopies(ctx, state, p, enqueue);
    },

    startConsumers(ctx, state, index, svc, _qi, q) {
      while (svc.busy < svc.workers && q.ready.size - q.tombstones > 0) {
        const msg = fifo ? takeFifo(q) : takeStandard(state, q);
        if (!msg) return;
        deliver(ctx, state, index, msg, q);
      }
    },

    acknowledge(ctx, state, msg, node, qNode) {
      const q = state.queues[msg.queue] as QueueState;
      if (fifo) q.groupsInFlight.delete(msg.order.key);
      else if (nextFloat(state.orderRng) < STANDARD_DUPLICATE_RATE) {
        // The delete did not reach every copy of the queue: the message will be received again.
        requeue(ctx, state, msg, Reason.StandardDuplicate, node, qNode);
        return;
      }
      completeCopy(ctx, state, msg, node, qNode);
    },

    // Nothing to tell SQS after a failure, a crash or a lost consumer: the message stays
    // invisible until its visibility timeout ends, then it is received again.
    onFailure() {},
    onCrash() {},
    onConsumerDown() {},

    retryReady(_ctx, _state, msg, q) {
      dequePushBack(q.ready, msg);
    },

    onExpire: neverScheduled,

    onVisibilityExpire(ctx, state, msg, receipt) {
      if (msg.where !== 'in-flight' || msg.receipt !== receipt) return;
      const index = ctx.consumerOf[msg.queue] as number;
      const node = ctx.serviceNode[index] as number;
      const qNode = ctx.queueNode[msg.queue] as number;
      const q = state.queues[msg.queue] as QueueState;
      if (msg.attempts >= settings.max_receive_count) {
        // Redrive policy: received maxReceiveCount times and never deleted.
        if (fifo) q.groupsInFlight.delete(msg.order.key);
        nack(ctx, state, msg, Reason.VisibilityTimeout, node, qNode);
        deadLetter(ctx, state, msg, msg.lastError || Reason.VisibilityTimeout);
      } else {
        requeue(ctx, state, msg, Reason.VisibilityTimeout, node, qNode);
      }
      startConsumers(ctx, state, index);
    },

    onSubscribe: fromNowOn,
    resetOffsets: noOffsets,
    redrive: redriveDeadLetters,
    createGroup: noGroup,
    createTopics: noTopics,
  };
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

/** FIFO: the first message whose group has nothing in flight. Order within a group holds. */
function takeFifo(q: QueueState): Message | undefined {
  for (let i = 0; i < q.ready.size; i++) {
    const msg = dequeAt(q.ready, i) as Message;
    if (!q.groupsInFlight.has(msg.order.key)) return dequeRemoveAt(q.ready, i);
  }
  return undefined;
}

/** Standard queue: best-effort order, so one of the first few messages. */
function takeStandard(state: SimState, q: QueueState): Message {
  const window = Math.min(3, q.ready.size);
  return dequeRemoveAt(q.ready, Math.floor(nextFloat(state.orderRng) * window));
}
