/**
 * The simulation's state and the small rules shared by its parts.
 *
 * Everything a run is (pending events, services, queues, logs, messages, random
 * streams, metrics, the trace ring) lives in one `SimState` object made of plain
 * objects, arrays, Maps, Sets and typed arrays, so `structuredClone(state)` is a
 * complete checkpoint. What does not change during a run (the compiled model, lookup
 * tables, the broker flavour's rules) lives in `RunContext`. The rules are free
 * functions of both: synchronous calls, the workload and faults in chain.ts,
 * workload.ts and faults.ts, the brokers in broker/.
 */
import { heapPush } from './heap';
import { applyRecord, FOR_FAILED_ORDER, type Metrics, type NodeMaps } from './metrics';
import type { IdempotencyInfo, Model } from './model';
import { hashWord, nextExponential, nextFloat, nextNormal, type RngState } from './rng';
import type { LatencySpec, Scenario } from './scenario';
import {
  BROKER_NODE,
  CLIENT_NODE,
  Effect,
  Rec,
  Reason,
  type TraceRecord,
  type TraceState,
  writeRecord,
} from './trace';

/** Kinds of scheduled events. */
export const Ev = {
  Arrival: 1,
  CallArrive: 2,
  WorkDone: 3,
  ResponseArrive: 4,
  CallTimeout: 5,
  PublishArrive: 6,
  ConfirmArrive: 7,
  DeliveryDone: 8,
  RetryReady: 9,
  FaultStart: 10,
  FaultEnd: 11,
  SpikeStart: 12,
  SpikeEnd: 13,
  ScheduledOrder: 14,
  WorkloadEnd: 15,
  /** A message's time to live ran out (queue flavour). */
  Expire: 16,
  /**
   * A received message's visibility timeout ended (SNS + SQS flavour); on a log, a share
   * group's acquisition lock or a consumer group's max.poll.interval.ms ran out.
   */
  VisibilityExpire: 17,
  /** A delivery was not acknowledged within the consumer timeout (queue flavour). */
  ConsumerTimeout: 18,
  /** A log consumer group's rebalance is over: its members read again (`code`: the service). */
  GroupResume: 19,
  /** A service's outbox relay polls its outbox (`code`: the service). */
  OutboxPoll: 20,
  /**
   * The broker has stored a publish and confirms it: only scheduled when confirming takes
   * time (`broker.confirm_ms`, or a slow broker); otherwise a publish is accepted on arrival.
   */
  PublishStored: 21,
  /**
   * A producer publishes a refused event again (`publish_failure: "retry"`; `code`: event
   * type | Reason << 8 | the wait << 16).
   */
  PublishRetry: 22,
  /**
   * Orchestration: a saga message the broker refused (down, or a full queue) is sent
   * again by its durable sender after a backoff.
   */
  SagaResend: 23,
  /**
   * A quorum queue or a partition has its new leader (`code`: the queue index or partition
   * number): what waited for it moves again.
   */
  LeaderElected: 24,
} as const;

export type EvKind = (typeof Ev)[keyof typeof Ev];

/** What each kind of event carries in `ref`. */
export interface EventRefs {
  [Ev.Arrival]: null;
  [Ev.CallArrive]: Call;
  [Ev.WorkDone]: Job;
  [Ev.ResponseArrive]: Call;
  /** null once cancelled: a void timer lets go of its call (see cancelTimeout in chain.ts). */
  [Ev.CallTimeout]: Call | null;
  [Ev.PublishArrive]: PublishInTransit;
  [Ev.ConfirmArrive]: Job;
  [Ev.DeliveryDone]: Delivery;
  [Ev.RetryReady]: Message;
  /** Scenario faults carry their index in `code`. */
  [Ev.FaultStart]: null;
  [Ev.FaultEnd]: null;
  [Ev.SpikeStart]: Spike;
  [Ev.SpikeEnd]: Spike;
  [Ev.ScheduledOrder]: null;
  [Ev.WorkloadEnd]: null;
  [Ev.Expire]: Message;
  [Ev.VisibilityExpire]: Message;
  [Ev.ConsumerTimeout]: Delivery;
  [Ev.GroupResume]: null;
  [Ev.OutboxPoll]: null;
  [Ev.PublishStored]: PublishInTransit;
  [Ev.PublishRetry]: Job;
  [Ev.SagaResend]: SagaSend;
  [Ev.LeaderElected]: null;
}

/**
 * One scheduled event of kind `K`. Every kind has the same fields in the same order
 * (`schedule` is the only place that makes one), so the loop that pops and dispatches
 * them sees one object shape: only the type of `ref` differs.
 */
