import { useId } from 'react';
import { usePlayground, useProgress } from '../../store/context';
import { CONCEALED_LABEL, isConcealed } from '../../store/learn';
import { MODE_LABELS, type Side, sidesOf } from '../../run/modes';
import { formatCount, formatMs, hasSagas, type SideStats } from './sideStats';
import { useSideStats } from './useSideStats';

interface Column {
  key: string;
  label: string;
  /** How the number is measured, shown as its tooltip. */
  help: string;
  value(s: SideStats, side: Side): string;
  /** A value that should alarm: shown in the failure colour (the column name says what it is). */
  bad?(s: SideStats): boolean;
  /** Shown only when a run on screen has sagas (orders can be cancelled after "accepted"). */
  sagasOnly?: boolean;
}

const COLUMNS: Column[] = [
  {
    key: 'ok',
    label: 'Succeeded',
    help: 'Orders whose user got a success answer, counted when the answer reaches the user.',
    value: (s) => formatCount(s.succeeded),
  },
  {
    key: 'failed',
    label: 'Failed',
    help: 'Orders whose user got an error: a service down, a timeout, or an error passed back up the chain.',
    value: (s) => formatCount(s.failed),
    bad: (s) => s.failed > 0,
  },
  {
    key: 'p50',
    label: 'p50',
    help: 'Median response time the user waited, over succeeded orders so far: half answered faster.',
    value: (s) => formatMs(s.p50),
  },
  {
    key: 'p99',
    label: 'p99',
    help: '99th-percentile response time over succeeded orders so far: 1 in 100 waited longer.',
    value: (s) => formatMs(s.p99),
  },
  {
    key: 'completed',
    label: 'Fully processed',
    help: 'Orders whose every piece of work is done: for the chain, answered OK; for fan-out, every subscriber processed its copy.',
    value: (s) => formatCount(s.completed),
  },
  {
    key: 'waiting',
    label: 'Waiting',
    help: 'Right now. Fan-out: messages in queues waiting for their consumer, including those waiting out a retry. Chain: calls waiting for a free worker.',
    value: (s) => formatCount(s.waiting),
  },
  {
    key: 'lost',
    label: 'Lost',
    help: 'Gone for good without being processed: dropped, expired, unroutable with no alternate exchange to keep it, or never published (saved by a producer that died before publishing). Dead letters are kept, so they are not lost.',
    value: (s) => formatCount(s.lost),
    bad: (s) => s.lost > 0,
  },
  {
    key: 'cancelled',
    label: 'Cancelled',
    help: 'Orders the user was told were accepted and that a saga cancelled afterwards: a step failed for good (a declined card, a dead letter) and the steps before it were compensated. A chain or a synchronous payment says "failed" in the answer instead.',
    value: (s) => formatCount(s.cancelled),
    bad: (s) => s.cancelled > 0,
    sagasOnly: true,
  },
  {
    key: 'dup',
    label: 'Duplicates',
    help: 'Side effects performed a second time for the same message, e.g. after a consumer crashed before acknowledging.',
    value: (s) => formatCount(s.duplicates),
    bad: (s) => s.duplicates > 0,
  },
];

/** The strip's column keys as the figures a prediction names (src/learn/conceal.ts). */
const FIGURE_OF: Record<string, string> = { ok: 'succeeded', dup: 'duplicates' };

function SideRow({ side, columns }: { side: Side; columns: readonly Column[] }) {
  const stats = useSideStats(side);
  // An open prediction hides the figures it asks about until the learner has answered.
  const concealed = useProgress((s) => s.concealed);
  return (
    <tr data-side={side}>
      <th scope="row" className="strip-side">
        {MODE_LABELS[side]}
      </th>
      {columns.map((c) =>
        isConcealed(concealed, side, FIGURE_OF[c.key] ?? c.key) ? (
          <td key={c.key} data-metric={c.key} data-concealed="true" className="num big concealed">
            <span role="img" aria-label={CONCEALED_LABEL} title={CONCEALED_LABEL}>
              ?
            </span>
          </td>
        ) : (
          <td
            key={c.key}
            data-metric={c.key}
            className={stats && c.bad?.(stats) ? 'num big bad' : 'num big'}
          >
            {stats ? c.value(stats, side) : '–'}
          </td>
        ),
      )}
    </tr>
  );
}

/** The numbers a learner compares, one row per visible side (DESIGN §9). */
export function CompareStrip() {
  const mode = usePlayground((s) => s.mode);
  const sagas = usePlayground((s) => sidesOf(s.mode).some((side) => hasSagas(s.runs[side])));
  const columns = sagas ? COLUMNS : COLUMNS.filter((c) => !c.sagasOnly);
  const idBase = useId();
  return (
    <section className="strip" aria-label="Comparison">
      <table className="strip-table">
        <thead>
          <tr>
            <td />
            {columns.map((c) => {
              const tipId = `${idBase}-${c.key}`;
              return (
                <th key={c.key} scope="col">
                  {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so keyboard users can reveal the tooltip too (WAI-ARIA tooltip pattern). */}
                  <span className="has-tip" tabIndex={0} aria-describedby={tipId}>
                    {c.label}
                  </span>
                  <span role="tooltip" id={tipId} className="tip">
                    {c.help}
                  </span>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sidesOf(mode).map((side) => (
            <SideRow key={side} side={side} columns={columns} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
