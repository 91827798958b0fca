/// <reference lib="webworker" />
/**
 * The token painter: draws the token layer's pictures into its canvas, transferred here
 * with `transferControlToOffscreen`. Rasterising a canvas and handing its bitmap to the
 * compositor every frame cost the page's main thread about 0.05 of its time at 10 orders
 * a second (headless Chromium, software rendering); here it costs the main thread one
 * small message per picture. Where tokens go is still worked out on the page
 * (tokens.ts): this only paints.
 */
import type { PainterMessage } from './tokenSurface';
import { type Palette, paintTokens, UnpackedPicture } from './tokenPaint';

declare const self: DedicatedWorkerGlobalScope;

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;
let palette: Palette | null = null;
let width = 0;
let height = 0;
let dpr = 1;
const picture = new UnpackedPicture();

self.onmessage = (event: MessageEvent<PainterMessage>) => {
  const m = event.data;
  if (m instanceof Float64Array) {
    if (!ctx || !palette) return;
    picture.read(m);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (picture.count > 0) paintTokens(ctx, picture, palette, picture.view);
    return;
  }
  switch (m.kind) {
    case 'canvas':
      canvas = m.canvas;
      // `desynchronized`: presented without waiting for a commit (see the in-page surface).
      ctx = canvas.getContext('2d', { desynchronized: true });
      return;
    case 'size':
      width = m.width;
      height = m.height;
      dpr = m.dpr;
      if (canvas) {
        canvas.width = Math.max(1, Math.round(width * dpr));
        canvas.height = Math.max(1, Math.round(height * dpr));
      }
      return;
    case 'palette':
      palette = m.palette;
      return;
  }
};
