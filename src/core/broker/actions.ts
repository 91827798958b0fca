/**
 * What a learner can do to the broker during a run, and what the broker panels read
 * back. Actions that exist on some flavours only are the flavour's hooks; the others
 * answer why not.
 */
import {
  dequeAt,
  Ev,
  type Message,
  nodeOf,
  type OffsetTarget,
  type Partition,
  type RunContext,
  record,
  type ServiceState,
  type SimState,
} from '../state';
import { Rec } from '../trace';
import { startConsumers } from './consumers';
import { recordAt } from './log';

/** A subscriber joins during the run. On a log it starts at the earliest or latest offset. */
export function subscribe(
  ctx: RunContext,
  state: SimState,
  index: number,
  from: 'earliest' | 'latest',
): void {
  const qi = ctx.serviceQueue[index] as number;
  const q = state.queues[qi];
  if (!q || q.subscribed) return;
  q.subscribed = true;
  record(
    ctx,
    state,
    Rec.Subscribed,
    nodeOf(ctx, index),
    ctx.queueNode[qi] as number,
    0,
    0,
    0,
    from === 'earliest' ? 1 : 0,
    0,
  );
  ctx.flavour.onSubscribe(ctx, state, qi, from);
  startConsumers(ctx, state, index);
}

/**
 * Move a stopped group's committed offsets (log flavour). Records between the new
 * offset and the old one are read again, in order. Returns a problem, or null.
 */
export function resetOffsets(
  ctx: RunContext,
  state: SimState,
  index: number,
  target: OffsetTarget,
): string | null {
  return ctx.flavour.resetOffsets(ctx, state, index, target);
}

/** Move kept dead letters back to the queues they came from (queue and SNS + SQS flavours). */
export function redrive(ctx: RunContext, state: SimState): number {
  return ctx.flavour.redrive(ctx, state);
}

/** Switch a consumer's idempotency (deduplication by message id) on or off. */
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
    // Back from a retry topic or released by a share consumer.
    for (const m of g.again) oldest = Math.min(oldest, m.publishedAt);
  } else {
    for (let i = 0; i < q.ready.size; i++) {
      const msg = dequeAt(q.ready, i) as Message;
      if (msg.where === 'ready') oldest = Math.min(oldest, msg.publishedAt);
    }
  }
  if (q.retrying > 0) {
    // Messages waiting out a backoff (on a log: in place, or on the retry topic) are
    // referenced only by their timers.
    for (const ev of state.heap) {
      if (ev.kind === Ev.RetryReady && !ev.cancelled && ev.ref.queue === qi)
        oldest = Math.min(oldest, ev.ref.publishedAt);
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

/** Each partition a log group reads, with its offsets, lag and owner (empty for a queue). */
export function groupPartitions(ctx: RunContext, state: SimState, qi: number): PartitionView[] {
  const q = state.queues[qi];
  const g = q?.group;
  if (!g) return [];
  const svc = state.services[ctx.consumerOf[qi] as number] as ServiceState;
  const share = ctx.model.broker.kind === 'log' && ctx.model.broker.group_type === 'share';
  // A share group commits no offset: its start offset is its lowest record not yet
  // acknowledged (released, or being worked on), else where it reads next.
  const shareStart = (s: number, start: number): number => {
    let lowest = g.position[s] as number;
    for (const m of g.again) if (m.part === s) lowest = Math.min(lowest, m.offset);
    for (const item of svc.active)
      if ('msg' in item && item.msg.queue === qi && item.msg.part === s)
        lowest = Math.min(lowest, item.msg.offset);
    return Math.max(start, lowest);
  };
  return g.parts.map(([topic, partition], s) => {
    const part = (state.topics[topic] as Partition[])[partition] as Partition;
    const committed = !q.subscribed
      ? part.end
      : share
        ? shareStart(s, part.start)
        : (g.committed[s] as number);
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
