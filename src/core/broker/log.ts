/**
 * The log flavour (Kafka 4.x style, as documented for Apache Kafka 4.2:
 * https://kafka.apache.org/documentation/): records are appended to a topic's partitions
 * by key and never change; retention deletes old records whether or not they were read.
 * That is all the broker does with them. Everything else is the consumer's:
 *
 * - A consumer group (the default) has one member per partition at a time, reading in
 *   order and committing its offset. Committing after processing is at-least-once,
 *   before is at-most-once. Replay is moving a stopped group's offsets
 *   (`kafka-consumer-groups.sh --reset-offsets`).
 * - Where a group has no valid offset (retention deleted it), `auto.offset.reset`
 *   decides: latest (the consumer default) skips to the log end, earliest reads what is
 *   left. See the consumer config `auto.offset.reset` in the Kafka docs.
 * - Kafka has no broker-side retry or dead-letter topic. A failed record is retried by
 *   consumer code: in place (the partition waits: head-of-line blocking), or written to a
 *   retry topic so the partition moves on (the record comes back after its backoff, out
 *   of order). After the last attempt the consumer writes it to a dead-letter topic.
 * - A share group (KIP-932 "Queues for Kafka": early access in 4.0, preview in 4.1,
 *   production-ready in 4.2) lets every member read every partition: each record is
 *   acquired under a lock (`group.share.record.lock.duration.ms`, default 30 s) and
 *   acknowledged on its own; a released or timed-out record is delivered again until
 *   `group.share.delivery.count.limit` (default 5) deliveries, then archived (never
 *   delivered again; the dead-letter topic for share groups, KIP-1191, is not modelled).
 * - A member whose processing of one poll exceeds `max.poll.interval.ms` (default 5 min)
 *   leaves the group; its partition goes to another member, which reads the uncommitted
 *   record again, and the slow member's commit is refused.
 * - Members joining or leaving a consumer group make it rebalance: consumption pauses
 *   for `rebalance_ms` (illustrative; off by default).
 */
import { hashString } from '../rng';
import type { Scenario } from '../scenario';
import {
  type BrokerFlavour,
  cancel,
  checkOrderDone,
  type Delivery,
  dequeAt,
  dequeCreate,
  dequePopFront,
  dequePushBack,
  Ev,
  electing,
  type GroupState,
  type LogRecord,
  type Message,
  type Order,
  type Partition,
  type PublishInTransit,
  type QueueState,
  type RunContext,
  record,
  type ServiceState,
  type SimState,
  schedule,
} from '../state';
import { BROKER_NODE, Reason, Rec } from '../trace';
import { neverScheduled } from './absent';
import { completeCopy, deliver, startConsumers } from './consumers';
import { dropCopy, endBackoff, loseCopy, markRequeued, nack, nackForRetry } from './retry';
import { newMessage } from './routing';

export type LogSettings = Extract<Scenario['broker'], { kind: 'log' }>;

