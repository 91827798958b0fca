/**
 * Message tokens: where each message in transit is drawn, as a pure function of the
 * trace record that started its trip, the simulated clock and the playback speed.
 *
 * The engine's network hops take a few milliseconds, far too short to see. So a token
 * takes `visualDuration` = max(real transit, VISUAL_WALL_MS x speed) of SIMULATED time to
 * cross its edge: about a quarter of a second of wall time at any speed, yet frozen
 * exactly by pause and step, because no wall clock is involved. Its position is
 *   p = (now - t) / visualDuration     (drawn while 0 <= p <= 1)
 * With reduced motion a token does not glide: it sits at the middle of its edge for
 * the same lifetime (p fixed at 0.5).
 *
 * No React here: the token layer calls this once per store change, and nothing is
 * allocated per token, so a thousand tokens in flight cost well under a millisecond.
 */
import { Rec, type TraceCursor } from '../../core/trace';
import { MAX_SPEED } from '../../run/speeds';
import type { RunView } from '../../run/view';
import {
  BAND_MIN_SPEED,
  bandBucketEnd,
  bandRate,
  bandShiftPx,
  bandWidthPx,
  overflows,
} from './flows';
import { pointAt } from './geometry';
import { type Layout, type LayoutNode, type RouteRef, routeKey } from './layout';
import { SHAPE_COUNT, Shape } from './tokenShapes';

/** Wall-clock time a token takes to cross an edge at any speed (reduced motion: time shown). */
export const VISUAL_WALL_MS = 250;

export { SHAPE_COUNT, Shape, type ShapeCode } from './tokenShapes';

/**
 * Which shape a record travels as, or -1 when the record is not a trip along an edge.
 * `from`/`to`: the record's nodes, for the kinds that travel only between two nodes.
 */
export function tokenShape(kind: number, code: number, from = 0, to = 0): number {
  switch (kind) {
    case Rec.RetryReady:
      // Back from a retry queue or topic to its queue; a retry on its own queue stays put.
      return from === to ? -1 : Shape.Retry;
    case Rec.RequestSent:
      return Shape.Request;
    case Rec.ResponseSent:
      return code === 0 ? Shape.Response : Shape.Failure;
    case Rec.Published:
    case Rec.Enqueued:
    case Rec.OutboxSaved:
      return Shape.Event;
    case Rec.Delivered:
      // code is the reason for a redelivery, 0 on the first delivery.
      return code === 0 ? Shape.Event : Shape.Retry;
    case Rec.RetryScheduled:
    case Rec.Requeued:
    case Rec.Redriven:
      return Shape.Retry;
    case Rec.PublishRejected:
      return Shape.Failure;
    case Rec.DeadLettered:
      return Shape.DeadLetter;
    default:
      return -1;
  }
}

/**
 * Simulated milliseconds a token of this record takes to cross its edge at `speed`.
 * `value` is the record's value column; `networkMs` the scenario's network time.
 */
export function visualDuration(
  kind: number,
  value: number,
  networkMs: number,
  speed: number,
): number {
  let transit = 0;
  if (kind === Rec.RequestSent || kind === Rec.ResponseSent || kind === Rec.Published)
    transit = value;
  else if (kind === Rec.Delivered) transit = networkMs;
  return Math.max(transit, VISUAL_WALL_MS * speed, 1);
}

/**
 * The records that make tokens, copied out of the simulation's trace ring as they are
 * written. The ring holds the latest few thousand records of every kind; at 50x speed a
 * token lives longer than that, so the trip records are kept here for the longest
 * lifetime any speed can give them. If the simulation is replaced, or its clock moves
 * back, the buffer starts again from what the ring still holds.
 */
export class TokenRecords {
  t = new Float64Array(1024);
  kind = new Uint8Array(1024);
  from = new Int16Array(1024);
  to = new Int16Array(1024);
  msg = new Int32Array(1024);
  code = new Uint8Array(1024);
  value = new Int32Array(1024);
  head = 0;
  size = 0;
  private source: RunView | null = null;
  private cursor: TraceCursor | null = null;

