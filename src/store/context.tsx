/**
 * React access to the playground store. The store is vanilla zustand; components read it
 * through `useStore` with narrow selectors, and values that change every frame are read
 * through `usePlaygroundStore().subscribe` + a ref where a re-render would be wasteful.
 */
import { createContext, type ReactNode, useContext, useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { LearnState } from './learn';
import { startPlaybackLoop } from './playback';
import type { Playground, PlaygroundState } from './playground';

const PlaygroundContext = createContext<Playground | null>(null);

export interface PlaygroundProviderProps {
  playground: Playground;
  /** Drive playback from requestAnimationFrame (default true; tests that inject time turn it off). */
  loop?: boolean;
  children: ReactNode;
}

export function PlaygroundProvider({ playground, loop = true, children }: PlaygroundProviderProps) {
  useEffect(
    () => (loop ? startPlaybackLoop(playground, playground.playback) : undefined),
    [playground, loop],
  );

  // Follow the system's reduced-motion setting while the page is open.
  useEffect(() => {
    if (typeof window === 'undefined' || !window.matchMedia) return;
    const query = window.matchMedia('(prefers-reduced-motion: reduce)');
    const update = () => playground.ui.setReducedMotion(query.matches);
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, [playground]);

  return <PlaygroundContext.Provider value={playground}>{children}</PlaygroundContext.Provider>;
}

/** The playground: its doors (`apply`, `loadRun`) and parts, for event handlers and effects. */
export function usePlaygroundApi(): Playground {
  const playground = useContext(PlaygroundContext);
  if (!playground) throw new Error('usePlayground* must be used inside <PlaygroundProvider>');
  return playground;
}

/** The store itself, for `subscribe` / `getState` in effects and event handlers. */
export function usePlaygroundStore(): StoreApi<PlaygroundState> {
  return usePlaygroundApi().store;
}

/** Select from walkthrough, challenge and interview progress. */
export function useProgress<T>(selector: (s: LearnState) => T): T {
  return useStore(usePlaygroundApi().progress, selector);
}

/**
 * Select from the store; the component re-renders only when the selected value changes
 * (by `Object.is`, or by `equality`, e.g. `shallow` from 'zustand/shallow' for arrays).
 */
export function usePlayground<T>(
  selector: (s: PlaygroundState) => T,
  equality?: (a: T, b: T) => boolean,
): T {
  const store = usePlaygroundStore();
  const previous = useRef<{ value: T } | null>(null);
  return useStore(store, (state) => {
    const next = selector(state);
    // Hand back the previous value when equal, so useSyncExternalStore sees a stable snapshot.
    if (equality && previous.current && equality(previous.current.value, next))
      return previous.current.value;
    previous.current = { value: next };
    return next;
  });
}
