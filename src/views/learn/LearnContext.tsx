/**
 * React access to learning progress (`src/store/learn.ts`), which the playground owns
 * (`playground.progress`). Part of the initial bundle: the Learn button, the large-text
 * class and saved progress need it before any lesson content is loaded.
 */
import './largeText.css';
import { type ReactNode, useEffect } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { usePlaygroundApi } from '../../store/context';
import type { LearnState } from '../../store/learn';

/** Large-text mode for projectors: one class on <html>, so every rem and em grows. */
export const LARGE_TEXT_CLASS = 'large-text';

export function LearnProvider({ children }: { children: ReactNode }) {
  const largeText = useLearn((s) => s.largeText);
  useEffect(() => {
    document.documentElement.classList.toggle(LARGE_TEXT_CLASS, largeText);
  }, [largeText]);
  return <>{children}</>;
}

export function useLearnStore(): StoreApi<LearnState> {
  return usePlaygroundApi().progress;
}

export function useLearn<T>(selector: (s: LearnState) => T): T {
  return useStore(useLearnStore(), selector);
}