  get capacity(): number {
    return this.t.length;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  /**
   * Read what the run wrote since the last call and forget records too old to draw. A
   * new run, a seek back or a fork (a new epoch) starts again from what the ring holds.
   */
  sync(run: RunView, now: number): void {
    if (run !== this.source) {
      this.source = run;
      this.cursor = null;
    }
    const read = run.readTrace(
      this.cursor,
      (row) => {
        const kind = row.kind;
        if (tokenShape(kind, row.code, row.from, row.to) < 0) return;
        this.push(row.t, kind, row.from, row.to, row.msg, row.code, row.value);
      },
      () => this.clear(),
    );
    this.cursor = read.cursor;
    // Oldest first: drop from the head what no speed can still show or count (a band's
    // rate is counted over the token lifetime before the current one: see flows.ts).
    const horizon = now - 2 * VISUAL_WALL_MS * MAX_SPEED - 1000;
    while (this.size > 0 && (this.t[this.head] as number) < horizon) {
      this.head = (this.head + 1) % this.capacity;
      this.size--;
    }
  }

  private push(
    t: number,
    kind: number,
    from: number,
    to: number,
    msg: number,
    code: number,
    value: number,
  ): void {
    if (this.size === this.capacity) this.grow();
    const i = (this.head + this.size) % this.capacity;
    this.t[i] = t;
    this.kind[i] = kind;
    this.from[i] = from;
    this.to[i] = to;
    this.msg[i] = msg;
    this.code[i] = code;
    this.value[i] = value;
    this.size++;
  }

  private grow(): void {
    const n = this.capacity * 2;
    const reorder = <A extends Float64Array | Uint8Array | Int16Array | Int32Array>(
      old: A,
      next: A,
    ): A => {
      for (let k = 0; k < this.size; k++) next[k] = old[(this.head + k) % old.length] as number;
      return next;
    };
    this.t = reorder(this.t, new Float64Array(n));
    this.kind = reorder(this.kind, new Uint8Array(n));
    this.from = reorder(this.from, new Int16Array(n));
    this.to = reorder(this.to, new Int16Array(n));
    this.msg = reorder(this.msg, new Int32Array(n));
    this.code = reorder(this.code, new Uint8Array(n));
    this.value = reorder(this.value, new Int32Array(n));
    this.head = 0;
  }
}

/** Token positions for one frame, in flow coordinates, reused frame after frame. */
export class TokenFrame {
  count = 0;
  x = new Float64Array(1024);
  y = new Float64Array(1024);
  shape = new Uint8Array(1024);
  /** Per shape, how many are drawn. */
  perShape = new Uint32Array(SHAPE_COUNT);

  /** Bands (flows.ts): one per busy edge and kind of token, drawn instead of its tokens. */
  bandCount = 0;
  /** `routeKey(from, to)` of each band's edge, in the direction of travel. */
  bandRoute = new Float64Array(8);
  bandShape = new Uint8Array(8);
  /** Messages per simulated second. */
  bandRate = new Float64Array(8);
  /** Screen pixels. */
  bandWidth = new Float64Array(8);
  /** Per band, the centre of its label (flow coordinates): x, y; NaN where none fits. */
  bandLabel = new Float64Array(8 * 2);
  /** Per band, its first point in `bandXY` and how many points it has. */
  bandFirst = new Uint32Array(8);
  bandPoints = new Uint32Array(8);
  /** Band outlines in the direction of travel: x, y (flow), pen (0 starts a new piece, 1 continues). */
  bandXY = new Float64Array(64 * 3);
  bandXYCount = 0;
  /** How far every band's dashes have drifted (screen pixels, within one dash period). */
  bandShift = 0;

  reset(): void {
    this.count = 0;
    this.perShape.fill(0);
    this.bandCount = 0;
    this.bandXYCount = 0;
    this.bandShift = 0;
  }