export interface EventOf<K extends EvKind> {
  at: number;
  seq: number;
  kind: K;
  ref: EventRefs[K];
  /** A number some kinds carry: a Reason, a receipt, a scenario fault's index. */
  code: number;
  cancelled: boolean;
}

/** One scheduled event: a union discriminated by `kind`, so `ref` is typed in each case. */
export type SimEvent = { [K in EvKind]: EventOf<K> }[EvKind];

/** One user order, followed across every call and copy it causes. */
export interface Order {
  corr: number;
  receivedAt: number;
  /** Jobs, publishes in transit and queued copies still alive for this order. */
  live: number;
  /** Bit i set: service i has done its work for this order (request chain). */
  effects: number;
  /** 0 waiting for an answer, 1 answered OK, 2 answered with an error. */
  answered: 0 | 1 | 2;
  completed: boolean;
  deadLettered: boolean;
  poison: boolean;
  /** Partition key and FIFO message group (a customer). */
  key: number;
  /** Index of each workload attribute's value (for filter policies). */
  attrs: number[];
  /** First failure seen for this order, for the user's error message. */
  rootCause: number;
  rootNode: number;
  /** A saga step failed for good and published its failure events: the order is being cancelled. */
  cancelled: boolean;
  /** Orchestration: the order's saga, as its orchestrator keeps it; null elsewhere and before it starts. */
  saga: SagaState | null;
}

/** Where an orchestrated saga stands (`SagaState.phase`). */
export const SagaPhase = { Running: 0, Compensating: 1, Done: 2 } as const;

/**
 * An order's saga as its orchestrator keeps it: durable, in the orchestrator's database
 * (the model never loses it). Services are numbered as in the model; `awaiting` holds
 * bits.
 */
export interface SagaState {
  phase: number;
  /** The step being run (index into `SagaModel.steps`). */
  step: number;
  /** Services whose reply the orchestrator waits for now, as bits. */
  awaiting: number;
  /** A step failed for good: once the step's other replies are in, it compensates. */
  failed: boolean;
  /** Services whose step is done, in the order their replies came. */
  completed: number[];
  /** Compensations still to send, the next one last. */
  undo: number[];
  /** Compensations done (or given up on), for the report of this order. */
  compensated: number;
  /** Why the first failed step failed (a Reason its failure reply carries), else 0. */
  reason: number;
}

/**
 * A saga message its sender keeps until the broker takes it: the orchestrator's command,
 * or a step's reply. Refused, it is sent again after a backoff (`Ev.SagaResend`).
 */
export interface SagaSend {
  order: Order;
  /** The sending service. */
  svc: number;
  type: number;
  /** Sends so far. */
  tries: number;
}

/** A synchronous call from a caller (or the user) to a service. */
export interface Call {
  id: number;
  order: Order;
  /** Calling service index, or -1 for the user. */
  caller: number;
  callerJob: Job | null;
  callee: number;
  attempt: number;
  sentAt: number;
  /** The caller is still waiting for this call. */
  open: boolean;
  timeout: EventOf<typeof Ev.CallTimeout> | null;
}

export const JobState = { Queued: 0, Working: 1, Calling: 2, Publishing: 3, Done: 4 } as const;

/** Work a service does for one incoming call. */
export interface Job {
  call: Call;
  svc: number;
  order: Order;
  state: number;
  startedAt: number;
  duration: number;
  /** The calls it is waiting on: one per service of the next step, each the latest attempt. */
  downstream: Call[];
  pendingConfirms: number;
  /** A negative publisher confirm (a full queue refused the event). */
  confirmError: number;
  /**
   * `publish_failure: "retry"`: event types refused by the broker and waiting out a backoff
   * before they are published again (null until the first refusal).
   */
  retrying: number[] | null;
  /** `publish_failure: "retry"`: publishes this job made again so far (the backoff's exponent). */
  publishRetries: number;
  done: EventOf<typeof Ev.WorkDone> | null;
  /** Position in the service's `active` list while a worker holds it. */
  slot: number;
}

/** One copy of an event on one subscriber's queue. */
export interface Message {
  /** The event id, shared by every copy of one publish. */
  id: number;
  queue: number;
  order: Order;
  type: number;
  publishedAt: number;
  /** When it last entered the ready line. */
  enqueuedAt: number;
  /** Deliveries so far. */
  attempts: number;
  /**
   * Queue flavour: times it was returned to its queue unacknowledged (nack or reject
   * with requeue, its consumer's channel closed); a quorum queue's delivery limit counts these.
   */
  returns: number;
  /** Why the next delivery is a redelivery (Reason), 0 for none. */
  cause: number;
  /** The consumer's side effect already happened once. */
  effectDone: boolean;
  lastError: number;
  retry: EventOf<typeof Ev.RetryReady> | null;
  /** Where the copy is now; used by lazily checked timers. */
  /** delayed: SQS DelaySeconds, on its queue but not yet visible. */
  where: 'ready' | 'delayed' | 'retrying' | 'in-flight' | 'done';
  /** Queue flavour: when its time to live ends (Infinity without a TTL). */
  expiresAt: number;
  /** SNS + SQS flavour: bumped at every receive; a delete must carry the current one. */
  receipt: number;
  /** Log flavour: the partition slot (index into the group's parts) and offset. */
  part: number;
  offset: number;
  /** Log flavour: the record it was read from. */
  rec: LogRecord | null;
}

