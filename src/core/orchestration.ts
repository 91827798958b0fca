/**
 * An orchestrated saga (architecture `orchestration`, issue 12): the entry service is the
 * orchestrator. When its work for an order commits, the order's saga starts in the same
 * transaction; the orchestrator sends the first step's command through the broker to the
 * step's queue and waits for the step's reply on its own reply queue, then sends the next
 * step's commands. The steps are the scenario's `chain` without the entry: a parallel group
 * is commanded at once and its replies are all waited for. When a step fails for good
 * (declined, or its command dead-lettered, dropped or expired) the orchestrator waits for
 * the rest of that step's replies, then sends the compensating command (`compensate`) of
 * each step already done, the last done first, one at a time, each after the previous
 * one's reply; the order then ends cancelled.
 *
 * Everything travels through the broker as messages (broker/routing.ts: `sagaSend`), so a
 * step that is down leaves its commands waiting in its queue and the saga waits; the
 * orchestrator reads its replies with the entry service's workers, so while the entry is
 * down every saga waits too.
 *
 * Simplified: the saga's state is durable and the orchestrator never loses it; a reply is
 * handled once (a repeat, from a redelivered command, is recognised and ignored); there are
 * no step timeouts, so a reply lost on its way back leaves its saga waiting.
 */
import type { SagaModel } from './model';
import { markCancelled, sagaSend } from './broker/routing';
import {
  checkOrderDone,
  type Message,
  nodeOf,
  type Order,
  type RunContext,
  SagaPhase,
  type SagaState,
  type SimState,
} from './state';
import { SagaMsg } from './model';
import { Reason } from './trace';

/** The entry's work for `order` committed: its saga starts, and the first step is commanded. */
export function startSaga(ctx: RunContext, state: SimState, order: Order): void {
  const saga = ctx.model.saga;
  if (!saga || saga.steps.length === 0 || order.saga) return;
  order.saga = {
    phase: SagaPhase.Running,
    step: 0,
    awaiting: 0,
    failed: false,
    completed: [],
    undo: [],
    compensated: 0,
    reason: 0,
  };
  // The order is not done until its saga is.
  order.live++;
  state.sagasRunning++;
  commandStep(ctx, state, saga, order, order.saga, 0);
}

/** Send every service of step `k` its command; the saga waits for all their replies. */
function commandStep(
  ctx: RunContext,
  state: SimState,
  saga: SagaModel,
  order: Order,
  s: SagaState,
  k: number,
): void {
  s.step = k;
  for (const svc of saga.steps[k] ?? []) {
    s.awaiting |= 1 << svc;
    sagaSend(ctx, state, ctx.model.entry, saga.command[svc] as number, order, 1);
  }
}

/**
 * The orchestrator has handled a reply (the entry service's worker did the work): the saga
 * moves on. A reply it does not wait for (a repeat, or one for a step it gave up on) changes
 * nothing.
 */
export function onReply(ctx: RunContext, state: SimState, msg: Message): void {
  const saga = ctx.model.saga;
  const order = msg.order;
  const s = order.saga;
  if (!saga || !s || s.phase === SagaPhase.Done) return;
  const svc = saga.typeService[msg.type] as number;
  const kind = saga.typeKind[msg.type] as number;
  const bit = 1 << svc;
  if (kind === SagaMsg.Done || kind === SagaMsg.Failed) {
    if (s.phase !== SagaPhase.Running || (s.awaiting & bit) === 0) return;
    s.awaiting &= ~bit;
    if (kind === SagaMsg.Done) s.completed.push(svc);
    else if (!s.failed) {
      s.failed = true;
      beginCancelling(ctx, state, order, s, msg.id);
    }
    if (s.awaiting !== 0) return;
    if (!s.failed) {
      if (s.step + 1 < saga.steps.length) commandStep(ctx, state, saga, order, s, s.step + 1);
      else finish(ctx, state, order, s);
      return;
    }
    // Every reply of the failed step is in: undo what was done, the last done first.
    s.phase = SagaPhase.Compensating;
    state.sagasCompensating++;
    s.undo = s.completed.filter((done) => (saga.compensate[done] as number) >= 0);
    compensateNext(ctx, state, saga, order, s);
    return;
  }
  if (kind === SagaMsg.Compensated || kind === SagaMsg.CompensationFailed) {
    if (s.phase !== SagaPhase.Compensating || s.awaiting !== bit) return;
    s.awaiting = 0;
    s.compensated++;
    compensateNext(ctx, state, saga, order, s);
  }
}

/**
 * The orchestrator learns that a step failed for good: from now on the order is being
 * cancelled. The record names the services whose work was already done for it (a
 * `Compensating` record, as a choreographed saga's first failure writes).
 */
function beginCancelling(
  ctx: RunContext,
  state: SimState,
  order: Order,
  s: SagaState,
  msgId: number,
): void {
  markCancelled(
    ctx,
    state,
    order,
    nodeOf(ctx, ctx.model.entry),
    msgId,
    s.reason || Reason.Declined,
  );
}

/** Send the next compensation, or end the saga when none is left. */
function compensateNext(
  ctx: RunContext,
  state: SimState,
  saga: SagaModel,
  order: Order,
  s: SagaState,
): void {
  const next = s.undo.pop();
  if (next === undefined) {
    finish(ctx, state, order, s);
    return;
  }
  s.awaiting = 1 << next;
  sagaSend(ctx, state, ctx.model.entry, saga.compensate[next] as number, order, 1);
}

/** The saga is over: confirmed, or cancelled once its compensations ran. */
function finish(ctx: RunContext, state: SimState, order: Order, s: SagaState): void {
  if (s.phase === SagaPhase.Compensating) state.sagasCompensating--;
  state.sagasRunning--;
  s.phase = SagaPhase.Done;
  order.live--;
  checkOrderDone(ctx, state, order);
}
