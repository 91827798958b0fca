import { useMemo } from 'react';
import { useStore } from 'zustand';
import { usePlaygroundStore } from '../../store/context';
import { type TimeTravel, type TimeTravelState, timeTravelOf } from '../../store/timeTravel';

/** The time-travel companion of the playground store on this page. */
export function useTimeTravelApi(): TimeTravel {
  const store = usePlaygroundStore();
  return useMemo(() => timeTravelOf(store), [store]);
}

/** Select from the time-travel state; re-renders when the selected value changes. */
export function useTimeTravel<T>(selector: (s: TimeTravelState) => T): T {
  return useStore(useTimeTravelApi().store, selector);
}
