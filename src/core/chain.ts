/**
 * Synchronous calls: the user's call to the entry service, and in the request chain
 * each service's call to the next. A caller waits for the answer (or its timeout),
 * retries on its own, and holds its worker all the while; the publisher confirm that
 * ends an entry service's work in event fan-out arrives here too.
 */
import { abandonCall, admitCall, noteCallOutcome } from './breaker';
import { confirmRetryType, publish, startConsumers } from './broker';
import {
  type Call,
  cancel,
  checkOrderDone,
  crashesBeforeAck,
  crashesBeforePublish,
  dequePopFront,
  dequePushBack,
  Ev,
  effectCode,
  type Job,
  JobState,
  medianWork,
  nodeOf,
  noteRootCause,
  type Order,
  PublishMode,
  type RunContext,
  record,
  releaseSlot,
  type ServiceState,
  type SimState,
  sampleLatency,
  schedule,
  takeSlot,
  workOutcome,
} from './state';
import { retryPublish, saveToOutbox } from './producer';
import { startSaga } from './orchestration';
import { BROKER_NODE, CLIENT_NODE, Reason, Rec } from './trace';

/**
 * The caller stopped waiting: its timeout is void. The timer stays in the heap until it
 * is skipped or swept (see `cancel`), and for a call answered in time that is up to a
 * whole timeout later, so it lets go of the call now. Otherwise every order stayed
 * reachable for `timeout_ms` after its answer: in the engine benchmark 1,935 of 2,328
 * pending events were such timers, holding 1,972 calls and orders that each checkpoint
 * copied (12 -> 5 ms a checkpoint) and the garbage collector kept promoting.
 */
function cancelTimeout(state: SimState, call: Call): void {
  const timer = call.timeout;
  if (timer) {
    cancel(state, timer);
    timer.ref = null;
  }
  call.timeout = null;
}

/** Call service `callee` for `order` (from service `caller`, or -1 for the user). */
export function sendCall(
  ctx: RunContext,
  state: SimState,
  caller: number,
  callerJob: Job | null,
  callee: number,
  order: Order,
  attempt: number,
): Call {
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
  if (callerJob) callerJob.downstream.push(call);
  // With a deadline, no call waits past it, and none is sent once it has passed.
  const left = timeLeft(ctx, state, order);
  if (left <= 0) {
    call.open = false;
    callFailed(ctx, state, call, Reason.DeadlineExceeded);
    return call;
  }
  if (caller >= 0 && !admitCall(ctx, state, callee, call.id)) {
    // The caller's circuit breaker is open: nothing is sent, the call fails at once.
    call.open = false;
    callFailed(ctx, state, call, Reason.CircuitOpen);
    return call;
  }
  record(
    ctx,
    state,
    Rec.RequestSent,
    nodeOf(ctx, caller),
    nodeOf(ctx, callee),
    call.id,
    order.corr,
    attempt,
    0,
    ctx.network,
  );
  schedule(state, state.now + ctx.network, Ev.CallArrive, call);
  const wait = Math.min(ctx.scenario.sync.timeout_ms, left);
  call.timeout = schedule(state, state.now + wait, Ev.CallTimeout, call);
  return call;
}

/** Milliseconds until `order`'s deadline (`sync.deadline_ms`); without one, forever. */
function timeLeft(ctx: RunContext, state: SimState, order: Order): number {
  const deadline = ctx.scenario.sync.deadline_ms;
  return deadline === undefined
    ? Number.POSITIVE_INFINITY
    : order.receivedAt + deadline - state.now;
}

