import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useFigures } from '../../live/useFigures';
import type { OutboxNodeType } from '../nodeTypes';
import { WaitingBox } from './common';

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
  return (
    <WaitingBox
      kind="outbox"
      id={id}
      side={side}
      label={label}
      count={waiting}
      icon="▤"
      words="waiting for the relay"
      title={`Events saved with their order, in the same transaction. A relay publishes them every ${pollMs} ms and marks them sent; if it dies in between, it sends them again.`}
    />
  );
});
