/**
 * The discrete-event core: state as plain data and the rules that move it.
 *
 * Everything a run is (pending events, services, queues, messages, random streams,
 * metrics, the trace ring) lives in one `SimState` object made of plain objects,
 * arrays and typed arrays, so `structuredClone(state)` is a complete checkpoint.
 * The rules below are free functions of that state; `Simulation` (simulation.ts) wraps
 * them with a clock, interventions and checkpoints.
 */
import { heapPop, heapPush } from './heap';
import { applyRecord, createMetrics, FOR_FAILED_ORDER, type Metrics, type NodeMaps, nodeMaps } from './metrics';
import type { Model } from './model';
import { createStream, nextExponential, nextFloat, nextNormal, type RngState } from './rng';
import type { Scenario } from './scenario';
import {
  BROKER_NODE,
  CLIENT_NODE,
  createTrace,
  Effect,
  FaultField,
  Reason,
  Rec,
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
} as const;

/** One scheduled event. All events share this shape so the hot loop stays monomorphic. */
export interface SimEvent {
  at: number;
  seq: number;
  kind: number;
  // biome-ignore lint/suspicious/noExplicitAny: the payload type depends on `kind`
  ref: any;
  code: number;
  cancelled: boolean;
}

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
  /** First failure seen for this order, for the user's error message. */
  rootCause: number;
  rootNode: number;
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
  timeout: SimEvent | null;
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
  downstream: Call | null;
  pendingConfirms: number;
  done: SimEvent | null;
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
  /** Why the next delivery is a redelivery (Reason), 0 for none. */
  cause: number;
  /** The consumer's side effect already happened once. */
  effectDone: boolean;
  lastError: number;
  retry: SimEvent | null;
}

/** A message being worked on by a consumer. */
export interface Delivery {
  msg: Message;
  svc: number;
  startedAt: number;
  duration: number;
  done: SimEvent;
  slot: number;
}

