/**
 * Painting tokens into a 2D context: the same code on the page and in the token painter
 * worker (tokenPaint.worker.ts). No DOM here, only the canvas context.
 */
import { BAND_DASH_PERIOD_PX, formatRate } from './flows';
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
  /** Band labels' text. */
  text: string;
}

/** What one picture needs: positions in flow coordinates and a shape per token. */
export interface TokenPicture {
  count: number;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  shape: ArrayLike<number>;
  /** How many tokens of each shape (a shape with none is skipped). */
  perShape: ArrayLike<number>;
  /** Bands, drawn under the tokens (see `TokenFrame` in tokens.ts for each field). */
  bandCount: number;
  bandShift: number;
  bandShape: ArrayLike<number>;
  bandRate: ArrayLike<number>;
  bandWidth: ArrayLike<number>;
  bandLabel: ArrayLike<number>;
  bandFirst: ArrayLike<number>;
  bandPoints: ArrayLike<number>;
  bandXY: ArrayLike<number>;
  bandXYCount: number;
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
 * tx, ty, zoom, radius, count, the count per shape, then x, y, shape per token; then
 * the bands: their count, the drift, the number of points, per band its shape, rate,
 * width, first point and number of points, its label's centre (x, y), three figures
 * per point.
 */
export function packPicture(f: TokenPicture, view: PictureView): Float64Array {
  const bands = TOKENS + f.count * 3;
  const B = f.bandCount;
  const out = new Float64Array(bands + 3 + B * 7 + f.bandXYCount * 3);
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
  out[bands] = B;
  out[bands + 1] = f.bandShift;
  out[bands + 2] = f.bandXYCount;
  let k = bands + 3;
  for (const column of [f.bandShape, f.bandRate, f.bandWidth, f.bandFirst, f.bandPoints])
    for (let b = 0; b < B; b++) out[k++] = column[b] as number;
  for (let j = 0; j < B * 2; j++) out[k++] = f.bandLabel[j] as number;
  for (let j = 0; j < f.bandXYCount * 3; j++) out[k++] = f.bandXY[j] as number;
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
  // The bands are read in place: views into the (transferred, not reused) array.
  bandCount = 0;
  bandShift = 0;
  bandXYCount = 0;
  bandShape: Float64Array = new Float64Array(0);
  bandRate: Float64Array = new Float64Array(0);
  bandWidth: Float64Array = new Float64Array(0);
  bandFirst: Float64Array = new Float64Array(0);
  bandPoints: Float64Array = new Float64Array(0);
  bandLabel: Float64Array = new Float64Array(0);
  bandXY: Float64Array = new Float64Array(0);

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
    const bands = TOKENS + count * 3;
    const B = data[bands] ?? 0;
    this.bandCount = B;
    this.bandShift = data[bands + 1] ?? 0;
    this.bandXYCount = data[bands + 2] ?? 0;
    let k = bands + 3;
    const take = (n: number) => {
      const part = data.subarray(k, k + n);
      k += n;
      return part;
    };
    this.bandShape = take(B);
    this.bandRate = take(B);
    this.bandWidth = take(B);
    this.bandFirst = take(B);
    this.bandPoints = take(B);
    this.bandLabel = take(B * 2);
    this.bandXY = take(this.bandXYCount * 3);
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

  if (f.bandCount > 0) paintBands(ctx, f, c, view);
  ctx.setLineDash([]);
  for (const shape of PAINT_ORDER)
    if (pass(shape, (x, y) => traceShape(ctx, shape, x, y, r, square))) inkShape(ctx, shape, c);
}

/** The order shapes are painted in: the later ones on top. */
const PAINT_ORDER = [
  Shape.Request,
  Shape.Response,
  Shape.Event,
  Shape.Compensation,
  Shape.DeadLetter,
  Shape.Failure,
  Shape.Command,
  Shape.Reply,
  Shape.Retry,
];

/**
 * Add one token's outline to the current path: radius `r`, and `square` the side of the
 * rounded squares (events, replies, retries). Many tokens of a shape share one path, so
 * each outline starts with its own moveTo and none is closed (fill() closes sub-paths;
 * closePath over thousands of them is quadratic in Chromium).
 */
function traceShape(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  shape: number,
  x: number,
  y: number,
  r: number,
  square: number,
): void {
  switch (shape) {
    case Shape.Request:
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
      return;
    case Shape.Response:
      ctx.moveTo(x + r - 1, y);
      ctx.arc(x, y, r - 1, 0, Math.PI * 2);
      return;
    case Shape.Compensation: {
      const d = r * 1.3;
      ctx.moveTo(x, y - d);
      ctx.lineTo(x + d, y);
      ctx.lineTo(x, y + d);
      ctx.lineTo(x - d, y);
      return;
    }
    case Shape.DeadLetter:
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.1, y + r * 0.9);
      ctx.lineTo(x - r * 1.1, y + r * 0.9);
      return;
    case Shape.Failure:
      ctx.moveTo(x - r, y - r);
      ctx.lineTo(x + r, y + r);
      ctx.moveTo(x + r, y - r);
      ctx.lineTo(x - r, y + r);
      return;
    case Shape.Command: {
      const d = r * 1.25;
      ctx.moveTo(x - d, y - d);
      ctx.lineTo(x + d, y);
      ctx.lineTo(x - d, y + d);
      return;
    }
    default:
      // Events, replies and retries: rounded squares.
      roundedSquare(ctx, x, y, square);
  }
}

