/**
 * The live canvas of a system the learner arranged in Edit mode. A scenario with layout
 * hints (`layout`: where the learner put each service on the editor's canvas) is drawn
 * with its services in the same arrangement: the editor's positions (hinted, or placed
 * by the editor for the services never dragged) are spread out so that the boxes only
 * the live canvas has fit between them — each queue just before its consumer, the broker
 * right of the entry service, the retry queue above the queues and the dead-letter queue
 * below everything — and every edge is routed again between its ends.
 *
 * Built-in scenarios have no hints: their hand-made layout (`layoutModel`) is used as is.
 */
import type { Model } from '../../core/model';
import type { Scenario } from '../../core/scenario';
import { EDIT_NODE, positionsOf } from '../../store/editLayout';
import { type Point, svgPath } from './geometry';
import { completeLayout, type Layout, type LayoutEdge, type LayoutNode, NODE_SIZE } from './layout';

const GAP = 72;
const GAP_Y = 20;

/**
 * Editor units -> canvas units. An editor column (300 units) must hold, with events, a
 * queue before each consumer and the broker after the entry (about 800 units); a chain
 * only its service boxes. Rows keep their spacing: live boxes are no taller.
 */
const SPREAD = { chain: { x: 1.3, y: 1 }, event: { x: 2.7, y: 1 } } as const;

const boxesOverlap = (a: LayoutNode, b: LayoutNode) =>
  a.x < b.x + b.width + 8 &&
  b.x < a.x + a.width + 8 &&
  a.y < b.y + b.height + 8 &&
  b.y < a.y + a.height + 8;

/** Does the scenario say where the learner put its services? */
export function hasLayoutHints(scenario: Pick<Scenario, 'layout'>): boolean {
  return Object.keys(scenario.layout ?? {}).length > 0;
}

/**
 * `base` (the model's own layout) with its nodes where the learner's arrangement puts them,
 * or `base` itself when the scenario has no layout hints.
 */
