/**
 * Live reads of the engine for lesson views: numbers and checks over the playground's
 * simulations, refreshed a few times a second (not per frame), and always once more
 * after the last change, so a paused screen shows exact values.
 */
import { useMemo } from 'react';
import type { LearnWorld } from '../../learn/evaluate';
import { usePlaygroundStore } from '../../store/context';
import type { PlaygroundState } from '../../store/playground';
import { useThrottledSnapshot } from '../inspector/useThrottledSnapshot';
import { playgroundDriver } from './playgroundDriver';

export function worldOf(s: PlaygroundState): LearnWorld {
  return { mode: s.mode, now: s.now, sims: s.sims, rate: s.rate };
}

export function useWorldSnapshot<T>(
  compute: (world: LearnWorld) => T,
  deps: readonly unknown[],
  intervalMs?: number,
): T {
  return useThrottledSnapshot((s) => compute(worldOf(s)), deps, intervalMs);
}

export function usePlaygroundDriver() {
  const store = usePlaygroundStore();
  return useMemo(() => playgroundDriver(store), [store]);
}