/** The log flavour's rules for one run, with its settings. */
export function createLogFlavour(settings: LogSettings): BrokerFlavour {
  const share = settings.group_type === 'share';
  // Share groups acknowledge records, they commit no offsets: `commit` is a consumer group's.
  const commitBefore = !share && settings.commit === 'before';
  const retryTopic = !share && settings.retry === 'retry-topic';
  const latest = settings.auto_offset_reset === 'latest';

  function appendToLog(ctx: RunContext, state: SimState, p: PublishInTransit): void {
    const partitions = state.topics[p.type] as Partition[];
    const pi = partitionOf(p.order.key, settings.partitions);
    const part = partitions[pi] as Partition;
    const rec: LogRecord = {
      offset: part.end,
      id: p.id,
      order: p.order,
      type: p.type,
      publishedAt: p.publishedAt,
      appendedAt: state.now,
      effects: 0,
    };
    part.end++;
    dequePushBack(part.records, rec);
    record(
      ctx,
      state,
      Rec.Appended,
      BROKER_NODE,
      BROKER_NODE,
      p.id,
      p.order.corr,
      0,
      pi,
      rec.offset,
    );
    applyRetention(ctx, state, settings.retention_ms, p.type, pi);
    // Every subscribed group can now read it: one copy per group. (Counted, then walked
    // again: no array made per publish.)
    const routes = ctx.routes[p.type] as number[];
    let groups = 0;
    for (const qi of routes) if ((state.queues[qi] as QueueState).subscribed) groups++;
    record(ctx, state, Rec.Routed, BROKER_NODE, BROKER_NODE, p.id, p.order.corr, 0, p.type, groups);
    for (const qi of routes) {
      if (!(state.queues[qi] as QueueState).subscribed) continue;
      enqueueForGroup(ctx, state, rec, ctx.queueNode[qi] as number, rec.type);
      startConsumers(ctx, state, ctx.consumerOf[qi] as number);
    }
  }

  /**
   * A record goes to one partition: while that partition elects a leader the producer
   * gets "not leader" answers, refreshes its metadata and sends the record again once the
   * new leader is known (retries are unbounded by default, within delivery.timeout.ms,
   * 120 s: https://kafka.apache.org/documentation/#producerconfigs_delivery.timeout.ms).
   */
  function heldUntil(_ctx: RunContext, state: SimState, p: PublishInTransit): number {
    const leaderless = state.broker.leaderless;
    if (leaderless.length === 0) return 0;
    const pi = partitionOf(p.order.key, settings.partitions);
    return electing(state, pi) ? (leaderless[pi] as number) : 0;
  }

  /** The next record of slot `s` as a copy to hand out, or null when the slot has nothing to read. */
  function readNext(
    ctx: RunContext,
    state: SimState,
    qi: number,
    g: GroupState,
    s: number,
  ): Message | null {
    const [type, pi] = g.parts[s] as [number, number];
    // A partition electing its leader serves no fetch.
    if (electing(state, pi)) return null;
    // Retention deleted what this group was to read next: auto.offset.reset applies now.
    if (g.outOfRange[s]) {
      g.outOfRange[s] = false;
      if (latest) skipToEnd(ctx, state, qi, g, s);
    }
    const rec = recordAt(state, type, pi, g.position[s] as number);
    if (!rec) return null;
    const msg = newMessage(state, rec.id, qi, rec.order, rec.type, rec.publishedAt);
    msg.enqueuedAt = Math.max(rec.appendedAt, g.since[s] as number);
    msg.part = s;
    msg.offset = rec.offset;
    msg.rec = rec;
    // Read again after a reset: the group's consumer may already have done its work.
    msg.effectDone = (rec.effects & (1 << qi)) !== 0;
    // Read before: the group's offsets were moved back.
    if (rec.offset < (g.readUpTo[s] as number)) msg.cause = Reason.Replay;
    g.readUpTo[s] = Math.max(g.readUpTo[s] as number, msg.offset + 1);
    g.position[s] = msg.offset + 1;
    return msg;
  }

  /** Hand free members of a consumer group the next record of partitions they own. */
  function startGroup(
    ctx: RunContext,
    state: SimState,
    index: number,
    svc: ServiceState,
    qi: number,
    g: GroupState,
  ): void {
    const slots = g.parts.length;
    if (slots === 0 || state.now < g.pausedUntil) return;
    // Copies back from the retry topic first: any free worker takes them (the retry
    // topic's own consumer, in real code), whatever partition they came from.
    while (g.again.length > 0 && svc.busy < svc.workers)
      handOutTimed(ctx, state, index, g.again.shift() as Message);
    const members = svc.workers;
    // A member is busy while any partition it owns has a record in flight.
    const busyMembers = new Set<number>();
    for (let s = 0; s < slots; s++)
      if (g.current[s]?.where === 'in-flight') busyMembers.add(s % members);
    for (let k = 0; k < slots && svc.busy < svc.workers; k++) {
      const s = (g.cursor + k) % slots;
      const member = s % members;
      if (busyMembers.has(member) || g.blocked[s]) continue;
      let msg = g.current[s];
      if (msg && msg.where !== 'ready') continue;
      // Its partition has no leader yet: the record waits there (retried in place).
      if (msg && electing(state, (g.parts[s] as [number, number])[1])) continue;
      if (msg) {
        g.position[s] = msg.offset + 1;
      } else {
        msg = readNext(ctx, state, qi, g, s);
        if (!msg) continue;
        g.current[s] = msg;
      }
      // At-most-once: the offset is committed before the work is done.
      if (commitBefore) g.committed[s] = msg.offset + 1;
      busyMembers.add(member);
      handOutTimed(ctx, state, index, msg);
    }
    g.cursor = (g.cursor + 1) % slots;
  }

  /** Share group: every free worker acquires the next available record, from any partition. */
  function startShareGroup(
    ctx: RunContext,
    state: SimState,
    index: number,
    svc: ServiceState,
    qi: number,
    g: GroupState,
  ): void {
    const slots = g.parts.length;
    let idle = 0;
    while (svc.busy < svc.workers && slots > 0) {
      // Released records first: they are the lowest offsets still to be delivered.
      let msg = g.again.shift() ?? null;
      if (!msg) {
        const s = g.cursor;
        g.cursor = (g.cursor + 1) % slots;
        msg = readNext(ctx, state, qi, g, s);
        if (!msg) {
          if (++idle >= slots) return;
          continue;
        }
        idle = 0;
      }
      handOutTimed(ctx, state, index, msg);
    }
  }

  /**
   * Deliver, with the timer the group keeps on it: a share group's acquisition lock, or a
   * consumer group's max.poll.interval.ms when this piece of work will outlast it.
   */
  function handOutTimed(ctx: RunContext, state: SimState, index: number, msg: Message): void {
    deliver(ctx, state, index, msg);
    const svc = state.services[index] as ServiceState;
    const d = svc.active[svc.active.length - 1] as Delivery;
    const limit = share ? settings.share_lock_ms : settings.max_poll_interval_ms;
    // (Committed before the work, a consumer group has nothing left to read again.)
    if (!share && (commitBefore || ctx.network + d.duration <= limit)) return;
    // A new receipt: an acknowledgement carrying an older one is refused.
    msg.receipt = ++state.nextReceipt;
    d.receipt = msg.receipt;
    schedule(state, state.now + limit, Ev.VisibilityExpire, msg, msg.receipt);
  }

  /** The group goes back to read the copy again (the committed offset did not move past it). */
  function requeue(
    ctx: RunContext,
    state: SimState,
    msg: Message,
    cause: number,
    node: number,
    qNode: number,
  ): void {
    markRequeued(ctx, state, msg, cause, node, qNode);
    const g = groupOf(state, msg);
    // Read from the retry topic (or released by a share consumer): back to that line.
    if (share || g.current[msg.part] !== msg) g.again.unshift(msg);
    else rewindTo(ctx, state, g, msg);
  }

  function acknowledge(
    ctx: RunContext,
    state: SimState,
    msg: Message,
    node: number,
    qNode: number,
  ): void {
    const g = groupOf(state, msg);
    if (g.current[msg.part] === msg) commitPast(g, msg);
    completeCopy(ctx, state, msg, node, qNode);
  }

  /**
   * Share group: the record goes back to be acquired again (released by the consumer, or
   * its lock ran out), or is archived once delivered `share_delivery_limit` times.
   */
  function release(
    ctx: RunContext,
    state: SimState,
    msg: Message,
    cause: number,
    node: number,
    qNode: number,
  ): void {
    if (msg.attempts < settings.share_delivery_limit) {
      requeue(ctx, state, msg, cause, node, qNode);
      return;
    }
    nack(ctx, state, msg, cause, node, qNode);
    dropCopy(ctx, state, msg, Rec.Dropped, Reason.DeliveryLimit, 0);
  }

  /** A rebalance: no member of the group reads until it is over. */
  function rebalance(ctx: RunContext, state: SimState, index: number): void {
    const qi = ctx.serviceQueue[index] as number;
    const g = qi >= 0 ? state.queues[qi]?.group : null;
    if (!g || share || settings.rebalance_ms === 0) return;
    g.pausedUntil = state.now + settings.rebalance_ms;
    schedule(state, g.pausedUntil, Ev.GroupResume, null, index);
  }

  return {
    accept(ctx, state, p) {
      appendToLog(ctx, state, p);
      return 0;
    },

    heldUntil,

    startConsumers(ctx, state, index, svc, qi, q) {
      if (!q.group) return;
      if (share) startShareGroup(ctx, state, index, svc, qi, q.group);
      else startGroup(ctx, state, index, svc, qi, q.group);
    },

    acknowledge,

    onFailure(ctx, state, msg, failure, node, qNode) {
      // A share consumer releases the record: it can be acquired again at once.
      if (share) {
        release(ctx, state, msg, failure, node, qNode);
        return;
      }
      const g = groupOf(state, msg);
      if (retryTopic) {
        // The consumer writes the record to the retry topic (or, after its last attempt,
        // the dead-letter topic), commits past it and reads on: the partition never waits.
        if (g.current[msg.part] === msg) commitPast(g, msg);
        nackForRetry(ctx, state, msg, failure, node, qNode, false);
        return;
      }
      // After its last attempt it is parked on a dead-letter topic: the group commits past it and moves on.
      if (msg.attempts >= ctx.scenario.delivery.max_attempts) commitPast(g, msg);
      // Retried in place: the partition waits, so order is kept.
      if (nackForRetry(ctx, state, msg, failure, node, qNode, false)) g.blocked[msg.part] = true;
    },

    onCrash(ctx, state, msg, node, qNode) {
      // Share group: the record stays acquired until its lock runs out (onVisibilityExpire).
      if (share) return;
      // Committed before the work: nothing will be read again.
      if (commitBefore) acknowledge(ctx, state, msg, node, qNode);
      else requeue(ctx, state, msg, Reason.CrashBeforeAck, node, qNode);
    },

    onConsumerDown(ctx, state, msg, node, qNode) {
      // A share consumer that leaves releases what it acquired.
      if (share) {
        release(ctx, state, msg, Reason.Reset, node, qNode);
        return;
      }
      if (!commitBefore) {
        requeue(ctx, state, msg, Reason.Reset, node, qNode);
        return;
      }
      // Committed before processing and never processed: at-most-once loses it.
      nack(ctx, state, msg, Reason.Reset, node, qNode);
      const g = groupOf(state, msg);
      if (g.current[msg.part] === msg) g.current[msg.part] = null;
      dropCopy(ctx, state, msg, Rec.Dropped, Reason.Reset, 0);
    },

    retryReady(ctx, state, msg, q) {
      const g = q.group;
      if (!g) return;
      if (g.current[msg.part] !== msg) {
        // Back from the retry topic: ready for any free worker, after what it was behind.
        g.again.push(msg);
        return;
      }
      g.blocked[msg.part] = false;
      rewindTo(ctx, state, g, msg);
    },

    onExpire: neverScheduled,

    onVisibilityExpire(ctx, state, msg, receipt) {
      if (msg.where !== 'in-flight' || msg.receipt !== receipt) return;
      const svc = ctx.consumerOf[msg.queue] as number;
      const node = ctx.serviceNode[svc] as number;
      const qNode = ctx.queueNode[msg.queue] as number;
      // The consumer still works on it; whatever it acknowledges now is refused.
      msg.receipt = ++state.nextReceipt;
      if (share) release(ctx, state, msg, Reason.LockTimeout, node, qNode);
      else {
        // Too long since its last poll: the member leaves the group, whose other members
        // take its partition and read the uncommitted record again.
        requeue(ctx, state, msg, Reason.PollTimeout, node, qNode);
        rebalance(ctx, state, svc);
      }
      startConsumers(ctx, state, svc);
    },

    onSubscribe: readHistory,
    onMembersChanged: rebalance,
    resetOffsets(ctx, state, index, target) {
      return resetOffsets(ctx, state, index, target, !share);
    },
    // Dead-letter topics are a consumer pattern: nothing moves back by itself.
    redrive: () => 0,

    createGroup(ctx, qi) {
      const parts: [number, number][] = [];
      for (const type of ctx.model.queues[qi]?.bindings ?? [])
        for (let p = 0; p < settings.partitions; p++) parts.push([type, p]);
      return {
        parts,
        position: parts.map(() => 0),
        committed: parts.map(() => 0),
        current: parts.map(() => null),
        blocked: parts.map(() => false),
        cursor: 0,
        readUpTo: parts.map(() => 0),
        since: parts.map(() => 0),
        outOfRange: parts.map(() => false),
        again: [],
        pausedUntil: 0,
      };
    },

    createTopics(ctx) {
      return ctx.model.eventTypes.map(() =>
        Array.from(
          { length: settings.partitions },
          (): Partition => ({ start: 0, end: 0, records: dequeCreate() }),
        ),
      );
    },
  };
}

