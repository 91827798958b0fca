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

/** A copy of a picture's first `count` tokens that can be transferred to a worker. */
export function copyPicture(f: TokenPicture): {
  count: number;
  x: Float64Array;
  y: Float64Array;
  shape: Uint8Array;
  perShape: Uint32Array;
} {
  const x = new Float64Array(f.count);
  const y = new Float64Array(f.count);
  const shape = new Uint8Array(f.count);
  for (let i = 0; i < f.count; i++) {
    x[i] = f.x[i] as number;
    y[i] = f.y[i] as number;
    shape[i] = f.shape[i] as number;
  }
  const perShape = new Uint32Array(SHAPE_COUNT);
  for (let s = 0; s < SHAPE_COUNT; s++) perShape[s] = f.perShape[s] as number;
  return { count: f.count, x, y, shape, perShape };
}

/** Draw every token, one path per shape so a thousand tokens cost six fills. */
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
