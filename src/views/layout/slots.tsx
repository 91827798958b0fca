/**
 * Where the canvas engineer's components plug into the layout: the canvas of a side and
 * the contents of the side panel's tabs. What a learner opens (the inspector of a
 * selected node, the broker tab, the charts) loads on first use, outside the initial
 * bundle (DESIGN.md §7: 250 KB of JS up front).
 */
import { lazy, Suspense, useEffect } from 'react';
import type { Side } from '../../run/modes';
import { usePlayground } from '../../store/context';
import { ArchitectureCanvas } from '../canvas';
import { InspectorHint } from '../inspector/InspectorHint';
import { MetricsPanel } from '../metrics';

const loadInspector = () => import('../inspector/InspectorPanel');
const InspectorPanel = lazy(() => loadInspector().then((m) => ({ default: m.InspectorPanel })));
const loadEditor = () =>
  Promise.all([import('../editor/EditStage'), import('../editor/EditPanel')]);
const EditStageImpl = lazy(() => loadEditor().then(([m]) => ({ default: m.EditStage })));
const EditPanelImpl = lazy(() => loadEditor().then(([, m]) => ({ default: m.EditPanel })));
const BrokerPanelImpl = lazy(() =>
  import('../broker/BrokerPanel').then((m) => ({ default: m.BrokerPanel })),
);

export function CanvasSlot({ side }: { side: Side }) {
  return <ArchitectureCanvas side={side} />;
}

export function InspectorSlot() {
  const selected = usePlayground((s) => s.ui.selection !== null);
  // Fetched once the page has settled, so the first click finds it ready.
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 1000));
    idle(() => void loadInspector());
  }, []);
  if (!selected) return <InspectorHint />;
  return (
    <Suspense fallback={<p className="hint">Loading the inspector…</p>}>
      <InspectorPanel />
    </Suspense>
  );
}

export function MetricsSlot() {
  return <MetricsPanel />;
}

export function BrokerSlot() {
  return (
    <Suspense fallback={<p className="hint">Loading the broker settings…</p>}>
      <BrokerPanelImpl />
    </Suspense>
  );
}

/** Edit mode's stage (toolbar and canvas), loaded the first time Edit is pressed. */
export function EditStageSlot() {
  return (
    <Suspense fallback={<p className="hint">Loading the editor…</p>}>
      <EditStageImpl />
    </Suspense>
  );
}

/** Edit mode's inspector, in the side panel instead of its tabs. */
export function EditPanelSlot() {
  return (
    <Suspense fallback={<p className="hint">Loading the editor…</p>}>
      <EditPanelImpl />
    </Suspense>
  );
}
