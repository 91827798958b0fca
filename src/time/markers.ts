/**
 * What the timeline marks: the scenario's scripted faults and spikes, the learner's own
 * actions (outage toggles, spikes, rate changes...) and where dead letters appeared.
 * Pure: the timeline view positions them; tests check them.
 */
import { type Intervention, interventionMarker as markerOf } from '../core/interventions';
import type { Scenario } from '../core/scenario';

export type MarkerKind = 'fault' | 'spike' | 'dead-letter' | 'action';

export interface Marker {
  kind: MarkerKind;
  /** Start, simulated ms. */
  t: number;
  /** For faults and spikes that last: when they end (capped at the timeline's end). */
  end?: number;
  /** true: the learner did it; false: the scenario scripted it or the run produced it. */
  byLearner: boolean;
  /** One line, e.g. "You took Email Service down". */
  label: string;
  /** Dead-letter markers: how many appeared at this moment. */
  count?: number;
}

/** Dead letters seen at a sample time. */
export interface DeadLetterMark {
  t: number;
  count: number;
}

function serviceName(scenario: Scenario, id: string): string {
  return scenario.services.find((s) => s.id === id)?.name ?? id;
}

/** One learner action as a marker: its kind, label and length come from its registry entry. */
export function interventionMarker(scenario: Scenario, i: Intervention): Marker {
  const spec = markerOf(i, (id) => serviceName(scenario, id));
  return {
    kind: spec.kind,
    t: i.at,
    end: spec.durationMs === undefined ? undefined : i.at + spec.durationMs,
    byLearner: true,
    label: spec.label,
  };
}

/**
 * Every marker from 0 to `head` (the end of the timeline), sorted by time. Scripted
 * faults and spikes that start later are not on the timeline yet.
 */
export function timelineMarkers(
  scenario: Scenario,
  interventions: readonly Intervention[],
  deadLetters: readonly DeadLetterMark[],
  head: number,
): Marker[] {
  const out: Marker[] = [];
  for (const f of scenario.faults) {
    if (f.at_ms > head) continue;
    const name = serviceName(scenario, f.service);
    const what =
      f.mode === 'down'
        ? 'down'
        : f.mode === 'slow'
          ? `slow ×${f.factor}`
          : f.mode === 'flaky'
            ? `flaky (${Math.round((f.error_rate ?? 0) * 100)}% errors)`
            : 'crashing before ack';
    const end = f.duration_ms === undefined ? head : Math.min(head, f.at_ms + f.duration_ms);
    out.push({
      kind: 'fault',
      t: f.at_ms,
      end,
      byLearner: false,
      label: `Scenario: ${name} ${what}`,
    });
  }
  for (const s of scenario.workload.spikes) {
    if (s.at_ms > head) continue;
    out.push({
      kind: 'spike',
      t: s.at_ms,
      end: Math.min(head, s.at_ms + s.duration_ms),
      byLearner: false,
      label: `Scenario: spike to ${s.rate_per_s} orders/s`,
    });
  }
  for (const i of interventions) {
    if (i.at > head) continue;
    const m = interventionMarker(scenario, i);
    if (m.end !== undefined) m.end = Math.min(head, m.end);
    out.push(m);
  }
  for (const d of deadLetters) {
    if (d.t > head || d.count <= 0) continue;
    out.push({
      kind: 'dead-letter',
      t: d.t,
      byLearner: false,
      count: d.count,
      label: `${d.count} dead letter${d.count === 1 ? '' : 's'}`,
    });
  }
  return out.sort((a, b) => a.t - b.t);
}

/**
 * Merge markers closer than `minGap` ms (less than a few pixels apart on the track), so
 * thousands of dead letters draw as a few dozen ticks. Bands (with an `end`) are kept.
 */
export function thinMarkers(markers: readonly Marker[], minGap: number): Marker[] {
  const out: Marker[] = [];
  const lastOf = new Map<string, Marker>();
  for (const m of markers) {
    if (m.end !== undefined) {
      out.push(m);
      continue;
    }
    const key = `${m.kind}:${m.byLearner}`;
    const last = lastOf.get(key);
    if (last && m.t - last.t < minGap) {
      if (m.kind === 'dead-letter') {
        last.count = (last.count ?? 0) + (m.count ?? 0);
        last.label = `${last.count} dead letters`;
      } else if (!last.label.endsWith('…')) {
        last.label = `${last.label} …`;
      }
      continue;
    }
    const copy = { ...m };
    out.push(copy);
    lastOf.set(key, copy);
  }
  return out;
}