/** The call reaches its service: refused if it is down, else it waits for a worker. */
export function onCallArrive(ctx: RunContext, state: SimState, call: Call): void {
  const svc = state.services[call.callee] as ServiceState;
  const node = nodeOf(ctx, call.callee);
  if (svc.down) {
    // Nobody is listening: the connection is refused and the caller hears of it.
    sendResponse(ctx, state, call, Reason.Unavailable);
    return;
  }
  const job: Job = {
    call,
    svc: call.callee,
    order: call.order,
    state: JobState.Queued,
    startedAt: 0,
    duration: 0,
    downstream: [],
    pendingConfirms: 0,
    confirmError: 0,
    retrying: null,
    publishRetries: 0,
    done: null,
    slot: -1,
  };
  call.order.live++;
  record(
    ctx,
    state,
    Rec.RequestArrived,
    nodeOf(ctx, call.caller),
    node,
    call.id,
    call.order.corr,
    call.attempt,
    0,
    0,
  );
  dequePushBack(svc.accept, job);
  tryStart(ctx, state, call.callee);
}

/** Hand free workers the oldest waiting calls, or messages from the service's queue. */
export function tryStart(ctx: RunContext, state: SimState, index: number): void {
  const svc = state.services[index] as ServiceState;
  if (svc.down) return;
  while (svc.busy < svc.workers && svc.accept.size > 0) {
    const job = dequePopFront(svc.accept) as Job;
    if (
      ctx.scenario.sync.deadline_ms !== undefined &&
      timeLeft(ctx, state, job.order) <= medianWork(ctx, svc, index)
    ) {
      // Less time is left than its work usually takes: the caller would have given up by
      // the time it finished, so the work is not started.
      skipPastDeadline(ctx, state, job);
      continue;
    }
    job.state = JobState.Working;
    job.startedAt = state.now;
    job.duration = sampleLatency(ctx, svc, index);
    takeSlot(svc, job);
    record(
      ctx,
      state,
      Rec.WorkStarted,
      nodeOf(ctx, index),
      nodeOf(ctx, index),
      job.call.id,
      job.order.corr,
      job.call.attempt,
      0,
      job.duration,
    );
    job.done = schedule(state, state.now + job.duration, Ev.WorkDone, job);
  }
  startConsumers(ctx, state, index);
}

/** A waiting call whose deadline is too close leaves the line unworked; its caller gets an error. */
function skipPastDeadline(ctx: RunContext, state: SimState, job: Job): void {
  leaveLine(ctx, state, job, Reason.DeadlineExceeded);
}

/** A call that never started leaves the accept line (a `WorkStarted` with `reason`) and is answered with it. */
function leaveLine(ctx: RunContext, state: SimState, job: Job, reason: number): void {
  const node = nodeOf(ctx, job.svc);
  record(
    ctx,
    state,
    Rec.WorkStarted,
    node,
    node,
    job.call.id,
    job.order.corr,
    job.call.attempt,
    reason,
    0,
  );
  giveUp(ctx, state, job, reason);
}

/** The job ends without its work: its caller is answered with `reason`. */
function giveUp(ctx: RunContext, state: SimState, job: Job, reason: number): void {
  job.state = JobState.Done;
  job.order.live--;
  noteRootCause(job.order, reason, nodeOf(ctx, job.svc));
  sendResponse(ctx, state, job.call, reason);
  checkOrderDone(ctx, state, job.order);
}

