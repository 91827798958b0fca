import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { BrokerNodeType } from '../nodeTypes';
import { Handles } from './common';

/** The exchange: every bound queue gets its own copy of each event. */
export const BrokerNode = memo(function BrokerNode({ data }: NodeProps<BrokerNodeType>) {
  return (
    <div className="node node-broker" data-testid={`broker-${data.side}`}>
      <Handles />
      <div className="node-head">
        <span className="node-name">{data.label}</span>
      </div>
      <div className="node-row small muted">{data.details[0]}</div>
      <div className="event-types">
        {data.eventTypes.map((t) => (
          <span key={t} className="event-type">
            {t}
          </span>
        ))}
      </div>
      <div className="node-row small muted">{data.details[1]}</div>
    </div>
  );
});
