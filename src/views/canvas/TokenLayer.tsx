/**
 * One 2D canvas over the React Flow viewport that draws every message token.
 *
 * Tokens change every frame, so they never go through React state: the layer subscribes
 * to the playground store (simulated clock, speed) and to React Flow's store (pan/zoom)
 * and, from those callbacks, places the tokens (tokens.ts) and hands the picture to its
 * surface (tokenSurface.ts): a worker paints it where the browser allows, so rasterising
 * the canvas costs the page's main thread nothing. React renders the host element once;
 * the canvas is made here, as a canvas handed to a worker is its for good. The drawn count
 * and a digest of the positions are mirrored in `data-token-count` / `data-token-digest`
 * for tests and the UI benchmark: on the figure beat while playing (an attribute written
 * every frame costs a style pass every frame), on every picture while paused, so a
 * paused canvas always says exactly what it shows. Busy edges above 2x are drawn as bands
 * (flows.ts); they are mirrored the same way, in `data-band-count` and `data-bands`
 * ("Broker → Email queue: event 40/s; ...").
 */
import { useStoreApi } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { Side } from '../../run/modes';
import { usePlaygroundApi } from '../../store/context';
import { figureBeat } from '../live/figureBeat';
import { formatRate } from './flows';
import type { Layout } from './layout';
import type { Palette } from './tokenPaint';
import { placeTokens, Shape, TokenFrame, TokenRecords } from './tokens';
import { createTokenSurface, type TokenSurface } from './tokenSurface';

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
    compensation: v('--token-compensation', '#bf3989'),
    halo: v('--surface', '#ffffff'),
    text: v('--text', '#1b1f24'),
  };
}

/** Each shape's word, as the legend says it. */
const SHAPE_WORD: Record<number, string> = {
  [Shape.Request]: 'request',
  [Shape.Response]: 'answer',
  [Shape.Failure]: 'failed',
  [Shape.Event]: 'event',
  [Shape.Retry]: 'retry',
  [Shape.DeadLetter]: 'dead letter',
  [Shape.Compensation]: 'compensation',
};

/** The frame's bands in words: `Broker → Email queue: event 40/s; ...` (for the mirror). */
function describeBands(frame: TokenFrame, layout: Layout): string {
  const name = (index: number) => layout.nodes.find((n) => n.index === index)?.label ?? '?';
  const parts: string[] = [];
  for (let b = 0; b < frame.bandCount; b++) {
    const route = frame.bandRoute[b] as number;
    const from = Math.floor(route / 65536);
    const to = route % 65536;
    const word = SHAPE_WORD[frame.bandShape[b] as number] ?? '?';
    parts.push(`${name(from)} → ${name(to)}: ${word} ${formatRate(frame.bandRate[b] as number)}`);
  }
  return parts.join('; ');
}

export function TokenLayer({ side, layout }: { side: Side; layout: Layout }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const layer = useRef<{ canvas: HTMLCanvasElement; surface: TokenSurface } | null>(null);
  const pg = usePlaygroundApi();
  const store = pg.store;
  const flow = useStoreApi();

  // The canvas and its surface, for as long as this side is shown (runs come and go).
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const canvas = document.createElement('canvas');
    canvas.className = 'token-layer';
    canvas.dataset.side = side;
    canvas.dataset.tokenCount = '0';
    canvas.dataset.bandCount = '0';
    host.append(canvas);
    const surface = createTokenSurface(canvas);
    layer.current = { canvas, surface };
    return () => {
      layer.current = null;
      surface.dispose();
      canvas.remove();
    };
  }, [side]);

  useEffect(() => {
    if (!layer.current) return;
    const { canvas, surface } = layer.current;
    const records = new TokenRecords();
    const frame = new TokenFrame();
    let shownDigest = '';
    /** Tokens are on the canvas: it must be cleared before the next picture. */
    let painted = false;
    /**
     * The canvas takes room on screen. Compare on a phone hides one side (display: none):
     * that side works out no picture until it is shown again (its resize draws it then).
     */
    let visible = true;

    const mirror = () => {
      const digest = frame.digest();
      if (digest !== shownDigest) {
        shownDigest = digest;
        canvas.dataset.tokenCount = String(frame.count);
        canvas.dataset.tokenDigest = digest;
        canvas.dataset.bandCount = String(frame.bandCount);
        canvas.dataset.bands = describeBands(frame, layout);
      }
    };

    const draw = () => {
      if (!visible) return;
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
            bands: true,
          },
          frame,
        );
      }
      const motion = s.reducedMotion ? 'reduced' : 'full';
      if (canvas.dataset.motion !== motion) canvas.dataset.motion = motion;
      if (!s.playing) mirror();
      // Nothing in flight and nothing drawn: an empty canvas stays as it is (no clear, no
      // new canvas frame to present).
      const drawn = frame.count > 0 || frame.bandCount > 0;
      if (!drawn && !painted) return;
      painted = drawn;
      surface.draw(frame, { tx, ty, zoom, radius: Math.min(6, Math.max(3, 4.5 * zoom)) });
    };

    const resize = () => {
      const rect = canvas.getBoundingClientRect();
      // Hidden by Compare's phone layout: no box, on the side the phone does not show.
      visible = rect.width > 0 || rect.height > 0 || !canvas.closest('[data-phone-hidden="true"]');
      if (!visible) {
        // Nothing in flight here asks playback for frames while it is not shown.
        frame.reset();
        return;
      }
      surface.resize(rect.width, rect.height, window.devicePixelRatio || 1);
      painted = true; // redraw at the new size, even an empty picture
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
    // Tokens in flight and bands' dashes move every frame: playback keeps animation
    // frames coming for them.
    const removeMotion = pg.playback.addMotion(() => frame.count > 0 || frame.bandCount > 0);
    const unsubscribeFlow = flow.subscribe((s, prev) => {
      if (s.transform !== prev.transform) draw();
    });
    const observer = new ResizeObserver(resize);
    observer.observe(canvas);
    const scheme = window.matchMedia?.('(prefers-color-scheme: dark)');
    const onScheme = () => {
      surface.palette(readPalette(canvas));
      painted = true;
      draw();
    };
    scheme?.addEventListener('change', onScheme);
    surface.palette(readPalette(canvas));
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

  return <div ref={hostRef} className="token-layer-host" />;
}
