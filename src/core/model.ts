/**
 * The shape of a run, compiled once from a scenario: which nodes exist, their numbers,
 * which queue each subscriber reads. Everything here is fixed for the run; what changes
 * over time lives in the simulation state.
 */
import {
  type Architecture,
  bindingMatches,
  chainStepsOf,
  eventTypesOf,
  hybridStepsOf,
  type LatencySpec,
  orchestrationOf,
  type SagaStepNames,
  type Scenario,
} from './scenario';
import { BROKER_NODE, CLIENT_NODE } from './trace';

export type NodeKind = 'client' | 'broker' | 'service' | 'queue' | 'dlq' | 'retry' | 'outbox';

/** A box on the canvas. `index` is the number used in trace records' `from`/`to`. */
export interface NodeInfo {
  index: number;
  id: string;
  kind: NodeKind;
  label: string;
  /** For a service node: its service index; for a queue node: the subscriber's; for an outbox: its owner's. */
  service?: number;
  /** For a queue node: its queue index. */
  queue?: number;
}

export interface ServiceInfo {
  index: number;
  id: string;
  name: string;
  node: number;
  emits: number[];
  /** Event types it receives (its bindings resolved against what is emitted). */
  subscribes: number[];
  /** Its bindings as written: event names or topic patterns. */
  bindings: string[];
  /** false: it joins only when the learner subscribes it during the run. */
  subscribedAtStart: boolean;
  /** The queue this service consumes from (event architecture), or -1. */
  queue: number;
  /** Step of the request chain (services called at once share one), or -1 when not part of it. */
  hop: number;
  latency: LatencySpec;
  idempotent: boolean;
  /**
   * How its request work publishes (the scenario's `publish`, default after-commit). Only
   * the entry service's work in event fan-out publishes from a request; elsewhere it is
   * after-commit.
   */
  publish: PublishSetting;
  /** Outbox: how often its relay polls the outbox (ms). */
  outboxPollMs: number;
  /**
   * What its request work does when the broker refuses a publish (the scenario's
   * `publish_failure`, default fail): fail the request, or publish again while it waits.
   */
  publishFailure: 'fail' | 'retry';
  /** Node number of its outbox (event architecture, `publish: "outbox"`), or -1. */
  outboxNode: number;
  /** Share of orders its work refuses (a declined card): a business answer, never retried. */
  declineRate: number;
  /** Event types it publishes when its copy fails for good (event architecture; a saga's failure events). */
  onFailure: number[];
  /** How it recognises a repeat, when it is idempotent (see `IdempotencyInfo`). */
  idempotency: IdempotencyInfo;
}

/**
 * An idempotent consumer's store. `idempotent: true` alone is message ids, saved with the
 * effect, 10,000 remembered; `exact` marks a scenario that spelled it out (`idempotency`),
 * where only the store decides (a message the broker knows was handled before, but whose
 * key the store never saved or has forgotten, is handled again).
 */
export interface IdempotencyInfo {
  businessKey: boolean;
  afterEffect: boolean;
  window: number;
  exact: boolean;
}

/** The scenario's `publish` setting of a service. */
export type PublishSetting = 'after-commit' | 'before-commit' | 'outbox';

/** Keys an idempotent consumer remembers when the scenario sets no `window` for it. */
export const DEFAULT_IDEMPOTENCY_WINDOW = 10_000;

/**
 * Event types that belong to a saga's compensation: the failure events (`on_failure_emits`),
 * and what services that receive nothing else emit in turn (OrderCancelled after
 * PaymentFailed). Work done for them is compensation, not work done for a failed order.
 */
export function compensationTypes(
  model: Pick<Model, 'services' | 'eventTypes' | 'saga'>,
): boolean[] {
  const out = model.eventTypes.map(() => false);
  // Orchestration: the compensating commands, and the replies to them.
  if (model.saga) {
    model.saga.typeKind.forEach((kind, t) => {
      out[t] = kind >= SagaMsg.Compensate;
    });
    return out;
  }
  for (const svc of model.services) for (const t of svc.onFailure) out[t] = true;
  for (let grew = true; grew; ) {
    grew = false;
    for (const svc of model.services) {
      if (svc.subscribes.length === 0 || !svc.subscribes.every((t) => out[t])) continue;
      for (const t of svc.emits) {
        if (out[t]) continue;
        out[t] = true;
        grew = true;
      }
    }
  }
  return out;
}

/** The relay's poll interval when the scenario names none: a teaching default (see docs/scenario-format.md). */
export const DEFAULT_OUTBOX_POLL_MS = 100;

