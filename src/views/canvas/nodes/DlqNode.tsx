import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { deadLettersNow } from '../../../store/broker';
import { useFigures } from '../../live/useFigures';
import type { DlqNodeType } from '../nodeTypes';
import { fmt, Handles, NodeTitle, useIsSelected } from './common';

export const DlqNode = memo(function DlqNode({ id, data }: NodeProps<DlqNodeType>) {
  const { side, label, deadLetters, retryTopic } = data;
  // Dead-lettered and not redriven since: what the dead-letter queue holds now.
  const count = useFigures((s) => {
    const sim = s.runs[side];
    if (!sim) return 0;
    if (deadLetters) return deadLettersNow(sim);
    // The retry topic holds every copy waiting out its backoff.
    if (retryTopic) return sim.model.queues.reduce((n, _, i) => n + sim.queue(i).retrying, 0);
    return 0;
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
            <span className="num">{fmt(count)}</span> dead letters
          </span>
        </div>
      ) : retryTopic ? (
        <div
          className="node-row"
          title="Written here by your consumer code after a failure; read again after the backoff, out of order. Kafka itself has no retries."
        >
          <span>
            <span className="num">{fmt(count)}</span> waiting to retry
          </span>
        </div>
      ) : (
        <div className="node-row small muted">events no queue was bound to</div>
      )}
    </div>
  );
});
