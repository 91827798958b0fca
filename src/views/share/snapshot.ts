/**
 * PNG snapshot of the canvases with their numbers, for slides and handouts.
 *
 * Drawn by hand onto one 2D canvas, from what is on screen: each side's edges (their SVG
 * path data through the path's own screen transform), node boxes and every visible text
 * (from the node DOM, at its laid-out position), the token layer's pixels, then a table
 * of the comparison numbers from the engine's report. No foreignObject, no HTML-to-image
 * library, nothing the Content-Security-Policy forbids.
 */
import type { StoreApi } from 'zustand/vanilla';
import { clockText } from '../../core/format';
import type { PlaygroundState } from '../../store/playground';
import { MODE_LABELS, type Side, sidesOf } from '../../run/modes';
import { runFingerprints } from '../../store/share';
import { formatCount, formatMs, sideStats } from '../compare/sideStats';

const PAD = 16;
const HEADER = 64;
const SIDE_TITLE = 26;
const ROW = 26;
const SKIP =
  '.react-flow__controls, .react-flow__attribution, .react-flow__minimap, .sr-only, .legend, [hidden]';

interface Palette {
  bg: string;
  surface: string;
  text: string;
  muted: string;
  border: string;
  fail: string;
}

function palette(): Palette {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    bg: v('--bg', '#f7f8fa'),
    surface: v('--surface', '#ffffff'),
    text: v('--text', '#1b1f24'),
    muted: v('--muted', '#57606a'),
    border: v('--border', '#d0d7de'),
    fail: v('--fail', '#cf222e'),
  };
}

function visible(el: Element): boolean {
  if (el.closest(SKIP)) return false;
  const style = getComputedStyle(el);
  return (
    style.visibility !== 'hidden' &&
    style.display !== 'none' &&
    Number(style.opacity) > 0 &&
    el.getClientRects().length > 0
  );
}

function roundRect(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
): void {
  const radius = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + radius, y);
  ctx.arcTo(x + w, y, x + w, y + h, radius);
  ctx.arcTo(x + w, y + h, x, y + h, radius);
  ctx.arcTo(x, y + h, x, y, radius);
  ctx.arcTo(x, y, x + w, y, radius);
  ctx.closePath();
}

