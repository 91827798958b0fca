/**
 * React access to the playground store. The store is vanilla zustand; components read it
 * through `useStore` with narrow selectors, and values that change every frame are read
 * through `usePlaygroundStore().subscribe` + a ref where a re-render would be wasteful.
 */
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { startPlaybackLoop } from './playback';
import { createPlaygroundStore, type PlaygroundInit, type PlaygroundState } from './playground';

const PlaygroundContext = createContext<StoreApi<PlaygroundState> | null>(null);

export interface PlaygroundProviderProps {
  /** Use this store (tests); otherwise one is created once from `init`. */
  store?: StoreApi<PlaygroundState>;
  init?: Partial<PlaygroundInit>;
  /** Drive playback from requestAnimationFrame (default true; tests that inject time turn it off). */
  loop?: boolean;
  children: ReactNode;
}

export function PlaygroundProvider({
  store: given,
  init,
  loop = true,
  children,
}: PlaygroundProviderProps) {
  const [store] = useState(() => given ?? createPlaygroundStore(init));

  useEffect(() => (loop ? startPlaybackLoop(store) : undefined), [store, loop]);

  // Follow the system's reduced-motion setting while the page is open.
  useEffect(() => {
    if (typeof window === 'undefined' || !window.matchMedia) return;
    const query = window.matchMedia('(prefers-reduced-motion: reduce)');
    const update = () => store.getState().setReducedMotion(query.matches);
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, [store]);

  return <PlaygroundContext.Provider value={store}>{children}</PlaygroundContext.Provider>;
}

/** The store itself, for `subscribe` / `getState` in effects and event handlers. */
export function usePlaygroundStore(): StoreApi<PlaygroundState> {
  const store = useContext(PlaygroundContext);
  if (!store) throw new Error('usePlayground* must be used inside <PlaygroundProvider>');
  return store;
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
