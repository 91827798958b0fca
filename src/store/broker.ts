/**
 * Broker actions of the playground: pick a flavour, change its settings, add a
 * subscriber while the run goes on, replay a consumer group, redrive dead letters,
 * switch a consumer's idempotency.
 *
 * They act on a playground store (see `playground.ts`) from the outside, through
 * `getState` / `setState`, so the store's own contract stays as it is. Each returns a
 * problem sentence when it cannot be done, or null; flavour and setting changes that
 * the scenario format refuses are also shown in the store's `error` banner.
 *
 * Two kinds of rebuild:
 * - a *restart* (flavour or setting changed): fresh simulations at t = 0 with the same
 *   scenario, seed and architecture, and the learner's rate and idempotency switches;
 * - a *continuation* (a dormant subscriber added to the scenario): the same run is
 *   re-created up to the current moment from the same interventions. A service that has
 *   not subscribed takes no part in a run, so what is on screen does not change.
 */
import type { StoreApi } from 'zustand/vanilla';
import { formatProblems, parseScenario, type Scenario, type ServiceSpec, type Simulation } from '../core';
import type { OffsetTarget } from '../core/simulation';
import { createSideSim, type PlaygroundState, type Selection, type Side, sidesOf } from './playground';
import { holdForFork } from './timeTravel';

export type BrokerKind = Scenario['broker']['kind'];
export type StartFrom = 'earliest' | 'latest';
export type { OffsetTarget } from '../core/simulation';

type Store = StoreApi<PlaygroundState>;

/** The subscriber the playground offers to add when a scenario has no dormant one. */
export const FRAUD_SERVICE_ID = 'fraud';
export const FRAUD_SERVICE_NAME = 'Fraud Service';

export const NO_EVENT_SIDE =
  'Subscribers read the broker: switch to Event fan-out or Compare to see it.';

// ---------------------------------------------------------------------------------
// Reading

function visibleSims(sims: PlaygroundState['sims']): Simulation[] {
  return [sims.chain, sims.event].filter((sim): sim is Simulation => sim !== undefined);
}

function isEnded(scenario: Scenario, sims: Simulation[], now: number): boolean {
  return now >= scenario.duration_ms && sims.every((sim) => sim.nextEventAt() === undefined);
}

/** Services that exist in the scenario but subscribe only when the learner adds them. */
export function dormantServices(scenario: Scenario): ServiceSpec[] {
  return scenario.services.filter((svc) => !svc.subscribed && svc.subscribes.length > 0);
}

/** The event a late Fraud Service would subscribe to: the first one the entry service emits. */
function fraudEvent(scenario: Scenario): string | undefined {
  return scenario.services.find((svc) => svc.id === scenario.entry)?.emits[0];
}

/** Dormant services not yet subscribed on the event side: the learner can add them now. */
export function addableSubscribers(
  scenario: Scenario,
  sim: Simulation | undefined,
): { id: string; name: string }[] {
  return dormantServices(scenario)
    .filter((svc) => !sim?.isSubscribed(svc.id))
    .map((svc) => ({ id: svc.id, name: svc.name }));
}

/**
 * A late subscriber the playground can deploy beside the broker when the scenario has
 * none: a Fraud Service that will subscribe to what the entry service emits.
 */
export function deployableSubscriber(scenario: Scenario): { id: string; name: string } | null {
  if (dormantServices(scenario).length > 0) return null;
  const taken = scenario.services.some((svc) => svc.id === FRAUD_SERVICE_ID);
  return !taken && fraudEvent(scenario) && scenario.services.length < 12
    ? { id: FRAUD_SERVICE_ID, name: FRAUD_SERVICE_NAME }
    : null;
}

/** When and from where a service subscribed during the run, if it did. */
export function subscription(
  sim: Simulation,
  serviceId: string,
): { at: number; from: StartFrom } | null {
  for (const i of sim.interventions) {
    if (i.kind === 'subscribe' && i.service === serviceId && i.at <= sim.now)
      return { at: i.at, from: i.from };
  }
  return null;
}