/** A message being worked on by a consumer. */
export interface Delivery {
  msg: Message;
  svc: number;
  startedAt: number;
  duration: number;
  /** Set right after the delivery is made (the event carries the delivery). */
  done: EventOf<typeof Ev.DeliveryDone> | null;
  slot: number;
  /** SQS: the receipt this worker holds; a stale one cannot delete. */
  receipt: number;
  /**
   * Queue flavour: the consumer's channel (one per replica) the delivery is unacknowledged
   * on; -1 elsewhere. A closed channel returns every delivery it holds.
   */
  channel: number;
}

export interface PublishInTransit {
  id: number;
  type: number;
  order: Order;
  from: number;
  job: Job | null;
  publishedAt: number;
  /**
   * Orchestration: a saga message whose sender keeps it until the broker takes it (a full
   * queue that refuses it makes the sender try again), with the sends so far; 0 elsewhere.
   */
  sagaTries: number;
}

/**
 * The broker's own health, switched by a fault on `"service": "broker"` or the learner's
 * broker outage switch. Plain data in the state, so checkpoints and seeks keep it.
 */
export interface BrokerHealth {
  /** Down: every publish is refused and nothing is delivered. */
  down: boolean;
  /** The publisher confirm's round trip is this many times longer (1 = normal). */
  slowFactor: number;
  /**
   * A leader change under way (`leader-change`): per quorum queue (queue flavour, by queue
   * index) or per partition (log flavour, by partition number), the moment its new leader
   * is elected; 0 or missing: it has a leader.
   */
  leaderless: number[];
}

/** One record in a partition of a log topic. */
export interface LogRecord {
  offset: number;
  id: number;
  order: Order;
  type: number;
  publishedAt: number;
  appendedAt: number;
  /** Bit q set: the consumer of queue (group) q has performed its side effect for it. */
  effects: number;
}

export interface Partition {
  /** Offset of the oldest record still kept (retention deletes from here). */
  start: number;
  /** Offset the next record will get (log end). */
  end: number;
  records: Deque<LogRecord>;
}

/**
 * A consumer group: one per subscriber, reading every partition of the topics it
 * subscribes to. Each partition slot has its own position and committed offset.
 */
export interface GroupState {
  /** [topic (event type), partition] per slot. */
  parts: [number, number][];
  /** Next offset to read. */
  position: number[];
  committed: number[];
  /** The record being processed or waiting out a retry, per slot. */
  current: (Message | null)[];
  /** A slot whose record waits out a retry backoff is blocked (order is kept). */
  blocked: boolean[];
  /** Round-robin cursor so no partition starves. */
  cursor: number;
  /** Highest offset read + 1 per slot: reading below it again is a replay. */
  readUpTo: number[];
  /** When each slot last joined or was reset: older records became readable then. */
  since: number[];
  /**
   * Retention deleted records at the slot's position: at its next read the group's
   * `auto.offset.reset` applies (latest: it skips to the log end).
   */
  outOfRange: boolean[];
  /**
   * Copies ready to be read outside their partition's order: back from the retry topic
   * (retry-topic consumers), or released by a share group's consumer. Oldest first.
   */
  again: Message[];
  /** Consumer group: no member reads before this time (a rebalance is under way). */
  pausedUntil: number;
}

/** A double-ended queue on a ring buffer: O(1) at both ends, plain data. */
export interface Deque<T> {
  buf: (T | undefined)[];
  head: number;
  size: number;
}

export function dequeCreate<T>(): Deque<T> {
  return { buf: new Array(16), head: 0, size: 0 };
}
/**
 * The ring slot `i` places after the head. Capacities are powers of two (16, doubled as
 * the deque grows), so a mask wraps around as `%` did, without an integer division: two
 * per copy of every event on the hot path (into a queue's line and out of it).
 */