export interface PublishInTransit {
  id: number;
  type: number;
  order: Order;
  from: number;
  job: Job | null;
  publishedAt: number;
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
function dequeGrow<T>(d: Deque<T>): void {
  const old = d.buf;
  const next: (T | undefined)[] = new Array(old.length * 2);
  for (let i = 0; i < d.size; i++) next[i] = old[(d.head + i) % old.length];
  d.buf = next;
  d.head = 0;
}
export function dequePushBack<T>(d: Deque<T>, item: T): void {
  if (d.size === d.buf.length) dequeGrow(d);
  d.buf[(d.head + d.size) % d.buf.length] = item;
  d.size++;
}
export function dequePushFront<T>(d: Deque<T>, item: T): void {
  if (d.size === d.buf.length) dequeGrow(d);
  d.head = (d.head - 1 + d.buf.length) % d.buf.length;
  d.buf[d.head] = item;
  d.size++;
}
export function dequePopFront<T>(d: Deque<T>): T | undefined {
  if (d.size === 0) return undefined;
  const item = d.buf[d.head];
  d.buf[d.head] = undefined;
  d.head = (d.head + 1) % d.buf.length;
  d.size--;
  return item;
}
export function dequeAt<T>(d: Deque<T>, i: number): T | undefined {
  return i < d.size ? d.buf[(d.head + i) % d.buf.length] : undefined;
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
}

export interface ServiceState extends FaultSettings {
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
}

export interface QueueState {
  ready: Deque<Message>;
  retrying: number;
  inFlight: number;
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
  data: Float64Array;
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
  /** Dead letters kept for inspection (the newest, up to a cap; `count` is exact). */
  deadLetters: { items: Message[]; reasons: number[]; count: number };
  baseRate: number;
  spikes: Spike[];
  arrival: SimEvent | null;
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
}

/** What does not change during a run: the compiled model and derived lookups. */
export interface RunContext {
  scenario: Scenario;
  model: Model;
  maps: NodeMaps;
  seed: number;
  network: number;
  poisonMask: number;
  /** Full trace, only when asked for (tests, exports). */
  fullTrace: TraceRecord[] | null;
}

const MAX_KEPT_DEAD_LETTERS = 500;

export function createState(ctx: RunContext, options: { traceCapacity: number; sampleEveryMs: number; seriesCapacity: number }): SimState {
  const { scenario: s, model, seed } = ctx;
  const services: ServiceState[] = s.services.map((spec) => ({
    down: false,
    slowFactor: 1,
    errorRate: 0,
    crashRate: 0,
    replicas: spec.replicas,
    concurrency: spec.concurrency,
    workers: spec.replicas * spec.concurrency,
    busy: 0,
    accept: dequeCreate<Job>(),
    active: [],
    latencyRng: createStream(seed, `latency:${spec.id}`),
    failureRng: createStream(seed, `failure:${spec.id}`),
    crashRng: createStream(seed, `crash:${spec.id}`),
  }));
  const columns = seriesColumns(model);
  const state: SimState = {
    now: 0,
    seq: 0,
    heap: [],
    nextCall: 0,
    nextEvent: 0,
    nextCorr: 0,
    services,
    queues: model.queues.map(() => ({ ready: dequeCreate<Message>(), retrying: 0, inFlight: 0 })),
    deadLetters: { items: [], reasons: [], count: 0 },
    baseRate: s.workload.rate_per_s,
    spikes: [],
    arrival: null,
    arrivalExact: 0,
    workloadOpen: true,
    arrivalsRng: createStream(seed, 'arrivals'),
    poisonRng: createStream(seed, 'poison'),
    backoffRng: createStream(seed, 'backoff'),
    metrics: createMetrics(model),
    trace: createTrace(options.traceCapacity),
    series: {
      everyMs: options.sampleEveryMs,
      capacity: options.seriesCapacity,
      columns,
      count: 0,
      nextAt: options.sampleEveryMs,
      data: new Float64Array(options.seriesCapacity * columns.length),
    },
    interventionsApplied: 0,
    processed: 0,
  };

  // The scenario's own timeline.
  s.workload.spikes.forEach((spike) => {
    schedule(state, spike.at_ms, Ev.SpikeStart, { rate: spike.rate_per_s, endAt: spike.at_ms + spike.duration_ms });
  });
  s.workload.orders.forEach((o) => {
    schedule(state, o.at_ms, Ev.ScheduledOrder, null);
  });
  s.faults.forEach((f, i) => {
    schedule(state, f.at_ms, Ev.FaultStart, null, i);
    if (f.duration_ms !== undefined) schedule(state, f.at_ms + f.duration_ms, Ev.FaultEnd, null, i);
  });
  schedule(state, s.duration_ms, Ev.WorkloadEnd, null);
  rescheduleArrival(state, 0);
  return state;
}

/** Column names of the time series: totals first, then one or two per service and queue. */
export function seriesColumns(model: Model): string[] {
  const cols = ['t', 'succeeded', 'failed', 'p50', 'p99', 'completed', 'in_queue', 'dead_lettered'];
  for (const svc of model.services) cols.push(`${svc.id}.processed`, `${svc.id}.busy`);
  for (const q of model.queues) cols.push(`${q.id}.waiting`, `${q.id}.in_flight`);
  return cols;
}

function schedule(state: SimState, at: number, kind: number, ref: unknown, code = 0): SimEvent {
  const ev: SimEvent = { at, seq: state.seq++, kind, ref, code, cancelled: false };
  heapPush(state.heap, ev);
  return ev;
}

function record(
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
  if (ctx.fullTrace) {
    ctx.fullTrace.push({ index: state.trace.count, t, kind: kind as TraceRecord['kind'], from, to, msg, corr, attempt, code, value });
  }
  writeRecord(state.trace, t, kind, from, to, msg, corr, attempt, code, value);
  applyRecord(state.metrics, ctx.maps, t, kind, from, to, attempt, code, value);
}

// ---------------------------------------------------------------------------------
// Workload

function currentRate(state: SimState): number {
  if (!state.workloadOpen) return 0;
  const spike = state.spikes[state.spikes.length - 1];
  return spike ? spike.rate : state.baseRate;
}

/** Draw the next arrival from now. Poisson arrivals are memoryless, so redrawing after a rate change is exact. */
export function rescheduleArrival(state: SimState, from: number): void {
  if (state.arrival) state.arrival.cancelled = true;
  state.arrival = null;
  const rate = currentRate(state);
  if (rate <= 0) return;
  state.arrivalExact = from + nextExponential(state.arrivalsRng, 1000 / rate);
  state.arrival = schedule(state, Math.max(state.now, Math.ceil(state.arrivalExact)), Ev.Arrival, null);
}

function onArrival(ctx: RunContext, state: SimState): void {
  createOrder(ctx, state);
  const rate = currentRate(state);
  state.arrival = null;
  if (rate <= 0) return;
  state.arrivalExact += nextExponential(state.arrivalsRng, 1000 / rate);
  state.arrival = schedule(state, Math.max(state.now, Math.ceil(state.arrivalExact)), Ev.Arrival, null);
}

/** A user places an order: it reaches the API, which calls the entry service. */
export function createOrder(ctx: RunContext, state: SimState): Order {
  const poisonSpec = ctx.scenario.workload.poison;
  const order: Order = {
    corr: ++state.nextCorr,
    receivedAt: state.now,
    live: 0,
    effects: 0,
    answered: 0,
    completed: false,
    deadLettered: false,
    poison: poisonSpec !== undefined && nextFloat(state.poisonRng) < poisonSpec.rate,
    rootCause: 0,
    rootNode: -1,
  };
  record(ctx, state, Rec.OrderReceived, CLIENT_NODE, ctx.model.services[ctx.model.entry]?.node ?? 0, 0, order.corr, 0, order.poison ? 1 : 0, 0);
  sendCall(ctx, state, -1, null, ctx.model.entry, order, 1);
  return order;
}

// ---------------------------------------------------------------------------------
// Synchronous calls (the request chain, and the user's call to the entry service)

function nodeOf(ctx: RunContext, svc: number): number {
  return svc < 0 ? CLIENT_NODE : (ctx.model.services[svc] as { node: number }).node;
}

function sendCall(ctx: RunContext, state: SimState, caller: number, callerJob: Job | null, callee: number, order: Order, attempt: number): Call {
  const call: Call = {
    id: ++state.nextCall,
    order,
    caller,
    callerJob,
    callee,
    attempt,
    sentAt: state.now,
    open: true,
    timeout: null,
  };
  if (callerJob) callerJob.downstream = call;
  record(ctx, state, Rec.RequestSent, nodeOf(ctx, caller), nodeOf(ctx, callee), call.id, order.corr, attempt, 0, ctx.network);
  schedule(state, state.now + ctx.network, Ev.CallArrive, call);
  call.timeout = schedule(state, state.now + ctx.scenario.sync.timeout_ms, Ev.CallTimeout, call);
  return call;
}

function onCallArrive(ctx: RunContext, state: SimState, call: Call): void {
  const svc = state.services[call.callee] as ServiceState;
  const node = nodeOf(ctx, call.callee);
  if (svc.down) {
    // Nobody is listening: the connection is refused and the caller hears of it.
    record(ctx, state, Rec.ResponseSent, node, nodeOf(ctx, call.caller), call.id, call.order.corr, call.attempt, Reason.Unavailable, ctx.network);
    schedule(state, state.now + ctx.network, Ev.ResponseArrive, call, Reason.Unavailable);
    return;
  }
  const job: Job = {
    call,
    svc: call.callee,
    order: call.order,
    state: JobState.Queued,
    startedAt: 0,
    duration: 0,
    downstream: null,
    pendingConfirms: 0,
    done: null,
    slot: -1,
  };
  call.order.live++;
  record(ctx, state, Rec.RequestArrived, nodeOf(ctx, call.caller), node, call.id, call.order.corr, call.attempt, 0, 0);
  dequePushBack(svc.accept, job);
  tryStart(ctx, state, call.callee);
}

function sampleLatency(ctx: RunContext, svc: ServiceState, index: number): number {
  const spec = (ctx.model.services[index] as { latency: Scenario['services'][number]['latency_ms'] }).latency;
  let base: number;
  if (typeof spec === 'number') base = spec;
  else {
    switch (spec.dist) {
      case 'fixed':
        base = spec.mean_ms ?? 0;
        break;
      case 'exponential':
        base = nextExponential(svc.latencyRng, spec.mean_ms ?? 0);
        break;
      case 'lognormal':
        base = (spec.median_ms ?? 0) * Math.exp((spec.sigma ?? 0) * nextNormal(svc.latencyRng));
        break;
      case 'uniform': {
        const lo = spec.min_ms ?? 0;
        base = lo + nextFloat(svc.latencyRng) * ((spec.max_ms ?? lo) - lo);
        break;
      }
    }
  }
  return Math.max(0, Math.round(base * svc.slowFactor));
}

function takeSlot(svc: ServiceState, item: Job | Delivery): void {
  item.slot = svc.active.length;
  svc.active.push(item);
  svc.busy++;
}

function releaseSlot(svc: ServiceState, item: Job | Delivery): void {
  const last = svc.active.pop() as Job | Delivery;
  if (last !== item) {
    svc.active[item.slot] = last;
    last.slot = item.slot;
  }
  item.slot = -1;
  svc.busy--;
}

/** Hand free workers the oldest waiting calls, or messages from the service's queue. */
function tryStart(ctx: RunContext, state: SimState, index: number): void {
  const svc = state.services[index] as ServiceState;
  if (svc.down) return;
  while (svc.busy < svc.workers && svc.accept.size > 0) {
    const job = dequePopFront(svc.accept) as Job;
    job.state = JobState.Working;
    job.startedAt = state.now;
    job.duration = sampleLatency(ctx, svc, index);
    takeSlot(svc, job);
    record(ctx, state, Rec.WorkStarted, nodeOf(ctx, index), nodeOf(ctx, index), job.call.id, job.order.corr, job.call.attempt, 0, job.duration);
    job.done = schedule(state, state.now + job.duration, Ev.WorkDone, job);
  }
  const qi = (ctx.model.services[index] as { queue: number }).queue;
  if (qi < 0) return;
  const q = state.queues[qi] as QueueState;
  while (svc.busy < svc.workers && q.ready.size > 0) deliver(ctx, state, index, dequePopFront(q.ready) as Message);
}

/** Did this service's own work fail? Returns a Reason, or 0. */
function workOutcome(ctx: RunContext, svc: ServiceState, index: number, order: Order): number {
  if (order.poison && ctx.poisonMask & (1 << index)) return Reason.Poison;
  if (svc.errorRate > 0 && nextFloat(svc.failureRng) < svc.errorRate) return Reason.Error;
  return 0;
}

function onWorkDone(ctx: RunContext, state: SimState, job: Job): void {
  const index = job.svc;
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const order = job.order;
  job.done = null;
  const failure = workOutcome(ctx, svc, index, order);
  if (failure) {
    record(ctx, state, Rec.WorkFailed, node, node, job.call.id, order.corr, job.call.attempt, failure, job.duration);
    noteRootCause(order, failure, node);
    respond(ctx, state, job, failure);
    return;
  }
  // The side effect happens now, whatever happens downstream later.
  const bit = 1 << index;
  let code: number = order.effects & bit ? Effect.Duplicate : Effect.First;
  if (order.answered === 2) code |= FOR_FAILED_ORDER;
  order.effects |= bit;
  record(ctx, state, Rec.Processed, node, node, job.call.id, order.corr, job.call.attempt, code, job.duration);
  if (svc.crashRate > 0 && nextFloat(svc.crashRng) < svc.crashRate) {
    // The work is done (the card is charged) but the process dies before answering:
    // the caller sees a reset connection and, if it retries, the work happens again.
    noteRootCause(order, Reason.CrashBeforeAck, node);
    respond(ctx, state, job, Reason.CrashBeforeAck);
    return;
  }

  const info = ctx.model.services[index] as { hop: number; emits: number[] };
  if (ctx.model.architecture === 'chain') {
    const next = ctx.model.chain[info.hop + 1];
    if (next !== undefined) {
      job.state = JobState.Calling;
      sendCall(ctx, state, index, job, next, order, 1);
      return;
    }
    respond(ctx, state, job, 0);
    return;
  }
  if (info.emits.length === 0) {
    respond(ctx, state, job, 0);
    return;
  }
  // Event fan-out: publish, and answer once the broker has confirmed every event.
  job.state = JobState.Publishing;
  job.pendingConfirms = info.emits.length;
  for (const type of info.emits) publish(ctx, state, index, type, order, job);
}

function noteRootCause(order: Order, reason: number, node: number): void {
  if (order.rootCause === 0) {
    order.rootCause = reason;
    order.rootNode = node;
  }
}

/** The job is finished: free its worker and send the answer back to the caller. */
function respond(ctx: RunContext, state: SimState, job: Job, code: number): void {
  const svc = state.services[job.svc] as ServiceState;
  job.state = JobState.Done;
  releaseSlot(svc, job);
  job.order.live--;
  const call = job.call;
  record(ctx, state, Rec.ResponseSent, nodeOf(ctx, job.svc), nodeOf(ctx, call.caller), call.id, job.order.corr, call.attempt, code, ctx.network);
  schedule(state, state.now + ctx.network, Ev.ResponseArrive, call, code);
  checkOrderDone(ctx, state, job.order);
  tryStart(ctx, state, job.svc);
}

function onResponseArrive(ctx: RunContext, state: SimState, call: Call, code: number): void {
  const from = nodeOf(ctx, call.callee);
  const to = nodeOf(ctx, call.caller);
  if (!call.open) {
    record(ctx, state, Rec.ResponseDiscarded, from, to, call.id, call.order.corr, call.attempt, code, 0);
    return;
  }
  call.open = false;
  if (call.timeout) call.timeout.cancelled = true;
  call.timeout = null;
  if (code === 0) {
    record(ctx, state, Rec.CallSucceeded, from, to, call.id, call.order.corr, call.attempt, 0, state.now - call.sentAt);
    callSucceeded(ctx, state, call);
  } else {
    record(ctx, state, Rec.CallFailed, from, to, call.id, call.order.corr, call.attempt, code, state.now - call.sentAt);
    noteRootCause(call.order, code, from);
    callFailed(ctx, state, call, code);
  }
}

function onCallTimeout(ctx: RunContext, state: SimState, call: Call): void {
  if (!call.open) return;
  call.open = false;
  call.timeout = null;
  const from = nodeOf(ctx, call.callee);
  record(ctx, state, Rec.CallFailed, from, nodeOf(ctx, call.caller), call.id, call.order.corr, call.attempt, Reason.Timeout, state.now - call.sentAt);
  noteRootCause(call.order, Reason.Timeout, from);
  callFailed(ctx, state, call, Reason.Timeout);
}

function callSucceeded(ctx: RunContext, state: SimState, call: Call): void {
  if (call.caller < 0) {
    answerOrder(ctx, state, call.order, 0);
    return;
  }
  const job = call.callerJob as Job;
  if (job.state !== JobState.Calling || job.downstream !== call) return;
  job.downstream = null;
  respond(ctx, state, job, 0);
}

function callFailed(ctx: RunContext, state: SimState, call: Call, code: number): void {
  const job = call.callerJob;
  if (job && (job.state !== JobState.Calling || job.downstream !== call)) return;
  if (call.attempt <= ctx.scenario.sync.retries) {
    // Every layer retries on its own: attempts multiply down the chain.
    sendCall(ctx, state, call.caller, job, call.callee, call.order, call.attempt + 1);
    return;
  }
  if (!job) {
    answerOrder(ctx, state, call.order, code);
    return;
  }
  job.downstream = null;
  respond(ctx, state, job, Reason.Downstream);
}

function answerOrder(ctx: RunContext, state: SimState, order: Order, code: number): void {
  if (order.answered !== 0) return;
  const entryNode = nodeOf(ctx, ctx.model.entry);
  const latency = state.now - order.receivedAt;
  if (code === 0) {
    order.answered = 1;
    record(ctx, state, Rec.OrderSucceeded, entryNode, CLIENT_NODE, 0, order.corr, 0, 0, latency);
    if (ctx.model.architecture === 'chain') {
      // In the chain every service has finished by the time the user hears back.
      order.completed = true;
      record(ctx, state, Rec.OrderCompleted, entryNode, CLIENT_NODE, 0, order.corr, 0, 0, latency);
    }
    checkOrderDone(ctx, state, order);
  } else {
    order.answered = 2;
    const reason = order.rootCause || code;
    const where = order.rootNode >= 0 ? order.rootNode : entryNode;
    record(ctx, state, Rec.OrderFailed, where, CLIENT_NODE, 0, order.corr, order.effects & 0xffff, reason, latency);
  }
}

function checkOrderDone(ctx: RunContext, state: SimState, order: Order): void {
  if (order.answered !== 1 || order.live !== 0 || order.completed) return;
  order.completed = true;
  record(ctx, state, Rec.OrderCompleted, BROKER_NODE, CLIENT_NODE, 0, order.corr, 0, order.deadLettered ? 1 : 0, state.now - order.receivedAt);
}

// ---------------------------------------------------------------------------------
// Event fan-out on a queue broker

function publish(ctx: RunContext, state: SimState, index: number, type: number, order: Order, job: Job | null): void {
  const p: PublishInTransit = { id: ++state.nextEvent, type, order, from: index, job, publishedAt: state.now };
  order.live++;
  record(ctx, state, Rec.Published, nodeOf(ctx, index), BROKER_NODE, p.id, order.corr, 0, type, ctx.network);
  schedule(state, state.now + ctx.network, Ev.PublishArrive, p);
}

function onPublishArrive(ctx: RunContext, state: SimState, p: PublishInTransit): void {
  const order = p.order;
  const routes = ctx.model.routes[p.type] as number[];
  if (routes.length === 0) {
    record(ctx, state, Rec.Unroutable, BROKER_NODE, BROKER_NODE, p.id, order.corr, 0, p.type, 0);
  } else {
    record(ctx, state, Rec.Routed, BROKER_NODE, BROKER_NODE, p.id, order.corr, 0, p.type, routes.length);
    // Fan-out: every bound queue gets its own copy.
    for (const qi of routes) {
      const info = ctx.model.queues[qi] as { node: number; service: number };
      const msg: Message = {
        id: p.id,
        queue: qi,
        order,
        type: p.type,
        publishedAt: p.publishedAt,
        enqueuedAt: state.now,
        attempts: 0,
        cause: 0,
        effectDone: false,
        lastError: 0,
        retry: null,
      };
      order.live++;
      record(ctx, state, Rec.Enqueued, BROKER_NODE, info.node, p.id, order.corr, 0, p.type, 0);
      dequePushBack((state.queues[qi] as QueueState).ready, msg);
      tryStart(ctx, state, info.service);
    }
  }
  order.live--;
  // The publisher's confirm travels back; the entry service answers the user once it has them all.
  if (p.job) schedule(state, state.now + ctx.network, Ev.ConfirmArrive, p.job);
  checkOrderDone(ctx, state, order);
}

function onConfirmArrive(ctx: RunContext, state: SimState, job: Job): void {
  if (job.state !== JobState.Publishing) return;
  job.pendingConfirms--;
  if (job.pendingConfirms === 0) respond(ctx, state, job, 0);
}

function deliver(ctx: RunContext, state: SimState, index: number, msg: Message): void {
  const svc = state.services[index] as ServiceState;
  const q = state.queues[msg.queue] as QueueState;
  const qNode = (ctx.model.queues[msg.queue] as { node: number }).node;
  msg.attempts++;
  q.inFlight++;
  record(ctx, state, Rec.Delivered, qNode, nodeOf(ctx, index), msg.id, msg.order.corr, msg.attempts, msg.cause, state.now - msg.enqueuedAt);
  msg.cause = 0;
  const work = sampleLatency(ctx, svc, index);
  const d: Delivery = { msg, svc: index, startedAt: state.now, duration: work, done: null as unknown as SimEvent, slot: -1 };
  takeSlot(svc, d);
  // The copy travels to the consumer, then the consumer works on it.
  d.done = schedule(state, state.now + ctx.network + work, Ev.DeliveryDone, d);
}

function backoffDelay(ctx: RunContext, state: SimState, attempts: number): number {
  const d = ctx.scenario.delivery;
  const ceiling = d.backoff === 'fixed' ? d.base_ms : Math.min(d.cap_ms, d.base_ms * 2 ** Math.min(attempts - 1, 40));
  // Full jitter: anywhere between 0 and the ceiling, so retries of many messages spread out.
  return d.jitter === 'full' ? Math.floor(nextFloat(state.backoffRng) * (ceiling + 1)) : ceiling;
}

function onDeliveryDone(ctx: RunContext, state: SimState, d: Delivery): void {
  const { msg, svc: index } = d;
  const svc = state.services[index] as ServiceState;
  const q = state.queues[msg.queue] as QueueState;
  const node = nodeOf(ctx, index);
  const qNode = (ctx.model.queues[msg.queue] as { node: number }).node;
  const order = msg.order;
  releaseSlot(svc, d);
  q.inFlight--;

  const failure = workOutcome(ctx, svc, index, order);
  if (failure) {
    msg.lastError = failure;
    record(ctx, state, Rec.WorkFailed, node, node, msg.id, order.corr, msg.attempts, failure, d.duration);
    record(ctx, state, Rec.Nacked, node, qNode, msg.id, order.corr, msg.attempts, failure, 0);
    if (msg.attempts >= ctx.scenario.delivery.max_attempts) deadLetter(ctx, state, msg, failure);
    else {
      const delay = backoffDelay(ctx, state, msg.attempts);
      q.retrying++;
      record(ctx, state, Rec.RetryScheduled, qNode, qNode, msg.id, order.corr, msg.attempts, failure, delay);
      msg.retry = schedule(state, state.now + delay, Ev.RetryReady, msg);
    }
    tryStart(ctx, state, index);
    return;
  }

  // The work succeeds. An idempotent consumer recognises a message it has already handled.
  const info = ctx.model.services[index] as { idempotent: boolean; emits: number[] };
  if (msg.effectDone && info.idempotent) {
    record(ctx, state, Rec.Processed, node, node, msg.id, order.corr, msg.attempts, Effect.SkippedIdempotent, d.duration);
  } else {
    let code: number = msg.effectDone ? Effect.Duplicate : Effect.First;
    if (order.answered === 2) code |= FOR_FAILED_ORDER;
    msg.effectDone = true;
    order.effects |= 1 << index;
    record(ctx, state, Rec.Processed, node, node, msg.id, order.corr, msg.attempts, code, d.duration);
    for (const type of info.emits) publish(ctx, state, index, type, order, null);
  }

  if (svc.crashRate > 0 && nextFloat(svc.crashRng) < svc.crashRate) {
    // The consumer dies before its ack reaches the broker: the broker still holds the
    // copy as unacknowledged and hands it out again.
    msg.lastError = Reason.CrashBeforeAck;
    if (msg.attempts >= ctx.scenario.delivery.max_attempts) {
      record(ctx, state, Rec.Nacked, node, qNode, msg.id, order.corr, msg.attempts, Reason.CrashBeforeAck, 0);
      deadLetter(ctx, state, msg, Reason.CrashBeforeAck);
    } else {
      requeue(ctx, state, msg, Reason.CrashBeforeAck, node, qNode);
    }
    tryStart(ctx, state, index);
    return;
  }

  record(ctx, state, Rec.Acked, node, qNode, msg.id, order.corr, msg.attempts, 0, 0);
  order.live--;
  checkOrderDone(ctx, state, order);
  tryStart(ctx, state, index);
}

function requeue(ctx: RunContext, state: SimState, msg: Message, cause: number, node: number, qNode: number): void {
  msg.cause = cause;
  msg.enqueuedAt = state.now;
  record(ctx, state, Rec.Requeued, node, qNode, msg.id, msg.order.corr, msg.attempts, cause, 0);
  dequePushFront((state.queues[msg.queue] as QueueState).ready, msg);
}

function deadLetter(ctx: RunContext, state: SimState, msg: Message, reason: number): void {
  const qNode = (ctx.model.queues[msg.queue] as { node: number }).node;
  const order = msg.order;
  if (ctx.scenario.delivery.dead_letter) {
    record(ctx, state, Rec.DeadLettered, qNode, ctx.model.dlqNode, msg.id, order.corr, msg.attempts, reason, 0);
    const dl = state.deadLetters;
    dl.count++;
    dl.items.push(msg);
    dl.reasons.push(reason);
    if (dl.items.length > MAX_KEPT_DEAD_LETTERS) {
      dl.items.shift();
      dl.reasons.shift();
    }
  } else {
    record(ctx, state, Rec.Dropped, qNode, qNode, msg.id, order.corr, msg.attempts, reason, 0);
  }
  order.deadLettered = true;
  order.live--;
  checkOrderDone(ctx, state, order);
}

function onRetryReady(ctx: RunContext, state: SimState, msg: Message): void {
  const q = state.queues[msg.queue] as QueueState;
  const info = ctx.model.queues[msg.queue] as { node: number; service: number };
  q.retrying--;
  msg.retry = null;
  msg.cause = Reason.Retry;
  msg.enqueuedAt = state.now;
  record(ctx, state, Rec.RetryReady, info.node, info.node, msg.id, msg.order.corr, msg.attempts, 0, 0);
  dequePushBack(q.ready, msg);
  tryStart(ctx, state, info.service);
}

// ---------------------------------------------------------------------------------
// Faults, scaling and workload changes (from the scenario or from the learner)

/** Change a service's fault settings now. Going down interrupts everything it holds. */
export function setFault(ctx: RunContext, state: SimState, index: number, patch: Partial<FaultSettings>): void {
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const rec = (field: number, value: number) => record(ctx, state, Rec.FaultChanged, node, node, 0, 0, 0, field, Math.round(value));
  if (patch.slowFactor !== undefined && patch.slowFactor !== svc.slowFactor) {
    svc.slowFactor = patch.slowFactor;
    rec(FaultField.SlowFactor, patch.slowFactor * 1000);
  }
  if (patch.errorRate !== undefined && patch.errorRate !== svc.errorRate) {
    svc.errorRate = patch.errorRate;
    rec(FaultField.ErrorRate, patch.errorRate * 1000);
  }
  if (patch.crashRate !== undefined && patch.crashRate !== svc.crashRate) {
    svc.crashRate = patch.crashRate;
    rec(FaultField.CrashRate, patch.crashRate * 1000);
  }
  if (patch.down !== undefined && patch.down !== svc.down) {
    svc.down = patch.down;
    rec(FaultField.Down, patch.down ? 1000 : 0);
    if (patch.down) takeDown(ctx, state, index);
    else tryStart(ctx, state, index);
  }
}

function takeDown(ctx: RunContext, state: SimState, index: number): void {
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  // Messages being consumed go back to the head of their queue, oldest delivery first in line.
  const held = svc.active.slice().sort((a, b) => b.startedAt - a.startedAt || (b.slot - a.slot));
  for (const item of held) {
    if ('msg' in item) {
      item.done.cancelled = true;
      releaseSlot(svc, item);
      (state.queues[item.msg.queue] as QueueState).inFlight--;
      requeue(ctx, state, item.msg, Reason.Reset, node, (ctx.model.queues[item.msg.queue] as { node: number }).node);
    } else {
      resetJob(ctx, state, item);
    }
  }
  // Calls waiting for a worker are cut off too.
  while (svc.accept.size > 0) resetJob(ctx, state, dequePopFront(svc.accept) as Job);
}

function resetJob(ctx: RunContext, state: SimState, job: Job): void {
  const svc = state.services[job.svc] as ServiceState;
  if (job.done) job.done.cancelled = true;
  job.done = null;
  if (job.downstream) {
    // The call it was waiting on carries on downstream, but nobody will read the answer.
    job.downstream.open = false;
    if (job.downstream.timeout) job.downstream.timeout.cancelled = true;
    job.downstream.timeout = null;
    job.downstream = null;
  }
  const node = nodeOf(ctx, job.svc);
  if (job.slot >= 0) releaseSlot(svc, job);
  else {
    // A queued job never started: it leaves the accept line now.
    record(ctx, state, Rec.WorkStarted, node, node, job.call.id, job.order.corr, job.call.attempt, Reason.Reset, 0);
  }
  job.state = JobState.Done;
  job.order.live--;
  const call = job.call;
  record(ctx, state, Rec.ResponseSent, node, nodeOf(ctx, call.caller), call.id, job.order.corr, call.attempt, Reason.Reset, ctx.network);
  noteRootCause(job.order, Reason.Reset, node);
  schedule(state, state.now + ctx.network, Ev.ResponseArrive, call, Reason.Reset);
  checkOrderDone(ctx, state, job.order);
}

/** Change how many replicas or workers per replica a service runs. */
export function scaleService(ctx: RunContext, state: SimState, index: number, replicas: number, concurrency: number): void {
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  if (replicas !== svc.replicas) {
    svc.replicas = replicas;
    record(ctx, state, Rec.Scaled, node, node, 0, 0, 0, 0, replicas);
  }
  if (concurrency !== svc.concurrency) {
    svc.concurrency = concurrency;
    record(ctx, state, Rec.Scaled, node, node, 0, 0, 0, 1, concurrency);
  }
  // Shrinking never interrupts work: busy workers finish, then are not replaced.
  svc.workers = replicas * concurrency;
  tryStart(ctx, state, index);
}

export function setBaseRate(ctx: RunContext, state: SimState, rate: number): void {
  state.baseRate = rate;
  record(ctx, state, Rec.RateChanged, CLIENT_NODE, CLIENT_NODE, 0, 0, 0, 0, Math.round(rate * 1000));
  rescheduleArrival(state, state.now);
}

export function startSpike(ctx: RunContext, state: SimState, spike: Spike): void {
  state.spikes.push(spike);
  record(ctx, state, Rec.RateChanged, CLIENT_NODE, CLIENT_NODE, 0, 0, 0, 1, Math.round(spike.rate * 1000));
  schedule(state, spike.endAt, Ev.SpikeEnd, spike);
  rescheduleArrival(state, state.now);
}

function endSpike(ctx: RunContext, state: SimState, spike: Spike): void {
  const i = state.spikes.indexOf(spike);
  if (i >= 0) state.spikes.splice(i, 1);
  record(ctx, state, Rec.RateChanged, CLIENT_NODE, CLIENT_NODE, 0, 0, 0, 2, Math.round(currentRate(state) * 1000));
  rescheduleArrival(state, state.now);
}

function applyScenarioFault(ctx: RunContext, state: SimState, faultIndex: number, on: boolean): void {
  const f = ctx.scenario.faults[faultIndex];
  if (!f) return;
  const index = ctx.model.services.findIndex((svc) => svc.id === f.service);
  switch (f.mode) {
    case 'down':
      setFault(ctx, state, index, { down: on });
      break;
    case 'slow':
      setFault(ctx, state, index, { slowFactor: on ? (f.factor ?? 1) : 1 });
      break;
    case 'flaky':
      setFault(ctx, state, index, { errorRate: on ? (f.error_rate ?? 0) : 0 });
      break;
    case 'crash-before-ack':
      setFault(ctx, state, index, { crashRate: on ? (f.error_rate ?? 1) : 0 });
      break;
  }
}

// ---------------------------------------------------------------------------------
// The loop

/** Process one event. The caller has already moved `state.now` to `ev.at`. */
export function dispatch(ctx: RunContext, state: SimState, ev: SimEvent): void {
  state.processed++;
  switch (ev.kind) {
    case Ev.Arrival:
      onArrival(ctx, state);
      return;
    case Ev.CallArrive:
      onCallArrive(ctx, state, ev.ref);
      return;
    case Ev.WorkDone:
      onWorkDone(ctx, state, ev.ref);
      return;
    case Ev.ResponseArrive:
      onResponseArrive(ctx, state, ev.ref, ev.code);
      return;
    case Ev.CallTimeout:
      onCallTimeout(ctx, state, ev.ref);
      return;
    case Ev.PublishArrive:
      onPublishArrive(ctx, state, ev.ref);
      return;
    case Ev.ConfirmArrive:
      onConfirmArrive(ctx, state, ev.ref);
      return;
    case Ev.DeliveryDone:
      onDeliveryDone(ctx, state, ev.ref);
      return;
    case Ev.RetryReady:
      onRetryReady(ctx, state, ev.ref);
      return;
    case Ev.FaultStart:
      applyScenarioFault(ctx, state, ev.code, true);
      return;
    case Ev.FaultEnd:
      applyScenarioFault(ctx, state, ev.code, false);
      return;
    case Ev.SpikeStart:
      startSpike(ctx, state, ev.ref);
      return;
    case Ev.SpikeEnd:
      endSpike(ctx, state, ev.ref);
      return;
    case Ev.ScheduledOrder:
      createOrder(ctx, state);
      return;
    case Ev.WorkloadEnd:
      state.workloadOpen = false;
      rescheduleArrival(state, state.now);
      return;
  }
}

/** Drop cancelled events from the top so the next live event is at `heap[0]`. */
export function skipCancelled(state: SimState): SimEvent | undefined {
  const heap = state.heap;
  let top = heap[0];
  while (top?.cancelled) {
    heapPop(heap);
    top = heap[0];
  }
  return top;
}

export { heapPop };

/** Close the sampling window ending at `state.series.nextAt`, writing one row. */
export function takeSample(ctx: RunContext, state: SimState): void {
  const series = state.series;
  const m = state.metrics;
  const cols = series.columns.length;
  const row = (series.count % series.capacity) * cols;
  const d = series.data;
  const lat = m.windowLatencies;
  let p50 = Number.NaN;
  let p99 = Number.NaN;
  if (lat.length > 0) {
    lat.sort((a, b) => a - b);
    p50 = lat[Math.max(0, Math.ceil(0.5 * lat.length) - 1)] as number;
    p99 = lat[Math.max(0, Math.ceil(0.99 * lat.length) - 1)] as number;
  }
  let inQueue = 0;
  for (const q of m.queues) inQueue += q.ready + q.retrying;
  let deadLettered = 0;
  for (const q of m.queues) deadLettered += q.deadLettered;
  let k = row;
  d[k++] = series.nextAt;
  d[k++] = m.windowSucceeded;
  d[k++] = m.windowFailed;
  d[k++] = p50;
  d[k++] = p99;
  d[k++] = m.windowCompleted;
  d[k++] = inQueue;
  d[k++] = deadLettered;
  ctx.model.services.forEach((_, i) => {
    const sm = m.services[i];
    d[k++] = sm ? sm.windowProcessed : 0;
    d[k++] = (state.services[i] as ServiceState).busy;
    if (sm) sm.windowProcessed = 0;
  });
  for (const q of m.queues) {
    d[k++] = q.ready + q.retrying;
    d[k++] = q.inFlight;
  }
  series.count++;
  series.nextAt += series.everyMs;
  m.windowLatencies = [];
  m.windowSucceeded = 0;
  m.windowFailed = 0;
  m.windowCompleted = 0;
}

export function createContext(scenario: Scenario, model: Model, seed: number, keepTrace: boolean): RunContext {
  let poisonMask = 0;
  for (const id of scenario.workload.poison?.services ?? []) {
    const i = model.services.findIndex((svc) => svc.id === id);
    if (i >= 0) poisonMask |= 1 << i;
  }
  return {
    scenario,
    model,
    maps: nodeMaps(model),
    seed,
    network: scenario.network_ms,
    poisonMask,
    fullTrace: keepTrace ? [] : null,
  };
}