function partitionOf(key: number, partitions: number): number {
  return hashString(`key-${key}`) % partitions;
}

/** The consumer group a copy was read by. */
function groupOf(state: SimState, msg: Message): GroupState {
  return (state.queues[msg.queue] as QueueState).group as GroupState;
}

/** Done with this record, one way or another: the group's committed offset moves past it. */
function commitPast(g: GroupState, msg: Message): void {
  // Never behind what retention already skipped.
  g.committed[msg.part] = Math.max(g.committed[msg.part] as number, msg.offset + 1);
  g.current[msg.part] = null;
}

/**
 * The record is a copy for a group to read (`code`: its event type, or `Reason.Replay`):
 * its order waits for that copy too.
 */
function enqueueForGroup(
  ctx: RunContext,
  state: SimState,
  rec: LogRecord,
  qNode: number,
  code: number,
): void {
  rec.order.live++;
  record(ctx, state, Rec.Enqueued, BROKER_NODE, qNode, rec.id, rec.order.corr, 0, code, rec.offset);
}

/** The record at `offset` of a partition, if it is still kept. */
export function recordAt(
  state: SimState,
  type: number,
  pi: number,
  offset: number,
): LogRecord | undefined {
  const part = (state.topics[type] as Partition[])[pi] as Partition;
  return dequeAt(part.records, offset - part.start);
}

