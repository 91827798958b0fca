/**
 * The SNS + SQS flavour: a topic copies each message to the subscribed queues whose
 * filter policy accepts it; a received message is invisible for the visibility timeout
 * and reappears unless deleted, its receive count rising each time; the redrive policy
 * moves it to the dead-letter queue after maxReceiveCount receives. Standard queues
 * deliver at least once in best-effort order; FIFO queues keep order per message group
 * and drop repeats seen within five minutes. A message is deleted by SQS once it is older
 * than the queue's retention period, read or not; DelaySeconds keeps a new message
 * invisible for a while; consumers may extend the visibility timeout while they work.
 *
 * Sources (Amazon SQS Developer Guide): "Amazon SQS visibility timeout" (default 30 s,
 * 0 s-12 h; ChangeMessageVisibility), "Amazon SQS delay queues" (DelaySeconds, 0-15 min),
 * the queue attribute MessageRetentionPeriod (default 4 days, 60 s-14 days), and
 * "Using dead-letter queues" (maxReceiveCount, which has no default: it must be set).
 */
import { nextFloat } from '../rng';
import type { Scenario } from '../scenario';
import {
  type BrokerFlavour,
  dequeAt,
  dequePopFront,
  dequePushBack,
  dequePushFront,
  dequeRemoveAt,
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
import { fromNowOn, noGroup, noOffsets, noTopics } from './absent';
import { completeCopy, handOut, startConsumers, startWork } from './consumers';
import { deadLetter, dropCopy, markRequeued, nack, redriveDeadLetters } from './retry';
import { routeCopies } from './routing';

/**
 * How often a standard SQS queue hands out a message twice although it was deleted.
 * AWS publishes no rate ("occasionally more than one copy"): this one is illustrative.
 */
export const STANDARD_DUPLICATE_RATE = 0.002;
/** Retention sweeps of one queue come at most this often. */
const SWEEP_EVERY_MS = 1000;
/** SNS FIFO deduplication window (fixed by AWS). */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

export type SnsSqsSettings = Extract<Scenario['broker'], { kind: 'sns-sqs' }>;

/** The SNS + SQS flavour's rules for one run, with its settings. */
export function createSnsSqsFlavour(settings: SnsSqsSettings): BrokerFlavour {
  const fifo = settings.fifo;
  // A zero timeout has nothing to extend (and extending it by 0 would never end).
  const extend = settings.extend_visibility && settings.visibility_timeout_ms > 0;

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
    // Past retention while it was invisible: deleted as soon as it is back.
    if (expiryOf(msg) <= state.now) retire(ctx, state, msg, q);
    else {
      dequePushFront(q.ready, msg);
      watchRetention(state, q);
    }
  }

  /** A visible message joins the back of the line; the retention sweep watches the line. */
  function makeVisible(ctx: RunContext, state: SimState, msg: Message, q: QueueState): void {
    msg.where = 'ready';
    dequePushBack(q.ready, msg);
    watchRetention(state, q);
    startConsumers(ctx, state, ctx.consumerOf[msg.queue] as number);
  }

  /** When SQS deletes `msg`: retention counts from when it was first sent (kept by a dead-letter move). */
  const expiryOf = (msg: Message) => msg.publishedAt + settings.message_retention_ms;

  /** One retention timer per queue, at the moment its oldest waiting message passes retention. */
  function watchRetention(state: SimState, q: QueueState): void {
    if (q.sweeping || q.ready.size === 0) return;
    let first = Number.POSITIVE_INFINITY;
    for (let i = 0; i < q.ready.size; i++)
      first = Math.min(first, expiryOf(dequeAt(q.ready, i) as Message));
    q.sweeping = true;
    // SQS deletes expired messages in the background, not to the millisecond: a sweep a
    // second at most keeps a long line cheap.
    schedule(
      state,
      Math.max(first, state.now + SWEEP_EVERY_MS),
      Ev.Expire,
      dequeAt(q.ready, 0) as Message,
    );
  }

  /**
   * Retention: SQS deletes messages older than the retention period, read or not (a
   * message being received is deleted when it becomes visible again). They are gone:
   * they do not go to the dead-letter queue.
   */
  function sweep(ctx: RunContext, state: SimState, q: QueueState): void {
    q.sweeping = false;
    for (let n = q.ready.size; n > 0; n--) {
      const msg = dequePopFront(q.ready) as Message;
      if (expiryOf(msg) > state.now) dequePushBack(q.ready, msg);
      else retire(ctx, state, msg, q);
    }
    watchRetention(state, q);
  }

  function retire(ctx: RunContext, state: SimState, msg: Message, q: QueueState): void {
    if (fifo) q.groupsInFlight.delete(msg.order.key);
    dropCopy(ctx, state, msg, Rec.Expired, Reason.Expired, state.now - msg.enqueuedAt);
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
    if (settings.delay_ms > 0) {
      // DelaySeconds: on the queue, counted as waiting, but nobody can receive it yet.
      msg.where = 'delayed';
      q.delayed++;
      schedule(state, state.now + settings.delay_ms, Ev.VisibilityExpire, msg, 0);
      return true;
    }
    makeVisible(ctx, state, msg, q);
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

    onExpire(ctx, state, msg) {
      sweep(ctx, state, state.queues[msg.queue] as QueueState);
    },

    onVisibilityExpire(ctx, state, msg, receipt) {
      const q = state.queues[msg.queue] as QueueState;
      if (msg.where === 'delayed') {
        // Its delay is over: visible from now on (it has been waiting on the queue all along).
        q.delayed--;
        if (expiryOf(msg) <= state.now) retire(ctx, state, msg, q);
        else makeVisible(ctx, state, msg, q);
        return;
      }
      if (msg.where !== 'in-flight' || msg.receipt !== receipt) return;
      const index = ctx.consumerOf[msg.queue] as number;
      if (extend && isBeingWorkedOn(state, index, msg)) {
        // The worker's heartbeat (ChangeMessageVisibility) keeps the message hidden.
        schedule(
          state,
          state.now + settings.visibility_timeout_ms,
          Ev.VisibilityExpire,
          msg,
          receipt,
        );
        return;
      }
      const node = ctx.serviceNode[index] as number;
      const qNode = ctx.queueNode[msg.queue] as number;
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
    redrive(ctx, state) {
      const moved = redriveDeadLetters(ctx, state);
      // Moved back with their first timestamps: those past retention are deleted at once.
      for (const q of state.queues) if (q.ready.size > 0) sweep(ctx, state, q);
      return moved;
    },
    createGroup: noGroup,
    createTopics: noTopics,
  };
}

/** A live worker of service `index` still holds this receive of `msg` (its heartbeat runs). */
function isBeingWorkedOn(state: SimState, index: number, msg: Message): boolean {
  for (const item of (state.services[index] as ServiceState).active)
    if ('msg' in item && item.msg === msg && item.receipt === msg.receipt) return true;
  return false;
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