/** A worker finished a call's work: fail it, or call the next hop, publish, or answer. */
export function onWorkDone(ctx: RunContext, state: SimState, job: Job): void {
  const index = job.svc;
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const order = job.order;
  job.done = null;
  const failure = workOutcome(ctx, svc, index, order);
  if (failure) {
    record(
      ctx,
      state,
      Rec.WorkFailed,
      node,
      node,
      job.call.id,
      order.corr,
      job.call.attempt,
      failure,
      job.duration,
    );
    noteRootCause(order, failure, node);
    respond(ctx, state, job, failure);
    return;
  }
  // In the chain, and for every service but an entry service set otherwise, AfterCommit.
  const mode = ctx.servicePublish[index] as number;
  if (mode === PublishMode.BeforeCommit) {
    publishBeforeCommit(ctx, state, job);
    return;
  }
  // The side effect happens now (the work is committed), whatever happens later.
  commit(ctx, state, job);
  // The outbox rows are part of that transaction: saved, whatever happens next.
  if (mode === PublishMode.Outbox) saveToOutbox(ctx, state, index, order);
  // Orchestrated: the order's saga is saved in that transaction too, and starts now.
  if (ctx.model.saga && index === ctx.model.entry) startSaga(ctx, state, order);
  if (crashesBeforeAck(svc)) {
    // The work is done (the card is charged) but the process dies before answering:
    // the caller sees a reset connection and, if it retries, the work happens again.
    noteRootCause(order, Reason.CrashBeforeAck, node);
    respond(ctx, state, job, Reason.CrashBeforeAck);
    return;
  }

  // The next synchronous step: the chain's, or in a hybrid event run the entry's and its
  // sync_services' calls, made before anything is published.
  const hop = ctx.serviceHop[index] as number;
  const next = hop >= 0 ? ctx.model.chainSteps[hop + 1] : undefined;
  if (next !== undefined) {
    // Every service of the next step at once; the job waits for all of them.
    job.state = JobState.Calling;
    for (const callee of next) {
      sendCall(ctx, state, index, job, callee, order, 1);
      // A call can fail at once (an open breaker, a deadline passed) and end the job.
      if (job.state !== JobState.Calling) break;
    }
    return;
  }
  finishWork(ctx, state, job);
}

/**
 * The job's work and its calls are done: the chain answers; event fan-out publishes its
 * events first (after the commit) and answers once the broker confirmed them.
 */
function finishWork(ctx: RunContext, state: SimState, job: Job): void {
  // The chain answers now; so does an orchestrator, whose saga is saved and under way.
  if (ctx.model.architecture !== 'event') {
    respond(ctx, state, job, 0);
    return;
  }
  const index = job.svc;
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const order = job.order;
  const mode = ctx.servicePublish[index] as number;
  const emits = ctx.serviceEmits[index] as readonly number[];
  // With an outbox the answer does not wait for the broker: the events are saved.
  if (emits.length === 0 || mode === PublishMode.Outbox) {
    respond(ctx, state, job, 0);
    return;
  }
  if (crashesBeforePublish(svc)) {
    // The dual write, after the commit: the order is saved, the process dies before its
    // publish and before answering. The events never leave (lost at the producer) and
    // the user sees the connection reset, as for any crash before the answer.
    for (const type of emits)
      record(ctx, state, Rec.NeverPublished, node, BROKER_NODE, 0, order.corr, 0, type, 0);
    noteRootCause(order, Reason.CrashBeforePublish, node);
    respond(ctx, state, job, Reason.CrashBeforePublish);
    return;
  }
  // Event fan-out: publish, and answer once the broker has confirmed every event.
  job.state = JobState.Publishing;
  job.pendingConfirms = emits.length;
  for (const type of emits) publish(ctx, state, index, type, order, job);
}

/** The job's work is committed: its side effect happens (a `Processed` record). */
function commit(ctx: RunContext, state: SimState, job: Job): void {
  const order = job.order;
  const node = nodeOf(ctx, job.svc);
  const bit = 1 << job.svc;
  const code = effectCode(order, (order.effects & bit) !== 0);
  order.effects |= bit;
  record(
    ctx,
    state,
    Rec.Processed,
    node,
    node,
    job.call.id,
    order.corr,
    job.call.attempt,
    code,
    job.duration,
  );
}

/**
 * `publish: "before-commit"`: publish first, then commit, then answer once the broker
 * confirmed. A process that dies between the publish and the commit leaves events for
 * work that never happened (phantoms: Payment charges an order that was never saved);
 * the user sees the connection reset.
 */
