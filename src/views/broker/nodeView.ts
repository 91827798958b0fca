/**
 * What the inspector adds about the broker for one selected node, read from the
 * simulation's public API and its latest trace records: subscription, partitions and
 * their owners (log), invisible messages and receive counts (SQS), repeated side
 * effects and ordering. A pure function of the simulation, refreshed a few times a
 * second by the inspector.
 */
import type { Model } from '../../core/model';
import { Rec, type TraceRecord } from '../../core/trace';
import { secondsText } from '../../core/format';
import type { RunView } from '../../run/view';
import { subscription } from '../../store/broker';
import { type DuplicateNote, duplicateNotes } from './explain';
import { type OrderingRow, orderingPromise, orderingStats } from './ordering';

/** Records scanned: the whole ring the engine keeps. */
const TRACE_SCAN = 4096;

export interface PartitionRow {
  partition: number;
  /** Event type (topic) when the group reads more than one. */
  topic: string;
  member: number;
  start: number;
  committed: number;
  end: number;
  lag: number;
  busy: boolean;
}

export interface InvisibleRow {
  id: number;
  corr: number;
  receives: number;
  /** Milliseconds until it is visible again, if not deleted. */
  visibleInMs: number;
}

export interface BrokerNodeView {
  kind: 'service' | 'queue' | 'dlq';
  flavour: Model['broker']['kind'];
  /** The consumer this node is, or whose queue it is. */
  service: { index: number; id: string; name: string } | null;
  /** It consumes from a queue / group on this side. */
  consumer: boolean;
  subscribed: boolean;
  /** Declared `subscribed: false`: a late joiner. */
  lateJoiner: boolean;
  /** One or two sentences about its subscription, or null when there is nothing to say. */
  subscriptionNote: string | null;
  down: boolean;
  partitions: PartitionRow[];
  members: number;
  idleMembers: number[];
  lag: number;
  /** The oldest first, as far as the records kept reach. */
  invisible: InvisibleRow[];
  /** Exactly how many are invisible now. */
  invisibleTotal: number;
  visibilityTimeoutMs: number;
  /** SQS FIFO: message groups blocked behind a message in flight. */
  blockedGroups: number | null;
  duplicates: DuplicateNote[];
  ordering: OrderingRow | null;
  orderingPromise: string;
}

const seconds = (ms: number) => secondsText(ms, 1);

function subscriptionNote(
  sim: RunView,
  service: { index: number; id: string; name: string },
  queueNode: number,
  tail: readonly TraceRecord[],
  lag: number,
): string | null {
  const model = sim.model;
  const info = model.services[service.index];
  if (!info) return null;
  const name = service.name;
  if (!sim.isSubscribed(service.id)) {
    return `${name} exists but has not subscribed: nothing is routed to it, and the producer does not know it is there. Add it while the run goes on.`;
  }
  const joined = subscription(sim, service.id);
  if (!joined) return null;
  const at = `t = ${seconds(joined.at)}`;
  if (model.broker.kind === 'log') {
    return joined.from === 'earliest'
      ? `Subscribed at ${at} from the earliest offset: its new consumer group reads the whole history, oldest first. Lag now ${lag.toLocaleString('en-US')} record${lag === 1 ? '' : 's'}.`
      : `Subscribed at ${at} from the latest offset: it reads only records appended after it joined. Lag now ${lag.toLocaleString('en-US')}.`;
  }
  // The first copy put on its queue after it joined: the orders before it never reach it.
  let first = 0;
  let seen = false;
  for (const r of tail) {
    if (r.kind === Rec.Subscribed && r.from === info.node) seen = true;
    else if (seen && r.kind === Rec.Enqueued && r.to === queueNode) {
      first = r.corr;
      break;
    }
  }
  const before =
    first > 1
      ? ` Its first event is order #${first}'s: the ${(first - 1).toLocaleString('en-US')} orders placed before never reach it.`
      : '';
  return `Subscribed at ${at}. It gets only events published after it subscribed; nothing published before is copied to its ${model.broker.kind === 'sns-sqs' ? 'SQS queue' : 'queue'}.${before}`;
}

