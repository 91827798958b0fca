/**
 * Where each service of a draft sits on the editor's canvas. A service the learner
 * dragged keeps its place (the scenario's `layout` hints); the others are placed in
 * columns by how far their events are from the entry service (users -> entry ->
 * its subscribers -> theirs...), each in the first free cell of its column, so nothing
 * overlaps. Pure: computed from the draft alone, so the same draft always looks the same.
 */
import { type Draft, eventLinks, eventNodeId, eventTypes, type Point, patterns } from './draft';

/** One service box on the editor's canvas. */
export const EDIT_NODE = { width: 220, height: 120 } as const;
const CELL = { x: EDIT_NODE.width + 80, y: EDIT_NODE.height + 40 } as const;

const overlaps = (a: Point, b: Point) =>
  Math.abs(a.x - b.x) < EDIT_NODE.width + 16 && Math.abs(a.y - b.y) < EDIT_NODE.height + 16;

/** Column of each service: 0 the entry, then one more per event hop (services not reached last). */
function columns(d: Draft): Map<string, number> {
  const out = new Map<string, number>();
  const links = eventLinks(d);
  const queue = d.services.some((s) => s.id === d.entry) ? [d.entry] : [];
  if (queue[0]) out.set(queue[0], 0);
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i] as string;
    for (const l of links) {
      if (l.from !== from || out.has(l.to)) continue;
      out.set(l.to, (out.get(from) ?? 0) + 1);
      queue.push(l.to);
    }
  }
  const last = Math.max(0, ...out.values()) + 1;
  for (const s of d.services) if (!out.has(s.id)) out.set(s.id, out.size === 0 ? 0 : last);
  return out;
}

/** The first spot in column `col` (from the top) that overlaps none of `taken`. */
function freeIn(col: number, taken: readonly Point[]): Point {
  for (let row = 0; ; row++) {
    const p = { x: col * CELL.x, y: row * CELL.y };
    if (!taken.some((t) => overlaps(t, p))) return p;
  }
}

/** Top-left corner of every service box, by service id. */
export function positionsOf(d: Draft): Map<string, Point> {
  const out = new Map<string, Point>();
  const taken: Point[] = [];
  for (const s of d.services) {
    const hint = d.layout?.[s.id];
    if (hint) {
      out.set(s.id, hint);
      taken.push(hint);
    }
  }
  const col = columns(d);
  for (const s of d.services) {
    if (out.has(s.id)) continue;
    const p = freeIn(col.get(s.id) ?? 0, taken);
    out.set(s.id, p);
    taken.push(p);
  }
  return out;
}

/**
 * Where a new service goes: in the column right of the entry (where subscribers sit), in
 * its first free cell, so it overlaps nothing and stays where it appeared.
 */
export function freeSpot(d: Draft): Point {
  return freeIn(d.services.length === 0 ? 0 : 1, [...positionsOf(d).values()]);
}

/** `at` if it overlaps no service box, else the first spot straight below it that does not. */
export function nearestFree(d: Draft, at: Point): Point {
  const taken = [...positionsOf(d).values()];
  for (let row = 0; ; row++) {
    const p = { x: Math.round(at.x), y: Math.round(at.y + row * CELL.y) };
    if (!taken.some((t) => overlaps(t, p))) return p;
  }
}

/** An event or topic pattern box, when events are shown as nodes. */
export const EVENT_NODE = { width: 160, height: 44 } as const;
/**
 * With events shown as nodes, services are drawn this many times further apart across,
 * so the event boxes fit between a column and the next; a box dragged there is saved
 * back in the editor's units (divided by it), so both views keep one arrangement.
 */
export const EVENTS_SPREAD = 2;

const boxOverlap = (a: Point, aw: number, ah: number, b: Point, bw: number, bh: number) =>
  a.x < b.x + bw + 12 && b.x < a.x + aw + 12 && a.y < b.y + bh + 12 && b.y < a.y + ah + 12;

/**
 * Where every box goes when events are shown as nodes: services where the editor puts them,
 * spread across (`EVENTS_SPREAD`); each event type in the gap right of the first service
 * that emits it (else left of its first subscriber); each topic pattern in the gap left of
 * its first subscriber. An event box that would cover another box moves down until it
 * covers none. Pure, like `positionsOf`.
 */
export function eventsViewPositions(d: Draft): Map<string, Point> {
  const out = new Map<string, Point>();
  const boxes: { at: Point; w: number; h: number }[] = [];
  for (const [id, p] of positionsOf(d)) {
    const at = { x: p.x * EVENTS_SPREAD, y: p.y };
    out.set(id, at);
    boxes.push({ at, w: EDIT_NODE.width, h: EDIT_NODE.height });
  }
  const gap = CELL.x * EVENTS_SPREAD - EDIT_NODE.width;
  const place = (id: string, want: Point) => {
    const at = { ...want };
    while (boxes.some((b) => boxOverlap(at, EVENT_NODE.width, EVENT_NODE.height, b.at, b.w, b.h)))
      at.y += EVENT_NODE.height + 12;
    out.set(id, at);
    boxes.push({ at, w: EVENT_NODE.width, h: EVENT_NODE.height });
  };
  const rightOf = (p: Point): Point => ({
    x: p.x + EDIT_NODE.width + (gap - EVENT_NODE.width) / 2,
    y: p.y,
  });
  const leftOf = (p: Point): Point => ({
    x: p.x - (gap + EVENT_NODE.width) / 2,
    y: p.y + EDIT_NODE.height - EVENT_NODE.height,
  });
  for (const t of eventTypes(d)) {
    const emitter = d.services.find((s) => (s.emits ?? []).includes(t));
    const subscriber = d.services.find((s) => (s.subscribes ?? []).includes(t));
    const anchor = out.get(emitter?.id ?? subscriber?.id ?? '') ?? { x: 0, y: 0 };
    place(eventNodeId(t), emitter ? rightOf(anchor) : leftOf(anchor));
  }
  for (const p of patterns(d)) {
    const subscriber = d.services.find((s) => (s.subscribes ?? []).includes(p));
    place(eventNodeId(p), leftOf(out.get(subscriber?.id ?? '') ?? { x: 0, y: 0 }));
  }
  return out;
}
