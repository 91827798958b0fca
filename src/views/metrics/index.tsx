/**
 * The metrics panel, loaded on first use: charts (uPlot) are not needed to start the
 * playground, so they stay out of the initial bundle (DESIGN.md §7).
 */
import { lazy, Suspense } from 'react';

const MetricsPanelImpl = lazy(() => import('./MetricsPanelImpl'));

export function MetricsPanel() {
  return (
    <Suspense fallback={<p className="metrics-loading">Loading charts…</p>}>
      <MetricsPanelImpl />
    </Suspense>
  );
}