export function brokerNodeView(sim: RunView, nodeId: string): BrokerNodeView | null {
  const model = sim.model;
  if (model.architecture !== 'event') return null;
  const node = model.nodes.find((n) => n.id === nodeId);
  if (!node || (node.kind !== 'service' && node.kind !== 'queue' && node.kind !== 'dlq'))
    return null;
  if (node.kind === 'dlq' && node.index !== model.dlqNode) return null;
  const info = node.service !== undefined ? model.services[node.service] : undefined;
  const queueIndex = info?.queue ?? -1;
  const consumer = info !== undefined && queueIndex >= 0 && info.index !== model.entry;
  const service = info ? { index: info.index, id: info.id, name: info.name } : null;
  const broker = model.broker;
  const tail = sim.traceTail(TRACE_SCAN);

  const view: BrokerNodeView = {
    kind: node.kind,
    flavour: broker.kind,
    service,
    consumer,
    subscribed: service ? sim.service(service.index).subscribed : false,
    lateJoiner: info ? !info.subscribedAtStart : false,
    subscriptionNote: null,
    down: service ? sim.service(service.index).down : false,
    partitions: [],
    members: 0,
    idleMembers: [],
    lag: 0,
    invisible: [],
    invisibleTotal: 0,
    visibilityTimeoutMs: broker.kind === 'sns-sqs' ? broker.visibility_timeout_ms : 0,
    blockedGroups: null,
    duplicates: [],
    ordering: null,
    orderingPromise: orderingPromise(model),
  };
  if (!consumer || !service) return view;

  const queueNode = model.queues[queueIndex]?.node ?? -1;
  if (broker.kind === 'log') {
    const parts = sim.partitions(queueIndex);
    const several = new Set(parts.map((p) => p.topic)).size > 1;
    view.partitions = parts.map((p) => ({
      partition: p.partition,
      topic: several ? (model.eventTypes[p.topic] ?? '') : '',
      member: p.owner,
      start: p.start,
      committed: p.committed,
      end: p.end,
      lag: p.lag,
      busy: p.inFlight,
    }));
    view.lag = parts.reduce((sum, p) => sum + p.lag, 0);
    view.members = sim.service(service.index).workers;
    const owners = new Set(parts.map((p) => p.owner));
    // A share group has no owners: every member reads every partition, none sits idle.
    if (broker.group_type !== 'share')
      for (let m = 0; m < view.members; m++) if (!owners.has(m)) view.idleMembers.push(m);
  }
  if (broker.kind === 'sns-sqs') {
    // Received and not deleted: held by a worker, or by nobody (the consumer crashed before
    // deleting it) until the visibility timeout ends. Read from the records, oldest first.
    const open = new Map<number, InvisibleRow>();
    for (const r of tail) {
      if (r.kind === Rec.Delivered && r.from === queueNode) {
        open.delete(r.msg);
        open.set(r.msg, {
          id: r.msg,
          corr: r.corr,
          receives: r.attempt,
          visibleInMs: Math.max(0, r.t + broker.visibility_timeout_ms - sim.now),
        });
      } else if (
        (r.kind === Rec.Acked || r.kind === Rec.Requeued || r.kind === Rec.Nacked) &&
        r.to === queueNode
      ) {
        open.delete(r.msg);
      }
    }
    view.invisibleTotal = sim.queue(queueIndex).inFlight;
    view.invisible = [...open.values()].slice(0, view.invisibleTotal).slice(0, 50);
    // One message in flight per group at most: each in-flight message blocks its group.
    if (broker.fifo) view.blockedGroups = sim.queue(queueIndex).inFlight;
  }
  view.subscriptionNote = subscriptionNote(sim, service, queueNode, tail, view.lag);
  view.duplicates = duplicateNotes(model, tail, service.index);
  view.ordering = orderingStats(model, tail).find((row) => row.service === service.index) ?? null;
  return view;
}
