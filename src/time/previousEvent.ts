/**
 * Where `Step back` goes: the moment before the latest thing that happened.
 *
 * The state at `now` is the state right after the latest recorded moment L <= now (the
 * time of the newest trace record). Undoing it means going to the recorded moment before
 * L: the newest record time strictly less than L. With several sides (compare), L is the
 * latest over all sides and the target the latest earlier moment over all sides, so one
 * step back undoes exactly one moment on the clock both sides share.
 */
import type { Simulation } from '../core/simulation';

/** Time of the newest record at or before `now`, or -1 when nothing was recorded yet. */
function latestRecordAt(sim: Simulation, now: number): number {
  for (let i = sim.traceCount - 1; i >= 0; i--) {
    const r = sim.traceRecord(i);
    if (!r) return -1;
    if (r.t <= now) return r.t;
  }
  return -1;
}

/** Newest record time strictly before `t`; -1 when none; `undefined` when the ring no longer holds it. */
function recordBefore(sim: Simulation, t: number): number | undefined {
  for (let i = sim.traceCount - 1; i >= 0; i--) {
    const r = sim.traceRecord(i);
    if (!r) return undefined;
    if (r.t < t) return r.t;
  }
  return -1;
}

/** The time `Step back` seeks to from `now` on these sides (0 when nothing earlier happened). */
export function previousEventTime(sims: readonly Simulation[], now: number): number {
  let latest = -1;
  for (const sim of sims) latest = Math.max(latest, latestRecordAt(sim, now));
  if (latest <= 0) return 0;
  let target = -1;
  for (const sim of sims) {
    const before = recordBefore(sim, latest);
    // The ring is full of records at one moment (never in practice): one millisecond back.
    target = Math.max(target, before === undefined ? latest - 1 : before);
  }
  return Math.max(0, target);
}