function dequeSlot<T>(d: Deque<T>, i: number): number {
  return (d.head + i) & (d.buf.length - 1);
}
function dequeGrow<T>(d: Deque<T>): void {
  const next: (T | undefined)[] = new Array(d.buf.length * 2);
  for (let i = 0; i < d.size; i++) next[i] = d.buf[dequeSlot(d, i)];
  d.buf = next;
  d.head = 0;
}
export function dequePushBack<T>(d: Deque<T>, item: T): void {
  if (d.size === d.buf.length) dequeGrow(d);
  d.buf[dequeSlot(d, d.size)] = item;
  d.size++;
}
export function dequePushFront<T>(d: Deque<T>, item: T): void {
  if (d.size === d.buf.length) dequeGrow(d);
  d.head = dequeSlot(d, -1);
  d.buf[d.head] = item;
  d.size++;
}
export function dequePopFront<T>(d: Deque<T>): T | undefined {
  if (d.size === 0) return undefined;
  const item = d.buf[d.head];
  d.buf[d.head] = undefined;
  d.head = dequeSlot(d, 1);
  d.size--;
  return item;
}
export function dequeAt<T>(d: Deque<T>, i: number): T | undefined {
  return i < d.size ? d.buf[dequeSlot(d, i)] : undefined;
}
/** Take out the item at position `i` (0 = front), keeping the others in order. */
export function dequeRemoveAt<T>(d: Deque<T>, i: number): T {
  const item = dequeAt(d, i) as T;
  // Shift the items before it one place towards the back, then drop the head.
  for (let k = i; k > 0; k--) d.buf[dequeSlot(d, k)] = dequeAt(d, k - 1);
  dequePopFront(d);
  return item;
}

/** What can be switched on a service, at any moment. */
export interface FaultSettings {
  down: boolean;
  /** Latency multiplier, 1 = normal. */
  slowFactor: number;
  /** Share of work that fails. */
  errorRate: number;
  /** Share of consumed messages after which the consumer crashes before acking. */
  crashRate: number;
  /**
   * Producer side: share of its request work after which the entry service dies before
   * publishing (publish after the commit: the event is never published; before the
   * commit: it is a phantom). With an outbox it is the relay that dies, after publishing
   * a row and before marking it: the row is published again.
   */
  publishCrashRate: number;
}

/** How a service's request work publishes its events (the scenario's `publish`). */
export const PublishMode = { AfterCommit: 0, BeforeCommit: 1, Outbox: 2 } as const;

/** One event waiting in a service's outbox table, saved with the work that caused it. */
export interface OutboxRow {
  type: number;
  order: Order;
  savedAt: number;
  /** Times the relay has published it (more than once: it died before marking it). */
  sent: number;
}

/** Ids of messages a consumer has handled, kept for a bounded window (an idempotency store). */
export interface SeenIds {
  ids: Set<number>;
  /** Ring of the remembered ids, oldest at `head` once full. */
  ring: number[];
  head: number;
}

export interface ServiceState extends FaultSettings {
  idempotent: boolean;
  seen: SeenIds;
  replicas: number;
  concurrency: number;
  workers: number;
  busy: number;
  /** Calls waiting for a worker. */
  accept: Deque<Job>;
  /** Jobs and deliveries holding a worker. */
  active: (Job | Delivery)[];
  latencyRng: RngState;
  failureRng: RngState;
  crashRng: RngState;
  /** Drawn from only while `publishCrashRate` > 0. */
  publishCrashRng: RngState;
  /** The jitter of its publish retries (`publish_failure: "retry"`); drawn from only then. */
  publishRetryRng: RngState;
  /** Rows saved and not yet marked sent by the relay (empty unless `publish: "outbox"`). */
  outbox: Deque<OutboxRow>;
  /** The relay's next poll, while rows wait. */
  relay: EventOf<typeof Ev.OutboxPoll> | null;
  /** The circuit breaker on calls to this service (`sync.circuit_breaker`), else null. */
  breaker: BreakerState | null;
}

/** A circuit breaker on calls to one service: its state and the outcomes in its window (breaker.ts). */
export interface BreakerState {
  state: number;
  openedAt: number;
  /** The trial call's id while half-open and one is in flight, else 0. */
  trial: number;
  /** Outcomes in the window, oldest first from `head`: when, and 1 for a failure. */
  at: number[];
  failed: number[];
  head: number;
  failures: number;
}

export interface QueueState {
  /** false until the subscriber joins (a service added during the run). */
  subscribed: boolean;
  /** Waiting copies in order (queue and SQS flavours). May hold expired tombstones. */
  ready: Deque<Message>;
  /** Entries of `ready` that expired and are skipped when reached. */
  tombstones: number;
  retrying: number;
  inFlight: number;
  /** SQS FIFO: message groups with a message in flight (blocked). */
  groupsInFlight: Set<number>;
  /** SQS: copies on the queue still invisible for their DelaySeconds (counted as waiting). */
  delayed: number;
  /** SQS: a retention sweep is scheduled for this queue. */
  sweeping: boolean;
  /** Quorum queue with reject-publish: over its max-length, refusing publishes until it is back to 80% of it. */
  blocked: boolean;
  /** Log flavour: the subscriber's consumer group. */
  group: GroupState | null;
}

