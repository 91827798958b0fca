/**
 * Where the canvas engineer's components plug into the layout: the canvas of a side and
 * the contents of the side panel's tabs (the metrics panel loads its charts lazily).
 */
import type { Side } from '../../run/modes';
import { ArchitectureCanvas } from '../canvas';
import { InspectorPanel } from '../inspector';
import { MetricsPanel } from '../metrics';

export function CanvasSlot({ side }: { side: Side }) {
  return <ArchitectureCanvas side={side} />;
}

export function InspectorSlot() {
  return <InspectorPanel />;
}

export function MetricsSlot() {
  return <MetricsPanel />;
}
