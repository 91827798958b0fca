/**
 * What the timeline marks: the scenario's scripted faults and spikes, the learner's own
 * actions (outage toggles, spikes, rate changes...) and where dead letters appeared.
 * Pure: the timeline view positions them; tests check them.
 */
import type { FaultSettings, Intervention, Scenario } from '../core';

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

function faultPatchLabel(name: string, patch: Partial<FaultSettings>): string {
  const parts: string[] = [];
  if (patch.down !== undefined)
    parts.push(patch.down ? `took ${name} down` : `brought ${name} back up`);
  if (patch.slowFactor !== undefined)
    parts.push(
      patch.slowFactor === 1
        ? `set ${name} to normal speed`
        : `slowed ${name} ×${patch.slowFactor}`,
    );
  if (patch.errorRate !== undefined)
    parts.push(
      patch.errorRate === 0
        ? `stopped ${name} failing`
        : `made ${name} fail ${Math.round(patch.errorRate * 100)}%`,
    );
  if (patch.crashRate !== undefined)
    parts.push(
      patch.crashRate === 0
        ? `stopped ${name} crashing before ack`
        : `made ${name} crash before ack ${Math.round(patch.crashRate * 100)}%`,
    );
  return parts.length > 0 ? `You ${parts.join(', ')}` : `You changed ${name}`;
}

/** One learner intervention as a marker. */
export function interventionMarker(scenario: Scenario, i: Intervention): Marker {
  switch (i.kind) {
    case 'fault':
      return {
        kind: 'fault',
        t: i.at,
        byLearner: true,
        label: faultPatchLabel(serviceName(scenario, i.service), i.patch),
      };
    case 'spike':
      return {
        kind: 'spike',
        t: i.at,
        end: i.at + i.durationMs,
        byLearner: true,
        label: `You started a spike: ${i.rate} orders/s for ${i.durationMs / 1000} s`,
      };
    case 'rate':
      return {
        kind: 'action',
        t: i.at,
        byLearner: true,
        label: `You set the rate to ${i.rate} orders/s`,
      };
    case 'order':
      return { kind: 'action', t: i.at, byLearner: true, label: 'You sent one order' };
    case 'scale':
      return {
        kind: 'action',
        t: i.at,
        byLearner: true,
        label: `You scaled ${serviceName(scenario, i.service)} to ${i.replicas} × ${i.concurrency} workers`,
      };
    case 'subscribe':
      return {
        kind: 'action',
        t: i.at,
        byLearner: true,
        label: `You subscribed ${serviceName(scenario, i.service)}`,
      };
    case 'reset-offsets':
      return {
        kind: 'action',
        t: i.at,
        byLearner: true,
        label: `You reset ${serviceName(scenario, i.service)}'s offsets`,
      };
    case 'redrive':
      return { kind: 'action', t: i.at, byLearner: true, label: 'You redrove the dead letters' };
    case 'idempotent':
      return {
        kind: 'action',
        t: i.at,
        byLearner: true,
        label: `You switched ${serviceName(scenario, i.service)}'s idempotency ${i.on ? 'on' : 'off'}`,
      };
  }
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
