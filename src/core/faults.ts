/**
 * Faults and scaling, from the scenario's timeline or from the learner: a service goes
 * down (dropping what it holds), slows, fails some of its work, crashes before acking
 * or before publishing, or runs more or fewer workers.
 */
import { dropConsumerWork } from './broker';
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
import { FaultField, Rec } from './trace';

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
