/**
 * The numbers of the comparison strip, read from one side's engine. Everything comes from
 * `Simulation.report()` (the same numbers the CLI prints), except the chain's waiting
 * count, which the report does not total: calls waiting for a free worker.
 */
import type { Simulation } from '../../core';

export interface SideStats {
  sent: number;
  succeeded: number;
  failed: number;
  /** Response time of succeeded requests; null until one has succeeded. */
  p50: number | null;
  p99: number | null;
  /** Orders whose every piece of work finished. */
  completed: number;
  waiting: number;
  /** Dropped + expired: gone for good (dead letters are kept, so they are not lost). */
  lost: number;
  duplicates: number;
}

export function sideStats(sim: Simulation): SideStats {
  const r = sim.report();
  let waiting = r.events.in_queue;
  if (sim.architecture === 'chain') {
    waiting = 0;
    for (let i = 0; i < sim.model.services.length; i++) waiting += sim.service(i).waiting;
  }
  const answered = r.requests.succeeded > 0;
  return {
    sent: r.requests.sent,
    succeeded: r.requests.succeeded,
    failed: r.requests.failed,
    p50: answered ? r.requests.latency_ms.p50 : null,
    p99: answered ? r.requests.latency_ms.p99 : null,
    completed: r.orders.completed,
    waiting,
    lost: r.events.dropped + r.events.expired,
    duplicates: r.events.duplicates,
  };
}

export function sameStats(a: SideStats, b: SideStats): boolean {
  for (const key of Object.keys(a) as (keyof SideStats)[]) if (a[key] !== b[key]) return false;
  return true;
}

/** `1234` -> `1,234`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Milliseconds as the strip shows them: `87 ms`, `1.42 s`. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
