/**
 * Branch A (the future before the learner's change) beside the current branch, at the
 * same moment: the key numbers of the comparison strip, one row per branch and side.
 */
import { MODE_LABELS, type Side } from '../../run/modes';
import {
  formatCount,
  formatMs,
  type SideStats,
  sameStats,
  sideStats,
  statsOf,
} from '../compare/sideStats';
import { clockText } from '../../core/format';
import { useFigures } from '../live/useFigures';
import { usePlayground, usePlaygroundApi } from '../../store/context';

interface Column {
  key: string;
  label: string;
  value(s: SideStats): string;
  /** Higher is worse (shown in the failure colour when a branch is worse). */
  worseUp: boolean;
  raw(s: SideStats): number | null;
}

const COLUMNS: Column[] = [
  {
    key: 'failed',
    label: 'Failed',
    value: (s) => formatCount(s.failed),
    raw: (s) => s.failed,
    worseUp: true,
  },
  { key: 'p99', label: 'p99', value: (s) => formatMs(s.p99), raw: (s) => s.p99, worseUp: true },
  {
    key: 'completed',
    label: 'Processed',
    value: (s) => formatCount(s.completed),
    raw: (s) => s.completed,
    worseUp: false,
  },
  {
    key: 'waiting',
    label: 'Waiting',
    value: (s) => formatCount(s.waiting),
    raw: (s) => s.waiting,
    worseUp: true,
  },
  {
    key: 'lost',
    label: 'Lost',
    value: (s) => formatCount(s.lost),
    raw: (s) => s.lost,
    worseUp: true,
  },
  {
    key: 'dup',
    label: 'Duplicates',
    value: (s) => formatCount(s.duplicates),
    raw: (s) => s.duplicates,
    worseUp: true,
  },
];

interface Row {
  side: Side;
  /** The same moment on both branches. */
  a: SideStats;
  now: SideStats;
}

function sameRows(x: Row[], y: Row[]): boolean {
  return (
    x.length === y.length &&
    x.every((r, i) => {
      const o = y[i];
      return o !== undefined && r.side === o.side && sameStats(r.a, o.a) && sameStats(r.now, o.now);
    })
  );
}

export function BranchCompare() {
  const branch = usePlayground((s) => s.branch);
  const pg = usePlaygroundApi();
  const closeBranch = () => void pg.timeTravel.closeBranch();
  // The strip's numbers for both branches: on the figure beat, like the strip.
  const rows = useFigures((s) => {
    const b = s.branch;
    if (!b) return [] as Row[];
    const out: Row[] = [];
    for (const side of ['chain', 'event'] as const) {
      const current = s.runs[side];
      const old = b.reports[side];
      if (current && old) out.push({ side, a: statsOf(old, side), now: sideStats(current) });
    }
    return out;
  }, sameRows);
  if (!branch || rows.length === 0) return null;

  /** Is `x` worse than `y` for this number? */
  const worse = (c: Column, x: SideStats, y: SideStats): boolean => {
    const a = c.raw(x);
    const b = c.raw(y);
    if (a === null || b === null) return false;
    return c.worseUp ? a > b : a < b;
  };

  return (
    <section
      className="branch-compare"
      aria-labelledby="branch-compare-title"
      data-testid="branch-compare"
    >
      <div className="branch-compare-head">
        <h2 id="branch-compare-title">
          Branch A (before your change at <span className="num">{clockText(branch.forkedAt)}</span>)
          → now
        </h2>
        <span className="hint">each number: branch A → now, at the same moment</span>
        <button type="button" className="button" onClick={closeBranch}>
          Close branch A
        </button>
      </div>
      <table className="branch-table">
        <thead>
          <tr>
            <td />
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.side} data-side={row.side}>
              <th scope="row">{MODE_LABELS[row.side]}</th>
              {COLUMNS.map((c) => (
                <td key={c.key} data-metric={c.key} className="num">
                  <span data-branch="A" className={worse(c, row.a, row.now) ? 'bad' : undefined}>
                    {c.value(row.a)}
                  </span>
                  <span className="branch-arrow" aria-hidden="true">
                    {' → '}
                  </span>
                  <span className="sr-only"> in branch A, now </span>
                  <span data-branch="now" className={worse(c, row.now, row.a) ? 'bad' : undefined}>
                    {c.value(row.now)}
                  </span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