export function hintedLayout(base: Layout, model: Model, scenario: Scenario): Layout {
  // Orchestrated, the commands and replies have their own geometry: the model's layout.
  if (!hasLayoutHints(scenario) || model.architecture === 'orchestration') return base;
  const editor = positionsOf(scenario);
  const spread = SPREAD[model.architecture === 'chain' ? 'chain' : 'event'];
  const placed = new Map<number, LayoutNode>();
  const put = (n: LayoutNode, cx: number, cy: number) => {
    const moved = { ...n, x: cx - n.width / 2, y: cy - n.height / 2 };
    placed.set(n.index, moved);
    return moved;
  };
  /** At (cx, cy), or straight below it, where it covers no box placed so far. */
  const putFree = (n: LayoutNode, cx: number, cy: number) => {
    const moved = { ...n, x: cx - n.width / 2, y: cy - n.height / 2 };
    while ([...placed.values()].some((p) => boxesOverlap(p, moved))) moved.y += GAP_Y * 2;
    placed.set(n.index, moved);
    return moved;
  };

  // Services first: where the editor shows them, spread out.
  for (const n of base.nodes) {
    if (n.kind !== 'service') continue;
    const at = editor.get(model.services[n.service as number]?.id ?? '');
    if (!at) continue;
    put(n, (at.x + EDIT_NODE.width / 2) * spread.x, (at.y + EDIT_NODE.height / 2) * spread.y);
  }
  const serviceBox = (s: number) => placed.get(model.services[s]?.node ?? -1);
  const entry = serviceBox(model.entry);
  const centre = (n: LayoutNode): Point => ({ x: n.x + n.width / 2, y: n.y + n.height / 2 });

  // Each queue just before its consumer (a service with several, stacked there).
  const queuesBefore = new Map<number, number>();
  for (const n of base.nodes) {
    if (n.kind !== 'queue') continue;
    const consumer = serviceBox(model.queues[n.queue as number]?.service ?? -1);
    if (!consumer) continue;
    const k = queuesBefore.get(consumer.index) ?? 0;
    queuesBefore.set(consumer.index, k + 1);
    putFree(n, consumer.x - GAP - n.width / 2, centre(consumer).y + k * (n.height + GAP_Y));
  }
  // Users left of the entry service (and of its own queue, when it consumes too).
  const client = base.nodes.find((n) => n.kind === 'client');
  if (client && entry) {
    const queueRoom = queuesBefore.has(entry.index) ? NODE_SIZE.queue.width + GAP : 0;
    put(client, entry.x - queueRoom - GAP - client.width / 2, centre(entry).y);
  }
  // The broker right of the entry service; what hangs off it, above and below.
  const brokerBase = base.nodes.find((n) => n.kind === 'broker');
  const broker =
    brokerBase && entry
      ? putFree(brokerBase, entry.x + entry.width + GAP + brokerBase.width / 2, centre(entry).y)
      : undefined;
  // The retry queue above the queues and the dead-letter queue below everything, across
  // from the queues' middle: their lines go straight up or down from each queue.
  const queues = [...placed.values()].filter((n) => n.kind === 'queue');
  const queueX = queues.length
    ? queues.reduce((sum, q) => sum + q.x + q.width / 2, 0) / queues.length
    : undefined;
  const top = Math.min(...[...placed.values()].map((n) => n.y));
  for (const n of base.nodes) {
    if (placed.has(n.index)) continue;
    if (n.kind === 'outbox' && entry && broker)
      putFree(n, (entry.x + entry.width + broker.x) / 2, entry.y - 2 * GAP_Y - n.height / 2);
    else if (n.kind === 'retry' && queueX !== undefined)
      putFree(n, queueX, top - GAP_Y * 2 - n.height / 2);
  }
  const bottom = Math.max(...[...placed.values()].map((n) => n.y + n.height));
  for (const n of base.nodes) {
    if (placed.has(n.index) || n.index !== model.dlqNode || queueX === undefined) continue;
    putFree(n, queueX, bottom + GAP_Y * 2 + n.height / 2);
  }
  // Everything else (the alternate exchange's queue, idle boxes): below the broker or the entry.
  const anchor = broker ?? entry;
  for (const n of base.nodes) {
    if (placed.has(n.index)) continue;
    if (!anchor) {
      placed.set(n.index, n);
      continue;
    }
    putFree(n, centre(anchor).x, anchor.y + anchor.height + GAP_Y + n.height / 2);
  }

  const nodes = base.nodes.map((n) => placed.get(n.index) ?? n);
  const byIndex = new Map(nodes.map((n) => [n.index, n]));
  const edges = base.edges.map((e) => {
    const from = byIndex.get(e.from);
    const to = byIndex.get(e.to);
    return from && to ? reroute(e, from, to) : e;
  });
  return completeLayout(nodes, edges, model);
}

/**
 * An edge drawn again between its moved ends: out of the side facing the other box, with
 * one bend in the middle when the two are not level (the way the built-in layouts draw).
 */
export function reroute(e: LayoutEdge, from: LayoutNode, to: LayoutNode): LayoutEdge {
  const points = connector(from, to);
  const a = points[Math.floor((points.length - 1) / 2)] as Point;
  const b = points[Math.floor(points.length / 2)] as Point;
  return {
    ...e,
    points,
    d: svgPath(points),
    labelAt: e.label ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 12 } : undefined,
  };
}

function connector(from: LayoutNode, to: LayoutNode): Point[] {
  const fy = from.y + from.height / 2;
  const ty = to.y + to.height / 2;
  const fx = from.x + from.width / 2;
  const tx = to.x + to.width / 2;
  const horizontal = (a: Point, b: Point): Point[] => {
    if (Math.abs(a.y - b.y) < 1) return [a, b];
    const mx = (a.x + b.x) / 2;
    return [a, { x: mx, y: a.y }, { x: mx, y: b.y }, b];
  };
  const vertical = (a: Point, b: Point): Point[] => {
    if (Math.abs(a.x - b.x) < 1) return [a, b];
    const my = (a.y + b.y) / 2;
    return [a, { x: a.x, y: my }, { x: b.x, y: my }, b];
  };
  if (to.x >= from.x + from.width + 8)
    return horizontal({ x: from.x + from.width, y: fy }, { x: to.x, y: ty });
  if (to.x + to.width <= from.x - 8)
    return horizontal({ x: from.x, y: fy }, { x: to.x + to.width, y: ty });
  if (to.y >= from.y + from.height)
    return vertical({ x: fx, y: from.y + from.height }, { x: tx, y: to.y });
  return vertical({ x: fx, y: from.y }, { x: tx, y: to.y + to.height });
}