/** Fill and/or stroke the current path in a shape's colours. */
function inkShape(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  shape: number,
  c: Palette,
): void {
  switch (shape) {
    case Shape.Request:
      ctx.fillStyle = c.request;
      ctx.fill();
      return;
    case Shape.Response:
      ctx.lineWidth = 2;
      ctx.strokeStyle = c.response;
      ctx.stroke();
      return;
    case Shape.Compensation:
      ctx.fillStyle = c.compensation;
      ctx.fill();
      return;
    case Shape.DeadLetter:
      ctx.fillStyle = c.deadLetter;
      ctx.fill();
      return;
    case Shape.Failure:
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = c.failure;
      ctx.stroke();
      return;
    case Shape.Reply:
      ctx.fillStyle = c.halo;
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = c.response;
      ctx.stroke();
      return;
    case Shape.Retry:
      ctx.fillStyle = c.halo;
      ctx.fill();
      ctx.setLineDash([2, 2]);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = c.retry;
      ctx.stroke();
      ctx.setLineDash([]);
      return;
    default:
      // Events, and commands (an event's colour, a triangle's shape).
      ctx.fillStyle = c.event;
      ctx.fill();
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

/** Each kind's band: its colour and its dash pattern (one period: `BAND_DASH_PERIOD_PX`). */
function bandStyle(shape: number, c: Palette): { colour: string; dash: number[] } {
  switch (shape) {
    case Shape.Request:
      return { colour: c.request, dash: [10, 6] };
    case Shape.Response:
      return { colour: c.response, dash: [10, 6] };
    case Shape.Failure:
      return { colour: c.failure, dash: [3, 3, 3, 7] };
    case Shape.Retry:
      return { colour: c.retry, dash: [4, 4] };
    case Shape.DeadLetter:
      return { colour: c.deadLetter, dash: [12, 4] };
    case Shape.Compensation:
      return { colour: c.compensation, dash: [6, 2, 2, 6] };
    default:
      return { colour: c.event, dash: [10, 6] };
  }
}

const LABEL_FONT = '600 11px system-ui, sans-serif';

/**
 * Bands: for each, a pale track the width of its rate, dashes of its kind drifting along
 * it in the direction of travel, and a label (the kind's glyph and its rate) beside it.
 */
function paintBands(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  f: TokenPicture,
  c: Palette,
  view: PictureView,
): void {
  const { tx, ty, zoom } = view;
  ctx.lineJoin = 'round';
  ctx.lineCap = 'butt';
  for (let b = 0; b < f.bandCount; b++) {
    const shape = f.bandShape[b] as number;
    const style = bandStyle(shape, c);
    const first = f.bandFirst[b] as number;
    const points = f.bandPoints[b] as number;
    ctx.beginPath();
    for (let j = 0; j < points; j++) {
      const k = (first + j) * 3;
      const x = (f.bandXY[k] as number) * zoom + tx;
      const y = (f.bandXY[k + 1] as number) * zoom + ty;
      if (f.bandXY[k + 2] === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.lineWidth = f.bandWidth[b] as number;
    ctx.setLineDash([]);
    ctx.globalAlpha = 0.3;
    ctx.strokeStyle = style.colour;
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.setLineDash(style.dash);
    // Dashes move forward along the path as the offset decreases.
    ctx.lineDashOffset = -f.bandShift % BAND_DASH_PERIOD_PX;
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.lineDashOffset = 0;
  ctx.font = LABEL_FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  const glyphR = 4;
  for (let b = 0; b < f.bandCount; b++) {
    if (Number.isNaN(f.bandLabel[b * 2])) continue;
    const text = formatRate(f.bandRate[b] as number);
    // Centred where placement found room for a box of BAND_LABEL_W x BAND_LABEL_H (tokens.ts).
    const w = glyphR * 2 + 3 + ctx.measureText(text).width;
    const h = 14;
    const cx = (f.bandLabel[b * 2] as number) * zoom + tx;
    const cy = (f.bandLabel[b * 2 + 1] as number) * zoom + ty;
    const left = cx - w / 2;
    ctx.globalAlpha = 0.85;
    ctx.fillStyle = c.halo;
    ctx.fillRect(left - 2, cy - h / 2, w + 4, h);
    ctx.globalAlpha = 1;
    paintGlyph(ctx, f.bandShape[b] as number, left + glyphR, cy, glyphR, c);
    ctx.fillStyle = c.text;
    ctx.fillText(text, left + glyphR * 2 + 3, cy);
  }
}

/** One token's glyph (a band's label shows which kind it carries, never by colour alone). */
function paintGlyph(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  shape: number,
  x: number,
  y: number,
  r: number,
  c: Palette,
): void {
  ctx.beginPath();
  ctx.setLineDash([]);
  traceShape(ctx, shape, x, y, r, r * 1.9);
  inkShape(ctx, shape, c);
}