/** Copies currently in the dead-letter queue (dead-lettered and not redriven). */
export function deadLettersNow(sim: Simulation): number {
  let n = 0;
  for (let i = 0; i < sim.model.queues.length; i++) n += sim.queue(i).deadLettered;
  return n;
}

// ---------------------------------------------------------------------------------
// Rebuilding the simulations

function keptSelection(
  selection: Selection | null,
  sims: PlaygroundState['sims'],
): Selection | null {
  if (!selection) return null;
  const sim = sims[selection.side];
  return sim?.model.nodes.some((n) => n.id === selection.nodeId) ? selection : null;
}

/** Fresh runs at t = 0 of `scenario`, keeping seed, architecture, rate and idempotency. */
function restartWith(store: Store, scenario: Scenario): void {
  const s = store.getState();
  const sims: Partial<Record<Side, Simulation>> = {};
  for (const side of sidesOf(s.mode)) {
    const sim = createSideSim(scenario, s.seed, side);
    const before = s.sims[side];
    // The learner's settings, replayed at t = 0: the workload rate and idempotent consumers.
    if (s.rate !== scenario.workload.rate_per_s) sim.setRate(s.rate);
    for (const svc of scenario.services) {
      const i = before ? before.model.services.findIndex((x) => x.id === svc.id) : -1;
      const wanted = before && i >= 0 ? before.service(i).idempotent : svc.idempotent;
      if (wanted !== svc.idempotent) sim.setIdempotent(svc.id, wanted);
    }
    sims[side] = sim;
  }
  store.setState({
    scenario,
    sims,
    now: 0,
    version: s.version + 1,
    ended: false,
    selection: keptSelection(s.selection, sims),
  });
}

/** The same run, re-created up to now for a scenario that only gained a dormant service. */
function continueWith(store: Store, scenario: Scenario): void {
  const s = store.getState();
  const sims: Partial<Record<Side, Simulation>> = {};
  for (const side of sidesOf(s.mode)) {
    const before = s.sims[side];
    const sim = createSideSim(scenario, s.seed, side, before?.interventions);
    sim.runUntil(s.now);
    sims[side] = sim;
  }
  store.setState({
    scenario,
    sims,
    version: s.version + 1,
    selection: keptSelection(s.selection, sims),
  });
}

/** After an intervention: redraw, and the run may have more to do than before. */
function bump(store: Store): void {
  const s = store.getState();
  store.setState({
    version: s.version + 1,
    ended: isEnded(s.scenario, visibleSims(s.sims), s.now),
  });
}

/** Validate a changed scenario; a refusal is shown in the banner and returned. */
function validated(store: Store, input: unknown, what: string): Scenario | string {
  const result = parseScenario(input);
  if (result.ok) return result.scenario;
  const message = `${what} does not fit scenario "${store.getState().scenario.id}": ${formatProblems(result.problems).replace(/\n/g, '; ')}`;
  store.getState().setError(message);
  return message;
}

// ---------------------------------------------------------------------------------
// Actions

/**
 * Run the current scenario on another broker flavour, with that flavour's defaults.
 * Restarts at t = 0 with the same scenario, seed and architecture.
 */
export function switchBroker(store: Store, kind: BrokerKind): string | null {
  const { scenario } = store.getState();
  if (scenario.broker.kind === kind) return null;
  const next = validated(store, { ...scenario, broker: { kind } }, `The ${kind} broker`);
  if (typeof next === 'string') return next;
  restartWith(store, next);
  return null;
}

/**
 * Change one setting of the current flavour (`undefined` removes an optional one, e.g.
 * no message TTL). Restarts the run at t = 0.
 */
export function changeBrokerSetting(
  store: Store,
  key: string,
  value: string | number | boolean | undefined,
): string | null {
  const { scenario } = store.getState();
  const broker: Record<string, unknown> = { ...scenario.broker };
  if (value === undefined) delete broker[key];
  else broker[key] = value;
  const next = validated(
    store,
    { ...scenario, broker },
    `broker.${key} = ${String(value ?? 'off')}`,
  );
  if (typeof next === 'string') return next;
  restartWith(store, next);
  return null;
}

/**
 * A subscriber joins now, on the event side, without the producer changing. On a log
 * it starts at the earliest record still kept or at the log end (latest).
 */