export interface Spike {
  rate: number;
  endAt: number;
}

/** A row of the time series, one per sampling interval. */
export interface SeriesState {
  everyMs: number;
  capacity: number;
  columns: string[];
  count: number;
  nextAt: number;
  /**
   * Row-major, `capacity` rows once full; it starts small and doubles as rows are
   * written (see `takeSample`), so rows `0..min(count, capacity)` always exist.
   */
  data: Float64Array;
}

/**
 * The dead-letter queue: every copy in it, none dropped, as columns of plain numbers
 * (a few dozen bytes each, cheap to copy at a checkpoint) plus its order. A redrive
 * rebuilds each copy from its row.
 */
export interface DeadLetters {
  /** Copies dead-lettered in the whole run, redriven ones included. */
  count: number;
  id: number[];
  queue: number[];
  type: number[];
  publishedAt: number[];
  attempts: number[];
  /** Why it was dead-lettered (a Reason). */
  reason: number[];
  /** 1: its side effect already happened once (a crash before the ack). */
  effectDone: number[];
  order: Order[];
}

export function emptyDeadLetters(): DeadLetters {
  return {
    count: 0,
    id: [],
    queue: [],
    type: [],
    publishedAt: [],
    attempts: [],
    reason: [],
    effectDone: [],
    order: [],
  };
}

export interface SimState {
  now: number;
  seq: number;
  heap: SimEvent[];
  nextCall: number;
  nextEvent: number;
  nextCorr: number;
  services: ServiceState[];
  queues: QueueState[];
  /** Every dead letter not yet redriven, kept for inspection and redrive. */
  deadLetters: DeadLetters;
  /** Log flavour: per event type (topic), its partitions. */
  topics: Partition[][];
  /** SNS FIFO deduplication: id -> time it stops counting as a duplicate. */
  dedup: Map<string, number>;
  /** Receipts handed out (SQS). */
  nextReceipt: number;
  keysRng: RngState;
  orderRng: RngState;
  baseRate: number;
  spikes: Spike[];
  arrival: EventOf<typeof Ev.Arrival> | null;
  /** Exact (fractional) time of the next arrival; event times are its ceiling. */
  arrivalExact: number;
  workloadOpen: boolean;
  arrivalsRng: RngState;
  poisonRng: RngState;
  backoffRng: RngState;
  metrics: Metrics;
  trace: TraceState;
  series: SeriesState;
  /** Index of the next intervention to apply from the simulation's log. */
  interventionsApplied: number;
  /** Events processed so far. */
  processed: number;
  /** Cancelled events still in `heap` (see `cancel`). */
  cancelled: number;
  /** The broker's health (event fan-out). */
  broker: BrokerHealth;
  /** Orchestration: sagas under way, and of those, the ones compensating. */
  sagasRunning: number;
  sagasCompensating: number;
}

/** What does not change during a run: the compiled model and derived lookups. */
export interface RunContext {
  scenario: Scenario;
  model: Model;
  maps: NodeMaps;
  seed: number;
  network: number;
  poisonMask: number;
  /** Queue indices each event type routes to (bindings resolved). */
  routes: number[][];
  /** Number of values of each workload attribute. */
  attributeSizes: number[];
  /** SQS filter policies, per queue: attribute index -> accepted value indices. */
  filters: (Map<number, Set<number>> | null)[];
  // Per-service and per-queue lookups, built once by createContext so the rules read a
  // number from an array instead of reaching into the model's info objects.
  /** Trace node of each service. */
  serviceNode: Int16Array;
  /** The queue each service consumes from (event architecture), or -1. */
  serviceQueue: Int16Array;
  /** Position of each service in the request chain, or -1. */
  serviceHop: Int16Array;
  /** Event types each service publishes once its work is done. */
  serviceEmits: readonly (readonly number[])[];
  /** Each service's `PublishMode` (event architecture; always AfterCommit for consumers). */
  servicePublish: Uint8Array;
  /** Trace node of each service's outbox, or -1. */
  serviceOutbox: Int16Array;
  /** Each service's `publish_failure`: 1 retry (its request waits), 0 fail the request. */
  serviceRetriesPublish: Uint8Array;
  /** `broker.confirm_ms`: how long the broker takes to store a publish before it confirms it. */
  confirmMs: number;
  /** Each service's latency distribution, compiled from the scenario. */
  serviceLatency: readonly LatencyModel[];
  /** Share of orders each service declines (a business refusal), 0 for most. */
  serviceDecline: Float64Array;
  /** Event types each consumer publishes when its copy fails for good (a saga's failure events). */
  serviceOnFailure: readonly (readonly number[])[];
  /** How each idempotent consumer keys and saves what it handled. */
  serviceIdempotency: readonly IdempotencyInfo[];
  /** 1 for a consumer of exactly one event type (a repeat of its order is a duplicate). */
  serviceOneType: Uint8Array;
  /** 1 for the event types of a saga's compensation (see `compensationTypes`). */
  compensation: Uint8Array;
  /** Trace node of each queue (or consumer group). */
  queueNode: Int16Array;
  /** The service consuming each queue. */
  consumerOf: Int16Array;
  /** The broker flavour's rules for this run (see broker/index.ts). */
  flavour: BrokerFlavour;
  /** Full trace, only when asked for (tests, exports). */
  fullTrace: TraceRecord[] | null;
  /** When set, only records of this order go to `fullTrace` (following one order). */
  captureCorr?: number;
}

