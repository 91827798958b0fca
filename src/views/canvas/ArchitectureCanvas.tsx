/**
 * The canvas of one side: a React Flow drawing of the side's model, with live nodes and a
 * token layer on top. The list of nodes depends only on the model (fixed for a run); each
 * node selects its own live numbers, so a frame re-renders only the nodes whose numbers
 * changed, and tokens never re-render anything.
 */
import '@xyflow/react/dist/style.css';
import './canvas.css';
import {
  Controls,
  type EdgeTypes,
  type FitViewOptions,
  MarkerType,
  type NodeMouseHandler,
  type NodeTypes,
  Panel,
  ReactFlow,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo } from 'react';
import type { Model } from '../../core/model';
import type { Scenario } from '../../core/scenario';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { MODE_LABELS, type Side } from '../../run/modes';
import { NARROW_UPRIGHT_QUERY, useMediaQuery } from '../layout/screens';
import { hintedLayout } from './hintedLayout';
import { layoutModel } from './layout';
import { Legend } from './Legend';
import type { CanvasNode } from './nodeTypes';
import { BrokerNode } from './nodes/BrokerNode';
import { ClientNode } from './nodes/ClientNode';
import { DlqNode } from './nodes/DlqNode';
import { OutboxNode } from './nodes/OutboxNode';
import { QueueNode } from './nodes/QueueNode';
import { RetryNode } from './nodes/RetryNode';
import { ServiceNode } from './nodes/ServiceNode';
import { RouteEdge, type RouteEdgeType } from './RouteEdge';
import { TokenLayer } from './TokenLayer';
import { FollowLayer } from '../follow/FollowLayer';

// Built once: a new object per render would make React Flow re-create every node.
const nodeTypes: NodeTypes = {
  client: ClientNode,
  broker: BrokerNode,
  service: ServiceNode,
  queue: QueueNode,
  dlq: DlqNode,
  retry: RetryNode,
  outbox: OutboxNode,
};
const edgeTypes: EdgeTypes = { route: RouteEdge };
/** The drawing fits below the legend (a caption over the canvas's top edge), never under it. */
const FIT: FitViewOptions = { padding: { top: '40px', bottom: '5%', left: '3%', right: '3%' } };

/**
 * What the broker box says under its name. Reads the model's broker settings when the
 * engine provides them (flavours: queue / log / sns-sqs), else the fan-out exchange.
 */
export function brokerDetails(model: Model): string[] {
  const broker = (model as { broker?: { kind?: string; exchange?: string; fifo?: boolean } })
    .broker;
  // An engine without broker flavours: its broker is a fan-out exchange.
  if (!broker) return ['fanout exchange', 'RabbitMQ-style queues'];
  switch (broker.kind) {
    case 'log':
      return ['append-only, partitioned', 'Kafka-style log'];
    case 'sns-sqs':
      return ['a copy per subscription', broker.fifo ? 'SNS + SQS FIFO' : 'SNS + SQS'];
    default:
      if (broker.exchange === 'direct') return ['routes by event name', 'RabbitMQ-style queues'];
      if (broker.exchange === 'topic') return ['routes by topic pattern', 'RabbitMQ-style queues'];
      return ['every event to every queue', 'RabbitMQ-style queues'];
  }
}

