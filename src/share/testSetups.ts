/** Setups for the tests of `src/share` (not used by the app). */
import type { Intervention } from '../core';
import { findScenario } from '../content/scenarios';
import type { Setup } from './setup';

export function checkout() {
  const s = findScenario('checkout');
  if (!s) throw new Error('no built-in checkout');
  return s;
}

export const learnerActions: Intervention[] = [
  { at: 1200, kind: 'fault', service: 'email', patch: { down: true } },
  { at: 1200, kind: 'rate', rate: 30 },
  { at: 4000, kind: 'spike', rate: 240, durationMs: 5000 },
  { at: 4100, kind: 'order' },
  { at: 5000, kind: 'fault', service: 'payment', patch: { slowFactor: 3, errorRate: 0.2 } },
  { at: 7000, kind: 'scale', service: 'payment', replicas: 2, concurrency: 6 },
  { at: 8000, kind: 'idempotent', service: 'email', on: true },
  { at: 9000, kind: 'fault', service: 'email', patch: { down: false } },
  { at: 9500, kind: 'redrive' },
];

export function sampleSetup(overrides: Partial<Setup> = {}): Setup {
  return {
    scenario: checkout(),
    builtIn: true,
    seed: 42,
    mode: 'compare',
    speed: 2,
    at: 12_345,
    interventions: { chain: learnerActions, event: learnerActions },
    ...overrides,
  };
}
