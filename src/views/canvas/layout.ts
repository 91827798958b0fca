/**
 * Where every box and edge of one side's canvas goes. A pure function of the model, so
 * it is computed once per run and unit-tested for crossings.
 *
 * Chain:    Users/API -> hop 1 -> hop 2 -> ...                      (one row)
 *           on a narrow upright canvas (`twoRows`), the second half comes back
 *           right to left under the first:  Users/API -> hop 1 -> hop 2
 *                                                        hop 4 <- hop 3 <-'
 * Fan-out:  Users/API -> entry -> Broker -> queue_i -> consumer_i    (one row per queue)
 *                                             |
 *                                      dead-letter queue             (below the queues)
 * Orchestration: as fan-out, with the entry as the orchestrator: its commands go to the
 * broker, each step's command queue feeds the step, the steps' replies go round the
 * bottom back to the broker, and the reply queue (the top row) feeds the orchestrator
 * over the top of the drawing.
 *
 * The dead-letter edges share one vertical spine down the queue column, drawn behind the
 * queue boxes: a planar drawing with the broker on the left and the consumers on the
 * right does not exist otherwise. A consumer that emits an event someone subscribes to
 * gets a publish edge routed around the bottom of the drawing, one nested lane each.
 */
import { compensationTypes, type Model, type NodeKind, SagaMsg } from '../../core/model';
import { bezierPoints, type Point, type Polyline, polyline, svgPath } from './geometry';

export const NODE_SIZE: Record<NodeKind, { width: number; height: number }> = {
  client: { width: 150, height: 80 },
  service: { width: 212, height: 106 },
  broker: { width: 170, height: 150 },
  queue: { width: 196, height: 104 },
  dlq: { width: 196, height: 62 },
  retry: { width: 196, height: 62 },
  outbox: { width: 170, height: 62 },
};

const GAP_X = 72;
const GAP_Y = 20;
const LANE = 16;

export interface LayoutNode {
  /** Model node id; also the React Flow node id and the store's selection id. */
  id: string;
  /** Model node number (trace records' from/to). */
  index: number;
  kind: NodeKind;
  label: string;
  service?: number;
  queue?: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export type EdgeKind = 'call' | 'publish' | 'route' | 'deliver' | 'dead-letter' | 'retry';

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
  from: number;
  to: number;
  kind: EdgeKind;
  points: Point[];
  /** SVG path data of the drawn edge. */
  d: string;
  label?: string;
  labelAt?: Point;
  ariaLabel: string;
}

export interface RouteRef {
  line: Polyline;
  /** Travel the line backwards (answers, requeues). */
  reversed: boolean;
}

export interface Layout {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** Route for a token from node `from` to node `to`: see `routeKey`. */
  routes: Map<number, RouteRef>;
  bounds: { x: number; y: number; width: number; height: number };
  /** Per event type: part of a saga's compensation (its tokens are drawn as diamonds). */
  compensation: readonly boolean[];
  /** Orchestration, per message type: 1 a command, 2 a reply, 0 otherwise (drawn as such). */
  sagaRole: readonly number[];
  /** Orchestration: the orchestrator's node (what it is delivered is a reply), else -1. */
  orchestratorNode: number;
}

export function routeKey(from: number, to: number): number {
  return from * 65536 + to;
}

