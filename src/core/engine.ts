/**
 * The discrete-event core: the workload, synchronous calls, faults and the dispatch
 * of scheduled events. State and shared rules live in state.ts, the brokers in
 * broker.ts; `Simulation` (simulation.ts) wraps them with a clock, interventions
 * and checkpoints.
 */
import { dropConsumerWork, onDeliveryDone, onExpire, onPublishArrive, onRetryReady, onVisibilityExpire, publish, startConsumers } from './broker';
import { heapPop } from './heap';
import { createMetrics, FOR_FAILED_ORDER, nodeMaps } from './metrics';
import type { Model } from './model';
import { createStream, nextExponential, nextFloat } from './rng';
import type { Scenario } from './scenario';
import {
  type Call,
  checkOrderDone,
  dequeCreate,
  dequePopFront,
  dequePushBack,
  Ev,
  type FaultSettings,
  type GroupState,
  type Job,
  JobState,
  type Message,
  nodeOf,
  noteRootCause,
  type Order,
  type Partition,
  type QueueState,
  type RunContext,
  record,
  releaseSlot,
  type ServiceState,
  type SimEvent,
  type SimState,
  type Spike,
  sampleLatency,
  schedule,
  takeSlot,
  workOutcome,
} from './state';
import { BROKER_NODE, CLIENT_NODE, createTrace, Effect, FaultField, Reason, Rec } from './trace';

export { Ev, JobState } from './state';

const NO_ATTRIBUTES: number[] = [];
export type { FaultSettings, SimEvent, SimState, RunContext } from './state';

export function createState(
  ctx: RunContext,
  options: { traceCapacity: number; sampleEveryMs: number; seriesCapacity: number; openEnded: boolean },
): SimState {
  const { scenario: s, model, seed } = ctx;
  const services: ServiceState[] = s.services.map((spec) => ({
    down: false,
    slowFactor: 1,
    errorRate: 0,
    crashRate: 0,
    idempotent: spec.idempotent,
    seen: { ids: new Set<number>(), ring: [], head: 0 },
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
    queues: model.queues.map((q): QueueState => ({
      subscribed: (model.services[q.service] as { subscribedAtStart: boolean }).subscribedAtStart,
      ready: dequeCreate<Message>(),
      tombstones: 0,
      retrying: 0,
      inFlight: 0,
      groupsInFlight: new Set<number>(),
      group: s.broker.kind === 'log' ? createGroup(model, q.service, s.broker.partitions) : null,
    })),
    deadLetters: { items: [], reasons: [], count: 0 },
    topics:
      s.broker.kind === 'log'
        ? model.eventTypes.map(() => Array.from({ length: (s.broker as { partitions: number }).partitions }, (): Partition => ({ start: 0, end: 0, records: dequeCreate() })))
        : [],
    dedup: new Map(),
    nextReceipt: 0,
    keysRng: createStream(seed, 'keys'),
    orderRng: createStream(seed, 'order'),
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
  // In the playground the workload goes on for as long as the learner watches.
  if (!options.openEnded) schedule(state, s.duration_ms, Ev.WorkloadEnd, null);
  rescheduleArrival(state, 0);
  return state;
}

function createGroup(model: Model, service: number, partitions: number): GroupState {
  const parts: [number, number][] = [];
  for (const type of (model.services[service] as { subscribes: number[] }).subscribes) for (let p = 0; p < partitions; p++) parts.push([type, p]);
  return {
    parts,
    position: parts.map(() => 0),
    committed: parts.map(() => 0),
    current: parts.map(() => null),
    blocked: parts.map(() => false),
    cursor: 0,
    readUpTo: parts.map(() => 0),
    since: parts.map(() => 0),
  };
}

/** Column names of the time series: totals first, then one or two per service and queue. */
export function seriesColumns(model: Model): string[] {
  const cols = ['t', 'succeeded', 'failed', 'p50', 'p99', 'completed', 'in_queue', 'dead_lettered'];
  for (const svc of model.services) cols.push(`${svc.id}.processed`, `${svc.id}.busy`);
  for (const q of model.queues) cols.push(`${q.id}.waiting`, `${q.id}.in_flight`);
  return cols;
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
    key: Math.floor(nextFloat(state.keysRng) * ctx.scenario.workload.keys),
    attrs: ctx.attributeSizes.length === 0 ? NO_ATTRIBUTES : ctx.attributeSizes.map((n) => Math.floor(nextFloat(state.keysRng) * n)),
  };
  // value: the order's key (customer), which picks its partition and FIFO group.
  record(ctx, state, Rec.OrderReceived, CLIENT_NODE, ctx.model.services[ctx.model.entry]?.node ?? 0, 0, order.corr, 0, order.poison ? 1 : 0, order.key);
  sendCall(ctx, state, -1, null, ctx.model.entry, order, 1);
  return order;
}

// ---------------------------------------------------------------------------------
// Synchronous calls (the request chain, and the user's call to the entry service)


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
    confirmError: 0,
    done: null,
    slot: -1,
  };
  call.order.live++;
  record(ctx, state, Rec.RequestArrived, nodeOf(ctx, call.caller), node, call.id, call.order.corr, call.attempt, 0, 0);
  dequePushBack(svc.accept, job);
  tryStart(ctx, state, call.callee);
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
  startConsumers(ctx, state, index);
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


// ---------------------------------------------------------------------------------
// The entry service's publish, confirmed by the broker (event fan-out)

function onConfirmArrive(ctx: RunContext, state: SimState, job: Job, code: number): void {
  if (job.state !== JobState.Publishing) return;
  if (code) job.confirmError = code;
  job.pendingConfirms--;
  if (job.pendingConfirms > 0) return;
  if (job.confirmError) noteRootCause(job.order, job.confirmError, BROKER_NODE);
  respond(ctx, state, job, job.confirmError);
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
  // Messages being consumed go back, each broker its own way.
  dropConsumerWork(ctx, state, index);
  for (const item of svc.active.slice()) if (!('msg' in item)) resetJob(ctx, state, item);
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
      onConfirmArrive(ctx, state, ev.ref, ev.code);
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
    case Ev.Expire:
      onExpire(ctx, state, ev.ref);
      return;
    case Ev.VisibilityExpire:
      onVisibilityExpire(ctx, state, ev.ref, ev.code);
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
  const attributeNames = Object.keys(scenario.workload.attributes);
  const filters = model.queues.map((q) => {
    const broker = scenario.broker;
    const policy = broker.kind === 'sns-sqs' ? broker.filter_policies[q.id] : undefined;
    if (!policy) return null;
    const compiled = new Map<number, Set<number>>();
    for (const [name, accepted] of Object.entries(policy)) {
      const values = scenario.workload.attributes[name] ?? [];
      compiled.set(attributeNames.indexOf(name), new Set(accepted.map((v) => values.indexOf(v))));
    }
    return compiled;
  });
  return {
    scenario,
    model,
    maps: nodeMaps(model),
    seed,
    network: scenario.network_ms,
    poisonMask,
    routes: model.routes,
    filters,
    attributeSizes: attributeNames.map((name) => (scenario.workload.attributes[name] ?? []).length),
    fullTrace: keepTrace ? [] : null,
  };
}
