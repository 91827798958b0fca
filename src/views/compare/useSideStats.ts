import { useEffect, useState } from 'react';
import { usePlaygroundStore } from '../../store/context';
import type { Side } from '../../run/modes';
import { type SideStats, sameStats, sideStats } from './sideStats';

/**
 * While playing, numbers a learner must read settle to four updates a second instead of
 * flickering every frame; when paused or stepping they follow every change at once.
 * The beat is counted in simulated time (250 ms of wall time at the current speed), so
 * both rows of the strip always update in the same frame and show the same moment.
 */
const PLAYING_REFRESH_MS = 250;

/** The strip numbers of one side, re-read when the simulation changes. */
export function useSideStats(side: Side): SideStats | null {
  const store = usePlaygroundStore();
  const [stats, setStats] = useState<SideStats | null>(() => {
    const sim = store.getState().runs[side];
    return sim ? sideStats(sim) : null;
  });

  useEffect(() => {
    let last: SideStats | null = null;
    let lastBeat = Number.NaN;
    const read = (force: boolean) => {
      const s = store.getState();
      const sim = s.runs[side];
      if (!sim) {
        if (last !== null) {
          last = null;
          setStats(null);
        }
        return;
      }
      const beat = Math.floor(s.now / (PLAYING_REFRESH_MS * s.speed));
      if (!force && s.playing && beat === lastBeat) return;
      lastBeat = beat;
      const next = sideStats(sim);
      if (last && sameStats(last, next)) return;
      last = next;
      setStats(next);
    };
    read(true);
    return store.subscribe((s, prev) => {
      if (s.runs !== prev.runs || s.playing !== prev.playing) read(true);
      else if (s.version !== prev.version) read(false);
    });
  }, [store, side]);

  return stats;
}