/** "email queue" -> "Email queue". */
function displayLabel(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** Orchestrated, a service shows one row more (the orchestrator's sagas, compensations). */
const SAGA_ROW = 22;

function nodeAt(model: Model, index: number, cx: number, cy: number): LayoutNode {
  const info = model.nodes[index];
  if (!info) throw new Error(`no node ${index}`);
  const base = NODE_SIZE[info.kind] ?? NODE_SIZE.service;
  const size =
    model.saga && info.kind === 'service' ? { ...base, height: base.height + SAGA_ROW } : base;
  return {
    id: info.id,
    index,
    kind: info.kind,
    label: displayLabel(info.label),
    service: info.service,
    queue: info.queue,
    x: cx - size.width / 2,
    y: cy - size.height / 2,
    width: size.width,
    height: size.height,
  };
}

const right = (n: LayoutNode): Point => ({ x: n.x + n.width, y: n.y + n.height / 2 });
const left = (n: LayoutNode): Point => ({ x: n.x, y: n.y + n.height / 2 });

export interface LayoutOptions {
  /**
   * A chain in two rows, the second coming back right to left under the first: on a
   * narrow upright canvas (a phone) one row of five boxes is drawn at a third of its size,
   * two rows at about half. Only a chain whose steps are single services (no parallel
   * calls) and that has at least two of them is folded; anything else keeps one row.
   */
  twoRows?: boolean;
}

export function layoutModel(model: Model, options: LayoutOptions = {}): Layout {
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  const byIndex = new Map<number, LayoutNode>();
  const add = (n: LayoutNode) => {
    nodes.push(n);
    byIndex.set(n.index, n);
    return n;
  };
  const svcNode = (s: number) => (model.services[s] as { node: number }).node;

  const straight = (
    from: LayoutNode,
    to: LayoutNode,
    kind: EdgeKind,
    verb: string,
    label?: string,
    points: Point[] = [right(from), left(to)],
  ) => {
    edges.push({
      id: `${from.id}->${to.id}`,
      source: from.id,
      target: to.id,
      from: from.index,
      to: to.index,
      kind,
      points,
      d: svgPath(points),
      label,
      labelAt: label ? mid(points) : undefined,
      ariaLabel: `${from.label} ${verb} ${to.label}`,
    });
  };

  const clientSize = NODE_SIZE.client;
  const serviceSize = NODE_SIZE.service;
  let x = clientSize.width / 2;

  const folded =
    options.twoRows === true &&
    model.architecture === 'chain' &&
    model.chainSteps.length >= 2 &&
    model.chainSteps.every((step) => step.length === 1);

  if (folded) {
    // Users/API and the hops in one sequence of columns a service box wide; the first
    // half left to right, the rest right to left under it (the turn goes straight down).
    const boxes = [0, ...model.chainSteps.map((step) => svcNode(step[0] as number))];
    const perRow = Math.ceil(boxes.length / 2);
    const pitchX = serviceSize.width + GAP_X;
    const rowY = serviceSize.height + 3 * GAP_Y;
    let prev: LayoutNode | undefined;
    boxes.forEach((node, i) => {
      const second = i >= perRow;
      const column = second ? 2 * perRow - 1 - i : i;
      const placed = add(
        nodeAt(model, node, serviceSize.width / 2 + column * pitchX, second ? rowY : 0),
      );
      if (prev) {
        const points =
          i === perRow
            ? [
                { x: prev.x + prev.width / 2, y: prev.y + prev.height },
                { x: placed.x + placed.width / 2, y: placed.y },
              ]
            : second
              ? [left(prev), right(placed)]
              : [right(prev), left(placed)];
        straight(prev, placed, 'call', 'calls', undefined, points);
      }
      prev = placed;
    });
    let ox = serviceSize.width / 2;
    for (const svc of model.services) {
      if (svc.hop >= 0) continue;
      add(nodeAt(model, svc.node, ox, 2 * rowY));
      ox += pitchX;
    }
  } else if (model.architecture === 'chain') {
    const client = add(nodeAt(model, 0, x, 0));
    x += clientSize.width / 2 + GAP_X + serviceSize.width / 2;
    // Each step in a column; the services of a step called at once, stacked.
    const pitch = serviceSize.height + GAP_Y;
    let prev = [client];
    let tallest = 1;
    for (const step of model.chainSteps) {
      const placed = step.map((s, k) =>
        add(nodeAt(model, svcNode(s), x, (k - (step.length - 1) / 2) * pitch)),
      );
      for (const from of prev) for (const to of placed) straight(from, to, 'call', 'calls');
      prev = placed;
      tallest = Math.max(tallest, step.length);
      x += serviceSize.width + GAP_X;
    }
    // Services outside the chain are shown idle, in a row below.
    let ox = clientSize.width + GAP_X + serviceSize.width / 2;
    const idleY = ((tallest - 1) / 2) * pitch + pitch;
    for (const svc of model.services) {
      if (svc.hop >= 0) continue;
      add(nodeAt(model, svc.node, ox, idleY));
      ox += serviceSize.width + GAP_X;
    }
  } else {
    const saga = model.saga;
    const rowPitch =
      Math.max(serviceSize.height + (saga ? SAGA_ROW : 0), NODE_SIZE.queue.height) + GAP_Y;
    const consumers = model.queues.map((q) => q.service);
    // Orchestrated, the reply queue takes the top row: its edge to the orchestrator goes over.
    const rowOf = (i: number) =>
      !saga || saga.replyQueue < 0
        ? i
        : i === saga.replyQueue
          ? 0
          : i < saga.replyQueue
            ? i + 1
            : i;
    const rowY = (i: number) => (rowOf(i) - (consumers.length - 1) / 2) * rowPitch;

    const client = add(nodeAt(model, 0, x, 0));
    x += clientSize.width / 2 + GAP_X + serviceSize.width / 2;
    const entry = add(nodeAt(model, svcNode(model.entry), x, 0));
    straight(client, entry, 'call', 'calls');
    const entryX = x;
    x += serviceSize.width / 2 + GAP_X + NODE_SIZE.broker.width / 2;
    const broker = add(nodeAt(model, 1, x, 0));
    const fanoutTypes = model.services[model.entry]?.emits
      .map((t) => model.eventTypes[t])
      .join(', ');
    const entryOutbox = model.services[model.entry]?.outboxNode ?? -1;
    if (saga) straight(entry, broker, 'publish', 'sends commands through', 'commands');
    else if (entryOutbox < 0)
      straight(entry, broker, 'publish', 'publishes to', fanoutTypes || undefined);
    else {
      // publish: "outbox": the events go into the outbox with the order (up from the
      // service), and its relay publishes them (across and down to the broker). Placed
      // above the service-broker gap, where nothing else is drawn.
      const size = NODE_SIZE.outbox;
      const outbox = add(
        nodeAt(
          model,
          entryOutbox,
          (entry.x + entry.width + broker.x) / 2,
          entry.y - 2 * GAP_Y - size.height / 2,
        ),
      );
      const upX = Math.max(entry.x + entry.width - 24, outbox.x + 24);
      const save = [
        { x: upX, y: entry.y },
        { x: upX, y: outbox.y + outbox.height },
      ];
      edges.push({
        id: `${entry.id}->${outbox.id}`,
        source: entry.id,
        target: outbox.id,
        from: entry.index,
        to: outbox.index,
        kind: 'publish',
        points: save,
        d: svgPath(save),
        ariaLabel: `${entry.label} saves ${fanoutTypes} in ${outbox.label}, with its work`,
      });
      const downX = broker.x + broker.width / 2;
      const relay = [right(outbox), { x: downX, y: right(outbox).y }, { x: downX, y: broker.y }];
      edges.push({
        id: `${outbox.id}->${broker.id}`,
        source: outbox.id,
        target: broker.id,
        from: outbox.index,
        to: broker.index,
        kind: 'publish',
        points: relay,
        d: svgPath(relay),
        label: fanoutTypes || undefined,
        labelAt: fanoutTypes ? { x: downX, y: right(outbox).y - 12 } : undefined,
        ariaLabel: `${outbox.label}'s relay publishes ${fanoutTypes} to ${broker.label}`,
      });
    }
    x += NODE_SIZE.broker.width / 2 + GAP_X * 1.6 + NODE_SIZE.queue.width / 2;
    const queueX = x;
    x += NODE_SIZE.queue.width / 2 + GAP_X + serviceSize.width / 2;
    const consumerX = x;

    const queueNodes: LayoutNode[] = [];
    const consumerNodes: LayoutNode[] = [];
    let replyQueue: LayoutNode | undefined;
    model.queues.forEach((q, i) => {
      const qn = add(nodeAt(model, q.node, queueX, rowY(i)));
      queueNodes.push(qn);
      // Fan-out: a smooth curve from the exchange to each queue; sharing one start point
      // and ending on distinct rows, they cannot cross.
      const a = right(broker);
      const b = left(qn);
      const dx = (b.x - a.x) / 2;
      const points = bezierPoints(a, { x: a.x + dx, y: a.y }, { x: b.x - dx, y: b.y }, b);
      // What reaches the queue (the engine's routes): with fanout, every event type. The
      // orchestrator's reply queue takes every step's replies: named as a group.
      const label =
        saga && i === saga.replyQueue
          ? 'replies'
          : model.eventTypes.filter((_, t) => model.routes[t]?.includes(i)).join(', ');
      edges.push({
        id: `${broker.id}->${qn.id}`,
        source: broker.id,
        target: qn.id,
        from: broker.index,
        to: qn.index,
        kind: 'route',
        points,
        d: `M${a.x},${a.y} C${a.x + dx},${a.y} ${b.x - dx},${b.y} ${b.x},${b.y}`,
        label,
        labelAt: { x: b.x - 60, y: b.y - 10 },
        ariaLabel: `Broker routes ${label} to ${qn.label}`,
      });
      if (q.service !== model.entry) {
        const cn = add(nodeAt(model, svcNode(q.service), consumerX, rowY(i)));
        consumerNodes.push(cn);
        straight(qn, cn, 'deliver', 'delivers to');
      } else replyQueue = qn;
    });

    // Hybrid: the services the entry calls synchronously before it publishes, below it,
    // each called by the one above (the call goes down, the answer comes back up).
    const serviceHeight = serviceSize.height + (saga ? SAGA_ROW : 0);
    let belowY = serviceHeight + GAP_Y;
    let caller = entry;
    for (const step of model.chainSteps.slice(1)) {
      for (const s of step) {
        const callee = add(nodeAt(model, svcNode(s), entryX, belowY));
        const downX = caller.x + caller.width / 2;
        const points = [
          { x: downX, y: caller.y + caller.height },
          { x: downX, y: callee.y },
        ];
        edges.push({
          id: `${caller.id}->${callee.id}`,
          source: caller.id,
          target: callee.id,
          from: caller.index,
          to: callee.index,
          kind: 'call',
          points,
          d: svgPath(points),
          ariaLabel: `${caller.label} calls ${callee.label} and waits for its answer`,
        });
        caller = callee;
        belowY += serviceHeight + GAP_Y;
      }
    }
    // Services that neither take orders nor consume: below those, idle.
    for (const svc of model.services) {
      if (byIndex.has(svc.node)) continue;
      add(nodeAt(model, svc.node, entryX, belowY));
      belowY += serviceHeight + GAP_Y;
    }

    // Other parking places the model may have (e.g. an alternate exchange's queue for
    // unroutable events): below the broker, fed straight down from it.
    let parkY = broker.y + broker.height + GAP_Y + GAP_Y;
    for (const info of model.nodes) {
      if (byIndex.has(info.index) || info.index === model.dlqNode || info.kind !== 'dlq') continue;
      const size = NODE_SIZE.dlq;
      const park = add(
        nodeAt(model, info.index, broker.x + broker.width / 2, parkY + size.height / 2),
      );
      const points = [
        { x: broker.x + broker.width / 2 + 24, y: broker.y + broker.height },
        { x: broker.x + broker.width / 2 + 24, y: park.y },
      ];
      edges.push({
        id: `${broker.id}->${park.id}`,
        source: broker.id,
        target: park.id,
        from: broker.index,
        to: park.index,
        kind: 'dead-letter',
        points,
        d: svgPath(points),
        ariaLabel: `${broker.label} sends unroutable events to ${park.label}`,
      });
      parkY += size.height + GAP_Y;
    }

    // The retry queue (queue flavour, on_failure retry): above the queue column; each
    // queue sends rejected copies up to it and gets them back when their delay is over.
    if (model.retryNode >= 0 && queueNodes.length > 0) {
      const first = queueNodes[0] as LayoutNode;
      const retry = add(
        nodeAt(model, model.retryNode, queueX, first.y - GAP_Y - NODE_SIZE.retry.height / 2),
      );
      for (const qn of queueNodes) {
        const points = [
          { x: queueX + 40, y: qn.y },
          { x: queueX + 40, y: retry.y + retry.height },
        ];
        edges.push({
          id: `${qn.id}->${retry.id}`,
          source: qn.id,
          target: retry.id,
          from: qn.index,
          to: retry.index,
          kind: 'retry',
          points,
          d: svgPath(points),
          ariaLabel: `${qn.label} parks rejected messages in ${retry.label}, which returns them after their delay`,
        });
      }
    }

    let bottom = Math.max(...nodes.map((n) => n.y + n.height));
    if (model.dlqNode >= 0 && queueNodes.length > 0) {
      const last = queueNodes[queueNodes.length - 1] as LayoutNode;
      const dlq = add(
        nodeAt(
          model,
          model.dlqNode,
          queueX,
          last.y + last.height + GAP_Y + NODE_SIZE.dlq.height / 2,
        ),
      );
      for (const qn of queueNodes) {
        // The spine: straight down the queue column, behind the queues below this one.
        const points = [
          { x: queueX, y: qn.y + qn.height },
          { x: queueX, y: dlq.y },
        ];
        edges.push({
          id: `${qn.id}->${dlq.id}`,
          source: qn.id,
          target: dlq.id,
          from: qn.index,
          to: dlq.index,
          kind: 'dead-letter',
          points,
          d: svgPath(points),
          ariaLabel: `${qn.label} dead-letters to ${dlq.label}`,
        });
      }
      bottom = Math.max(bottom, dlq.y + dlq.height);
    }

    // Consumers that publish an event some queue is bound to (orchestrated: every step,
    // replying): nested lanes round the bottom. The lowest consumer takes the innermost
    // lane so no lane crosses another. What a service publishes: its events and a saga
    // step's failure events, or (orchestrated) its replies.
    const sends = (s: number | undefined): number[] => {
      if (s === undefined) return [];
      if (saga)
        return [
          saga.done[s],
          saga.failed[s],
          saga.compensated[s],
          saga.compensationFailed[s],
        ].filter((t): t is number => t !== undefined && t >= 0);
      const svc = model.services[s];
      return [...(svc?.emits ?? []), ...(svc?.onFailure ?? [])];
    };
    const routedPublishes = (s: number | undefined) =>
      sends(s).filter((t) => (model.routes[t]?.length ?? 0) > 0);
    const emitters = consumerNodes.filter((cn) => routedPublishes(cn.service).length > 0);
    emitters
      .slice()
      .sort((a, b) => b.y - a.y)
      .forEach((cn, k) => {
        const laneX = cn.x + cn.width + LANE * (k + 1);
        const laneY = bottom + LANE * (k + 1) + 8;
        const bx = broker.x + broker.width / 2 - LANE * k;
        const points = [
          right(cn),
          { x: laneX, y: right(cn).y },
          { x: laneX, y: laneY },
          { x: bx, y: laneY },
          { x: bx, y: broker.y + broker.height },
        ];
        const types = saga
          ? 'replies'
          : routedPublishes(cn.service)
              .map((t) => model.eventTypes[t])
              .join(', ');
        edges.push({
          id: `${cn.id}->${broker.id}`,
          source: cn.id,
          target: broker.id,
          from: cn.index,
          to: broker.index,
          kind: 'publish',
          points,
          d: svgPath(points),
          label: types,
          labelAt: { x: (laneX + bx) / 2, y: laneY },
          ariaLabel: saga
            ? `${cn.label} sends its replies to ${broker.label}`
            : `${cn.label} publishes ${types} to ${broker.label}`,
        });
      });
    // The orchestrator reads its replies: from the reply queue (the top row) up, over the
    // top of the drawing, and down into the orchestrator. Left of the queue column, where
    // only the broker's curves to lower rows pass, and those go down.
    if (replyQueue) {
      const top = Math.min(...nodes.map((n) => n.y)) - 2 * LANE;
      const outX = replyQueue.x - LANE;
      const inX = entry.x + entry.width / 2;
      const points = [
        { x: replyQueue.x, y: replyQueue.y + 18 },
        { x: outX, y: replyQueue.y + 18 },
        { x: outX, y: top },
        { x: inX, y: top },
        { x: inX, y: entry.y },
      ];
      edges.push({
        id: `${replyQueue.id}->${entry.id}`,
        source: replyQueue.id,
        target: entry.id,
        from: replyQueue.index,
        to: entry.index,
        kind: 'deliver',
        points,
        d: svgPath(points),
        label: 'replies',
        labelAt: { x: (outX + inX) / 2, y: top - 10 },
        ariaLabel: `${replyQueue.label} delivers the steps' replies to ${entry.label}, the orchestrator`,
      });
    }
    // Idle services that emit: a straight line up to the broker (nothing lies between).
    for (const n of nodes) {
      if (n.kind !== 'service' || n === entry || consumerNodes.includes(n)) continue;
      if (routedPublishes(n.service).length === 0) continue;
      straight(n, broker, 'publish', 'publishes to');
    }
  }

  return completeLayout(nodes, edges, model);
}

/**
 * The routes tokens travel and the bounds of placed nodes and edges (also used by
 * `hintedLayout.ts`, which moves the nodes where the learner put them).
 */
export function completeLayout(nodes: LayoutNode[], edges: LayoutEdge[], model: Model): Layout {
  const routes = new Map<number, RouteRef>();
  for (const e of edges) {
    const line = polyline(e.points);
    routes.set(routeKey(e.from, e.to), { line, reversed: false });
    if (!routes.has(routeKey(e.to, e.from)))
      routes.set(routeKey(e.to, e.from), { line, reversed: true });
  }
  // A retry waits out its backoff on a small loop over its queue.
  for (const n of nodes) {
    if (n.kind !== 'queue') continue;
    const loop = [
      { x: n.x + n.width * 0.3, y: n.y },
      { x: n.x + n.width * 0.36, y: n.y - 12 },
      { x: n.x + n.width * 0.64, y: n.y - 12 },
      { x: n.x + n.width * 0.7, y: n.y },
    ];
    routes.set(routeKey(n.index, n.index), { line: polyline(loop), reversed: false });
  }

  const pts = [
    ...nodes.flatMap((n) => [
      { x: n.x, y: n.y },
      { x: n.x + n.width, y: n.y + n.height },
    ]),
    ...edges.flatMap((e) => e.points),
  ];
  const minX = Math.min(...pts.map((p) => p.x));
  const minY = Math.min(...pts.map((p) => p.y));
  const maxX = Math.max(...pts.map((p) => p.x));
  const maxY = Math.max(...pts.map((p) => p.y));
  return {
    nodes,
    edges,
    routes,
    bounds: { x: minX, y: minY, width: maxX - minX, height: maxY - minY },
    compensation: compensationTypes(model),
    sagaRole: model.eventTypes.map((_, t) => {
      const kind = model.saga?.typeKind[t] ?? 0;
      return kind === SagaMsg.Command || kind === SagaMsg.Compensate ? 1 : kind > 0 ? 2 : 0;
    }),
    orchestratorNode: model.saga ? (model.services[model.entry]?.node ?? -1) : -1,
  };
}

function mid(points: Point[]): Point {
  const a = points[0] as Point;
  const b = points[points.length - 1] as Point;
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 12 };
}
