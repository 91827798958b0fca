import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useFigures } from '../../live/useFigures';
import type { RetryNodeType } from '../nodeTypes';
import { WaitingBox } from './common';

/**
 * Where retries wait: not a broker feature but the consumer's pattern. On a queue broker
 * (`on_failure: 'retry'`), messages parked in TTL'd queues that dead-letter back to their
 * work queue (one node stands for the per-delay-step queues); on a log (`retry:
 * 'retry-topic'`), records the consumer wrote to a retry topic. Its count is what waits there.
 */
export const RetryNode = memo(function RetryNode({ id, data }: NodeProps<RetryNodeType>) {
  const { side, label } = data;
  const count = useFigures((s) => {
    const sim = s.runs[side];
    if (!sim) return 0;
    let waiting = 0;
    for (let i = 0; i < sim.model.queues.length; i++) waiting += sim.queue(i).retrying;
    return waiting;
  });
  const log = useFigures((s) => s.runs[side]?.model.broker.kind === 'log');
  return (
    <WaitingBox
      kind="retry"
      id={id}
      side={side}
      label={label}
      count={count}
      icon="↻"
      words="waiting to retry"
      title={
        log
          ? 'Written here by your consumer code after a failure; read again after the backoff, out of order. Kafka itself has no retries.'
          : 'Messages your consumer rejected to a retry queue: each waits out its delay (a message TTL), then is dead-lettered back to its work queue'
      }
    />
  );
});
