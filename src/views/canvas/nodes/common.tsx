import { Handle, Position } from '@xyflow/react';
import { m } from 'framer-motion';
import type { ReactNode } from 'react';
import { usePlayground } from '../../../store/context';
import type { Side } from '../../../run/modes';
import { useHasMounted } from '../../motion/useHasMounted';

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

/**
 * A node's state in a word and an icon. A new state pops once, so the learner sees which
 * node just changed (not the state a node opens with).
 */
export function StatusPill({
  status,
  testId,
}: {
  status: { tone: string; word: string; icon: string };
  testId: string;
}) {
  const changed = useHasMounted();
  return (
    <m.span
      key={status.tone}
      className={`status status-${status.tone}`}
      data-testid={testId}
      initial={changed ? { scale: 1.3 } : false}
      animate={{ scale: 1 }}
    >
      <span aria-hidden="true">{status.icon}</span> {status.word}
    </m.span>
  );
}

/**
 * An outage switch (on a node, or in the touch screen's row): `label` names it, `title`
 * says what a click does, `text` is the word beside it.
 */
export function OutageSwitch({
  down,
  label,
  title,
  text = 'outage',
  onToggle,
}: {
  down: boolean;
  label: string;
  title: string;
  text?: string;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={down}
      aria-label={label}
      title={title}
      className="outage-switch nodrag nopan"
      onClick={(e) => {
        e.stopPropagation();
        onToggle();
      }}
    >
      <span className="outage-track" aria-hidden="true">
        <span className="outage-thumb" />
      </span>
      <span className="outage-text" aria-hidden="true">
        {text}
      </span>
    </button>
  );
}

/**
 * A box where copies wait outside their queue (a retry queue or topic, an outbox): its
 * title and one row, an icon and how many wait there. `kind` names its CSS class and
 * test id (`retry-event`, `outbox-chain`...).
 */
export function WaitingBox({
  kind,
  id,
  side,
  label,
  count,
  icon,
  words,
  title,
}: {
  kind: 'retry' | 'outbox';
  id: string;
  side: Side;
  label: string;
  count: number;
  icon: string;
  words: string;
  title: string;
}): ReactNode {
  const selected = useIsSelected(side, id);
  return (
    <div
      className={`node node-${kind}${count > 0 ? ' has-backlog' : ''}${selected ? ' is-selected' : ''}`}
      data-testid={`${kind}-${side}`}
    >
      <Handles />
      <div className="node-head">
        <NodeTitle label={label} selected={selected} />
      </div>
      <div className="node-row" title={title}>
        <span className={`${kind}-icon`} aria-hidden="true">
          {icon}
        </span>
        <span>
          <span className="num" data-testid={`${kind}-waiting`}>
            {fmt(count)}
          </span>{' '}
          {words}
        </span>
      </div>
    </div>
  );
}
