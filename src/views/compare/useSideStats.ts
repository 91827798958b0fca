import type { Side } from '../../run/modes';
import { useFigures } from '../live/useFigures';
import { type SideStats, sameStats, sideStats } from './sideStats';

const same = (a: SideStats | null, b: SideStats | null) =>
  a === b || (a !== null && b !== null && sameStats(a, b));

/**
 * The strip numbers of one side. While playing, numbers a learner must read settle to
 * four updates a second instead of flickering every frame; when paused or stepping they
 * follow every change at once. They move on the figure beat (live/figureBeat.ts), so both
 * rows of the strip and every node on the canvas update in the same frame and show the
 * same moment.
 */
export function useSideStats(side: Side): SideStats | null {
  return useFigures((s) => {
    const sim = s.runs[side];
    return sim ? sideStats(sim) : null;
  }, same);
}
