/**
 * A service's health as a learner reads it: a word and an icon as well as a colour, so
 * it never depends on colour alone (DESIGN.md §9).
 */
import type { FaultSettings } from '../../core/simulation';

export type StatusTone = 'up' | 'down' | 'degraded';

export interface ServiceStatus {
  tone: StatusTone;
  /** Short words, e.g. `up`, `down`, `slow ×8 · flaky 20%`. */
  word: string;
  /** A text glyph shown beside the word. */
  icon: string;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const factor = (x: number) => `×${Number.isInteger(x) ? x : x.toFixed(1)}`;

export function serviceStatus(f: FaultSettings): ServiceStatus {
  if (f.down) return { tone: 'down', word: 'down', icon: '✕' };
  const parts: string[] = [];
  if (f.slowFactor > 1) parts.push(`slow ${factor(f.slowFactor)}`);
  if (f.errorRate > 0) parts.push(`flaky ${pct(f.errorRate)}`);
  if (f.crashRate > 0) parts.push(`crashing ${pct(f.crashRate)}`);
  if (f.publishCrashRate > 0) parts.push(`crash before publish ${pct(f.publishCrashRate)}`);
  if (parts.length === 0) return { tone: 'up', word: 'up', icon: '✓' };
  return { tone: 'degraded', word: parts.join(' · '), icon: '⚠' };
}

/** The broker's own health (a fault on "broker", or its outage switch), in the same words. */
export function brokerStatus(b: {
  down: boolean;
  slow_factor: number;
  electing?: readonly string[];
}): ServiceStatus {
  if (b.down) return { tone: 'down', word: 'down', icon: '✕' };
  if (b.slow_factor > 1)
    return { tone: 'degraded', word: `confirms slow ${factor(b.slow_factor)}`, icon: '⚠' };
  if (b.electing && b.electing.length > 0)
    return { tone: 'degraded', word: `electing: ${b.electing.join(', ')}`, icon: '⚠' };
  return { tone: 'up', word: 'up', icon: '✓' };
}
