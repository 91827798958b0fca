/**
 * Faults and scaling, from the scenario's timeline or from the learner: a service goes
 * down (dropping what it holds), slows, fails some of its work, crashes before acking
 * or before publishing, or runs more or fewer workers.
 */
import { dropConsumerWork, startConsumers } from './broker';
import { resetJob, tryStart } from './chain';
import { scheduleRelay } from './producer';
import {
  dequePopFront,
  type FaultSettings,
  type Job,
  nodeOf,
  type RunContext,
  record,
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