function publishBeforeCommit(ctx: RunContext, state: SimState, job: Job): void {
  const index = job.svc;
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const order = job.order;
  const emits = ctx.serviceEmits[index] as readonly number[];
  job.state = JobState.Publishing;
  job.pendingConfirms = emits.length;
  for (const type of emits) publish(ctx, state, index, type, order, job);
  // The broker is down: every publish was refused at once, and publishing first pays off:
  // nothing is saved. The refusals (negative confirms, on their way) fail the request.
  if (state.broker.down) return;
  if (crashesBeforePublish(svc)) {
    // Event ids are consecutive: the ones just published are the last emits.length.
    const first = state.nextEvent - emits.length + 1;
    emits.forEach((type, k) => {
      record(ctx, state, Rec.Phantom, node, BROKER_NODE, first + k, order.corr, 0, type, 0);
    });
    record(
      ctx,
      state,
      Rec.WorkFailed,
      node,
      node,
      job.call.id,
      order.corr,
      job.call.attempt,
      Reason.CrashBeforeCommit,
      job.duration,
    );
    noteRootCause(order, Reason.CrashBeforeCommit, node);
    // Its confirms come back to a dead process: onConfirmArrive ignores a finished job.
    respond(ctx, state, job, Reason.CrashBeforeCommit);
    return;
  }
  commit(ctx, state, job);
  if (crashesBeforeAck(svc)) {
    noteRootCause(order, Reason.CrashBeforeAck, node);
    respond(ctx, state, job, Reason.CrashBeforeAck);
  }
}

/** The job is finished: free its worker and send the answer back to the caller. */
function respond(ctx: RunContext, state: SimState, job: Job, code: number): void {
  const svc = state.services[job.svc] as ServiceState;
  job.state = JobState.Done;
  releaseSlot(svc, job);
  job.order.live--;
  sendResponse(ctx, state, job.call, code);
  checkOrderDone(ctx, state, job.order);
  tryStart(ctx, state, job.svc);
}

/** The answer to `call` leaves its service (0 or a Reason); it reaches the caller one network trip later. */
function sendResponse(ctx: RunContext, state: SimState, call: Call, code: number): void {
  recordAnswer(ctx, state, Rec.ResponseSent, call, code, ctx.network);
  schedule(state, state.now + ctx.network, Ev.ResponseArrive, call, code);
}

/** A record about the answer to `call`, from the callee's node to the caller's. */
function recordAnswer(
  ctx: RunContext,
  state: SimState,
  kind: number,
  call: Call,
  code: number,
  value: number,
): void {
  record(
    ctx,
    state,
    kind,
    nodeOf(ctx, call.callee),
    nodeOf(ctx, call.caller),
    call.id,
    call.order.corr,
    call.attempt,
    code,
    value,
  );
}

/** An answer reaches the caller: too late if it gave up, else success or failure. */
export function onResponseArrive(ctx: RunContext, state: SimState, call: Call, code: number): void {
  if (!call.open) {
    recordAnswer(ctx, state, Rec.ResponseDiscarded, call, code, 0);
    return;
  }
  call.open = false;
  cancelTimeout(state, call);
  if (code === 0) callSucceeded(ctx, state, call);
  else callFailed(ctx, state, call, code);
}

/** The caller stops waiting. */
export function onCallTimeout(ctx: RunContext, state: SimState, call: Call): void {
  if (!call.open) return;
  call.open = false;
  call.timeout = null;
  callFailed(ctx, state, call, Reason.Timeout);
}

/** The caller hears its call succeeded: answer the user, or finish the waiting job. */
function callSucceeded(ctx: RunContext, state: SimState, call: Call): void {
  recordAnswer(ctx, state, Rec.CallSucceeded, call, 0, state.now - call.sentAt);
  if (call.caller >= 0) noteCallOutcome(ctx, state, call.callee, call.id, false);
  if (call.caller < 0) {
    answerOrder(ctx, state, call.order, 0);
    return;
  }
  const job = call.callerJob as Job;
  if (job.state !== JobState.Calling || !forget(job, call)) return;
  // The last of the step's calls to answer: the job's work is done.
  if (job.downstream.length === 0) finishWork(ctx, state, job);
}

