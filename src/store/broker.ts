/**
 * Broker actions of the playground: pick a flavour, change its settings, add a
 * subscriber while the run goes on, replay a consumer group, redrive dead letters,
 * switch a consumer's idempotency. Each goes through one of the two doors:
 *
 * - a flavour or setting change is a new scenario: `loadRun` restarts at t = 0 with the
 *   same seed and view, keeping the learner's rate and idempotency switches (as actions
 *   at t = 0);
 * - deploying a dormant subscriber re-creates the same run up to now (`loadRun` with the
 *   same actions): a service that has not subscribed takes no part in it;
 * - everything else is an action now (`apply`).
 *
 * Each returns a problem sentence when it cannot be done, or null.
 */
import type { Intervention } from '../core/interventions';
import {
  formatProblems,
  MAX_SERVICES,
  parseScenario,
  type Scenario,
  type ServiceSpec,
} from '../core/scenario';
import type { OffsetTarget } from '../core/interventions';
import { sidesOf, type Side } from '../run/modes';
import type { RunView } from '../run/view';
import { type Kernel, setupOf } from './kernel';

export type BrokerKind = Scenario['broker']['kind'];
export type StartFrom = 'earliest' | 'latest';
export type { OffsetTarget } from '../core';

/** The subscriber the playground offers to add when a scenario has no dormant one. */
export const FRAUD_SERVICE_ID = 'fraud';
export const FRAUD_SERVICE_NAME = 'Fraud Service';

export const NO_EVENT_SIDE =
  'Subscribers read the broker: switch to Event fan-out or Compare to see it.';

// ---------------------------------------------------------------------------------
// Reading

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
  run: RunView | undefined,
): { id: string; name: string }[] {
  return dormantServices(scenario)
    .filter((svc) => !run?.isSubscribed(svc.id))
    .map((svc) => ({ id: svc.id, name: svc.name }));
}

/** A Fraud Service the playground can deploy beside the broker when the scenario has no late subscriber. */
export function deployableSubscriber(scenario: Scenario): { id: string; name: string } | null {
  if (dormantServices(scenario).length > 0) return null;
  const taken = scenario.services.some((svc) => svc.id === FRAUD_SERVICE_ID);
  return !taken && fraudEvent(scenario) && scenario.services.length < MAX_SERVICES
    ? { id: FRAUD_SERVICE_ID, name: FRAUD_SERVICE_NAME }
    : null;
}

/** When and from where a service subscribed during the run, if it did. */
export function subscription(
  run: RunView,
  serviceId: string,
): { at: number; from: StartFrom } | null {
  for (const i of run.interventions) {
    if (i.kind === 'subscribe' && i.service === serviceId && i.at <= run.now)
      return { at: i.at, from: i.from };
  }
  return null;
}

/** Copies currently in the dead-letter queue (dead-lettered and not redriven). */
export function deadLettersNow(run: RunView): number {
  let n = 0;
  for (let i = 0; i < run.model.queues.length; i++) n += run.queue(i).deadLettered;
  return n;
}

/** Why a group cannot be replayed now, or null. */
export function replayProblem(run: RunView | undefined, serviceId: string): string | null {
  if (!run) return NO_EVENT_SIDE;
  if (!run.model.services.some((x) => x.id === serviceId)) return `No service "${serviceId}".`;
  return run.problemWith({ kind: 'reset-offsets', service: serviceId, target: { to: 'earliest' } });
}

// ---------------------------------------------------------------------------------
// Acting

