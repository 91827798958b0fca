/**
 * Read something derived from the store at most every `intervalMs` of wall time.
 *
 * Panels (inspector, metrics) show numbers a person reads, not motion: recomputing them
 * 60 times a second would only cost frames. The latest change is never lost: a change
 * inside the interval schedules one trailing refresh, so after a pause or a step the
 * panel shows exactly the state on screen.
 */
import { useEffect, useRef, useState } from 'react';
import { usePlaygroundStore } from '../../store/context';
import type { PlaygroundState } from '../../store/playground';

export const PANEL_REFRESH_MS = 250;

/** Store changes that can change what a panel shows. */
function changed(s: PlaygroundState, prev: PlaygroundState): boolean {
  return (
    s.version !== prev.version ||
    s.now !== prev.now ||
    s.runs !== prev.runs ||
    s.ui.selection !== prev.ui.selection
  );
}

export function useThrottledSnapshot<T>(
  compute: (s: PlaygroundState) => T,
  deps: readonly unknown[],
  intervalMs = PANEL_REFRESH_MS,
): T {
  const store = usePlaygroundStore();
  const computeRef = useRef(compute);
  computeRef.current = compute;
  const [value, setValue] = useState(() => compute(store.getState()));

  useEffect(() => {
    let last = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer = undefined;
      last = performance.now();
      setValue(computeRef.current(store.getState()));
    };
    refresh();
    const unsubscribe = store.subscribe((s, prev) => {
      if (!changed(s, prev) || timer !== undefined) return;
      const wait = intervalMs - (performance.now() - last);
      if (wait <= 0) refresh();
      else timer = setTimeout(refresh, wait);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [store, intervalMs, ...deps]);

  return value;
}