  /** Start a band; its points follow with `addBandPoint`. Returns its number. */
  addBand(route: number, shape: number, rate: number, width: number): number {
    if (this.bandCount === this.bandShape.length) {
      const n = this.bandCount * 2;
      this.bandRoute = grown(this.bandRoute, new Float64Array(n));
      this.bandShape = grown(this.bandShape, new Uint8Array(n));
      this.bandRate = grown(this.bandRate, new Float64Array(n));
      this.bandWidth = grown(this.bandWidth, new Float64Array(n));
      this.bandLabel = grown(this.bandLabel, new Float64Array(n * 2));
      this.bandFirst = grown(this.bandFirst, new Uint32Array(n));
      this.bandPoints = grown(this.bandPoints, new Uint32Array(n));
    }
    const b = this.bandCount++;
    this.bandRoute[b] = route;
    this.bandShape[b] = shape;
    this.bandRate[b] = rate;
    this.bandWidth[b] = width;
    this.bandFirst[b] = this.bandXYCount;
    this.bandPoints[b] = 0;
    return b;
  }

  addBandPoint(b: number, x: number, y: number, pen: 0 | 1): void {
    if ((this.bandXYCount + 1) * 3 > this.bandXY.length)
      this.bandXY = grown(this.bandXY, new Float64Array(this.bandXY.length * 2));
    const k = this.bandXYCount * 3;
    this.bandXY[k] = x;
    this.bandXY[k + 1] = y;
    this.bandXY[k + 2] = pen;
    this.bandXYCount++;
    this.bandPoints[b] = (this.bandPoints[b] as number) + 1;
  }

  setBandLabel(b: number, x: number, y: number): void {
    this.bandLabel[b * 2] = x;
    this.bandLabel[b * 2 + 1] = y;
  }

  add(x: number, y: number, shape: number): void {
    if (this.count === this.x.length) {
      const n = this.count * 2;
      const x2 = new Float64Array(n);
      x2.set(this.x);
      const y2 = new Float64Array(n);
      y2.set(this.y);
      const s2 = new Uint8Array(n);
      s2.set(this.shape);
      this.x = x2;
      this.y = y2;
      this.shape = s2;
    }
    this.x[this.count] = x;
    this.y[this.count] = y;
    this.shape[this.count] = shape;
    this.perShape[shape] = (this.perShape[shape] as number) + 1;
    this.count++;
  }

  /** A short fingerprint of every position: equal digests mean an identical picture. */
  digest(): string {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.count; i++) {
      h = Math.imul(h ^ Math.round((this.x[i] as number) * 10), 0x01000193);
      h = Math.imul(h ^ Math.round((this.y[i] as number) * 10), 0x01000193);
      h = Math.imul(h ^ (this.shape[i] as number), 0x01000193);
    }
    for (let b = 0; b < this.bandCount; b++) {
      h = Math.imul(h ^ ((this.bandRoute[b] as number) % 0x7fffffff), 0x01000193);
      h = Math.imul(h ^ (this.bandShape[b] as number), 0x01000193);
      h = Math.imul(h ^ Math.round((this.bandRate[b] as number) * 10), 0x01000193);
    }
    h = Math.imul(h ^ Math.round(this.bandShift * 10), 0x01000193);
    const bands = this.bandCount > 0 ? `+${this.bandCount}b` : '';
    return `${this.count}${bands}:${(h >>> 0).toString(16)}`;
  }
}

function grown<A extends Float64Array | Uint8Array | Uint32Array>(old: A, next: A): A {
  next.set(old);
  return next;
}

export interface TokenView {
  now: number;
  speed: number;
  reducedMotion: boolean;
  networkMs: number;
  /** Flow units per screen pixel, for offsets that look the same at any zoom. */
  pxToFlow: number;
  /**
   * Draw a busy edge's tokens as bands above 2x (flows.ts). The token layer does; a
   * single order's tokens (following, hit tests) never need it.
   */
  bands?: boolean;
}

const scratch = new Float64Array(4);
/** Per band key (`routeKey * 8 + shape`), the tokens counted in the last whole bucket. */
const tally = new Map<number, number>();
/** The same for the bucket under way (from its start to `now`). */
const tallyNow = new Map<number, number>();
const bandKeys: number[] = [];
/** Band keys drawn as bands this frame: their tokens are not drawn one by one. */
const banded = new Set<number>();
/** Where along its edge a band's label may go, the middle first. */
const LABEL_AT = [0.5, 0.3, 0.7, 0.4, 0.6, 0.2, 0.8];
/** A band label's box in screen pixels (glyph and `12/s`; see `paintBands`). */
export const BAND_LABEL_W = 46;
export const BAND_LABEL_H = 14;
/** Label centres placed so far this frame (flow x, y pairs), so labels do not cover each other. */
const labelsPlaced: number[] = [];
/** Per band, what placing its label needs: band, side, clearance (px), its rank on its edge. */
const labelJobs: number[] = [];

