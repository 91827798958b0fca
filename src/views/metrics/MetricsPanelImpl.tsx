/**
 * The metrics panel: charts over simulated time and the run report's numbers, for every
 * visible side. It reads the store at most four times a second through its own
 * subscription, so it never re-renders the canvas. Loaded lazily (see index.tsx): uPlot
 * stays out of the initial bundle.
 */
import './metrics.css';
import type { Report } from '../../core';
import type { Side } from '../../run/modes';
import { useThrottledSnapshot } from '../inspector/useThrottledSnapshot';
import { buildCharts, type ChartSpec, SIDE_NAMES } from './chartData';
import { REPORT_ROWS } from './reportRows';
import { SERIES_COLORS, UPlotChart } from './UPlotChart';

interface Snapshot {
  charts: ChartSpec[];
  reports: Array<{ side: Side; report: Report }>;
}

const SIDE_TITLES: Record<Side, string> = { chain: 'Request chain', event: 'Event fan-out' };
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

export function ReportTable({ reports }: { reports: Snapshot['reports'] }) {
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
            {reports.map((r) => (
              <td key={r.side} data-side={r.side}>
                {row.eventOnly && r.side === 'chain' ? '–' : formatValue(row.value(r.report))}
              </td>
            ))}
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
      reports: (['chain', 'event'] as const).flatMap((side) => {
        const sim = s.runs[side];
        return sim ? [{ side, report: sim.report() }] : [];
      }),
    }),
    [],
  );
  const two = snap.reports.length > 1;
  return (
    <section className="metrics" aria-label="Metrics">
      {two && (
        <p className="metrics-key">
          Dashed lines: {SIDE_NAMES.chain}; solid lines: {SIDE_NAMES.event}.
        </p>
      )}
      {snap.charts.map((spec) => (
        <figure key={spec.id} className="chart" data-chart={spec.id}>
          <figcaption title={spec.note}>
            <strong>{spec.title}</strong> <span className="chart-unit">({spec.unit})</span>
          </figcaption>
          <UPlotChart spec={spec} />
          <ChartLegend spec={spec} />
        </figure>
      ))}
      <ReportTable reports={snap.reports} />
    </section>
  );
}
