import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useFigures } from '../../live/useFigures';
import type { OutboxNodeType } from '../nodeTypes';
import { fmt, Handles, NodeTitle, useIsSelected } from './common';

/**
 * A service's outbox table (`publish: "outbox"`): its events are saved here in the same
 * transaction as its work, and its relay publishes them to the broker on every poll.
 * Its count is the rows waiting for the relay (the report's `events.in_outbox`).
 */
export const OutboxNode = memo(function OutboxNode({ id, data }: NodeProps<OutboxNodeType>) {
  const { side, label, service } = data;
  const waiting = useFigures((s) => {
    const sim = s.runs[side];
    if (!sim || service >= sim.model.services.length) return 0;
    return sim.service(service).inOutbox;
  });
  const pollMs = useFigures((s) => s.runs[side]?.model.services[service]?.outboxPollMs ?? 0);
  const selected = useIsSelected(side, id);
  return (
    <div
      className={`node node-outbox${waiting > 0 ? ' has-backlog' : ''}${selected ? ' is-selected' : ''}`}
      data-testid={`outbox-${side}`}
    >
      <Handles />
      <div className="node-head">
        <NodeTitle label={label} selected={selected} />
      </div>
      <div
        className="node-row"
        title={`Events saved with their order, in the same transaction. A relay publishes them every ${pollMs} ms and marks them sent; if it dies in between, it sends them again.`}
      >
        <span className="outbox-icon" aria-hidden="true">
          ▤
        </span>
        <span>
          <span className="num" data-testid="outbox-waiting">
            {fmt(waiting)}
          </span>{' '}
          waiting for the relay
        </span>
      </div>
    </div>
  );
});
