/**
 * Faults and scaling, from the scenario's timeline or from the learner: a service goes
 * down (dropping what it holds), slows, fails some of its work, crashes before acking
 * or before publishing, or runs more or fewer workers.
 */
import { dropConsumerWork, startConsumers } from './broker';
import { resetJob, tryStart } from './chain';
import { scheduleRelay } from './producer';
import {
  Ev,
  dequePopFront,
  type FaultSettings,
  type Job,
  nodeOf,
  type RunContext,
  record,
  schedule,
  type ServiceState,
  type SimState,
} from './state';
import { BROKER_FAULT_TARGET } from './scenario';
import { BROKER_NODE, FaultField, Rec } from './trace';

/** What can be switched on the broker itself. */
export interface BrokerFaultSettings {
  down: boolean;
  /** The publisher confirm's round trip takes this many times longer (1 = normal). */
  slowFactor: number;
}

/**
 * Change the broker's health now. Down, every publish is refused and nothing is delivered;
 * back up, every consumer reads again. A request chain has no broker: nothing happens.
 */
export function setBrokerFault(
  ctx: RunContext,
  state: SimState,
  patch: Partial<BrokerFaultSettings>,
): void {
  if (ctx.model.architecture === 'chain') return;
  const b = state.broker;
  const rec = (field: number, value: number) =>
    record(
      ctx,
      state,
      Rec.FaultChanged,
      BROKER_NODE,
      BROKER_NODE,
      0,
      0,
      0,
      field,
      Math.round(value),
    );
  if (patch.slowFactor !== undefined && patch.slowFactor !== b.slowFactor) {
    b.slowFactor = patch.slowFactor;
    rec(FaultField.BrokerSlowFactor, patch.slowFactor * 1000);
  }
  if (patch.down !== undefined && patch.down !== b.down) {
    b.down = patch.down;
    rec(FaultField.BrokerDown, patch.down ? 1000 : 0);
    // Back up: every consumer reads what waited (copies already handed out carried on).
    if (!patch.down) for (let i = 0; i < state.services.length; i++) startConsumers(ctx, state, i);
  }
}

/**
 * A leader moves (`leader-change`): a quorum queue (queue flavour, `target` its index) or a
 * partition (log flavour, `target` its number, of every topic) has no leader for
 * `durationMs`. Meanwhile publishes routed to it wait at the producer, which sends them
 * again once the new leader is known, so their confirms (and the answers that wait for
 * them) are late, and its consumers receive nothing from it. Every other queue or
 * partition carries on. A second change on a target still electing extends the wait.
 */
export function startLeaderChange(
  ctx: RunContext,
  state: SimState,
  target: number,
  durationMs: number,
): void {
  if (ctx.model.architecture === 'chain') return;
  const until = state.now + Math.max(1, Math.round(durationMs));
  const leaderless = state.broker.leaderless;
  if ((leaderless[target] ?? 0) >= until) return;
  leaderless[target] = until;
  recordLeader(ctx, state, FaultField.LeaderChange, target);
  schedule(state, until, Ev.LeaderElected, null, target);
}

/** A new leader is elected (`Ev.LeaderElected`): consumers read from `target` again. */
export function onLeaderElected(ctx: RunContext, state: SimState, target: number): void {
  // A later change on the same target moved its election on: this timer is stale.
  if (state.broker.leaderless[target] !== state.now) return;
  state.broker.leaderless[target] = 0;
  recordLeader(ctx, state, FaultField.LeaderElected, target);
  for (let i = 0; i < state.services.length; i++) startConsumers(ctx, state, i);
}

/**
 * A leader change's start or end in the trace: drawn on the quorum queue's node (queue
 * broker) or the broker's (a log's partition), the target in `value`.
 */
function recordLeader(ctx: RunContext, state: SimState, field: number, target: number): void {
  const node =
    ctx.model.broker.kind === 'queue' ? (ctx.queueNode[target] ?? BROKER_NODE) : BROKER_NODE;
  record(ctx, state, Rec.FaultChanged, BROKER_NODE, node, 0, 0, 0, field, target);
}

/** Change a service's fault settings now. Going down interrupts everything it holds. */
export function setFault(
  ctx: RunContext,
  state: SimState,
  index: number,
  patch: Partial<FaultSettings>,
): void {
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const rec = (field: number, value: number) =>
    record(ctx, state, Rec.FaultChanged, node, node, 0, 0, 0, field, Math.round(value));
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
  if (patch.publishCrashRate !== undefined && patch.publishCrashRate !== svc.publishCrashRate) {
    svc.publishCrashRate = patch.publishCrashRate;
    rec(FaultField.PublishCrashRate, patch.publishCrashRate * 1000);
  }
  if (patch.down !== undefined && patch.down !== svc.down) {
    svc.down = patch.down;
    rec(FaultField.Down, patch.down ? 1000 : 0);
    // Its consumers leave their group, or join it again.
    ctx.flavour.onMembersChanged?.(ctx, state, index);
    if (patch.down) takeDown(ctx, state, index);
    else {
      tryStart(ctx, state, index);
      // Its outbox relay polls again: the rows waited in the database.
      scheduleRelay(ctx, state, index);
    }
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

/** Change how many replicas or workers per replica a service runs. */
export function scaleService(
  ctx: RunContext,
  state: SimState,
  index: number,
  replicas: number,
  concurrency: number,
): void {
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
  const workers = replicas * concurrency;
  if (workers !== svc.workers) ctx.flavour.onMembersChanged?.(ctx, state, index);
  svc.workers = workers;
  tryStart(ctx, state, index);
}

/**
 * What a scenario's `leader-change` names, as the engine counts it: the quorum queue of
 * service `queue`, or partition `partition`. Validation made sure it exists.
 */
export function leaderTarget(ctx: RunContext, f: { queue?: string; partition?: number }): number {
  if (ctx.model.broker.kind !== 'queue') return f.partition ?? 0;
  const index = ctx.model.services.findIndex((svc) => svc.id === f.queue);
  return index < 0 ? -1 : (ctx.serviceQueue[index] ?? -1);
}

/** A fault of the scenario's own timeline starts (`on`) or ends. */
export function applyScenarioFault(
  ctx: RunContext,
  state: SimState,
  faultIndex: number,
  on: boolean,
): void {
  const f = ctx.scenario.faults[faultIndex];
  if (!f) return;
  const index = ctx.model.services.findIndex((svc) => svc.id === f.service);
  if (index < 0 && f.service === BROKER_FAULT_TARGET) {
    if (f.mode === 'down') setBrokerFault(ctx, state, { down: on });
    else if (f.mode === 'slow')
      setBrokerFault(ctx, state, { slowFactor: on ? (f.factor ?? 1) : 1 });
    // The election's length is the fault's duration: its end needs nothing more.
    else if (f.mode === 'leader-change' && on)
      startLeaderChange(ctx, state, leaderTarget(ctx, f), f.duration_ms ?? 0);
    return;
  }
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
    case 'crash-before-publish':
      setFault(ctx, state, index, { publishCrashRate: on ? (f.error_rate ?? 0) : 0 });
      break;
  }
}
