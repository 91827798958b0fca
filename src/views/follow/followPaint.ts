/**
 * What the canvas highlights for the followed order, and which order a click hits.
 * No React, no DOM: positions in flow coordinates from the same token placement the
 * token layer uses (tokens.ts), so a highlight ring sits exactly on its token.
 */
import type { TraceRecord } from '../../core/trace';
import type { RunView } from '../../run/view';
import type { Layout } from '../canvas/layout';
import { routeKey } from '../canvas/layout';
import {
  placeTokens,
  TokenFrame,
  TokenRecords,
  type TokenView,
  tokenShape,
  VISUAL_WALL_MS,
} from '../canvas/tokens';

/** Nodes and edges an order's records touched (its path on the canvas). */
export interface OrderPath {
  /** Model node numbers. */
  nodes: Set<number>;
  /** `routeKey(from, to)` of every trip it made, whichever way. */
  routes: Set<number>;
}

export function orderPath(records: readonly TraceRecord[], layout: Layout): OrderPath {
  const nodes = new Set<number>();
  const routes = new Set<number>();
  for (const r of records) {
    // Records at the client (the user) and the broker's own bookkeeping still mark the node.
    nodes.add(r.to);
    nodes.add(r.from);
    if (r.from !== r.to && layout.routes.has(routeKey(r.from, r.to)))
      routes.add(routeKey(r.from, r.to));
  }
  return { nodes, routes };
}

/** Fill `into` with the records that travel along an edge (tokens), oldest first. */
export function fillTokenRecords(records: readonly TraceRecord[], into: TokenRecords): void {
  let n = 0;
  for (const r of records) if (tokenShape(r.kind, r.code, r.from, r.to) >= 0) n++;
  if (into.capacity < n) {
    let size = into.capacity;
    while (size < n) size *= 2;
    into.t = new Float64Array(size);
    into.kind = new Uint8Array(size);
    into.from = new Int16Array(size);
    into.to = new Int16Array(size);
    into.msg = new Int32Array(size);
    into.code = new Uint8Array(size);
    into.value = new Int32Array(size);
  }
  let k = 0;
  for (const r of records) {
    if (tokenShape(r.kind, r.code, r.from, r.to) < 0) continue;
    into.t[k] = r.t;
    into.kind[k] = r.kind;
    into.from[k] = r.from;
    into.to[k] = r.to;
    into.msg[k] = r.msg;
    into.code[k] = r.code;
    into.value[k] = r.value;
    k++;
  }
  into.head = 0;
  into.size = k;
}

const one = new TokenRecords();
const oneFrame = new TokenFrame();

/**
 * The order whose token is nearest to (x, y) in flow coordinates, within `radius`, among
 * the tokens on screen at `view.now`; null when none is that close.
 */
export function orderAt(
  sim: RunView,
  layout: Layout,
  view: TokenView,
  x: number,
  y: number,
  radius: number,
): number | null {
  const oldest = view.now - Math.max(VISUAL_WALL_MS * view.speed, 1000) - 1;
  let best: number | null = null;
  let bestD = radius;
  // A click, not a frame: reading records one by one from the newest is cheap enough.
  for (let k = sim.traceCount - 1; k >= 0; k--) {
    const r = sim.traceRecord(k);
    if (!r || r.t < oldest) break;
    const corr = r.corr;
    if (r.t > view.now || corr <= 0) continue;
    if (tokenShape(r.kind, r.code, r.from, r.to) < 0) continue;
    one.t[0] = r.t;
    one.kind[0] = r.kind;
    one.from[0] = r.from;
    one.to[0] = r.to;
    one.msg[0] = r.msg;
    one.code[0] = r.code;
    one.value[0] = r.value;
    one.head = 0;
    one.size = 1;
    placeTokens(one, layout, view, oneFrame);
    if (oneFrame.count === 0) continue;
    const d = Math.hypot((oneFrame.x[0] as number) - x, (oneFrame.y[0] as number) - y);
    if (d <= bestD) {
      bestD = d;
      best = corr;
    }
  }
  return best;
}