function buildElements(model: Model, scenario: Scenario, side: Side, narrow: boolean) {
  // Where the learner arranged the services in Edit mode, when they did (built-ins: never).
  const layout = hintedLayout(layoutModel(model, { twoRows: narrow }), model, scenario);
  const nodes: CanvasNode[] = layout.nodes.map((n) => {
    const base = {
      id: n.id,
      position: { x: n.x, y: n.y },
      width: n.width,
      height: n.height,
      draggable: false,
      selectable: false,
      ariaRole: 'group' as const,
      ariaLabel: n.label,
    };
    const common = { side, index: n.index, label: n.label };
    switch (n.kind) {
      case 'service': {
        const svc = model.services[n.service as number];
        return {
          ...base,
          type: 'service',
          data: {
            ...common,
            service: n.service as number,
            serviceId: svc?.id ?? n.id,
            // In the chain its hops; with events the entry, and the services it calls
            // synchronously (hybrid).
            takesCalls: (svc?.hop ?? -1) >= 0 || n.service === model.entry,
            // With events a service called synchronously has no queue: it takes calls.
            consumes:
              model.architecture === 'chain'
                ? (svc?.subscribes.length ?? 0) > 0
                : (svc?.queue ?? -1) >= 0,
            publishes:
              model.architecture === 'event' &&
              n.service === model.entry &&
              (svc?.emits.length ?? 0) > 0,
            orchestrates: model.saga !== null && n.service === model.entry,
          },
        };
      }
      case 'queue':
        return { ...base, type: 'queue', data: { ...common, queue: n.queue as number } };
      case 'broker':
        return {
          ...base,
          type: 'broker',
          data: { ...common, details: brokerDetails(model), eventTypes: model.eventTypes },
        };
      case 'dlq':
        return {
          ...base,
          type: 'dlq',
          data: { ...common, deadLetters: n.index === model.dlqNode },
        };
      case 'retry':
        return { ...base, type: 'retry', data: common };
      case 'outbox':
        return { ...base, type: 'outbox', data: { ...common, service: n.service as number } };
      default:
        return { ...base, type: 'client', data: common };
    }
  });
  const edges: RouteEdgeType[] = layout.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    type: 'route',
    selectable: false,
    focusable: false,
    ariaLabel: e.ariaLabel,
    markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
    data: { kind: e.kind, d: e.d, label: e.label, labelX: e.labelAt?.x, labelY: e.labelAt?.y },
  }));
  return { layout, nodes, edges };
}

/** Fit the drawing again whenever the pane changes size (compare mode, panels closing). */
function FitOnResize() {
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const { fitView } = useReactFlow();
  useEffect(() => {
    if (width > 0 && height > 0) void fitView(FIT);
  }, [width, height, fitView]);
  return null;
}

/**
 * Below this zoom a node's own 12-13 px text shows at under 8 px: the canvas switches its
 * nodes to their compact variant (canvas.css), the same boxes with fewer, larger words.
 * Compare at 1280 x 720 draws the fan-out at about half scale; one architecture alone at
 * that size (about 0.7) keeps every row.
 */
export const COMPACT_BELOW_ZOOM = 0.6;

/**
 * `is-compact` on the canvas's wrapper while it is zoomed out that far (changes only when
 * crossing it). Not on React Flow's own root: React sets that element's whole class when
 * its colour-scheme class changes, which took the mark off while the zoom stayed small.
 */
function CompactWhenSmall() {
  const small = useStore((s) => s.transform[2] < COMPACT_BELOW_ZOOM);
  const dom = useStore((s) => s.domNode);
  useEffect(() => {
    dom?.closest('.architecture-canvas')?.classList.toggle('is-compact', small);
  }, [dom, small]);
  return null;
}

export function ArchitectureCanvas({ side }: { side: Side }) {
  const model = usePlayground((s) => s.runs[side]?.model);
  const scenario = usePlayground((s) => s.scenario);
  const pg = usePlaygroundApi();
  const narrow = useMediaQuery(NARROW_UPRIGHT_QUERY);
  const elements = useMemo(
    () => (model ? buildElements(model, scenario, side, narrow) : null),
    [model, scenario, side, narrow],
  );

  const onNodeClick: NodeMouseHandler = useCallback(
    (_event, node) => {
      // Services, queues and the dead-letter queue have something to inspect.
      if (node.type === 'service' || node.type === 'queue' || node.type === 'dlq')
        pg.ui.select({ side, nodeId: node.id });
    },
    [pg, side],
  );

  if (!elements) return null;
  return (
    <div className="architecture-canvas" data-side={side}>
      <ReactFlow
        nodes={elements.nodes}
        edges={elements.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodeClick={onNodeClick}
        fitView
        fitViewOptions={FIT}
        minZoom={0.2}
        maxZoom={2}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        zoomOnScroll={false}
        zoomOnDoubleClick={false}
        preventScrolling={false}
        colorMode="system"
        aria-label={`${MODE_LABELS[side]} diagram`}
      >
        <Panel position="top-left" className="canvas-caption">
          <Legend side={side} saga={elements.layout.compensation.includes(true)} />
        </Panel>
        <Controls
          showInteractive={false}
          position="bottom-left"
          orientation="horizontal"
          fitViewOptions={FIT}
        />
        <FitOnResize />
        <CompactWhenSmall />
        <FollowLayer side={side} layout={elements.layout} />
        <TokenLayer side={side} layout={elements.layout} />
      </ReactFlow>
    </div>
  );
}
