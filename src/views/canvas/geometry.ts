/**
 * Polylines in flow coordinates: the one shape both the drawn edges and the tokens
 * travelling on them are made of, so a token always sits exactly on its edge.
 */

export interface Point {
  x: number;
  y: number;
}

/** A path sampled into straight pieces, with cumulative lengths for constant-speed travel. */
export interface Polyline {
  /** x0, y0, x1, y1, ... */
  xy: Float64Array;
  /** Distance from the start to each point. */
  cum: Float64Array;
  length: number;
}

export function polyline(points: readonly Point[]): Polyline {
  const n = points.length;
  const xy = new Float64Array(n * 2);
  const cum = new Float64Array(n);
  let length = 0;
  for (let i = 0; i < n; i++) {
    const p = points[i] as Point;
    xy[i * 2] = p.x;
    xy[i * 2 + 1] = p.y;
    if (i > 0) {
      const q = points[i - 1] as Point;
      length += Math.hypot(p.x - q.x, p.y - q.y);
    }
    cum[i] = length;
  }
  return { xy, cum, length };
}

/** Points of a cubic Bézier, `segments` straight pieces. */
export function bezierPoints(a: Point, c1: Point, c2: Point, b: Point, segments = 24): Point[] {
  const out: Point[] = [];
  for (let i = 0; i <= segments; i++) {
    const t = i / segments;
    const u = 1 - t;
    const w0 = u * u * u;
    const w1 = 3 * u * u * t;
    const w2 = 3 * u * t * t;
    const w3 = t * t * t;
    out.push({
      x: w0 * a.x + w1 * c1.x + w2 * c2.x + w3 * b.x,
      y: w0 * a.y + w1 * c1.y + w2 * c2.y + w3 * b.y,
    });
  }
  return out;
}

/**
 * The point at fraction `p` (0..1) of the way along `line`, written into `out` as
 * [x, y, nx, ny] where (nx, ny) is the unit normal there (for side offsets).
 * Writes into a caller's array so the per-frame token loop allocates nothing.
 */
export function pointAt(line: Polyline, p: number, out: Float64Array): void {
  const { xy, cum, length } = line;
  const n = cum.length;
  const d = Math.min(Math.max(p, 0), 1) * length;
  // Binary search for the piece holding distance d (routes have up to ~25 pieces).
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((cum[mid] as number) <= d) lo = mid;
    else hi = mid;
  }
  const x0 = xy[lo * 2] as number;
  const y0 = xy[lo * 2 + 1] as number;
  const x1 = xy[hi * 2] as number;
  const y1 = xy[hi * 2 + 1] as number;
  const seg = (cum[hi] as number) - (cum[lo] as number);
  const f = seg > 0 ? (d - (cum[lo] as number)) / seg : 0;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.hypot(dx, dy) || 1;
  out[0] = x0 + dx * f;
  out[1] = y0 + dy * f;
  out[2] = -dy / len;
  out[3] = dx / len;
}

/** SVG path data for a polyline (the edge drawn for it). */
export function svgPath(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Do segments ab and cd cross at a point inside both (touching ends do not count)? */
export function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  const eps = 1e-9;
  return (
    ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps)) &&
    ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps))
  );
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}
