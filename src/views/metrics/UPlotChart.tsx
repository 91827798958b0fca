/**
 * One uPlot chart. uPlot draws on its own canvas; React only creates it and hands it new
 * data (`setData`), so a refresh costs no DOM work beyond the chart itself.
 */
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { ChartSpec } from './chartData';

/** One colour per service (and its queue), readable in light and dark themes. */
export const SERIES_COLORS = ['#1f77d0', '#d1242f', '#1a7f37', '#bf8700', '#8250df', '#0a8a8a'];

const HEIGHT = 130;

function themeColors(el: Element) {
  const css = getComputedStyle(el);
  return {
    text: css.getPropertyValue('--muted').trim() || '#57606a',
    grid: css.getPropertyValue('--border').trim() || '#d0d7de',
  };
}

function options(spec: ChartSpec, width: number, el: Element): uPlot.Options {
  const c = themeColors(el);
  const axis: uPlot.Axis = {
    stroke: c.text,
    grid: { stroke: c.grid, width: 1 },
    ticks: { stroke: c.grid, width: 1 },
    size: 36,
  };
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false } },
    axes: [
      { ...axis, values: (_u, ticks) => ticks.map((t) => `${t}s`) },
      { ...axis, size: 44 },
    ],
    series: [
      {},
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: SERIES_COLORS[s.color % SERIES_COLORS.length],
        width: 1.5,
        dash: s.dashed ? [6, 4] : undefined,
        spanGaps: false,
        points: { show: false },
      })),
    ],
  };
}

export function UPlotChart({ spec }: { spec: ChartSpec }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // A new set of lines (mode or scenario change) needs a new chart; new rows only new data.
  const shape = spec.series.map((s) => `${s.label}/${s.color}/${s.dashed}`).join('|');

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the lines change (`shape`)
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const u = new uPlot(
      options(spec, Math.max(200, el.clientWidth), el),
      spec.data as uPlot.AlignedData,
      el,
    );
    plot.current = u;
    const observer = new ResizeObserver(() => {
      const w = el.clientWidth;
      if (w > 0 && w !== u.width) u.setSize({ width: w, height: HEIGHT });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(spec.data as uPlot.AlignedData);
  }, [spec.data]);

  return (
    <div
      ref={host}
      className="uplot-host"
      role="img"
      aria-label={`${spec.title} chart: ${spec.series.map((s) => s.label).join(', ')}`}
    />
  );
}