/** Where a stopped consumer group's offsets move to (log flavour). */
export type OffsetTarget =
  | { to: 'earliest' }
  | { to: 'offset'; offset: number }
  | { to: 'time'; at: number };

/**
 * The rules in which the broker flavours differ: queue (RabbitMQ style, broker/queue.ts),
 * log (Kafka style, broker/log.ts) and SNS + SQS (broker/snsSqs.ts). One is chosen per
 * run and kept in `RunContext.flavour`; the parts every flavour shares (publishing and
 * routing, handing out copies, retries with backoff, dead letters) call these hooks at
 * the points where the flavours part ways, so no rule asks which broker it runs on.
 *
 * `node` is the consumer's trace node and `qNode` its queue's, passed along because
 * every hook writes records between the two.
 */
export interface BrokerFlavour {
  /**
   * A publish reached the broker: route a copy to each matching queue, or append it to
   * the log. Returns the Reason a publisher confirm carries (0: accepted).
   */
  accept(ctx: RunContext, state: SimState, p: PublishInTransit): number;
  /**
   * When a publish that reached the broker can be taken: after the election of a leader it
   * needs (a quorum queue it is routed to, the partition it goes to), or 0 for now.
   */
  heldUntil?(ctx: RunContext, state: SimState, p: PublishInTransit): number;
  /** Hand the free workers of service `index` the next copies of its queue `qi`. */
  startConsumers(
    ctx: RunContext,
    state: SimState,
    index: number,
    svc: ServiceState,
    qi: number,
    q: QueueState,
  ): void;
  /** The consumer processed the copy and acknowledges (ack, delete, or commit its offset). */
  acknowledge(ctx: RunContext, state: SimState, msg: Message, node: number, qNode: number): void;
  /** The consumer's work on the copy failed. */
  onFailure(
    ctx: RunContext,
    state: SimState,
    msg: Message,
    failure: number,
    node: number,
    qNode: number,
  ): void;
  /**
   * The consumer did the work and died before acknowledging. `channel`: the channel the
   * delivery was unacknowledged on (queue flavour: the crash closes it), or -1.
   */
  onCrash(
    ctx: RunContext,
    state: SimState,
    msg: Message,
    node: number,
    qNode: number,
    channel: number,
  ): void;
  /** The consumer went down while holding the copy. */
  onConsumerDown(ctx: RunContext, state: SimState, msg: Message, node: number, qNode: number): void;
  /**
   * A copy is about to re-enter queue `q`'s line: a capped queue drops from its head
   * first, so it never holds more than its max-length (queue flavour only).
   */
  makeRoom?(ctx: RunContext, state: SimState, q: QueueState): void;
  /** The copy's retry backoff ended and the shared bookkeeping is done: put it back in line. */
  retryReady(ctx: RunContext, state: SimState, msg: Message, q: QueueState): void;
  /** A waiting copy's time to live ran out (an `Ev.Expire` timer: only the queue flavour sets them). */
  onExpire(ctx: RunContext, state: SimState, msg: Message): void;
  /**
   * A delivery was not acknowledged within the consumer timeout (an `Ev.ConsumerTimeout`
   * timer: only the queue flavour sets them, so only it has this rule).
   */
  onConsumerTimeout?(ctx: RunContext, state: SimState, d: Delivery): void;
  /** A received copy's visibility timeout ended (an `Ev.VisibilityExpire` timer: SNS + SQS only). */
  onVisibilityExpire(ctx: RunContext, state: SimState, msg: Message, receipt: number): void;
  /**
   * Service `index` gained or lost members (scaled, or switched off or on): a log's
   * consumer group rebalances. Optional: other flavours have nothing to do.
   */
  onMembersChanged?(ctx: RunContext, state: SimState, index: number): void;
  /** Queue `qi`'s subscriber joined during the run, reading from `from` where that means something. */
  onSubscribe(ctx: RunContext, state: SimState, qi: number, from: 'earliest' | 'latest'): void;
  /** Learner action: move a stopped group's offsets. Returns a problem, or null once done. */
  resetOffsets(
    ctx: RunContext,
    state: SimState,
    index: number,
    target: OffsetTarget,
  ): string | null;
  /** Learner action: move kept dead letters back to their queues. Returns how many moved. */
  redrive(ctx: RunContext, state: SimState): number;
  /** State of a run: queue `qi`'s consumer group, if the flavour has groups. */
  createGroup(ctx: RunContext, qi: number): GroupState | null;
  /** State of a run: the partitions of each topic (event type), if the flavour keeps a log. */
  createTopics(ctx: RunContext): Partition[][];
}