/** Draw one side's canvas (`area`, on screen) with its top-left at (ox, oy). */
function drawArea(
  ctx: CanvasRenderingContext2D,
  area: HTMLElement,
  ox: number,
  oy: number,
  scale: number,
  colours: Palette,
): void {
  const c = area.getBoundingClientRect();
  const at = (x: number, y: number) => [x - c.left + ox, y - c.top + oy] as const;
  ctx.save();
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.beginPath();
  ctx.rect(ox, oy, c.width, c.height);
  ctx.clip();
  ctx.fillStyle = colours.bg;
  ctx.fillRect(ox, oy, c.width, c.height);

  // Edges: each path in its own coordinates, through its transform to the screen.
  for (const path of area.querySelectorAll<SVGPathElement>(
    '.react-flow__edge path, .react-flow__edges path',
  )) {
    const d = path.getAttribute('d');
    const m = path.getScreenCTM();
    if (!d || !m || !visible(path)) continue;
    const style = getComputedStyle(path);
    if (style.stroke === 'none' || style.stroke === '') continue;
    ctx.save();
    ctx.setTransform(
      scale * m.a,
      scale * m.b,
      scale * m.c,
      scale * m.d,
      scale * (m.e - c.left + ox),
      scale * (m.f - c.top + oy),
    );
    ctx.strokeStyle = style.stroke;
    ctx.lineWidth = Number.parseFloat(style.strokeWidth) || 1;
    ctx.globalAlpha = Number(style.strokeOpacity || 1) * Number(style.opacity || 1);
    const dash = style.strokeDasharray
      .split(/[\s,]+/)
      .map((n) => Number.parseFloat(n))
      .filter((n) => Number.isFinite(n));
    ctx.setLineDash(dash);
    ctx.stroke(new Path2D(d));
    ctx.restore();
  }

  // Node boxes, in the colours and borders they have on screen.
  for (const node of area.querySelectorAll<HTMLElement>('.react-flow__node')) {
    const box = (node.firstElementChild as HTMLElement | null) ?? node;
    if (!visible(box)) continue;
    const r = box.getBoundingClientRect();
    const style = getComputedStyle(box);
    const [x, y] = at(r.left, r.top);
    const radius = Number.parseFloat(style.borderTopLeftRadius) || 0;
    roundRect(ctx, x, y, r.width, r.height, radius);
    const bg = style.backgroundColor;
    ctx.fillStyle = bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent' ? bg : colours.surface;
    ctx.fill();
    const width = Number.parseFloat(style.borderTopWidth) || 0;
    if (width > 0) {
      ctx.lineWidth = width;
      ctx.strokeStyle = style.borderTopColor;
      ctx.setLineDash(style.borderTopStyle === 'dashed' ? [4, 3] : []);
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);

  // The token layer, as it was last drawn.
  for (const tokens of area.querySelectorAll<HTMLCanvasElement>('canvas')) {
    if (!visible(tokens) || tokens.width === 0 || tokens.height === 0) continue;
    const r = tokens.getBoundingClientRect();
    const [x, y] = at(r.left, r.top);
    ctx.drawImage(tokens, x, y, r.width, r.height);
  }

  // Every visible text where it is laid out (names, numbers, status words).
  const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    // Spaces are kept: each text is drawn where its own box starts, leading space included.
    const text = n.textContent?.replace(/\s+/g, ' ') ?? '';
    const parent = n.parentElement;
    if (!text.trim() || !parent || !visible(parent)) continue;
    range.selectNodeContents(n);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (rects.length === 0) continue;
    const style = getComputedStyle(parent);
    ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    ctx.fillStyle = style.color;
    ctx.textBaseline = 'middle';
    // A wrapped text has one rect per line: fill them word by word.
    const words = rects.length > 1 ? text.trim().split(' ') : [text];
    rects.forEach((r, i) => {
      let line = '';
      if (i === rects.length - 1) line = words.splice(0).join(' ');
      else {
        while (
          words.length > 0 &&
          ctx.measureText(`${line} ${words[0]}`.trim()).width <= r.width + 1
        )
          line = `${line} ${words.shift()}`.trim();
        if (line === '' && words.length > 0) line = words.shift() ?? '';
      }
      const [x, y] = at(r.left, r.top + r.height / 2);
      ctx.fillText(line, x, y, r.width + 2);
    });
  }
  range.detach();
  ctx.restore();
}

interface StatsColumn {
  label: string;
  value(s: ReturnType<typeof sideStats>): string;
}

const COLUMNS: StatsColumn[] = [
  { label: 'Succeeded', value: (s) => formatCount(s.succeeded) },
  { label: 'Failed', value: (s) => formatCount(s.failed) },
  { label: 'p50', value: (s) => formatMs(s.p50) },
  { label: 'p99', value: (s) => formatMs(s.p99) },
  { label: 'Fully processed', value: (s) => formatCount(s.completed) },
  { label: 'Waiting', value: (s) => formatCount(s.waiting) },
  { label: 'Lost', value: (s) => formatCount(s.lost) },
  { label: 'Duplicates', value: (s) => formatCount(s.duplicates) },
];

/**
 * The snapshot as a canvas: header (scenario, view, time, seed), each side's drawing,
 * and the numbers of each side. `root` holds the `.stage-side` sections.
 */
