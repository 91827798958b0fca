/**
 * Live reads of the engine for lesson views: checks and numbers evaluated on the runs by
 * the engine itself, a few times a second while playing and after every other change, so
 * a paused screen shows exact values.
 */
import { useEffect, useId, useMemo } from 'react';
import type { Check, Measure } from '../../content/learnSchema';
import type { WatchResult } from '../../run/frame';
import { usePlayground, usePlaygroundApi } from '../../store/context';

const NONE: readonly never[] = [];

/** Evaluate these checks and measures live; results are null until the first frame after. */
export function useWatch(
  checks: readonly Check[],
  measures: readonly Measure[] = NONE,
): WatchResult | null {
  const pg = usePlaygroundApi();
  const key = useId();
  const spec = useMemo(() => ({ checks, measures }), [checks, measures]);
  useEffect(() => {
    pg.learning.watch(key, spec);
    return () => pg.learning.watch(key, null);
  }, [pg, key, spec]);
  return usePlayground(
    (s) => pg.learning.read(key, s.watch),
    (a, b) => JSON.stringify(a) === JSON.stringify(b),
  );
}
