/**
 * A circuit breaker on the request chain's calls (`sync.circuit_breaker`): the best version
 * of a synchronous chain fails fast instead of holding its workers on a service that is
 * failing.
 *
 * Modelled on Resilience4j's CircuitBreaker with a time-based sliding window
 * (resilience4j.readme.io/docs/circuitbreaker; the same options in Apache Camel's
 * Resilience4j EIP reference):
 *  - closed: every call goes through and its outcome is recorded in a window of the last
 *    `window_ms`. Once the window holds at least `min_calls` outcomes (minimumNumberOfCalls)
 *    and the share of failures is at or above `failure_rate` (failureRateThreshold), it
 *    opens. Timeouts, refused connections, errors and failures further down all count.
 *  - open: calls are not sent; the caller sees them fail at once (CallNotPermitted). Calls
 *    not permitted are not recorded.
 *  - half-open: after `open_ms` (waitDurationInOpenState) the next call is let through as
 *    a trial; others still fail fast. Like Resilience4j's default, the move happens at that
 *    next call, not on a timer. One trial call, as Hystrix does (Resilience4j permits 10 by
 *    default): it succeeds and the breaker closes with an empty window, or fails and it
 *    opens again for another `open_ms`.
 * Simplified: one breaker per called service, shared by all replicas of its caller (in the
 * chain each service has one caller); a real client keeps one per instance.
 */
import { type BreakerState, nodeOf, type RunContext, record, type SimState } from './state';
import { Rec } from './trace';

/** A breaker's state, as recorded in `Rec.CircuitChanged`'s code. */
export const Circuit = { Closed: 0, Open: 1, HalfOpen: 2 } as const;

export function createBreaker(): BreakerState {
  return { state: Circuit.Closed, openedAt: 0, trial: 0, at: [], failed: [], head: 0, failures: 0 };
}

/**
 * May call `callId` to service `callee` be sent now? False: the breaker is open (or
 * half-open with its trial call out) and the call fails fast.
 */
export function admitCall(
  ctx: RunContext,
  state: SimState,
  callee: number,
  callId: number,
): boolean {
  const b = state.services[callee]?.breaker;
  const cfg = ctx.scenario.sync.circuit_breaker;
  if (!b || !cfg || b.state === Circuit.Closed) return true;
  if (b.state === Circuit.Open) {
    if (state.now - b.openedAt < cfg.open_ms) return false;
    change(ctx, state, callee, b, Circuit.HalfOpen, 0);
  }
  if (b.trial !== 0) return false;
  b.trial = callId;
  return true;
}

/** The caller heard how call `callId` to `callee` went (a call that was sent). */
export function noteCallOutcome(
  ctx: RunContext,
  state: SimState,
  callee: number,
  callId: number,
  failed: boolean,
): void {
  const b = state.services[callee]?.breaker;
  const cfg = ctx.scenario.sync.circuit_breaker;
  if (!b || !cfg) return;
  if (b.state === Circuit.HalfOpen) {
    if (callId !== b.trial) return;
    b.trial = 0;
    if (failed) {
      b.openedAt = state.now;
      change(ctx, state, callee, b, Circuit.Open, 1000);
    } else change(ctx, state, callee, b, Circuit.Closed, 0);
    return;
  }
  // Open: answers to calls sent before it opened change nothing.
  if (b.state !== Circuit.Closed) return;
  b.at.push(state.now);
  b.failed.push(failed ? 1 : 0);
  if (failed) b.failures++;
  forgetBefore(b, state.now - cfg.window_ms);
  const calls = b.at.length - b.head;
  if (calls >= cfg.min_calls && b.failures >= cfg.failure_rate * calls) {
    b.openedAt = state.now;
    change(ctx, state, callee, b, Circuit.Open, Math.round((1000 * b.failures) / calls));
  }
}

/** The trial call will never be answered (its caller went down): let the next call try. */
export function abandonCall(state: SimState, callee: number, callId: number): void {
  const b = state.services[callee]?.breaker;
  if (b && b.trial === callId) b.trial = 0;
}

/** Forget outcomes at or before `t`: they are out of the window now. */
function forgetBefore(b: BreakerState, t: number): void {
  while (b.head < b.at.length && (b.at[b.head] as number) <= t) {
    b.failures -= b.failed[b.head] as number;
    b.head++;
  }
  // Compact now and then, so the arrays hold about one window of outcomes.
  if (b.head > 1024 && b.head * 2 > b.at.length) {
    b.at.splice(0, b.head);
    b.failed.splice(0, b.head);
    b.head = 0;
  }
}

/** Move to `next` with an empty window; `value`: the failure rate that opened it (x1000). */
function change(
  ctx: RunContext,
  state: SimState,
  callee: number,
  b: BreakerState,
  next: number,
  value: number,
): void {
  b.state = next;
  b.at.length = 0;
  b.failed.length = 0;
  b.head = 0;
  b.failures = 0;
  const node = nodeOf(ctx, callee);
  record(ctx, state, Rec.CircuitChanged, node, node, 0, 0, 0, next, value);
}