export function subscribeService(store: Store, serviceId: string, from: StartFrom): string | null {
  const sim = store.getState().sims.event;
  if (!sim) return NO_EVENT_SIDE;
  const svc = sim.model.services.find((x) => x.id === serviceId);
  if (!svc || svc.queue < 0) return `No subscriber "${serviceId}" in this scenario.`;
  if (sim.isSubscribed(serviceId)) return `${svc.name} is already subscribed.`;
  // In the past this forks the future: time travel asks first, then runs it.
  const act = () => {
    sim.subscribe(serviceId, from);
    bump(store);
  };
  if (!holdForFork(store, act)) act();
  return null;
}

/**
 * Deploy a Fraud Service beside the broker, not subscribed: it appears greyed on the
 * canvas and the run goes on unchanged (nobody routes anything to it yet).
 */
export function deploySubscriber(store: Store): string | null {
  const { scenario } = store.getState();
  const event = fraudEvent(scenario);
  if (!deployableSubscriber(scenario) || !event)
    return 'This scenario has no place for a Fraud Service.';
  const fraud = {
    id: FRAUD_SERVICE_ID,
    name: FRAUD_SERVICE_NAME,
    latency_ms: { dist: 'lognormal', median_ms: 40, sigma: 0.3 },
    concurrency: 4,
    subscribes: [event],
    subscribed: false,
  };
  const next = validated(
    store,
    { ...scenario, services: [...scenario.services, fraud] },
    FRAUD_SERVICE_NAME,
  );
  if (typeof next === 'string') return next;
  continueWith(store, next);
  return null;
}

/**
 * Add a late subscriber now: a dormant service of the scenario, or a Fraud Service
 * deployed and subscribed in one go.
 */
export function addSubscriber(store: Store, serviceId: string, from: StartFrom): string | null {
  const { scenario, sims } = store.getState();
  if (!sims.event) return NO_EVENT_SIDE;
  if (!scenario.services.some((svc) => svc.id === serviceId) && serviceId === FRAUD_SERVICE_ID) {
    const problem = deploySubscriber(store);
    if (problem) return problem;
  }
  return subscribeService(store, serviceId, from);
}

/**
 * Replay (log): move a stopped consumer group's offsets. Returns why it cannot be done
 * now (the group is running, the broker is not a log...), or null.
 */
export function replayGroup(store: Store, serviceId: string, target: OffsetTarget): string | null {
  const sim = store.getState().sims.event;
  if (!sim) return NO_EVENT_SIDE;
  if (!sim.model.services.some((x) => x.id === serviceId)) return `No service "${serviceId}".`;
  const problem = sim.offsetResetProblem(serviceId);
  if (problem) return problem;
  const act = () => {
    sim.resetOffsets(serviceId, target);
    bump(store);
  };
  if (!holdForFork(store, act)) act();
  return null;
}

/** Why a group cannot be replayed now, or null. */
export function replayProblem(sim: Simulation | undefined, serviceId: string): string | null {
  if (!sim) return NO_EVENT_SIDE;
  if (!sim.model.services.some((x) => x.id === serviceId)) return `No service "${serviceId}".`;
  return sim.offsetResetProblem(serviceId);
}

/** Move every dead letter back to its source queue (queue and SNS + SQS). Returns how many. */
export function redriveDeadLetters(store: Store): number {
  const { sims, scenario } = store.getState();
  const sim = sims.event;
  if (!sim || scenario.broker.kind === 'log') return 0;
  const count = deadLettersNow(sim);
  if (count === 0) return 0;
  const act = () => {
    sim.redrive();
    bump(store);
  };
  if (!holdForFork(store, act)) act();
  return count;
}

/** Switch a consumer's idempotency on every visible side, now. */
export function setIdempotent(store: Store, serviceId: string, on: boolean): string | null {
  const { sims, scenario } = store.getState();
  if (!scenario.services.some((svc) => svc.id === serviceId)) return `No service "${serviceId}".`;
  const act = () => {
    for (const sim of visibleSims(sims)) sim.setIdempotent(serviceId, on);
    bump(store);
  };
  if (!holdForFork(store, act)) act();
  return null;
}
