/**
 * What a run may cost before the engine stops it. A scenario can be valid and still
 * grow without bound (a rate the consumers can never serve for a simulated month, a
 * learner's 5,000 orders/s): the engine checks these every few thousand events and
 * throws `RunLimitError`, a one-line reason, instead of freezing a tab or exhausting
 * memory. The checks count; they never read a clock (the host decides about wall time).
 */

import { countText, secondsText } from './format';

export interface RunLimits {
  /** Most events the run may process in all. Default: no limit (the CLI sets one). */
  maxEvents?: number;
  /** Most events at one simulated millisecond: more means time has stopped advancing. */
  maxEventsPerMoment?: number;
  /**
   * Most things held at once: pending timers, waiting copies, log records kept, calls
   * waiting for a worker. Each costs a few hundred bytes, and checkpoints copy them.
   */
  maxLive?: number;
}

export const DEFAULT_LIMITS: Required<RunLimits> = {
  maxEvents: Number.POSITIVE_INFINITY,
  maxEventsPerMoment: 1_000_000,
  maxLive: 1_000_000,
};

/** Events between two checks: small enough to stop within milliseconds, rare enough to cost nothing. */
export const LIMIT_CHECK_EVERY = 4096;

export type RunLimitKind = 'events' | 'moment' | 'memory';

/** A run stopped by a limit. The simulation that threw it must not be used again. */
export class RunLimitError extends Error {
  readonly kind: RunLimitKind;
  /** Simulated time it stopped at, ms. */
  readonly at: number;
  /** Events processed in all. */
  readonly events: number;
  /** Things held at once when it stopped. */
  readonly live: number;

  constructor(kind: RunLimitKind, at: number, events: number, live: number, limit: number) {
    super(limitMessage(kind, at, events, live, limit));
    this.name = 'RunLimitError';
    this.kind = kind;
    this.at = at;
    this.events = events;
    this.live = live;
  }
}

function limitMessage(
  kind: RunLimitKind,
  at: number,
  events: number,
  live: number,
  limit: number,
): string {
  switch (kind) {
    case 'events':
      return `stopped at t = ${secondsText(at)} after ${countText(events)} events (the limit is ${countText(limit)})`;
    case 'moment':
      return `stopped at t = ${secondsText(at)}: more than ${countText(limit)} events at this one millisecond, so simulated time cannot advance`;
    case 'memory':
      return `stopped at t = ${secondsText(at)}: the run holds ${countText(live)} messages and timers at once (the limit is ${countText(limit)})`;
  }
}