/** Put an event on the queue. Every event is made here, so all have one shape. */
export function schedule<K extends EvKind>(
  state: SimState,
  at: number,
  kind: K,
  ref: EventRefs[K],
  code = 0,
): EventOf<K> {
  const ev: EventOf<K> = { at, seq: state.seq++, kind, ref, code, cancelled: false };
  // For a generic K the compiler cannot tell that EventOf<K> is one member of the union.
  heapPush(state.heap, ev as SimEvent);
  return ev;
}

/**
 * Cancel a scheduled event. It stays in the heap, skipped when it reaches the top, until
 * cancelled events outnumber live ones and are swept out together (`skipCancelled`).
 */
export function cancel<K extends EvKind>(state: SimState, ev: EventOf<K>): void {
  if (ev.cancelled) return;
  ev.cancelled = true;
  state.cancelled++;
}

/**
 * Append one trace record: to the ring and its hash, to the metrics, and to the full
 * trace when one is kept.
 */
export function record(
  ctx: RunContext,
  state: SimState,
  kind: number,
  from: number,
  to: number,
  msg: number,
  corr: number,
  attempt: number,
  code: number,
  value: number,
): void {
  const t = state.now;
  if (ctx.fullTrace && (ctx.captureCorr === undefined || ctx.captureCorr === corr)) {
    ctx.fullTrace.push({
      index: state.trace.count,
      t,
      kind: kind as TraceRecord['kind'],
      from,
      to,
      msg,
      corr,
      attempt,
      code,
      value,
    });
  }
  writeRecord(state.trace, t, kind, from, to, msg, corr, attempt, code, value);
  applyRecord(state.metrics, ctx.maps, t, kind, from, to, attempt, code, value);
}

/** Trace node of a service, or of the user (the client) for -1. */
export function nodeOf(ctx: RunContext, svc: number): number {
  return svc < 0 ? CLIENT_NODE : (ctx.serviceNode[svc] as number);
}

/** Latency distributions, numbered for `LatencyModel.dist`. */
export const Dist = { Constant: 0, Exponential: 1, Lognormal: 2, Uniform: 3 } as const;

/**
 * A service's latency compiled once per run: the distribution and its two parameters
 * (constant: a; exponential: mean a; lognormal: median a, sigma b; uniform: a to b).
 * Sampling reads two numbers instead of testing the spec's type and its `dist` string and
 * defaulting missing fields on every piece of work.
 */
export interface LatencyModel {
  dist: (typeof Dist)[keyof typeof Dist];
  a: number;
  b: number;
}

/** Compile a scenario's latency spec; the same arithmetic as reading the spec each time. */
export function latencyModel(spec: LatencySpec): LatencyModel {
  if (typeof spec === 'number') return { dist: Dist.Constant, a: spec, b: 0 };
  switch (spec.dist) {
    case 'fixed':
      return { dist: Dist.Constant, a: spec.mean_ms ?? 0, b: 0 };
    case 'exponential':
      return { dist: Dist.Exponential, a: spec.mean_ms ?? 0, b: 0 };
    case 'lognormal':
      return { dist: Dist.Lognormal, a: spec.median_ms ?? 0, b: spec.sigma ?? 0 };
    case 'uniform': {
      const lo = spec.min_ms ?? 0;
      return { dist: Dist.Uniform, a: lo, b: spec.max_ms ?? lo };
    }
  }
}

/** How long one piece of work takes on this service now (its latency, slowed by a fault). */
/** The median of a service's work time now (its slowness included): what it can expect a piece of work to take. */
export function medianWork(ctx: RunContext, svc: ServiceState, index: number): number {
  const m = ctx.serviceLatency[index] as LatencyModel;
  const median =
    m.dist === Dist.Exponential ? m.a * Math.LN2 : m.dist === Dist.Uniform ? (m.a + m.b) / 2 : m.a;
  return median * svc.slowFactor;
}