/**
 * What a message of an orchestrated saga is (`SagaModel.typeKind`): a command to a step,
 * the step's reply, a compensating command, or the reply to that. Replies of one kind
 * come after the command they answer; everything from `Compensate` on is compensation.
 */
export const SagaMsg = {
  Command: 1,
  Done: 2,
  Failed: 3,
  Compensate: 4,
  Compensated: 5,
  CompensationFailed: 6,
} as const;

/**
 * An orchestrated saga (architecture `orchestration`): the entry service is the
 * orchestrator. It sends each step's command through the broker to the step's own queue,
 * and reads the replies from its reply queue. Per service, the message types (event type
 * numbers) it takes part in, -1 where it has none.
 */
export interface SagaModel {
  /** The steps in order: services commanded at once (the `chain` without the entry). */
  steps: number[][];
  /** The queue the orchestrator reads replies from. */
  replyQueue: number;
  command: number[];
  done: number[];
  failed: number[];
  compensate: number[];
  compensated: number[];
  compensationFailed: number[];
  /** Per message type: the step service it concerns, and what it is (`SagaMsg`). */
  typeService: number[];
  typeKind: number[];
}

export interface QueueInfo {
  index: number;
  /** Named after the subscriber, e.g. `email`. */
  id: string;
  name: string;
  node: number;
  service: number;
  /** Event types bound to this queue. */
  bindings: number[];
}

export interface Model {
  architecture: Architecture;
  nodes: NodeInfo[];
  services: ServiceInfo[];
  queues: QueueInfo[];
  /**
   * Service indices in call order, parallel groups flattened: the request chain, or in an
   * event run the entry and its `sync_services` (hybrid; empty without them).
   */
  chain: number[];
  /** The synchronous steps: a service calls every service of the next step at once. */
  chainSteps: number[][];
  entry: number;
  eventTypes: string[];
  /** For each event type, the queues that receive a copy. */
  routes: number[][];
  /** Node number of the dead-letter queue, or -1. */
  dlqNode: number;
  /**
   * Node number of where retries wait, or -1 (they wait in place): the retry queue (queue
   * flavour with `on_failure: 'retry'`: one node standing for the TTL'd retry queues a
   * consumer uses for delayed retries), or the retry topic (log flavour whose consumers
   * write failed records to one). Scheduled queue -> retry node, ready retry node -> queue.
   */
  retryNode: number;
  /** Node number of the alternate exchange's queue (queue flavour), or -1. */
  aeNode: number;
  /** The broker flavour and its settings. */
  broker: Scenario['broker'];
  /** The orchestrated saga (architecture `orchestration`), else null. */
  saga: SagaModel | null;
}

function brokerLabel(b: Scenario['broker']): string {
  if (b.kind === 'log') return `Topic (${b.partitions} partition${b.partitions === 1 ? '' : 's'})`;
  if (b.kind === 'sns-sqs') return b.fifo ? 'SNS FIFO topic' : 'SNS topic';
  return `${b.exchange[0]?.toUpperCase()}${b.exchange.slice(1)} exchange`;
}

/** The exchange types of the queue flavour. */
export type ExchangeType = 'fanout' | 'direct' | 'topic';

/**
 * Exchange routing: for each event type (its name is its routing key), the queues that
 * get a copy. `bindings[q]` are queue q's bindings as written. A fanout exchange ignores
 * the routing key: every bound queue gets every event (RabbitMQ docs, "Exchanges": fanout
 * "routes messages to all of the queues bound to it and the routing key is ignored").
 * direct matches the routing key exactly; topic matches patterns (`*` one word, `#` any).
 * The engine routes with this, and the Broker tab's routing table shows it.
 */
export function exchangeRoutes(
  exchange: ExchangeType,
  eventTypes: readonly string[],
  bindings: readonly (readonly string[])[],
): number[][] {
  const topic = exchange === 'topic';
  return eventTypes.map((type) => {
    const queues: number[] = [];
    bindings.forEach((bound, q) => {
      if (exchange === 'fanout' || bound.some((b) => bindingMatches(b, type, topic)))
        queues.push(q);
    });
    return queues;
  });
}

/** One exchange type's routing of a scenario: `receives[q][t]`, queue q gets event type t. */
export interface RoutingTable {
  exchange: ExchangeType;
  receives: boolean[][];
}

/**
 * How the scenario's events would reach its queues through each exchange type, side by
 * side: rows are the model's queues, columns its event types (`model.eventTypes`).
 */
export function routingTables(model: Model): RoutingTable[] {
  const bindings = model.queues.map((q) => (model.services[q.service] as ServiceInfo).bindings);
  return (['fanout', 'direct', 'topic'] as const).map((exchange) => {
    const routes = exchangeRoutes(exchange, model.eventTypes, bindings);
    return {
      exchange,
      receives: model.queues.map((_, q) => routes.map((queues) => queues.includes(q))),
    };
  });
}

