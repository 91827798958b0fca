/**
 * The numbers of the comparison strip: a projection of one side's run report, the same
 * numbers the CLI prints and the metrics panel lists (nothing is computed here).
 */
import type { Report } from '../../core/reportTypes';
import type { Architecture } from '../../core/scenario';
import { durationText } from '../../core/format';
import type { RunView } from '../../run/view';

export interface SideStats {
  sent: number;
  succeeded: number;
  failed: number;
  /** Response time of succeeded requests; null until one has succeeded. */
  p50: number | null;
  p99: number | null;
  /** Orders whose every piece of work finished. */
  completed: number;
  /** The chain: calls waiting for a worker; events: copies waiting in queues. */
  waiting: number;
  /** `events.lost` of the report: gone for good (dead letters are kept, so they are not lost). */
  lost: number;
  duplicates: number;
  /** `orders.cancelled`: told "accepted", then undone by a saga (a step failed for good). */
  cancelled: number;
}

export function statsOf(r: Report, architecture: Architecture): SideStats {
  const answered = r.requests.succeeded > 0;
  return {
    sent: r.requests.sent,
    succeeded: r.requests.succeeded,
    failed: r.requests.failed,
    p50: answered ? r.requests.latency_ms.p50 : null,
    p99: answered ? r.requests.latency_ms.p99 : null,
    completed: r.orders.completed,
    waiting: architecture === 'chain' ? r.requests.queued : r.events.in_queue,
    lost: r.events.lost,
    duplicates: r.events.duplicates,
    cancelled: r.orders.cancelled,
  };
}

export function sideStats(run: RunView): SideStats {
  return statsOf(run.report(), run.architecture);
}

/** Does a run have sagas, so that orders can end cancelled after their answer? */
export function hasSagas(run: RunView | null | undefined): boolean {
  if (!run) return false;
  return (
    run.architecture === 'orchestration' ||
    run.scenario.services.some((svc) => (svc.on_failure_emits?.length ?? 0) > 0)
  );
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
  return ms === null ? '–' : durationText(ms);
}
