/**
 * What the playground shows: one architecture (a side) or two, one above the other
 * (compare). Every layer that speaks of sides and modes (the store, links, lessons, the
 * CLI's setup files) uses these, so there is one list and one order.
 */

/** One run of the scenario: as a request chain, as event fan-out, or as an orchestrated saga. */
export type Side = 'chain' | 'event' | 'orchestration';

/**
 * Two sides at once, the first on top. `compare` is the request chain above event fan-out
 * (the first Compare, kept so older links and lessons open as they did); any other pair is
 * spelt `compare:<top>:<bottom>`.
 */
export type CompareMode =
  | 'compare'
  | 'compare:event:chain'
  | 'compare:chain:orchestration'
  | 'compare:orchestration:chain'
  | 'compare:event:orchestration'
  | 'compare:orchestration:event';
/** What is on screen: one side, or two (compare). */
export type Mode = Side | CompareMode;

export const SIDES: readonly Side[] = ['chain', 'event', 'orchestration'];

/** The sides Compare shows when nothing else was picked. */
export const DEFAULT_PAIR: readonly [Side, Side] = ['chain', 'event'];

/** The mode that compares `top` with `bottom` (two different sides). */
export function compareMode(top: Side, bottom: Side): CompareMode {
  if (top === DEFAULT_PAIR[0] && bottom === DEFAULT_PAIR[1]) return 'compare';
  return `compare:${top}:${bottom}` as CompareMode;
}

/** Every pair of two different sides, as its mode. */
const COMPARE_MODES: readonly CompareMode[] = SIDES.flatMap((top) =>
  SIDES.filter((bottom) => bottom !== top).map((bottom) => compareMode(top, bottom)),
);

export const MODES: readonly Mode[] = [...SIDES, ...COMPARE_MODES];

/** Does this mode show two sides? */
export function isCompare(mode: Mode): mode is CompareMode {
  return mode === 'compare' || mode.startsWith('compare:');
}

/** The sides a mode shows, top to bottom. */
export function sidesOf(mode: Mode): Side[] {
  if (mode === 'compare') return [...DEFAULT_PAIR];
  if (isCompare(mode)) {
    const [, top, bottom] = mode.split(':');
    return [top as Side, bottom as Side];
  }
  return [mode];
}

/** Names of the sides, as tabs and headings show them. */
export const SIDE_LABELS: Record<Side, string> = {
  chain: 'Request chain',
  event: 'Event fan-out',
  orchestration: 'Orchestration',
};

export const MODE_LABELS: Record<Mode, string> = {
  ...SIDE_LABELS,
  ...(Object.fromEntries(COMPARE_MODES.map((m) => [m, 'Compare'])) as Record<CompareMode, string>),
};

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}
