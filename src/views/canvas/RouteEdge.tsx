import { BaseEdge, type Edge, EdgeLabelRenderer, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { EdgeKind } from './layout';

export interface RouteData extends Record<string, unknown> {
  kind: EdgeKind;
  /** SVG path from the layout: the same geometry the tokens travel on. */
  d: string;
  label?: string;
  labelX?: number;
  labelY?: number;
}
export type RouteEdgeType = Edge<RouteData, 'route'>;

/**
 * An edge drawn from the layout's own geometry rather than React Flow's handle positions,
 * so tokens (placed from the same points) always sit on it.
 */
export const RouteEdge = memo(function RouteEdge({ data, markerEnd }: EdgeProps<RouteEdgeType>) {
  if (!data) return null;
  return (
    <>
      <BaseEdge
        path={data.d}
        markerEnd={markerEnd}
        className={`route route-${data.kind}`}
        interactionWidth={0}
      />
      {data.label && data.labelX !== undefined && data.labelY !== undefined && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label edge-label-${data.kind}`}
            style={{
              transform: `translate(-50%, -50%) translate(${data.labelX}px, ${data.labelY}px)`,
            }}
          >
            {data.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