/** Compile a validated scenario into the fixed shape of a run. */
export function buildModel(s: Scenario, architecture: Architecture): Model {
  // Event types are what services emit; subscriptions are bindings that select some of them.
  // Orchestrated, the types are the saga's commands and replies instead.
  const orchestration = architecture === 'orchestration' ? orchestrationOf(s) : null;
  const eventTypes = orchestration
    ? orchestration.steps.flatMap(sagaMessageNames)
    : eventTypesOf(s);
  const typeIndex = (name: string) => eventTypes.indexOf(name);
  const topic = s.broker.kind === 'queue' && s.broker.exchange === 'topic';
  const selected = (bindings: string[]) =>
    eventTypes
      .map((type, i) => (bindings.some((b) => bindingMatches(b, type, topic)) ? i : -1))
      .filter((i) => i >= 0);

  const nodes: NodeInfo[] = [
    { index: CLIENT_NODE, id: 'client', kind: 'client', label: 'Users / API' },
    { index: BROKER_NODE, id: 'broker', kind: 'broker', label: brokerLabel(s.broker) },
  ];
  // The synchronous calls of the run: the chain, or an event run's hybrid part.
  // (Orchestrated, none: the saga's steps are commanded through the broker.)
  const steps = architecture === 'chain' ? chainStepsOf(s) : orchestration ? [] : hybridStepsOf(s);
  const syncIds = new Set(architecture === 'event' ? (s.sync_services ?? []) : []);
  const chainIds = steps.flat();
  // Orchestrated: what each service's queue takes (a step its command and compensation,
  // the entry every reply), by name.
  const sagaBindings = new Map<string, string[]>();
  if (orchestration) {
    const replies: string[] = [];
    for (const step of orchestration.steps) {
      sagaBindings.set(
        step.service,
        step.compensate ? [step.command, step.compensate] : [step.command],
      );
      replies.push(step.done, step.failed);
      if (step.compensated && step.compensationFailed)
        replies.push(step.compensated, step.compensationFailed);
    }
    if (replies.length > 0) sagaBindings.set(s.entry, replies);
  }
  const services: ServiceInfo[] = s.services.map((svc, index) => {
    const node =
      nodes.push({
        index: nodes.length,
        id: svc.id,
        kind: 'service',
        label: svc.name,
        service: index,
      }) - 1;
    const bound = orchestration ? (sagaBindings.get(svc.id) ?? []) : svc.subscribes;
    return {
      index,
      id: svc.id,
      name: svc.name,
      node,
      emits: orchestration ? [] : svc.emits.map(typeIndex),
      subscribes: selected(bound),
      bindings: bound,
      // The orchestrator addresses its commands: every step's queue is there from the start.
      subscribedAtStart: orchestration ? true : svc.subscribed,
      queue: -1,
      hop: steps.findIndex((step) => step.includes(svc.id)),
      latency: svc.latency_ms,
      idempotent: svc.idempotent || svc.idempotency !== undefined,
      publish: architecture === 'event' ? (svc.publish ?? 'after-commit') : 'after-commit',
      outboxPollMs: svc.outbox_poll_ms ?? DEFAULT_OUTBOX_POLL_MS,
      publishFailure: svc.publish_failure ?? 'fail',
      outboxNode: -1,
      declineRate: svc.decline_rate ?? 0,
      onFailure: architecture === 'event' ? (svc.on_failure_emits ?? []).map(typeIndex) : [],
      idempotency: {
        businessKey: svc.idempotency?.key === 'business-key',
        afterEffect: svc.idempotency?.record === 'after-effect',
        window: svc.idempotency?.window ?? DEFAULT_IDEMPOTENCY_WINDOW,
        exact: svc.idempotency !== undefined,
      },
    };
  });

  const queues: QueueInfo[] = [];
  let routes: number[][] = eventTypes.map(() => []);
  let dlqNode = -1;
  let retryNode = -1;
  let aeNode = -1;
  if (architecture !== 'chain') {
    for (const svc of services) {
      // A service called synchronously (hybrid) takes calls, not copies: no queue.
      if (svc.subscribes.length === 0 || syncIds.has(svc.id)) continue;
      const index = queues.length;
      // Orchestrated, a step's queue holds its commands; the orchestrator's, the replies.
      const what = !orchestration ? 'queue' : svc.id === s.entry ? 'replies' : 'commands';
      const node =
        nodes.push({
          index: nodes.length,
          id: `${svc.id}-queue`,
          kind: 'queue',
          label:
            s.broker.kind === 'log'
              ? `${svc.id} ${orchestration ? `${what} ` : ''}group`
              : `${svc.id} ${what}`,
          service: svc.index,
          queue: index,
        }) - 1;
      const name =
        s.broker.kind === 'log'
          ? `${svc.id} consumer group`
          : !orchestration
            ? `${svc.id} queue`
            : `${svc.id} ${what === 'replies' ? 'reply' : 'command'} queue`;
      queues.push({ index, id: svc.id, name, node, service: svc.index, bindings: svc.subscribes });
      svc.queue = index;
    }
    // The log and SNS + SQS route by event name, as a direct exchange does.
    const exchange = s.broker.kind === 'queue' ? s.broker.exchange : 'direct';
    routes = exchangeRoutes(
      exchange,
      eventTypes,
      queues.map((q) => (services[q.service] as ServiceInfo).bindings),
    );
    if (s.delivery.dead_letter && queues.length > 0) {
      const label = s.broker.kind === 'log' ? 'Dead-letter topic' : 'Dead-letter queue';
      dlqNode = nodes.push({ index: nodes.length, id: 'dead-letter', kind: 'dlq', label }) - 1;
    }
    if (
      s.broker.kind === 'log' &&
      s.broker.retry === 'retry-topic' &&
      s.broker.group_type === 'consumer' &&
      queues.length > 0
    ) {
      retryNode =
        nodes.push({ index: nodes.length, id: 'retry', kind: 'retry', label: 'Retry topic' }) - 1;
    }
    if (s.broker.kind === 'queue' && s.broker.alternate_exchange) {
      aeNode =
        nodes.push({
          index: nodes.length,
          id: 'unrouted',
          kind: 'dlq',
          label: 'Unrouted (alternate exchange)',
        }) - 1;
    }
    if (s.broker.kind === 'queue' && s.broker.on_failure === 'retry' && queues.length > 0) {
      retryNode =
        nodes.push({ index: nodes.length, id: 'retry', kind: 'retry', label: 'Retry queue' }) - 1;
    }
  }

  // Outboxes come last, so a scenario without one keeps every node number it had.
  for (const svc of services) {
    if (svc.publish !== 'outbox') continue;
    svc.outboxNode =
      nodes.push({
        index: nodes.length,
        id: `${svc.id}-outbox`,
        kind: 'outbox',
        label: `${svc.name} outbox`,
        service: svc.index,
      }) - 1;
  }

  const byId = new Map(services.map((svc) => [svc.id, svc.index]));
  let saga: SagaModel | null = null;
  if (orchestration) {
    const perService = () => services.map(() => -1);
    saga = {
      steps: orchestration.stepGroups.map((group) => group.map((id) => byId.get(id) as number)),
      replyQueue: services[byId.get(s.entry) as number]?.queue ?? -1,
      command: perService(),
      done: perService(),
      failed: perService(),
      compensate: perService(),
      compensated: perService(),
      compensationFailed: perService(),
      typeService: eventTypes.map(() => -1),
      typeKind: eventTypes.map(() => 0),
    };
    const model = saga;
    for (const step of orchestration.steps) {
      const svc = byId.get(step.service) as number;
      const set = (key: keyof typeof SAGA_KEYS, name: string | undefined) => {
        if (name === undefined) return;
        const t = typeIndex(name);
        model[key][svc] = t;
        model.typeService[t] = svc;
        model.typeKind[t] = SAGA_KEYS[key];
      };
      set('command', step.command);
      set('done', step.done);
      set('failed', step.failed);
      set('compensate', step.compensate);
      set('compensated', step.compensated);
      set('compensationFailed', step.compensationFailed);
    }
  }
  return {
    architecture,
    nodes,
    services,
    queues,
    chain: chainIds.map((id) => byId.get(id) as number),
    chainSteps: steps.map((step) => step.map((id) => byId.get(id) as number)),
    entry: byId.get(s.entry) as number,
    eventTypes,
    routes,
    dlqNode,
    retryNode,
    aeNode,
    broker: s.broker,
    saga,
  };
}

const SAGA_KEYS = {
  command: SagaMsg.Command,
  done: SagaMsg.Done,
  failed: SagaMsg.Failed,
  compensate: SagaMsg.Compensate,
  compensated: SagaMsg.Compensated,
  compensationFailed: SagaMsg.CompensationFailed,
} as const;

/** A saga step's message names, in the order their type numbers are given. */
function sagaMessageNames(step: SagaStepNames): string[] {
  const names = [step.command, step.done, step.failed];
  if (step.compensate && step.compensated && step.compensationFailed)
    names.push(step.compensate, step.compensated, step.compensationFailed);
  return names;
}
