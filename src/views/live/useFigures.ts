/**
 * Select figures from the store on the figure beat (figureBeat.ts): the component
 * re-renders at most once per beat, and only when what it selected changed (`shallow` by
 * default, so a selector may return a fresh object of primitives).
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { shallow } from 'zustand/shallow';
import { usePlaygroundStore } from '../../store/context';
import type { PlaygroundState } from '../../store/playground';
import { figureBeat } from './figureBeat';

export function useFigures<T>(
  select: (s: PlaygroundState) => T,
  equality: (a: T, b: T) => boolean = shallow,
): T {
  const store = usePlaygroundStore();
  const beat = figureBeat(store);
  const cache = useRef<{ beat: number; select: (s: PlaygroundState) => T; value: T } | null>(null);
  const subscribe = useCallback((listener: () => void) => beat.subscribe(listener), [beat]);
  const read = () => {
    const c = cache.current;
    const n = beat.count();
    // Between beats (and within one render) the figures stay what they were.
    if (c && c.beat === n && c.select === select) return c.value;
    const next = select(store.getState());
    if (c && equality(c.value, next)) {
      c.beat = n;
      c.select = select;
      return c.value;
    }
    cache.current = { beat: n, select, value: next };
    return next;
  };
  return useSyncExternalStore(subscribe, read, read);
}
