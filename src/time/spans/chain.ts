/**
 * Records of the request chain and of the order as a whole: calls, their handling,
 * the work done in a handler, and what the user was answered.
 */
import { Rec, type RecKind } from '../../core/trace';
import { attemptKey, copyKey, reasonName, type RecordHandler } from './book';

const orderReceived: RecordHandler = (b, r) => {
  if (r.code !== 1) return;
  b.poison = true;
  b.root.facts.poison = true;
};

const requestSent: RecordHandler = (b, r) => {
  const caller = b.name(r.from);
  const label = `${caller === 'the user' ? 'The user' : caller} calls ${b.name(r.to)}`;
  const span = b.open('call', b.activeAt(r.from).id, r.from, r.t, label, {
    msg: r.msg,
    attempt: r.attempt,
  });
  span.facts.callee = b.name(r.to);
  b.calls.set(attemptKey(r), span);
};

const requestArrived: RecordHandler = (b, r) => {
  const parent = b.calls.get(attemptKey(r)) ?? b.root;
  const span = b.open('handle', parent.id, r.to, r.t, `${b.name(r.to)} handles the call`, {
    msg: r.msg,
    attempt: r.attempt,
  });
  b.handles.set(attemptKey(r), span);
};

const workStarted: RecordHandler = (b, r) => {
  const h = b.handles.get(attemptKey(r));
  if (!h) return;
  h.facts.waited_for_worker_ms = r.t - h.start;
  if (r.code === 0) {
    h.events.push({ t: r.t, name: 'work started', detail: `takes ${r.value} ms` });
    return;
  }
  h.events.push({ t: r.t, name: 'dropped while waiting for a worker', detail: reasonName(r.code) });
  b.fail(h, reasonName(r.code));
};

/** Work done, in a call's handler or a consumer's processing; the low bits say its effect. */
const workDone: RecordHandler = (b, r) => {
  const p = b.processes.get(copyKey(r.msg, r.to));
  const target = p?.open ? p : (b.handles.get(attemptKey(r)) ?? p);
  if (!target) return;
  const effect = r.code & 3;
  if (r.kind === Rec.WorkFailed) {
    target.events.push({ t: r.t, name: 'failed', detail: reasonName(r.code) });
    b.fail(target, reasonName(r.code));
  } else if (effect === 1) {
    target.events.push({ t: r.t, name: 'processed again: duplicate side effect' });
    target.facts.duplicate = true;
  } else if (effect === 2) {
    target.events.push({ t: r.t, name: 'already done: skipped (idempotent)' });
    target.facts.skipped_idempotent = true;
  } else {
    target.events.push({ t: r.t, name: 'processed' });
  }
  target.facts.work_ms = r.value;
  if (!target.open) target.end = Math.max(target.end, r.t);
};

const responseSent: RecordHandler = (b, r) => {
  const h = b.handles.get(attemptKey(r));
  if (h) b.closeWith(h, r.t, r.code);
};

const callEnded: RecordHandler = (b, r) => {
  const c = b.calls.get(attemptKey(r));
  if (!c) return;
  const ok = r.kind === Rec.CallSucceeded;
  if (ok) b.close(c, r.t);
  else b.close(c, r.t, 'error', reasonName(r.code));
  // A callee that never answered (timeout, down): its handling ends with the call.
  const h = b.handles.get(attemptKey(r));
  if (h?.open && !ok)
    h.events.push({ t: r.t, name: 'the caller gave up', detail: reasonName(r.code) });
};

const responseDiscarded: RecordHandler = (b, r) => {
  const h = b.handles.get(attemptKey(r));
  if (!h) return;
  h.events.push({ t: r.t, name: 'answer arrived too late: ignored' });
  b.close(h, r.t, 'error', 'the caller had given up');
};

const orderSucceeded: RecordHandler = (b, r) => {
  b.root.facts.response_ms = r.value;
  b.root.events.push({ t: r.t, name: 'the user got a success answer', detail: `${r.value} ms` });
  b.outcome = `answered ok after ${r.value} ms`;
  if (b.model.architecture === 'chain') b.finished = true;
};

const orderFailed: RecordHandler = (b, r) => {
  const why = reasonName(r.code);
  b.root.facts.response_ms = r.value;
  b.root.events.push({ t: r.t, name: 'the user got an error', detail: why });
  b.fail(b.root, why);
  b.outcome = `failed for the user after ${r.value} ms: ${why} at ${b.name(r.from)}`;
  b.finished = true;
};

const orderCompleted: RecordHandler = (b, r) => {
  // code bits: 1 a copy was dead-lettered, 2 a saga step failed and the order was cancelled.
  const dead = (r.code & 1) !== 0;
  const cancelled = (r.code & 2) !== 0;
  b.root.facts.completion_ms = r.value;
  b.root.events.push({
    t: r.t,
    name: cancelled ? 'cancelled: the compensation is done' : 'every piece of work finished',
    detail: dead ? 'some copies were dead-lettered' : `${r.value} ms after the order`,
  });
  if (b.model.architecture !== 'chain') {
    const before = b.outcome ? `${b.outcome}; ` : '';
    const saga = b.model.saga !== null;
    b.outcome = cancelled
      ? `${before}cancelled after ${r.value} ms: a step failed for good and ${saga ? 'the orchestrator compensated the steps already done' : 'was compensated'}`
      : `${before}${saga ? 'confirmed: every step of its saga replied done' : 'fully processed'} after ${r.value} ms${dead ? ', with a dead letter' : ''}`;
    if (cancelled) b.fail(b.root, 'a step failed for good: the order was cancelled');
    else if (dead) b.fail(b.root, 'a copy was dead-lettered');
  }
  b.finished = true;
};

export const chainHandlers: Partial<Record<RecKind, RecordHandler>> = {
  [Rec.OrderReceived]: orderReceived,
  [Rec.RequestSent]: requestSent,
  [Rec.RequestArrived]: requestArrived,
  [Rec.WorkStarted]: workStarted,
  [Rec.Processed]: workDone,
  [Rec.WorkFailed]: workDone,
  [Rec.ResponseSent]: responseSent,
  [Rec.CallSucceeded]: callEnded,
  [Rec.CallFailed]: callEnded,
  [Rec.ResponseDiscarded]: responseDiscarded,
  [Rec.OrderSucceeded]: orderSucceeded,
  [Rec.OrderFailed]: orderFailed,
  [Rec.OrderCompleted]: orderCompleted,
};