/** Delete records past retention; groups that had not read them lose them. */
function applyRetention(
  ctx: RunContext,
  state: SimState,
  retentionMs: number,
  type: number,
  pi: number,
): void {
  const part = (state.topics[type] as Partition[])[pi] as Partition;
  const horizon = state.now - retentionMs;
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
      // Records this group had yet to read are gone: its next read resets (auto.offset.reset).
      if ((g.position[s] as number) < part.start) g.outOfRange[s] = true;
      while ((g.position[s] as number) < part.start) {
        // Unread and deleted: it expired for this group (retention does not wait for readers).
        const offset = g.position[s] as number;
        const current = g.current[s];
        const rec = current?.offset === offset ? current : deleted[offset - first];
        if (!rec) break;
        if (current?.offset === offset) g.current[s] = null;
        const since =
          'appendedAt' in rec ? Math.max(rec.appendedAt, g.since[s] as number) : rec.enqueuedAt;
        expireForGroup(ctx, state, qi, g, s, rec.id, rec.order, type, offset, since);
      }
      // A committed offset below the log start points at nothing: it resets to the start
      // (a record fetched before it was deleted is still being handled and may yet fail).
      g.committed[s] = Math.max(g.committed[s] as number, part.start);
    });
  }
}

function expireForGroup(
  ctx: RunContext,
  state: SimState,
  qi: number,
  g: GroupState,
  s: number,
  id: number,
  order: Order,
  type: number,
  offset: number,
  visibleSince: number,
): void {
  const node = ctx.queueNode[qi] as number;
  record(
    ctx,
    state,
    Rec.Expired,
    node,
    node,
    id,
    order.corr,
    0,
    Reason.Expired,
    state.now - visibleSince,
  );
  g.position[s] = offset + 1;
  g.committed[s] = Math.max(g.committed[s] as number, offset + 1);
  loseCopy(ctx, state, { queue: qi, order, id, type }, Reason.Expired);
}

