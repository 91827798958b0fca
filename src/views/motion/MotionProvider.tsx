/**
 * Motion where it helps a learner follow what changed: a panel or dialog arriving, the
 * reveal after a prediction, a service changing state. Tokens never use it (they are
 * drawn from simulated time on the canvas layer). It follows the reduced-motion setting
 * (the store's, from `prefers-reduced-motion`): then nothing slides or grows, and changes
 * are instant.
 *
 * The `m` components carry no features of their own; LazyMotion loads them after the
 * first paint, so framer-motion adds a few kilobytes to the initial bundle, not thirty.
 */
import { LazyMotion, MotionConfig } from 'framer-motion';
import type { ReactNode } from 'react';
import { usePlayground } from '../../store/context';

const loadFeatures = () => import('./features').then((module) => module.default);

/** Short and quiet: enough to see where something came from, never in the way. */
export const ARRIVE = { duration: 0.16, ease: 'easeOut' } as const;

export function MotionProvider({ children }: { children: ReactNode }) {
  const reduced = usePlayground((s) => s.reducedMotion);
  return (
    <MotionConfig reducedMotion={reduced ? 'always' : 'never'} transition={ARRIVE}>
      <LazyMotion features={loadFeatures} strict>
        {children}
      </LazyMotion>
    </MotionConfig>
  );
}
