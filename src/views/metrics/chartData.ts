/**
 * Chart data over simulated time, from the engine's sampled series (`sim.series()`,
 * columns listed by `seriesColumns` in engine.ts): one row per sampling window.
 * Pure, so it is tested without a browser.
 */
import type { RunView } from '../../run/view';
import { SIDES, type Side } from '../../run/modes';

export interface ChartSeries {
  label: string;
  side: Side;
  /** Index into SERIES_COLORS. */
  color: number;
  /** With two sides, the first one's lines are dashed: sides differ by more than colour. */
  dashed: boolean;
}

export interface ChartSpec {
  id: 'latency' | 'throughput' | 'depth' | 'failures';
  title: string;
  /** What the y axis counts. */
  unit: string;
  /** How the numbers are measured (shown as the chart's description). */
  note: string;
  series: ChartSeries[];
  /** uPlot's layout: [x (seconds), ...one array per series]; null = no value in that window. */
  data: (number | null)[][];
}

export const SIDE_NAMES: Record<Side, string> = {
  chain: 'chain',
  event: 'fan-out',
  orchestration: 'orchestration',
};

/** The sides of these runs, in the usual order: with two, the first is drawn dashed. */
export function chartSides(sims: Partial<Record<Side, unknown>>): Side[] {
  return SIDES.filter((s) => sims[s] !== undefined);
}

function cleaned(values: number[]): (number | null)[] {
  return values.map((v) => (Number.isFinite(v) ? v : null));
}

/**
 * Every chart for the visible sides. Sides run on one clock, so their rows line up; if
 * one side has fewer rows (it cannot, but a chart must not lie), both are cut to the
 * shorter.
 */
export function buildCharts(sims: Partial<Record<Side, RunView>>): ChartSpec[] {
  const sides = chartSides(sims);
  const views = sides.map((side) => ({
    side,
    sim: sims[side] as RunView,
    series: (sims[side] as RunView).series(),
  }));
  if (views.length === 0) return [];
  const length = Math.min(...views.map((v) => v.series.length));
  const tail = <T>(a: T[]) => a.slice(a.length - length);
  const first = views[0] as (typeof views)[number];
  const xs = tail(first.series.column('t')).map((t) => t / 1000);
  const everyS = first.series.everyMs / 1000;
  const two = views.length > 1;
  const label = (side: Side, what: string) => (two ? `${what} (${SIDE_NAMES[side]})` : what);

  const latency: ChartSpec = {
    id: 'latency',
    title: 'Response time',
    unit: 'ms',
    note: `Time from order to answer, for answers received in each ${first.series.everyMs} ms window: median (p50) and 99th percentile.`,
    series: [],
    data: [xs],
  };
  const throughput: ChartSpec = {
    id: 'throughput',
    title: 'Throughput',
    unit: 'per second',
    note: `Work each service finished per second: processed in each ${first.series.everyMs} ms window ÷ ${everyS} s.`,
    series: [],
    data: [xs],
  };
  const depth: ChartSpec = {
    id: 'depth',
    title: 'Queue depth',
    unit: 'messages waiting',
    note: 'Messages waiting in each queue (retries in backoff included) at the end of each window.',
    series: [],
    data: [xs],
  };
  const failures: ChartSpec = {
    id: 'failures',
    title: 'Failures',
    unit: 'per second',
    note: `Orders answered with an error per second (failed in each window ÷ ${everyS} s).`,
    series: [],
    data: [xs],
  };

  for (const { side, sim, series } of views) {
    const dashed = two && side === sides[0];
    latency.series.push({ label: label(side, 'p50'), side, color: 0, dashed });
    latency.data.push(cleaned(tail(series.column('p50'))));
    latency.series.push({ label: label(side, 'p99'), side, color: 3, dashed });
    latency.data.push(cleaned(tail(series.column('p99'))));

    sim.model.services.forEach((svc, i) => {
      throughput.series.push({
        label: label(side, svc.name.replace(/ Service$/, '')),
        side,
        color: i,
        dashed,
      });
      throughput.data.push(
        cleaned(tail(series.column(`${svc.id}.processed`)).map((v) => v / everyS)),
      );
    });

    sim.model.queues.forEach((q) => {
      depth.series.push({ label: label(side, q.name), side, color: q.service, dashed });
      depth.data.push(cleaned(tail(series.column(`${q.id}.waiting`))));
    });

    failures.series.push({ label: label(side, 'failed orders'), side, color: 3, dashed });
    failures.data.push(cleaned(tail(series.column('failed')).map((v) => v / everyS)));
  }

  return depth.series.length > 0
    ? [latency, throughput, depth, failures]
    : [latency, throughput, failures];
}
