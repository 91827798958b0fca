/**
 * The beat of the numbers on screen: when the figures a learner reads (node counters and
 * bars, the comparison strip, the timeline's value) may change.
 *
 * Frames arrive about 60 times a second while playing. Re-rendering every counter with
 * each one costs a style, layout and paint pass per frame for digits nobody can read at
 * that rate (issue 17 measured style + layout at 12% of wall time, most of it this). So
 * while playing, figures move on one shared beat: every `FIGURE_REFRESH_MS` of wall time,
 * counted in simulated time (that span times the speed actually kept up with), so every
 * node and both rows of the strip change in the same frame and show the same moment.
 *
 * The beat never hides a change a learner caused or is waiting for: it fires at once
 * when the runs are rebuilt, when playback starts or stops, when the clock goes back
 * (a seek), when a learner's action reaches a run, and on every frame while paused (a
 * step, a seek, an action while paused). Tokens and the clock are motion, not figures:
 * they still follow every frame.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Intervention } from '../../core/interventions';
import type { PlaygroundState } from '../../store/playground';
import type { Side } from '../../run/modes';

/** Wall time between two refreshes of the figures while playing (4 a second). */
export const FIGURE_REFRESH_MS = 250;

export interface FigureBeat {
  /** Bumped on every beat. */
  count(): number;
  subscribe(listener: () => void): () => void;
}

const beats = new WeakMap<StoreApi<PlaygroundState>, FigureBeat>();

/**
 * Which span of `periodMs` of wall time the clock is in: simulated time divided by that
 * span at the speed actually kept up with. A change of slot is a refresh that every
 * reader sees in the same frame.
 */
export function refreshSlot(
  s: Pick<PlaygroundState, 'now' | 'speed' | 'slowedTo'>,
  periodMs: number,
): number {
  const speed = s.slowedTo ?? s.speed;
  return Math.floor(s.now / (periodMs * Math.max(speed, 0.01)));
}

const slotOf = (s: PlaygroundState) => refreshSlot(s, FIGURE_REFRESH_MS);

/** The one beat of a playground's store (created on first use, shared by every figure). */
export function figureBeat(store: StoreApi<PlaygroundState>): FigureBeat {
  const known = beats.get(store);
  if (known) return known;

  let count = 0;
  let slot = Number.NaN;
  const listeners = new Set<() => void>();
  const actions = new Map<Side, readonly Intervention[]>();
  let unsubscribe: (() => void) | null = null;

  const fire = (s: PlaygroundState) => {
    slot = slotOf(s);
    count++;
    for (const listener of [...listeners]) listener();
  };
  /** A learner's action reached a run: its effect is shown at once. */
  const acted = (s: PlaygroundState) => {
    let changed = false;
    for (const [side, run] of Object.entries(s.runs) as Array<
      [Side, { interventions: readonly Intervention[] }]
    >) {
      if (actions.get(side) !== run.interventions) {
        actions.set(side, run.interventions);
        changed = true;
      }
    }
    return changed;
  };
  const onChange = (s: PlaygroundState, prev: PlaygroundState) => {
    const moved = s.version !== prev.version || s.now !== prev.now;
    if (s.runs !== prev.runs || s.playing !== prev.playing || s.build !== prev.build) {
      acted(s);
      fire(s);
    } else if (!moved) {
      return;
    } else if (acted(s) || !s.playing || s.now < prev.now || slotOf(s) !== slot) {
      fire(s);
    }
  };

  const beat: FigureBeat = {
    count: () => count,
    subscribe(listener) {
      if (!unsubscribe) {
        acted(store.getState());
        slot = slotOf(store.getState());
        unsubscribe = store.subscribe(onChange);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && unsubscribe) {
          unsubscribe();
          unsubscribe = null;
        }
      };
    },
  };
  beats.set(store, beat);
  return beat;
}