/** The group goes back to read `msg` again; if retention deleted it meanwhile, it expires. */
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
  expireForGroup(
    ctx,
    state,
    msg.queue,
    g,
    msg.part,
    msg.id,
    msg.order,
    msg.type,
    msg.offset,
    msg.enqueuedAt,
  );
  g.position[msg.part] = Math.max(ahead, msg.offset + 1);
}

/** A group that joins during the run starts at the earliest or the latest offset; the history it will read counts as its copies. */
function readHistory(
  ctx: RunContext,
  state: SimState,
  qi: number,
  from: 'earliest' | 'latest',
): void {
  const g = state.queues[qi]?.group;
  if (!g) return;
  const qNode = ctx.queueNode[qi] as number;
  g.parts.forEach(([type, pi], s) => {
    const part = (state.topics[type] as Partition[])[pi] as Partition;
    const start = from === 'earliest' ? part.start : part.end;
    g.position[s] = start;
    g.committed[s] = start;
    g.since[s] = state.now;
    for (let offset = start; offset < part.end; offset++) {
      const rec = recordAt(state, type, pi, offset) as LogRecord;
      enqueueForGroup(ctx, state, rec, qNode, rec.type);
    }
  });
}

/**
 * Move a stopped group's committed offsets (`kafka-consumer-groups.sh --reset-offsets`).
 * Records between the new offset and the old one are read again, in order; records
 * skipped forward are never read by this group. Returns a problem, or null.
 *
 * Conservation holds through a reset: before it, the group owes one copy of every record
 * from its position to the log end, plus the record it holds below that (requeued, or
 * waiting out an in-place retry); after it, one copy of every record from the new
 * offset on. Each record owed before and not after is dropped, each owed after and not
 * before is enqueued again, and a record owed both ways keeps its one copy.
 */