/** The caller hears its call failed (an error answer, or its own timeout): retry, or give up. */
function callFailed(ctx: RunContext, state: SimState, call: Call, code: number): void {
  recordAnswer(ctx, state, Rec.CallFailed, call, code, state.now - call.sentAt);
  noteRootCause(call.order, code, nodeOf(ctx, call.callee));
  // A refusal (a declined card) is the callee answering, not failing: a breaker does not
  // count it, and nobody retries it (the same card is declined again).
  const declined = code === Reason.Declined;
  if (call.caller >= 0 && code !== Reason.CircuitOpen)
    noteCallOutcome(ctx, state, call.callee, call.id, !declined);
  const job = call.callerJob;
  if (job && (job.state !== JobState.Calling || !forget(job, call))) return;
  if (!declined && call.attempt <= ctx.scenario.sync.retries) {
    // Every layer retries on its own: attempts multiply down the chain.
    sendCall(ctx, state, call.caller, job, call.callee, call.order, call.attempt + 1);
    return;
  }
  if (!job) {
    answerOrder(ctx, state, call.order, code);
    return;
  }
  // One call of the step failed for good: the others are no longer waited for. A refusal
  // travels up as a refusal, so no caller above retries it either.
  abandonCalls(state, job);
  respond(ctx, state, job, declined ? Reason.Declined : Reason.Downstream);
}

/** Stop waiting on `call` (answered, or failed): false if the job was not waiting on it. */
function forget(job: Job, call: Call): boolean {
  const i = job.downstream.indexOf(call);
  if (i < 0) return false;
  job.downstream.splice(i, 1);
  return true;
}

/** The calls `job` still waits on carry on downstream, but nobody will read their answers. */
function abandonCalls(state: SimState, job: Job): void {
  for (const call of job.downstream) {
    call.open = false;
    cancelTimeout(state, call);
    abandonCall(state, call.callee, call.id);
  }
  job.downstream.length = 0;
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
    record(
      ctx,
      state,
      Rec.OrderFailed,
      where,
      CLIENT_NODE,
      0,
      order.corr,
      order.effects & 0xffff,
      reason,
      latency,
    );
  }
}

/**
 * The broker confirmed (or refused) one of the events a job published; the last one ends the
 * job. A refusal its service answers by publishing again (`publish_failure: "retry"`) keeps
 * the job waiting: the event is still owed.
 */
export function onConfirmArrive(ctx: RunContext, state: SimState, job: Job, code: number): void {
  if (job.state !== JobState.Publishing) return;
  const retryType = confirmRetryType(code);
  if (retryType >= 0) {
    // Its service publishes the refused event again, while its caller still waits; once
    // the caller has given up, so does the service, and the refusal is final.
    if (job.call.open) {
      retryPublish(state, job, retryType, code & 255);
      return;
    }
    code &= 255;
  }
  if (code) job.confirmError = code;
  job.pendingConfirms--;
  if (job.pendingConfirms > 0) return;
  if (job.confirmError) noteRootCause(job.order, job.confirmError, BROKER_NODE);
  respond(ctx, state, job, job.confirmError);
}

/** The job's service went down under it: the caller gets a reset connection. */
export function resetJob(ctx: RunContext, state: SimState, job: Job): void {
  const svc = state.services[job.svc] as ServiceState;
  if (job.done) cancel(state, job.done);
  job.done = null;
  abandonCalls(state, job);
  if (job.slot >= 0) {
    releaseSlot(svc, job);
    giveUp(ctx, state, job, Reason.Reset);
  }
  // A queued job never started: it leaves the accept line now.
  else leaveLine(ctx, state, job, Reason.Reset);
}
