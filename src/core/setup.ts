/**
 * A run's beginning: the fixed context (model, lookups, the broker flavour's rules) and
 * the initial state with the scenario's own timeline scheduled.
 */
import { createBreaker } from './breaker';
import { compileFilters, createFlavour } from './broker';
import { createMetrics, nodeMaps } from './metrics';
import { compensationTypes, type Model } from './model';
import { createStream } from './rng';
import type { Scenario } from './scenario';
import {
  dequeCreate,
  Ev,
  emptyDeadLetters,
  type Job,
  latencyModel,
  type Message,
  type OutboxRow,
  PublishMode,
  type QueueState,
  type RunContext,
  type ServiceState,
  type SimState,
  schedule,
} from './state';
import { createTrace } from './trace';
import { rescheduleArrival } from './workload';

/**
 * Rows the time series starts with; it doubles up to its capacity as samples come.
 * Every checkpoint copies the array whole: allocated at full capacity (2,400 rows of 34
 * columns in the engine benchmark, 650 KB of mostly zeros) it was half of each
 * checkpoint's copying time, 2.6 of 5.2 ms.
 */
const FIRST_SERIES_ROWS = 64;

/** The initial state of a run: idle services, empty queues, the scenario's events scheduled. */
export function createState(
  ctx: RunContext,
  options: {
    traceCapacity: number;
    sampleEveryMs: number;
    seriesCapacity: number;
    openEnded: boolean;
  },
): SimState {
  const { scenario: s, model, seed } = ctx;
  const services: ServiceState[] = s.services.map((spec, index) => ({
    down: false,
    slowFactor: 1,
    errorRate: 0,
    crashRate: 0,
    publishCrashRate: 0,
    idempotent: model.services[index]?.idempotent ?? spec.idempotent,
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
    publishCrashRng: createStream(seed, `publish-crash:${spec.id}`),
    publishRetryRng: createStream(seed, `publish-retry:${spec.id}`),
    outbox: dequeCreate<OutboxRow>(),
    relay: null,
    breaker: s.sync.circuit_breaker ? createBreaker() : null,
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
    queues: model.queues.map(
      (q): QueueState => ({
        subscribed: model.services[q.service]?.subscribedAtStart ?? false,
        ready: dequeCreate<Message>(),
        tombstones: 0,
        retrying: 0,
        inFlight: 0,
        groupsInFlight: new Set<number>(),
        delayed: 0,
        sweeping: false,
        blocked: false,
        group: ctx.flavour.createGroup(ctx, q.index),
      }),
    ),
    deadLetters: emptyDeadLetters(),
    topics: ctx.flavour.createTopics(ctx),
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
      data: new Float64Array(Math.min(options.seriesCapacity, FIRST_SERIES_ROWS) * columns.length),
    },
    interventionsApplied: 0,
    processed: 0,
    cancelled: 0,
    broker: { down: false, slowFactor: 1, leaderless: [] },
    sagasRunning: 0,
    sagasCompensating: 0,
  };

  // The scenario's own timeline.
  s.workload.spikes.forEach((spike) => {
    schedule(state, spike.at_ms, Ev.SpikeStart, {
      rate: spike.rate_per_s,
      endAt: spike.at_ms + spike.duration_ms,
    });
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

/** Column names of the time series: totals first, then one or two per service and queue. */
export function seriesColumns(model: Model): string[] {
  const cols = ['t', 'succeeded', 'failed', 'p50', 'p99', 'completed', 'in_queue', 'dead_lettered'];
  for (const svc of model.services) cols.push(`${svc.id}.processed`, `${svc.id}.busy`);
  for (const q of model.queues) cols.push(`${q.id}.waiting`, `${q.id}.in_flight`);
  return cols;
}

const PUBLISH_MODES = {
  'after-commit': PublishMode.AfterCommit,
  'before-commit': PublishMode.BeforeCommit,
  outbox: PublishMode.Outbox,
} as const;

/** What stays fixed for a run: the model, lookup tables, compiled filters and the broker's rules. */
export function createContext(
  scenario: Scenario,
  model: Model,
  seed: number,
  keepTrace: boolean,
): RunContext {
  let poisonMask = 0;
  for (const id of scenario.workload.poison?.services ?? []) {
    const i = model.services.findIndex((svc) => svc.id === id);
    if (i >= 0) poisonMask |= 1 << i;
  }
  const attributes = scenario.workload.attributes;
  // Own values only (in key order): an attribute may be called `constructor` or `__proto__`.
  const attributeSizes = Object.values(attributes).map((values) => values.length);
  return {
    scenario,
    model,
    maps: nodeMaps(model),
    seed,
    network: scenario.network_ms,
    poisonMask,
    routes: model.routes,
    // Filter policies select the events a subscriber hears; an orchestrator's commands are
    // addressed to one step each, and reach it whatever the order carries.
    filters: compileFilters(
      model,
      attributes,
      scenario.broker.kind === 'sns-sqs' && !model.saga ? scenario.broker.filter_policies : {},
    ),
    attributeSizes,
    serviceNode: Int16Array.from(model.services, (svc) => svc.node),
    serviceQueue: Int16Array.from(model.services, (svc) => svc.queue),
    serviceHop: Int16Array.from(model.services, (svc) => svc.hop),
    serviceEmits: model.services.map((svc) => svc.emits),
    servicePublish: Uint8Array.from(model.services, (svc) => PUBLISH_MODES[svc.publish]),
    serviceOutbox: Int16Array.from(model.services, (svc) => svc.outboxNode),
    serviceRetriesPublish: Uint8Array.from(model.services, (svc) =>
      svc.publishFailure === 'retry' ? 1 : 0,
    ),
    confirmMs: scenario.broker.confirm_ms ?? 0,
    serviceLatency: model.services.map((svc) => latencyModel(svc.latency)),
    serviceDecline: Float64Array.from(model.services, (svc) => svc.declineRate),
    serviceOnFailure: model.services.map((svc) => svc.onFailure),
    serviceIdempotency: model.services.map((svc) => svc.idempotency),
    compensation: Uint8Array.from(compensationTypes(model), (c) => (c ? 1 : 0)),
    serviceOneType: Uint8Array.from(model.services, (svc) => (svc.subscribes.length === 1 ? 1 : 0)),
    queueNode: Int16Array.from(model.queues, (q) => q.node),
    consumerOf: Int16Array.from(model.queues, (q) => q.service),
    flavour: createFlavour(scenario.broker),
    fullTrace: keepTrace ? [] : null,
  };
}
