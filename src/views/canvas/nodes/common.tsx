import { Handle, Position } from '@xyflow/react';
import { usePlayground } from '../../../store/context';
import type { Side } from '../../../run/modes';

/**
 * Edges are drawn from the layout's own geometry, but React Flow still wants a handle at
 * each end of an edge: two invisible ones per node.
 */
export function Handles() {
  return (
    <>
      <Handle
        type="target"
        position={Position.Left}
        isConnectable={false}
        className="node-handle"
      />
      <Handle
        type="source"
        position={Position.Right}
        isConnectable={false}
        className="node-handle"
      />
    </>
  );
}

export function useIsSelected(side: Side, nodeId: string): boolean {
  return usePlayground((s) => s.ui.selection?.side === side && s.ui.selection.nodeId === nodeId);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const fmt = (n: number) => integer.format(n);

/**
 * The node's name as a button: Tab reaches it, Enter or Space "clicks" it, and the click
 * bubbles to React Flow's node wrapper, whose onNodeClick selects the node.
 */
export function NodeTitle({ label, selected }: { label: string; selected: boolean }) {
  return (
    <button
      type="button"
      className="node-title nodrag nopan"
      aria-pressed={selected}
      title={`Inspect ${label}`}
    >
      {label}
    </button>
  );
}
