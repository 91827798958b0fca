import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useFigures } from '../../live/useFigures';
import type { ClientNodeType } from '../nodeTypes';
import { Handles } from './common';

const rateFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** Where orders come from. Totals live in the comparison strip and the metrics panel. */
export const ClientNode = memo(function ClientNode({ data }: NodeProps<ClientNodeType>) {
  const rate = useFigures((s) => s.runs[data.side]?.currentRate ?? 0);
  return (
    <div className="node node-client">
      <Handles />
      <div className="node-head">
        <span className="node-name">{data.label}</span>
      </div>
      <div className="node-row" title="Orders per second arriving now (spikes included)">
        <span className="num big">{rateFormat.format(rate)}</span>
        <span className="muted">orders/s</span>
      </div>
    </div>
  );
});
