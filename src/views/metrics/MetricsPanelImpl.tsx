/**
 * The metrics panel: charts over simulated time and the run report's numbers, for every
 * visible side. It reads the store at most four times a second through its own
 * subscription, so it never re-renders the canvas. Loaded lazily (see index.tsx): uPlot
 * stays out of the initial bundle.
 */
import './metrics.css';
import type { Report } from '../../core/reportTypes';
import { SIDE_LABELS, type Side } from '../../run/modes';
import { useProgress } from '../../store/context';
import { CONCEALED_LABEL, isConcealed } from '../../store/learn';
import { useThrottledSnapshot } from '../inspector/useThrottledSnapshot';
import { buildCharts, type ChartSpec, chartSides, SIDE_NAMES } from './chartData';
import { REPORT_ROWS } from './reportRows';
import { SERIES_COLORS, UPlotChart } from './UPlotChart';

interface Snapshot {
  charts: ChartSpec[];
  reports: Array<{ side: Side; report: Report }>;
}

const SIDE_TITLES: Record<Side, string> = SIDE_LABELS;
const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatValue(v: number | null): string {
  return v === null ? '–' : number.format(v);
}

function ChartLegend({ spec }: { spec: ChartSpec }) {
  return (
    <ul className="chart-legend">
      {spec.series.map((s) => (
        <li key={s.label}>
          <svg width="18" height="8" aria-hidden="true">
            <line
              x1="0"
              y1="4"
              x2="18"
              y2="4"
              stroke={SERIES_COLORS[s.color % SERIES_COLORS.length]}
              strokeWidth="2"
              strokeDasharray={s.dashed ? '5 3' : undefined}
            />
          </svg>
          {s.label}
        </li>
      ))}
    </ul>
  );
}

/** Report rows by the figure a prediction names (src/learn/conceal.ts), where they differ. */
const FIGURE_OF_ROW: Record<string, string> = { in_queue: 'waiting' };
/** Charts by the figures that would give a prediction's answer away. */
const CHART_FIGURES: Record<ChartSpec['id'], readonly string[]> = {
  latency: ['p50', 'p99'],
  throughput: ['completed', 'succeeded'],
  depth: ['waiting'],
  failures: ['failed'],
};

export function ReportTable({
  reports,
  concealed = [],
}: {
  reports: Snapshot['reports'];
  /** Figures an open prediction hides (`side:key`). */
  concealed?: readonly string[];
}) {
  const anyEvent = reports.some((r) => r.side === 'event');
  const rows = REPORT_ROWS.filter((row) => !row.eventOnly || anyEvent);
  return (
    <table className="report-table" data-testid="report-table">
      <caption>Run report so far</caption>
      <thead>
        <tr>
          <th scope="col">Measure</th>
          {reports.map((r) => (
            <th key={r.side} scope="col">
              {SIDE_TITLES[r.side]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-key={row.key}>
            <th scope="row" title={row.note}>
              {row.label}
            </th>
            {reports.map((r) =>
              isConcealed(concealed, r.side, FIGURE_OF_ROW[row.key] ?? row.key) ? (
                <td key={r.side} data-side={r.side} data-concealed="true" className="concealed">
                  <span role="img" aria-label={CONCEALED_LABEL} title={CONCEALED_LABEL}>
                    ?
                  </span>
                </td>
              ) : (
                <td key={r.side} data-side={r.side}>
                  {row.eventOnly && r.side === 'chain' ? '–' : formatValue(row.value(r.report))}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function MetricsPanelImpl() {
  const snap = useThrottledSnapshot<Snapshot>(
    (s) => ({
      charts: buildCharts(s.runs),
      reports: chartSides(s.runs).flatMap((side) => {
        const sim = s.runs[side];
        return sim ? [{ side, report: sim.report() }] : [];
      }),
    }),
    [],
  );
  const two = snap.reports.length > 1;
  const concealed = useProgress((s) => s.concealed);
  const chartConcealed = (id: ChartSpec['id']) =>
    CHART_FIGURES[id].some((f) => snap.reports.some((r) => isConcealed(concealed, r.side, f)));
  return (
    <section className="metrics" aria-label="Metrics">
      {two && (
        <p className="metrics-key">
          Dashed lines: {SIDE_NAMES[snap.reports[0]?.side ?? 'chain']}; solid lines:{' '}
          {SIDE_NAMES[snap.reports[1]?.side ?? 'event']}.
        </p>
      )}
      {snap.charts.map((spec) => (
        <figure key={spec.id} className="chart" data-chart={spec.id}>
          <figcaption title={spec.note}>
            <strong>{spec.title}</strong> <span className="chart-unit">({spec.unit})</span>
          </figcaption>
          {chartConcealed(spec.id) ? (
            <p
              className="chart-concealed"
              data-concealed="true"
              role="img"
              aria-label={CONCEALED_LABEL}
            >
              Chart {CONCEALED_LABEL}.
            </p>
          ) : (
            <>
              <UPlotChart spec={spec} />
              <ChartLegend spec={spec} />
            </>
          )}
        </figure>
      ))}
      <ReportTable reports={snap.reports} concealed={concealed} />
    </section>
  );
}
