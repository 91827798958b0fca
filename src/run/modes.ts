/**
 * What the playground shows: one architecture (a side) or both, one above the other.
 * Every layer that speaks of sides and modes (the store, links, lessons, the CLI's setup
 * files) uses these, so there is one list and one order.
 */

/** One run of the scenario: as a request chain, or as event fan-out. */
export type Side = 'chain' | 'event';
/** What is on screen: one side, or both (compare). */
export type Mode = Side | 'compare';

export const SIDES: readonly Side[] = ['chain', 'event'];
export const MODES: readonly Mode[] = ['chain', 'event', 'compare'];

/** The sides a mode shows, top to bottom. */
export function sidesOf(mode: Mode): Side[] {
  return mode === 'compare' ? ['chain', 'event'] : [mode];
}

export const MODE_LABELS: Record<Mode, string> = {
  chain: 'Request chain',
  event: 'Event fan-out',
  compare: 'Compare',
};

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}
