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
import { Rec, type TraceCursor } from '../../core';
import { MAX_SPEED } from '../../run/speeds';
import type { RunView } from '../../run/view';
import { pointAt } from './geometry';
import { type Layout, type LayoutNode, routeKey } from './layout';
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
    // Oldest first: drop from the head what no speed can still show.
    const horizon = now - VISUAL_WALL_MS * MAX_SPEED - 1000;
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

  reset(): void {
    this.count = 0;
    this.perShape.fill(0);
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
    return `${this.count}:${(h >>> 0).toString(16)}`;
  }
}

export interface TokenView {
  now: number;
  speed: number;
  reducedMotion: boolean;
  networkMs: number;
  /** Flow units per screen pixel, for offsets that look the same at any zoom. */
  pxToFlow: number;
}

const scratch = new Float64Array(4);

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
  const oldest = now - Math.max(VISUAL_WALL_MS * speed, 1000) - 1;
  const cap = records.capacity;
  // Newest first, stopping at the first record too old to be on screen (records are in time order).
  for (let k = records.size - 1; k >= 0; k--) {
    const i = (records.head + k) % cap;
    const t = records.t[i] as number;
    if (t < oldest) break;
    if (t > now) continue;
    const kind = records.kind[i] as number;
    const code = records.code[i] as number;
    let shape = tokenShape(kind, code, records.from[i], records.to[i]);
    if (shape < 0) continue;
    // A saga's failure and compensation events, published and routed (code: event type);
    // orchestrated, its commands and replies.
    if (shape === Shape.Event && (kind === Rec.Published || kind === Rec.Enqueued)) {
      if (layout.compensation[code]) shape = Shape.Compensation;
      else if (layout.sagaRole[code] === 1) shape = Shape.Command;
      else if (layout.sagaRole[code] === 2) shape = Shape.Reply;
    } else if (shape === Shape.Event && kind === Rec.Delivered && layout.orchestratorNode >= 0)
      // A delivery's code is its redelivery reason, not its type: where it goes says what it is.
      shape = records.to[i] === layout.orchestratorNode ? Shape.Reply : Shape.Command;
    const d = visualDuration(kind, records.value[i] as number, networkMs, speed);
    let p = (now - t) / d;
    if (p > 1) continue;
    const route = layout.routes.get(routeKey(records.from[i] as number, records.to[i] as number));
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