/** The shape a record travels as on this layout (a saga's events become diamonds). */
function shapeOf(records: TokenRecords, i: number, layout: Layout): number {
  const kind = records.kind[i] as number;
  const code = records.code[i] as number;
  const shape = tokenShape(kind, code, records.from[i], records.to[i]);
  if (shape !== Shape.Event) return shape;
  // A saga's failure and compensation events, published and routed (code: event type);
  // orchestrated, its commands and replies.
  if (kind === Rec.Published || kind === Rec.Enqueued) {
    if (layout.compensation[code]) return Shape.Compensation;
    if (layout.sagaRole[code] === 1) return Shape.Command;
    if (layout.sagaRole[code] === 2) return Shape.Reply;
  } else if (kind === Rec.Delivered && layout.orchestratorNode >= 0)
    // A delivery's code is its redelivery reason, not its type: where it goes says what it is.
    return records.to[i] === layout.orchestratorNode ? Shape.Reply : Shape.Command;
  return shape;
}

/**
 * Decide which edges and kinds are bands at `view.now` and write them into `out`: every
 * (edge, kind) whose tokens in the last whole bucket, or already in the one under way (a
 * sudden spike), would not fit its length on screen.
 */
function placeBands(records: TokenRecords, layout: Layout, view: TokenView, out: TokenFrame): void {
  const { now, speed, pxToFlow } = view;
  const lifetime = VISUAL_WALL_MS * speed;
  const end = bandBucketEnd(now, lifetime);
  const start = end - lifetime;
  const cap = records.capacity;
  tally.clear();
  tallyNow.clear();
  for (let k = records.size - 1; k >= 0; k--) {
    const i = (records.head + k) % cap;
    const t = records.t[i] as number;
    if (t < start) break;
    if (t > now) continue;
    const shape = shapeOf(records, i, layout);
    if (shape < 0) continue;
    const key = routeKey(records.from[i] as number, records.to[i] as number) * 8 + shape;
    const counts = t >= end ? tallyNow : tally;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // A surge shows as a band within the bucket it starts in, not one bucket later.
  for (const [key, count] of tallyNow) if (count > (tally.get(key) ?? 0)) tally.set(key, count);
  bandKeys.length = 0;
  for (const [key, count] of tally) {
    const route = layout.routes.get(Math.floor(key / 8));
    if (route && overflows(count, route.line.length / pxToFlow)) bandKeys.push(key);
  }
  if (bandKeys.length === 0) return;
  // Sorted by edge, then kind: a band keeps its lane from one frame to the next.
  bandKeys.sort((a, b) => a - b);
  labelsPlaced.length = 0;
  labelJobs.length = 0;
  out.bandShift = bandShiftPx(now, speed, view.reducedMotion);
  let lastRoute = -1;
  let offset = 0;
  let onRoute = 0;
  for (const key of bandKeys) {
    const rk = Math.floor(key / 8);
    const shape = key % 8;
    const route = layout.routes.get(rk) as RouteRef;
    const rate = bandRate(tally.get(key) as number, lifetime);
    const width = bandWidthPx(rate);
    if (rk !== lastRoute) {
      lastRoute = rk;
      offset = 1;
      onRoute = 0;
    }
    // Bands of one edge side by side, on the side its tokens ride (answers on the other).
    const centre = offset + width / 2;
    offset += width + 3;
    const side = route.reversed ? -1 : 1;
    const b = out.addBand(rk, shape, rate, width);
    banded.add(key);
    traceBand(route, side * centre * pxToFlow, layout.nodes, out, b);
    labelJobs.push(b, side, centre + width / 2 + 3, onRoute);
    onRoute++;
  }
  // Labels once every band is traced: each is kept clear of all of them.
  for (let j = 0; j < labelJobs.length; j += 4) {
    const b = labelJobs[j] as number;
    const route = layout.routes.get(out.bandRoute[b] as number) as RouteRef;
    const [side, clear, nth] = [labelJobs[j + 1], labelJobs[j + 2], labelJobs[j + 3]] as number[];
    placeLabel(
      route,
      side as number,
      clear as number,
      nth as number,
      layout.nodes,
      pxToFlow,
      out,
      b,
    );
  }
}

/**
 * Put band `b`'s label beside it, clear of the band (`clearPx` from the edge's line), of
 * every node, band and label already placed: the first spot along the edge that is free
 * on its own side, else on the other side, else none (NaN).
 */
function placeLabel(
  route: RouteRef,
  side: number,
  clearPx: number,
  nth: number,
  boxes: readonly LayoutNode[],
  pxToFlow: number,
  out: TokenFrame,
  b: number,
): void {
  const hw = (BAND_LABEL_W / 2) * pxToFlow;
  const hh = (BAND_LABEL_H / 2) * pxToFlow;
  // Its own side first (clear of its band), then the other side of the edge's line.
  for (let c = 0; c < LABEL_AT.length * 2; c++) {
    const other = c >= LABEL_AT.length;
    const towards = other ? -side : side;
    // Later bands of one edge start further along, so its labels do not start in one spot.
    const at = LABEL_AT[(c + nth) % LABEL_AT.length] as number;
    pointAt(route.line, route.reversed ? 1 - at : at, scratch);
    const dx = (scratch[2] as number) * towards;
    const dy = (scratch[3] as number) * towards;
    // Far enough along the normal that the label's box clears the band (or the line).
    const dist = (other ? 3 : clearPx) * pxToFlow + Math.abs(dx) * hw + Math.abs(dy) * hh;
    const x = (scratch[0] as number) + dx * dist;
    const y = (scratch[1] as number) + dy * dist;
    if (labelIsFree(x, y, hw, hh, boxes) && !crossesABand(x, y, hw, hh, out, pxToFlow)) {
      out.setBandLabel(b, x, y);
      labelsPlaced.push(x, y);
      return;
    }
  }
  // No room (a canvas drawn small): no label rather than one over a node's own text.
  out.setBandLabel(b, Number.NaN, Number.NaN);
}

function labelIsFree(
  x: number,
  y: number,
  hw: number,
  hh: number,
  boxes: readonly LayoutNode[],
): boolean {
  for (const n of boxes) {
    if (x + hw > n.x && x - hw < n.x + n.width && y + hh > n.y && y - hh < n.y + n.height)
      return false;
  }
  for (let i = 0; i < labelsPlaced.length; i += 2) {
    if (
      Math.abs((labelsPlaced[i] as number) - x) < hw * 2 &&
      Math.abs((labelsPlaced[i + 1] as number) - y) < hh * 2
    )
      return false;
  }
  return true;
}

/** Does any band of `out` pass through the box centred on (x, y)? */
function crossesABand(
  x: number,
  y: number,
  hw: number,
  hh: number,
  out: TokenFrame,
  pxToFlow: number,
): boolean {
  const xy = out.bandXY;
  for (let b = 0; b < out.bandCount; b++) {
    const half = ((out.bandWidth[b] as number) / 2) * pxToFlow;
    const x0 = x - hw - half;
    const x1 = x + hw + half;
    const y0 = y - hh - half;
    const y1 = y + hh + half;
    const first = out.bandFirst[b] as number;
    const last = first + (out.bandPoints[b] as number);
    for (let i = first + 1; i < last; i++) {
      if (xy[i * 3 + 2] === 0) continue;
      const ax = xy[(i - 1) * 3] as number;
      const ay = xy[(i - 1) * 3 + 1] as number;
      if (segmentMeetsBox(ax, ay, xy[i * 3] as number, xy[i * 3 + 1] as number, x0, y0, x1, y1))
        return true;
    }
  }
  return false;
}

/** Does segment a-b meet the box [x0, x1] x [y0, y1]? (Liang-Barsky clipping.) */
function segmentMeetsBox(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  let lo = 0;
  let hi = 1;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q >= 0;
    const r = q / p;
    if (p < 0) {
      if (r > hi) return false;
      if (r > lo) lo = r;
    } else {
      if (r < lo) return false;
      if (r < hi) hi = r;
    }
    return true;
  };
  return (
    clip(-dx, ax - x0) && clip(dx, x1 - ax) && clip(-dy, ay - y0) && clip(dy, y1 - ay) && lo <= hi
  );
}

