/**
 * Where the token layer's pictures are painted: in a worker when the browser can hand a
 * canvas to one (`transferControlToOffscreen`), else on the page. Either way the layer
 * gives it the size, the palette and one picture per change.
 */
import {
  type Palette,
  type PictureView,
  packPicture,
  paintTokens,
  type TokenPicture,
} from './tokenPaint';

export interface TokenSurface {
  /** CSS pixels and device pixel ratio; the next picture is drawn at this size. */
  resize(width: number, height: number, dpr: number): void;
  palette(palette: Palette): void;
  /** Replace what is shown (an empty picture clears). */
  draw(picture: TokenPicture, view: PictureView): void;
  dispose(): void;
}

/** Messages to the token painter worker: a picture is a bare packed array (`packPicture`). */
export type PainterMessage =
  | { kind: 'canvas'; canvas: OffscreenCanvas }
  | { kind: 'size'; width: number; height: number; dpr: number }
  | { kind: 'palette'; palette: Palette }
  | Float64Array;

function workerSurface(canvas: HTMLCanvasElement): TokenSurface | null {
  if (typeof Worker === 'undefined' || typeof canvas.transferControlToOffscreen !== 'function')
    return null;
  let worker: Worker;
  let offscreen: OffscreenCanvas;
  try {
    worker = new Worker(new URL('./tokenPaint.worker.ts', import.meta.url), {
      type: 'module',
      name: 'fanout-tokens',
    });
    offscreen = canvas.transferControlToOffscreen();
  } catch {
    return null;
  }
  const post = (m: PainterMessage, transfer: Transferable[] = []) =>
    worker.postMessage(m, transfer);
  post({ kind: 'canvas', canvas: offscreen }, [offscreen]);
  return {
    resize: (width, height, dpr) => post({ kind: 'size', width, height, dpr }),
    palette: (palette) => post({ kind: 'palette', palette }),
    draw(picture, view) {
      const packed = packPicture(picture, view);
      post(packed, [packed.buffer]);
    },
    dispose: () => worker.terminate(),
  };
}

function pageSurface(canvas: HTMLCanvasElement): TokenSurface {
  // `desynchronized`: the canvas is presented without waiting for the compositor's
  // commit. Without it, a software-rendered page (headless, no GPU) copies the whole
  // canvas on every frame's commit: measured 3.4 s of main-thread time per 10 s at 20x,
  // 0.4 s with it. Where the hint is not supported it is ignored.
  const ctx = canvas.getContext('2d', { desynchronized: true });
  let width = 0;
  let height = 0;
  let dpr = 1;
  let colours: Palette | null = null;
  return {
    resize(w, h, ratio) {
      width = w;
      height = h;
      dpr = ratio;
      canvas.width = Math.max(1, Math.round(w * ratio));
      canvas.height = Math.max(1, Math.round(h * ratio));
    },
    palette(palette) {
      colours = palette;
    },
    draw(picture, view) {
      if (!ctx || !colours) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      if (picture.count > 0) paintTokens(ctx, picture, colours, view);
    },
    dispose() {},
  };
}

/**
 * A surface for `canvas`. `offThread` false keeps painting on the page (and the canvas's
 * pixels readable there). A canvas handed to a worker cannot be handed back: make a new
 * canvas element for a new surface.
 */
export function createTokenSurface(canvas: HTMLCanvasElement, offThread = true): TokenSurface {
  return (offThread ? workerSurface(canvas) : null) ?? pageSurface(canvas);
}
