/**
 * One 2D canvas over the React Flow viewport that draws every message token.
 *
 * Tokens change every frame, so they never go through React state: the layer subscribes
 * to the playground store (simulated clock, speed) and to React Flow's store (pan/zoom)
 * and redraws straight into the canvas from those callbacks. React renders the element
 * once. The drawn count and a digest of the positions are mirrored in
 * `data-token-count` / `data-token-digest` for tests and the UI benchmark: on the figure
 * beat while playing (an attribute written every frame costs a style pass every frame),
 * on every picture while paused, so a paused canvas always says exactly what it shows.
 */
import { useStoreApi } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { Side } from '../../run/modes';
import { usePlaygroundApi } from '../../store/context';
import { figureBeat } from '../live/figureBeat';
import type { Layout } from './layout';
import { placeTokens, Shape, TokenFrame, TokenRecords } from './tokens';

interface Palette {
  request: string;
  response: string;
  failure: string;
  event: string;
  retry: string;
  deadLetter: string;
  halo: string;
}

function readPalette(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    request: v('--token-request', '#1f6feb'),
    response: v('--token-response', '#1a7f37'),
    failure: v('--token-failure', '#cf222e'),
    event: v('--token-event', '#8250df'),
    retry: v('--token-retry', '#9a6700'),
    deadLetter: v('--token-dead', '#6e7781'),
    halo: v('--surface', '#ffffff'),
  };
}

export function TokenLayer({ side, layout }: { side: Side; layout: Layout }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const pg = usePlaygroundApi();
  const store = pg.store;
  const flow = useStoreApi();

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    // `desynchronized`: the canvas is presented without waiting for the compositor's
    // commit. Without it, a software-rendered page (headless, no GPU) copies the whole
    // canvas on every frame's commit: measured 3.4 s of main-thread time per 10 s at 20x,
    // 0.4 s with it. Where the hint is not supported it is ignored.
    const ctx = canvas.getContext('2d', { desynchronized: true });
    const records = new TokenRecords();
    const frame = new TokenFrame();
    let palette = readPalette(canvas);
    let width = 0;
    let height = 0;
    let dpr = 1;
    let shownDigest = '';
    /** Tokens are on the canvas: it must be cleared before the next picture. */
    let painted = false;

    const mirror = () => {
      const digest = frame.digest();
      if (digest !== shownDigest) {
        shownDigest = digest;
        canvas.dataset.tokenCount = String(frame.count);
        canvas.dataset.tokenDigest = digest;
      }
    };

    const draw = () => {
      const s = store.getState();
      const sim = s.runs[side];
      const [tx, ty, zoom] = flow.getState().transform;
      if (!sim) {
        frame.reset();
      } else {
        records.sync(sim, s.now);
        placeTokens(
          records,
          layout,
          {
            now: s.now,
            speed: s.speed,
            reducedMotion: s.reducedMotion,
            networkMs: sim.scenario.network_ms,
            pxToFlow: 1 / zoom,
          },
          frame,
        );
      }
      const motion = s.reducedMotion ? 'reduced' : 'full';
      if (canvas.dataset.motion !== motion) canvas.dataset.motion = motion;
      if (!s.playing) mirror();
      // Nothing in flight and nothing drawn: an empty canvas stays as it is (no clear, no
      // new canvas frame to present).
      if (!ctx || (frame.count === 0 && !painted)) return;
      painted = frame.count > 0;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const r = Math.min(6, Math.max(3, 4.5 * zoom));
      paint(ctx, frame, palette, r, tx, ty, zoom);
    };

    const resize = () => {
      const rect = canvas.getBoundingClientRect();
      dpr = window.devicePixelRatio || 1;
      width = rect.width;
      height = rect.height;
      canvas.width = Math.max(1, Math.round(width * dpr));
      canvas.height = Math.max(1, Math.round(height * dpr));
      painted = false; // resizing clears the canvas
      draw();
    };

    const unsubscribeStore = store.subscribe((s, prev) => {
      if (
        s.now !== prev.now ||
        s.version !== prev.version ||
        s.runs !== prev.runs ||
        s.speed !== prev.speed ||
        s.playing !== prev.playing ||
        s.reducedMotion !== prev.reducedMotion
      ) {
        draw();
      }
    });
    const unsubscribeBeat = figureBeat(store).subscribe(mirror);
    // Tokens in flight move every frame: playback keeps animation frames coming for them.
    const removeMotion = pg.playback.addMotion(() => frame.count > 0);
    const unsubscribeFlow = flow.subscribe((s, prev) => {
      if (s.transform !== prev.transform) draw();
    });
    const observer = new ResizeObserver(resize);
    observer.observe(canvas);
    const scheme = window.matchMedia?.('(prefers-color-scheme: dark)');
    const onScheme = () => {
      palette = readPalette(canvas);
      draw();
    };
    scheme?.addEventListener('change', onScheme);
    resize();
    return () => {
      unsubscribeStore();
      unsubscribeBeat();
      removeMotion();
      unsubscribeFlow();
      observer.disconnect();
      scheme?.removeEventListener('change', onScheme);
    };
  }, [pg, store, flow, side, layout]);

  return <canvas ref={canvasRef} className="token-layer" data-side={side} data-token-count="0" />;
}

/** Draw every token, one path per shape so a thousand tokens cost six fills. */
function paint(
  ctx: CanvasRenderingContext2D,
  f: TokenFrame,
  c: Palette,
  r: number,
  tx: number,
  ty: number,
  zoom: number,
): void {
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
  if (pass(Shape.Event, (x, y) => roundedSquare(ctx, x, y, square))) {
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
  if (pass(Shape.Retry, (x, y) => roundedSquare(ctx, x, y, square))) {
    ctx.fillStyle = c.halo;
    ctx.fill();
    ctx.setLineDash([2, 2]);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = c.retry;
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

function roundedSquare(ctx: CanvasRenderingContext2D, cx: number, cy: number, size: number): void {
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