/** A band's outline: `route` shifted sideways by `shift` (flow units), in the direction of travel. */
function traceBand(
  route: RouteRef,
  shift: number,
  boxes: readonly LayoutNode[],
  out: TokenFrame,
  b: number,
): void {
  const { xy } = route.line;
  const n = xy.length / 2;
  let pen: 0 | 1 = 0;
  for (let j = 0; j < n; j++) {
    const i = route.reversed ? n - 1 - j : j;
    // The normal of the line's own direction (as `pointAt` gives it), averaged at a bend.
    const a = Math.max(0, i - 1);
    const c = Math.min(n - 1, i + 1);
    const dx = (xy[c * 2] as number) - (xy[a * 2] as number);
    const dy = (xy[c * 2 + 1] as number) - (xy[a * 2 + 1] as number);
    const len = Math.hypot(dx, dy) || 1;
    const x = (xy[i * 2] as number) + (-dy / len) * shift;
    const y = (xy[i * 2 + 1] as number) + (dx / len) * shift;
    // Behind a node (a dead letter's route passing a lower queue) the band is not drawn.
    if (insideABox(boxes, x, y)) {
      pen = 0;
      continue;
    }
    out.addBandPoint(b, x, y, pen);
    pen = 1;
  }
}

/** Cheap per-message jitter across the edge, so tokens on one edge do not stack exactly. */
function jitter(msg: number): number {
  return ((Math.imul(msg, 2654435761) >>> 0) % 5) - 2;
}