export interface BrokerPart {
  /** Run the current scenario on another flavour, with its defaults; restarts at t = 0. */
  switchFlavour(kind: BrokerKind): Promise<string | null>;
  /** Change one setting of the current flavour (`undefined` removes an optional one); restarts at t = 0. */
  changeSetting(key: string, value: string | number | boolean | undefined): Promise<string | null>;
  /** Add a late subscriber now: a dormant service, or a Fraud Service deployed and subscribed in one go. */
  addSubscriber(serviceId: string, from: StartFrom): Promise<string | null>;
  /** Deploy a Fraud Service beside the broker, not subscribed (greyed on the canvas). */
  deploySubscriber(): Promise<string | null>;
  /** Replay (log): move a stopped consumer group's offsets. */
  replay(serviceId: string, target: OffsetTarget): Promise<string | null>;
  /** Move every dead letter back to its source queue; returns how many. */
  redrive(): Promise<number>;
  setIdempotent(serviceId: string, on: boolean): Promise<string | null>;
  /**
   * How the entry service publishes (issue 12): after-commit, before-commit or outbox. A
   * design change, so a new scenario: restarts at t = 0 like a broker setting.
   */
  setPublishMode(
    serviceId: string,
    publish: 'after-commit' | 'before-commit' | 'outbox',
  ): Promise<string | null>;
  /**
   * What the entry service does when the broker refuses its publish (after the commit):
   * fail the order, or retry while it waits. A design change: restarts at t = 0.
   */
  setPublishFailure(serviceId: string, failure: 'fail' | 'retry'): Promise<string | null>;
  /**
   * The request chain's safeguards (issue 12, the fair chain): a circuit breaker on its
   * calls and a deadline passed down with them. Turned on, each takes the scenario's own
   * settings or the defaults (the deadline: the call timeout); a design change, so the
   * run restarts at t = 0.
   */
  setSafeguards(on: { breaker: boolean; deadline: boolean }): Promise<string | null>;
}

