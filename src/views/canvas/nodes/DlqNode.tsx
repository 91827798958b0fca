import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { deadLettersNow } from '../../../store/broker';
import { useFigures } from '../../live/useFigures';
import type { DlqNodeType } from '../nodeTypes';
import { Handles, NodeTitle, useIsSelected } from './common';
import { Counter } from './Counter';

export const DlqNode = memo(function DlqNode({ id, data }: NodeProps<DlqNodeType>) {
  const { side, label, deadLetters } = data;
  // Dead-lettered and not redriven since: what the dead-letter queue holds now.
  const count = useFigures((s) => {
    const sim = s.runs[side];
    return deadLetters && sim ? deadLettersNow(sim) : 0;
  });
  const selected = useIsSelected(side, id);
  return (
    <div
      className={`node node-dlq${count > 0 ? ' has-backlog' : ''}${selected ? ' is-selected' : ''}`}
      data-testid={`dlq-${side}`}
    >
      <Handles />
      <div className="node-head">
        <NodeTitle label={label} selected={selected} />
      </div>
      {deadLetters ? (
        <div
          className="node-row"
          title="Messages given up on after their last attempt, kept for inspection and redrive"
        >
          <span className="dead-icon" aria-hidden="true">
            ▲
          </span>
          <span>
            <Counter value={count} tone="bad" /> dead letters
          </span>
        </div>
      ) : (
        <div className="node-row small muted">events no queue was bound to</div>
      )}
    </div>
  );
});