export function sampleLatency(ctx: RunContext, svc: ServiceState, index: number): number {
  const m = ctx.serviceLatency[index] as LatencyModel;
  let base: number;
  switch (m.dist) {
    case Dist.Constant:
      base = m.a;
      break;
    case Dist.Exponential:
      base = nextExponential(svc.latencyRng, m.a);
      break;
    case Dist.Lognormal:
      base = m.a * Math.exp(m.b * nextNormal(svc.latencyRng));
      break;
    case Dist.Uniform:
      base = m.a + nextFloat(svc.latencyRng) * (m.b - m.a);
      break;
  }
  return Math.max(0, Math.round(base * svc.slowFactor));
}

export function takeSlot(svc: ServiceState, item: Job | Delivery): void {
  item.slot = svc.active.length;
  svc.active.push(item);
  svc.busy++;
}

export function releaseSlot(svc: ServiceState, item: Job | Delivery): void {
  const last = svc.active.pop() as Job | Delivery;
  if (last !== item) {
    svc.active[item.slot] = last;
    last.slot = item.slot;
  }
  item.slot = -1;
  svc.busy--;
}

/** Did this service's own work fail? Returns a Reason, or 0. */
export function workOutcome(
  ctx: RunContext,
  svc: ServiceState,
  index: number,
  order: Order,
): number {
  if (order.poison && ctx.poisonMask & (1 << index)) return Reason.Poison;
  if (svc.errorRate > 0 && nextFloat(svc.failureRng) < svc.errorRate) return Reason.Error;
  const decline = ctx.serviceDecline[index] as number;
  if (decline > 0 && declines(ctx.seed, index, order.corr, decline)) return Reason.Declined;
  return 0;
}

/**
 * Is this order one the service refuses? Decided by the order, not drawn per attempt: a
 * card that is declined stays declined when the message comes again, and no random
 * stream moves, so a scenario without declines keeps every other draw.
 */
export function declines(seed: number, index: number, corr: number, rate: number): boolean {
  const x = hashWord(
    hashWord(seed ^ Math.imul(corr, 0x9e3779b1)) ^ Math.imul(index + 1, 0x85ebca6b),
  );
  return x / 4294967296 < rate;
}

/**
 * Does the service die now, after its work and before it answers or acknowledges? Its
 * crash stream is drawn from only while it has a crash rate.
 */
export function crashesBeforeAck(svc: ServiceState): boolean {
  return svc.crashRate > 0 && nextFloat(svc.crashRng) < svc.crashRate;
}

/**
 * Does the producer (or its outbox relay) die now, between its commit and its publish?
 * Its own stream, drawn from only while it has a rate: no other draw moves.
 */
export function crashesBeforePublish(svc: ServiceState): boolean {
  return svc.publishCrashRate > 0 && nextFloat(svc.publishCrashRng) < svc.publishCrashRate;
}

/**
 * The `Processed` code of a side effect: the first or a repeat, flagged when the user
 * had already been told the order failed, or (`forCancelled`) the order is being cancelled.
 */
export function effectCode(order: Order, repeat: boolean, forCancelled = false): number {
  const effect: number = repeat ? Effect.Duplicate : Effect.First;
  return order.answered === 2 || forCancelled ? effect | FOR_FAILED_ORDER : effect;
}

export function noteRootCause(order: Order, reason: number, node: number): void {
  if (order.rootCause === 0) {
    order.rootCause = reason;
    order.rootNode = node;
  }
}

export function checkOrderDone(ctx: RunContext, state: SimState, order: Order): void {
  if (order.answered !== 1 || order.live !== 0 || order.completed) return;
  order.completed = true;
  record(
    ctx,
    state,
    Rec.OrderCompleted,
    BROKER_NODE,
    CLIENT_NODE,
    0,
    order.corr,
    0,
    (order.deadLettered ? 1 : 0) | (order.cancelled ? 2 : 0),
    state.now - order.receivedAt,
  );
}

/** Remember `id` in an idempotency store of `window` keys, forgetting the oldest when full. */
export function rememberId(seen: SeenIds, id: number, window: number): void {
  if (seen.ids.has(id)) return;
  seen.ids.add(id);
  if (seen.ring.length < window) {
    seen.ring.push(id);
    return;
  }
  // Full: forget the oldest id.
  seen.ids.delete(seen.ring[seen.head] as number);
  seen.ring[seen.head] = id;
  seen.head = (seen.head + 1) % window;
}

/** Is `target` (a quorum queue's index, or a partition number) electing a leader now? */
export function electing(state: SimState, target: number): boolean {
  return (state.broker.leaderless[target] ?? 0) > state.now;
}
