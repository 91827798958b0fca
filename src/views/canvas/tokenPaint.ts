/**
 * Painting tokens into a 2D context: the same code on the page and in the token painter
 * worker (tokenPaint.worker.ts). No DOM here, only the canvas context.
 */
import { SHAPE_COUNT, Shape } from './tokenShapes';

/** Token colours, read from the page's custom properties (canvas.css). */
export interface Palette {
  request: string;
  response: string;
  failure: string;
  event: string;
  retry: string;
  deadLetter: string;
  compensation: string;
  halo: string;
}

/** What one picture needs: positions in flow coordinates and a shape per token. */
export interface TokenPicture {
  count: number;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  shape: ArrayLike<number>;
  /** How many tokens of each shape (a shape with none is skipped). */
  perShape: ArrayLike<number>;
}

/** The viewport: flow coordinates to canvas pixels, and the token radius in pixels. */
export interface PictureView {
  tx: number;
  ty: number;
  zoom: number;
  radius: number;
}

/** Where a packed picture's parts start (see `packPicture`). */
const HEAD = 5;
const TOKENS = HEAD + SHAPE_COUNT;

/**
 * A picture and its view in one array, to hand to the painter worker as one transferred
 * buffer (one small allocation and one transfer per picture, nothing else to clone):
 * tx, ty, zoom, radius, count, the count per shape, then x, y, shape per token.
 */
export function packPicture(f: TokenPicture, view: PictureView): Float64Array {
  const out = new Float64Array(TOKENS + f.count * 3);
  out[0] = view.tx;
  out[1] = view.ty;
  out[2] = view.zoom;
  out[3] = view.radius;
  out[4] = f.count;
  for (let s = 0; s < SHAPE_COUNT; s++) out[HEAD + s] = f.perShape[s] as number;
  for (let i = 0, k = TOKENS; i < f.count; i++, k += 3) {
    out[k] = f.x[i] as number;
    out[k + 1] = f.y[i] as number;
    out[k + 2] = f.shape[i] as number;
  }
  return out;
}

/** A picture read back from `packPicture`'s array, into arrays that are grown and reused. */
export class UnpackedPicture implements TokenPicture {
  count = 0;
  x = new Float64Array(256);
  y = new Float64Array(256);
  shape = new Uint8Array(256);
  perShape = new Uint32Array(SHAPE_COUNT);
  view: PictureView = { tx: 0, ty: 0, zoom: 1, radius: 4 };

  read(data: Float64Array): this {
    this.view = { tx: data[0] ?? 0, ty: data[1] ?? 0, zoom: data[2] ?? 1, radius: data[3] ?? 4 };
    const count = data[4] ?? 0;
    if (count > this.x.length) {
      const n = 2 ** Math.ceil(Math.log2(count));
      this.x = new Float64Array(n);
      this.y = new Float64Array(n);
      this.shape = new Uint8Array(n);
    }
    this.count = count;
    for (let s = 0; s < SHAPE_COUNT; s++) this.perShape[s] = data[HEAD + s] ?? 0;
    for (let i = 0, k = TOKENS; i < count; i++, k += 3) {
      this.x[i] = data[k] ?? 0;
      this.y[i] = data[k + 1] ?? 0;
      this.shape[i] = data[k + 2] ?? 0;
    }
    return this;
  }
}

/** Draw every token, one path per shape so a thousand tokens cost a few fills. */
export function paintTokens(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  f: TokenPicture,
  c: Palette,
  view: PictureView,
): void {
  const { tx, ty, zoom, radius: r } = view;
  const pass = (shape: number, trace: (x: number, y: number) => void) => {
    if (f.perShape[shape] === 0) return false;
    ctx.beginPath();
    for (let i = 0; i < f.count; i++) {
      if (f.shape[i] !== shape) continue;
      trace((f.x[i] as number) * zoom + tx, (f.y[i] as number) * zoom + ty);
    }
    return true;
  };
  const square = r * 1.7;
  const rounded = (x: number, y: number) => roundedSquare(ctx, x, y, square);

  ctx.setLineDash([]);
  if (
    pass(Shape.Request, (x, y) => {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
    })
  ) {
    ctx.fillStyle = c.request;
    ctx.fill();
  }
  if (
    pass(Shape.Response, (x, y) => {
      ctx.moveTo(x + r - 1, y);
      ctx.arc(x, y, r - 1, 0, Math.PI * 2);
    })
  ) {
    ctx.lineWidth = 2;
    ctx.strokeStyle = c.response;
    ctx.stroke();
  }
  if (pass(Shape.Event, rounded)) {
    ctx.fillStyle = c.event;
    ctx.fill();
  }
  if (
    pass(Shape.Compensation, (x, y) => {
      const d = r * 1.3;
      ctx.moveTo(x, y - d);
      ctx.lineTo(x + d, y);
      ctx.lineTo(x, y + d);
      ctx.lineTo(x - d, y);
    })
  ) {
    ctx.fillStyle = c.compensation;
    ctx.fill();
  }
  if (
    pass(Shape.DeadLetter, (x, y) => {
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.1, y + r * 0.9);
      ctx.lineTo(x - r * 1.1, y + r * 0.9);
      // No closePath: with thousands of sub-paths in one path it is quadratic in Chromium;
      // fill() closes every sub-path anyway.
    })
  ) {
    ctx.fillStyle = c.deadLetter;
    ctx.fill();
  }
  if (
    pass(Shape.Failure, (x, y) => {
      ctx.moveTo(x - r, y - r);
      ctx.lineTo(x + r, y + r);
      ctx.moveTo(x + r, y - r);
      ctx.lineTo(x - r, y + r);
    })
  ) {
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = c.failure;
    ctx.stroke();
  }
  if (
    pass(Shape.Command, (x, y) => {
      const d = r * 1.25;
      ctx.moveTo(x - d, y - d);
      ctx.lineTo(x + d, y);
      ctx.lineTo(x - d, y + d);
    })
  ) {
    ctx.fillStyle = c.event;
    ctx.fill();
  }
  if (pass(Shape.Reply, rounded)) {
    ctx.fillStyle = c.halo;
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = c.response;
    ctx.stroke();
  }
  if (pass(Shape.Retry, rounded)) {
    ctx.fillStyle = c.halo;
    ctx.fill();
    ctx.setLineDash([2, 2]);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = c.retry;
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

function roundedSquare(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  cx: number,
  cy: number,
  size: number,
): void {
  const h = size / 2;
  const k = size * 0.25;
  const x = cx - h;
  const y = cy - h;
  ctx.moveTo(x + k, y);
  ctx.lineTo(x + size - k, y);
  ctx.quadraticCurveTo(x + size, y, x + size, y + k);
  ctx.lineTo(x + size, y + size - k);
  ctx.quadraticCurveTo(x + size, y + size, x + size - k, y + size);
  ctx.lineTo(x + k, y + size);
  ctx.quadraticCurveTo(x, y + size, x, y + size - k);
  ctx.lineTo(x, y + k);
  ctx.quadraticCurveTo(x, y, x + k, y);
  // Ends where it began: no closePath (quadratic cost over many sub-paths, see above).
}
