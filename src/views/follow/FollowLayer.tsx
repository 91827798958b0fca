/**
 * The followed order on one canvas: its path (every node and edge it touched so far)
 * and a ring around each of its tokens on screen, every copy of its events included.
 * Drawn on a canvas layer under the tokens, redrawn from store subscriptions like the
 * token layer (no React render per frame).
 *
 * Clicking a token on the canvas follows its order. The click is read on React Flow's
 * pane; clicks on nodes and controls keep their own meaning.
 *
 * Mirrored for tests: `data-follow-order`, `data-follow-tokens` (rings drawn) and
 * `data-follow-nodes` (ids of the nodes on its path).
 */
import './follow.css';
import { useStoreApi } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { TraceRecord } from '../../core/trace';
import { usePlaygroundApi } from '../../store/context';
import type { Side } from '../../run/modes';
import type { Layout } from '../canvas/layout';
import { placeTokens, TokenFrame, TokenRecords } from '../canvas/tokens';
import { fillTokenRecords, type OrderPath, orderAt, orderPath } from './followPaint';

const NONE: readonly TraceRecord[] = [];

/** How close (screen pixels) a click must be to a token to pick it. */
const PICK_RADIUS_PX = 12;

export function FollowLayer({ side, layout }: { side: Side; layout: Layout }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const pg = usePlaygroundApi();
  const store = pg.store;
  const flow = useStoreApi();

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    // `desynchronized` for the same reason as the token layer: no full-canvas copy per commit.
    const ctx = canvas.getContext('2d', { desynchronized: true });
    /** Something is on the canvas: it must be cleared before the next picture. */
    let painted = false;
    const tokens = new TokenRecords();
    const frame = new TokenFrame();
    let width = 0;
    let height = 0;
    let dpr = 1;
    let color = '#d9480f';
    let path: OrderPath = { nodes: new Set(), routes: new Set() };
    let pathOf: readonly TraceRecord[] | null = null;
    let pathLength = -1;
    let shown = '';

    const readColor = () => {
      color = getComputedStyle(canvas).getPropertyValue('--follow').trim() || '#d9480f';
    };

    const draw = () => {
      const s = store.getState();
      const sim = s.runs[side];
      const corr = s.followed;
      // Following nothing costs nothing per frame: the canvas is left alone once clear.
      if (ctx && painted) {
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        ctx.clearRect(0, 0, width, height);
        painted = false;
      }
      if (!sim || corr === null) {
        if (shown !== '') {
          shown = '';
          canvas.dataset.followOrder = '';
          canvas.dataset.followTokens = '0';
          canvas.dataset.followNodes = '';
        }
        return;
      }
      const records = sim.followed.corr === corr ? sim.followed.records : NONE;
      if (records !== pathOf || records.length !== pathLength) {
        pathOf = records;
        pathLength = records.length;
        path = orderPath(records, layout);
      }
      fillTokenRecords(records, tokens);
      const [tx, ty, zoom] = flow.getState().transform;
      placeTokens(
        tokens,
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
      const nodeIds = layout.nodes.filter((n) => path.nodes.has(n.index)).map((n) => n.id);
      const next = `${corr}|${frame.count}|${nodeIds.join(',')}`;
      if (next !== shown) {
        shown = next;
        canvas.dataset.followOrder = String(corr);
        canvas.dataset.followTokens = String(frame.count);
        canvas.dataset.followNodes = nodeIds.join(',');
      }
      if (!ctx) return;
      painted = true;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.strokeStyle = color;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      // The path: every edge it travelled, then the boxes it touched.
      ctx.globalAlpha = 0.45;
      ctx.lineWidth = Math.max(3, 6 * zoom);
      ctx.beginPath();
      for (const key of path.routes) {
        const route = layout.routes.get(key);
        if (!route) continue;
        const xy = route.line.xy;
        for (let p = 0; p < xy.length; p += 2) {
          const x = (xy[p] as number) * zoom + tx;
          const y = (xy[p + 1] as number) * zoom + ty;
          if (p === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        }
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.lineWidth = 2.5;
      ctx.setLineDash([6, 3]);
      ctx.beginPath();
      for (const n of layout.nodes) {
        if (!path.nodes.has(n.index)) continue;
        ctx.rect(n.x * zoom + tx - 4, n.y * zoom + ty - 4, n.width * zoom + 8, n.height * zoom + 8);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      // A ring around each of its tokens on screen.
      const r = Math.min(13, Math.max(8, 10 * zoom));
      ctx.lineWidth = 3;
      ctx.beginPath();
      for (let i = 0; i < frame.count; i++) {
        const x = (frame.x[i] as number) * zoom + tx;
        const y = (frame.y[i] as number) * zoom + ty;
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, Math.PI * 2);
      }
      ctx.stroke();
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

    const onClick = (e: MouseEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      // Nodes, controls and panels keep their own clicks.
      if (
        !target ||
        target.closest(
          '.react-flow__node, .react-flow__controls, .react-flow__panel, button, a, input',
        )
      )
        return;
      const s = store.getState();
      const sim = s.runs[side];
      if (!sim) return;
      const rect = canvas.getBoundingClientRect();
      const [tx, ty, zoom] = flow.getState().transform;
      const x = (e.clientX - rect.left - tx) / zoom;
      const y = (e.clientY - rect.top - ty) / zoom;
      const corr = orderAt(
        sim,
        layout,
        {
          now: s.now,
          speed: s.speed,
          reducedMotion: s.reducedMotion,
          networkMs: sim.scenario.network_ms,
          pxToFlow: 1 / zoom,
        },
        x,
        y,
        PICK_RADIUS_PX / zoom,
      );
      if (corr === null) return;
      pg.timeTravel.follow(corr);
      pg.ui.setPanelTab('trace');
    };

    const offStore = store.subscribe((s, prev) => {
      if (
        s.now !== prev.now ||
        s.version !== prev.version ||
        s.runs !== prev.runs ||
        s.speed !== prev.speed ||
        s.reducedMotion !== prev.reducedMotion ||
        s.followed !== prev.followed
      )
        draw();
    });
    const offFlow = flow.subscribe((s, prev) => {
      if (s.transform !== prev.transform) draw();
    });
    // Rings around the followed order's tokens move with them.
    const removeMotion = pg.playback.addMotion(() => painted && frame.count > 0);
    // The React Flow wrapper this layer is drawn in (its store's domNode is set after
    // child effects run, so look it up in the DOM).
    const pane = canvas.closest('.react-flow') ?? canvas.parentElement;
    pane?.addEventListener('click', onClick as EventListener);
    const observer = new ResizeObserver(resize);
    observer.observe(canvas);
    const scheme = window.matchMedia?.('(prefers-color-scheme: dark)');
    const onScheme = () => {
      readColor();
      draw();
    };
    scheme?.addEventListener('change', onScheme);
    readColor();
    resize();
    return () => {
      offStore();
      offFlow();
      removeMotion();
      pane?.removeEventListener('click', onClick as EventListener);
      observer.disconnect();
      scheme?.removeEventListener('change', onScheme);
    };
  }, [pg, store, flow, side, layout]);

  return (
    <canvas
      ref={canvasRef}
      className="follow-layer"
      data-side={side}
      data-follow-order=""
      data-follow-tokens="0"
      data-follow-nodes=""
    />
  );
}