/**
 * Place every token alive at `view.now` into `out`. Tokens whose position falls inside a
 * node box (a dead letter passing behind a lower queue) are not drawn.
 */
export function placeTokens(
  records: TokenRecords,
  layout: Layout,
  view: TokenView,
  out: TokenFrame,
): void {
  out.reset();
  const { now, speed, reducedMotion, networkMs, pxToFlow } = view;
  const boxes = layout.nodes;
  banded.clear();
  if (view.bands && speed > BAND_MIN_SPEED) placeBands(records, layout, view, out);
  const oldest = now - Math.max(VISUAL_WALL_MS * speed, 1000) - 1;
  const cap = records.capacity;
  // Newest first, stopping at the first record too old to be on screen (records are in time order).
  for (let k = records.size - 1; k >= 0; k--) {
    const i = (records.head + k) % cap;
    const t = records.t[i] as number;
    if (t < oldest) break;
    if (t > now) continue;
    const shape = shapeOf(records, i, layout);
    if (shape < 0) continue;
    const kind = records.kind[i] as number;
    const d = visualDuration(kind, records.value[i] as number, networkMs, speed);
    let p = (now - t) / d;
    if (p > 1) continue;
    const rk = routeKey(records.from[i] as number, records.to[i] as number);
    if (banded.size > 0 && banded.has(rk * 8 + shape)) continue;
    const route = layout.routes.get(rk);
    if (!route) continue;
    if (reducedMotion) p = 0.5;
    pointAt(route.line, route.reversed ? 1 - p : p, scratch);
    // Calls ride on one side of the line and answers on the other.
    const lane = (route.reversed ? -3 : 3) + jitter(records.msg[i] as number);
    const x = (scratch[0] as number) + (scratch[2] as number) * lane * pxToFlow;
    const y = (scratch[1] as number) + (scratch[3] as number) * lane * pxToFlow;
    if (insideABox(boxes, x, y)) continue;
    out.add(x, y, shape);
  }
}

function insideABox(boxes: readonly LayoutNode[], x: number, y: number): boolean {
  for (const b of boxes) {
    if (x > b.x + 3 && x < b.x + b.width - 3 && y > b.y + 3 && y < b.y + b.height - 3) return true;
  }
  return false;
}