export function composeSnapshot(
  root: ParentNode,
  state: PlaygroundState,
  scale = 2,
): HTMLCanvasElement {
  const colours = palette();
  const sides = sidesOf(state.mode);
  const areas = sides.map((side) => ({
    side,
    area: root.querySelector<HTMLElement>(
      `.stage-side[data-side="${side}"] .architecture-canvas, .architecture-canvas[data-side="${side}"]`,
    ),
  }));
  const width =
    Math.max(900, ...areas.map(({ area }) => Math.ceil(area?.getBoundingClientRect().width ?? 0))) +
    2 * PAD;
  const heights = areas.map(({ area }) => Math.ceil(area?.getBoundingClientRect().height ?? 0));
  const tableHeight = ROW * (sides.length + 1) + PAD;
  const height =
    HEADER + heights.reduce((sum, h) => sum + SIDE_TITLE + h + PAD, 0) + tableHeight + PAD;

  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw a 2D canvas.');
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = colours.surface;
  ctx.fillRect(0, 0, width, height);

  const family = getComputedStyle(document.body).fontFamily || 'system-ui, sans-serif';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = colours.text;
  ctx.font = `600 22px ${family}`;
  ctx.fillText(`Fanout — ${state.scenario.name}`, PAD, PAD + 22);
  ctx.fillStyle = colours.muted;
  ctx.font = `400 14px ${family}`;
  const prints = runFingerprints(state);
  const fingerprint = sides
    .map((side) => prints[side])
    .filter(Boolean)
    .join(' / ');
  ctx.fillText(
    `${MODE_LABELS[state.mode]} · t = ${clockText(state.now)} · seed ${state.seed} · run fingerprint ${fingerprint}`,
    PAD,
    PAD + 44,
  );

  let y = HEADER;
  areas.forEach(({ side, area }, i) => {
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.fillStyle = colours.text;
    ctx.font = `600 15px ${family}`;
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(MODE_LABELS[side as Side], PAD, y + 18);
    y += SIDE_TITLE;
    if (area) drawArea(ctx, area, PAD, y, scale, colours);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.strokeStyle = colours.border;
    ctx.lineWidth = 1;
    ctx.strokeRect(
      PAD + 0.5,
      y + 0.5,
      (area?.getBoundingClientRect().width ?? 0) - 1,
      (heights[i] ?? 0) - 1,
    );
    y += (heights[i] ?? 0) + PAD;
  });

  // The numbers, from the same report as the comparison strip.
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.textBaseline = 'middle';
  const first = 150;
  const col = (width - PAD - first) / COLUMNS.length;
  ctx.font = `600 13px ${family}`;
  ctx.fillStyle = colours.muted;
  COLUMNS.forEach((c, i) => {
    ctx.textAlign = 'right';
    ctx.fillText(c.label, first + col * (i + 1), y + ROW / 2);
  });
  sides.forEach((side, r) => {
    const sim = state.runs[side];
    if (!sim) return;
    const stats = sideStats(sim);
    const rowY = y + ROW * (r + 1) + ROW / 2;
    ctx.textAlign = 'left';
    ctx.fillStyle = colours.text;
    ctx.font = `600 14px ${family}`;
    ctx.fillText(MODE_LABELS[side], PAD, rowY);
    ctx.font = `600 16px ${family}`;
    COLUMNS.forEach((c, i) => {
      const value = c.value(stats);
      ctx.fillStyle =
        (c.label === 'Failed' || c.label === 'Lost') && value !== '0' ? colours.fail : colours.text;
      ctx.textAlign = 'right';
      ctx.fillText(value, first + col * (i + 1), rowY);
    });
  });
  ctx.textAlign = 'left';
  return canvas;
}

/** `fanout-checkout-00m42s310.png` */
export function snapshotFileName(state: Pick<PlaygroundState, 'scenario' | 'now'>): string {
  const id = /^[a-z][a-z0-9-]{0,39}$/.test(state.scenario.id) ? state.scenario.id : 'scenario';
  const t = clockText(state.now).replace(':', 'm').replace('.', 's');
  return `fanout-${id}-${t}.png`;
}

/** Compose and download the snapshot. Resolves with the file name, or rejects with a reason. */
export function saveSnapshot(
  store: StoreApi<PlaygroundState>,
  root: ParentNode,
  download: (blob: Blob, name: string) => void,
): Promise<string> {
  const state = store.getState();
  const canvas = composeSnapshot(root, state, 2);
  const name = snapshotFileName(state);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) reject(new Error('The browser could not make a PNG of the canvas.'));
      else {
        download(blob, name);
        resolve(name);
      }
    }, 'image/png');
  });
}