function resetOffsets(
  ctx: RunContext,
  state: SimState,
  index: number,
  target: Parameters<BrokerFlavour['resetOffsets']>[3],
  consumerGroup: boolean,
): string | null {
  const svc = state.services[index] as ServiceState;
  const qi = ctx.serviceQueue[index] as number;
  const q = state.queues[qi];
  const g = q?.group;
  if (!q || !g || !q.subscribed) return 'this service reads no topic';
  if (!svc.down) return 'stop the consumer group first (switch the service off), as Kafka requires';
  const qNode = ctx.queueNode[qi] as number;
  let replayed = 0;
  g.parts.forEach(([type, pi], s) => {
    const part = (state.topics[type] as Partition[])[pi] as Partition;
    // A share group holds no record per partition: what it released stays its own copy.
    const held = consumerGroup ? takeHeld(ctx, state, g, s, part) : null;
    g.blocked[s] = false;
    g.outOfRange[s] = false;
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
    const from = g.position[s] as number;
    const heldAt = held ? held.offset : from;
    for (let offset = Math.min(next, heldAt); offset < Math.max(next, from); offset++) {
      const owedBefore = offset >= from || offset === heldAt;
      const owedAfter = offset >= next;
      if (owedAfter === owedBefore) continue;
      const rec = recordAt(state, type, pi, offset) as LogRecord;
      if (owedAfter) {
        replayed++;
        enqueueForGroup(ctx, state, rec, qNode, Reason.Replay);
        continue;
      }
      // Skipped forward: this group never reads it.
      const since =
        held && offset === heldAt
          ? held.enqueuedAt
          : Math.max(rec.appendedAt, g.since[s] as number);
      record(
        ctx,
        state,
        Rec.Dropped,
        qNode,
        qNode,
        rec.id,
        rec.order.corr,
        0,
        Reason.Replay,
        state.now - since,
      );
      rec.order.live--;
      checkOrderDone(ctx, state, rec.order);
    }
    g.position[s] = next;
    g.committed[s] = next;
    g.since[s] = state.now;
  });
  const code = target.to === 'earliest' ? 0 : target.to === 'offset' ? 1 : 2;
  record(
    ctx,
    state,
    Rec.OffsetsReset,
    ctx.serviceNode[index] as number,
    qNode,
    0,
    0,
    0,
    code,
    replayed,
  );
  return null;
}

/**
 * The record a stopped group holds on slot `s` below its position, let go before a
 * reset: a requeued record stays a waiting copy; one waiting out an in-place retry has
 * its backoff cut short and becomes a waiting copy again (never a second copy); one that
 * retention deleted meanwhile expires. Returns the waiting copy, if one is left.
 */
function takeHeld(
  ctx: RunContext,
  state: SimState,
  g: GroupState,
  s: number,
  part: Partition,
): Message | null {
  const held = g.current[s];
  g.current[s] = null;
  if (!held || held.where === 'done' || held.where === 'in-flight') return null;
  if (held.where === 'retrying') {
    if (held.retry) cancel(state, held.retry);
    endBackoff(ctx, state, held);
  }
  if (held.offset >= part.start) return held;
  held.where = 'done';
  const node = ctx.queueNode[held.queue] as number;
  record(
    ctx,
    state,
    Rec.Expired,
    node,
    node,
    held.id,
    held.order.corr,
    held.attempts,
    Reason.Expired,
    state.now - held.enqueuedAt,
  );
  loseCopy(ctx, state, held, Reason.Expired);
  return null;
}

/**
 * `auto.offset.reset` = latest: the group's position was deleted by retention, so it
 * resumes at the log end. Every record it had not read yet is skipped, kept or not.
 */
function skipToEnd(ctx: RunContext, state: SimState, qi: number, g: GroupState, s: number): void {
  const [type, pi] = g.parts[s] as [number, number];
  const part = (state.topics[type] as Partition[])[pi] as Partition;
  const qNode = ctx.queueNode[qi] as number;
  for (let offset = g.position[s] as number; offset < part.end; offset++) {
    const rec = recordAt(state, type, pi, offset) as LogRecord;
    record(
      ctx,
      state,
      Rec.Dropped,
      qNode,
      qNode,
      rec.id,
      rec.order.corr,
      0,
      Reason.OffsetOutOfRange,
      state.now - Math.max(rec.appendedAt, g.since[s] as number),
    );
    rec.order.deadLettered = true;
    rec.order.live--;
    checkOrderDone(ctx, state, rec.order);
  }
  g.position[s] = part.end;
  g.committed[s] = Math.max(g.committed[s] as number, part.end);
}
