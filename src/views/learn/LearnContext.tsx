/**
 * React access to the learning store (`src/store/learn.ts`). Part of the initial bundle:
 * the Learn button, the large-text class and saved progress need it before any lesson
 * content is loaded.
 */
import './largeText.css';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { createLearnStore, type LearnState } from '../../store/learn';

const LearnContext = createContext<StoreApi<LearnState> | null>(null);

/** Large-text mode for projectors: one class on <html>, so every rem and em grows. */
export const LARGE_TEXT_CLASS = 'large-text';

export function LearnProvider({
  store: given,
  children,
}: {
  store?: StoreApi<LearnState>;
  children: ReactNode;
}) {
  const [store] = useState(() => given ?? createLearnStore());
  const largeText = useStore(store, (s) => s.largeText);
  useEffect(() => {
    document.documentElement.classList.toggle(LARGE_TEXT_CLASS, largeText);
  }, [largeText]);
  return <LearnContext.Provider value={store}>{children}</LearnContext.Provider>;
}

export function useLearnStore(): StoreApi<LearnState> {
  const store = useContext(LearnContext);
  if (!store) throw new Error('useLearn* must be used inside <LearnProvider>');
  return store;
}

export function useLearn<T>(selector: (s: LearnState) => T): T {
  return useStore(useLearnStore(), selector);
}