export function createBroker(k: Kernel): BrokerPart {
  /** Validate a changed scenario; a refusal is shown in the banner and returned. */
  const validated = (input: unknown, what: string): Scenario | string => {
    const result = parseScenario(input);
    if (result.ok) return result.scenario;
    const message = `${what} does not fit scenario "${k.get().scenario.id}": ${formatProblems(result.problems).replace(/\n/g, '; ')}`;
    k.report(message);
    return message;
  };

  /** Fresh runs at t = 0 of `scenario`, keeping seed, view, the learner's rate and idempotency. */
  const restartWith = async (scenario: Scenario): Promise<string | null> => {
    const s = k.get();
    const interventions: Partial<Record<Side, Intervention[]>> = {};
    for (const side of sidesOf(s.mode)) {
      const run = s.runs[side];
      const list: Intervention[] = [];
      if (s.rate !== scenario.workload.rate_per_s) list.push({ at: 0, kind: 'rate', rate: s.rate });
      for (const svc of scenario.services) {
        const wanted = run?.model.services.some((x) => x.id === svc.id)
          ? run.isIdempotent(svc.id)
          : svc.idempotent;
        if (wanted !== svc.idempotent)
          list.push({ at: 0, kind: 'idempotent', service: svc.id, on: wanted });
      }
      interventions[side] = list;
    }
    const r = await k.loadRun({
      scenario,
      seed: s.seed,
      mode: s.mode,
      interventions,
      playing: s.playing,
    });
    return r.ok ? null : r.message;
  };

  const part: BrokerPart = {
    async switchFlavour(kind) {
      const { scenario } = k.get();
      if (scenario.broker.kind === kind) return null;
      const next = validated({ ...scenario, broker: { kind } }, `The ${kind} broker`);
      return typeof next === 'string' ? next : restartWith(next);
    },
    async changeSetting(key, value) {
      const { scenario } = k.get();
      const broker: Record<string, unknown> = { ...scenario.broker };
      if (value === undefined) delete broker[key];
      else broker[key] = value;
      const next = validated({ ...scenario, broker }, `broker.${key} = ${String(value ?? 'off')}`);
      return typeof next === 'string' ? next : restartWith(next);
    },
    async setPublishMode(serviceId, publish) {
      const { scenario } = k.get();
      const current = scenario.services.find((svc) => svc.id === serviceId);
      if (!current) return `There is no service "${serviceId}".`;
      if ((current.publish ?? 'after-commit') === publish) return null;
      const services = scenario.services.map((svc) => {
        if (svc.id !== serviceId) return svc;
        // The relay's poll belongs to an outbox only; what a refused publish does, to
        // publishing after the commit only.
        const { outbox_poll_ms: poll, publish_failure: failure, ...rest } = svc;
        if (publish === 'outbox')
          return { ...rest, ...(poll !== undefined ? { outbox_poll_ms: poll } : {}), publish };
        if (publish === 'after-commit' && failure !== undefined)
          return { ...rest, publish_failure: failure, publish };
        return { ...rest, publish };
      });
      const next = validated({ ...scenario, services }, `${current.name} publish = ${publish}`);
      return typeof next === 'string' ? next : restartWith(next);
    },
    async setPublishFailure(serviceId, failure) {
      const { scenario } = k.get();
      const current = scenario.services.find((svc) => svc.id === serviceId);
      if (!current) return `There is no service "${serviceId}".`;
      if ((current.publish_failure ?? 'fail') === failure) return null;
      const services = scenario.services.map((svc) =>
        svc.id === serviceId ? { ...svc, publish_failure: failure } : svc,
      );
      const next = validated(
        { ...scenario, services },
        `${current.name} publish_failure = ${failure}`,
      );
      return typeof next === 'string' ? next : restartWith(next);
    },
    async setSafeguards(on) {
      const { scenario } = k.get();
      const { circuit_breaker, deadline_ms, ...rest } = scenario.sync;
      if (on.breaker === Boolean(circuit_breaker) && on.deadline === (deadline_ms !== undefined))
        return null;
      const sync = {
        ...rest,
        ...(on.breaker ? { circuit_breaker: circuit_breaker ?? {} } : {}),
        ...(on.deadline ? { deadline_ms: deadline_ms ?? rest.timeout_ms } : {}),
      };
      const next = validated({ ...scenario, sync }, 'The chain safeguards');
      return typeof next === 'string' ? next : restartWith(next);
    },
    async deploySubscriber() {
      const s = k.get();
      const event = fraudEvent(s.scenario);
      if (!deployableSubscriber(s.scenario) || !event)
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
        { ...s.scenario, services: [...s.scenario.services, fraud] },
        FRAUD_SERVICE_NAME,
      );
      if (typeof next === 'string') return next;
      // The same run, re-created up to now: nobody routes anything to it yet.
      const r = await k.loadRun({ ...setupOf(s), scenario: next, playing: s.playing });
      return r.ok ? null : r.message;
    },
    async addSubscriber(serviceId, from) {
      const s = k.get();
      if (!s.runs.event) return NO_EVENT_SIDE;
      if (
        serviceId === FRAUD_SERVICE_ID &&
        !s.scenario.services.some((svc) => svc.id === serviceId)
      ) {
        const problem = await part.deploySubscriber();
        if (problem) return problem;
      }
      const run = k.get().runs.event;
      const svc = run?.model.services.find((x) => x.id === serviceId);
      if (!run || !svc || svc.queue < 0) return `No subscriber "${serviceId}" in this scenario.`;
      if (run.isSubscribed(serviceId)) return `${svc.name} is already subscribed.`;
      return k.apply({ kind: 'subscribe', service: serviceId, from });
    },
    async replay(serviceId, target) {
      const problem = replayProblem(k.get().runs.event, serviceId);
      return problem ?? k.apply({ kind: 'reset-offsets', service: serviceId, target });
    },
    async redrive() {
      const { runs, scenario } = k.get();
      const run = runs.event;
      if (!run || scenario.broker.kind === 'log') return 0;
      const count = deadLettersNow(run);
      if (count === 0) return 0;
      const problem = await k.apply({ kind: 'redrive' });
      return problem ? 0 : count;
    },
    async setIdempotent(serviceId, on) {
      if (!k.get().scenario.services.some((svc) => svc.id === serviceId))
        return `No service "${serviceId}".`;
      return k.apply({ kind: 'idempotent', service: serviceId, on });
    },
  };
  return part;
}
