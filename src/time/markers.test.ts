import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import type { Intervention } from '../core';
import { thinMarkers, timelineMarkers } from './markers';

const emailOutage = findScenario('email-outage')!;
const spike = findScenario('traffic-spike')!;

describe('timeline markers', () => {
  it("marks the scenario's fault once the run has reached it, as a band up to the end of the timeline", () => {
    expect(timelineMarkers(emailOutage, [], [], 5000)).toEqual([]);
    const [fault] = timelineMarkers(emailOutage, [], [], 15_000);
    expect(fault).toMatchObject({ kind: 'fault', t: 10_000, end: 15_000, byLearner: false });
    expect(fault?.label).toBe('Scenario: Email Service down');
    expect(timelineMarkers(emailOutage, [], [], 60_000)[0]?.end).toBe(30_000);
  });

  it("marks the scenario's spikes", () => {
    const s = spike.workload.spikes[0]!;
    const markers = timelineMarkers(spike, [], [], 60_000).filter((m) => m.kind === 'spike');
    expect(markers[0]).toMatchObject({
      t: s.at_ms,
      end: s.at_ms + s.duration_ms,
      byLearner: false,
    });
  });

  it("marks the learner's own actions, in words", () => {
    const log: Intervention[] = [
      { at: 2000, kind: 'fault', service: 'email', patch: { down: true } },
      { at: 4000, kind: 'fault', service: 'email', patch: { down: false } },
      { at: 5000, kind: 'spike', rate: 80, durationMs: 5000 },
      { at: 6000, kind: 'rate', rate: 20 },
      { at: 7000, kind: 'scale', service: 'payment', replicas: 3, concurrency: 4 },
      { at: 8000, kind: 'redrive' },
      { at: 9000, kind: 'fault', service: 'payment', patch: { slowFactor: 3 } },
    ];
    const markers = timelineMarkers(emailOutage, log, [], 9500);
    expect(markers.every((m) => m.byLearner)).toBe(true);
    expect(markers.map((m) => [m.kind, m.label])).toEqual([
      ['fault', 'You took Email Service down'],
      ['fault', 'You brought Email Service back up'],
      ['spike', 'You started a spike: 80 orders/s for 5 s'],
      ['action', 'You set the rate to 20 orders/s'],
      ['action', 'You scaled Payment Service to 3 × 4 workers'],
      ['action', 'You redrove the dead letters'],
      ['fault', 'You slowed Payment Service ×3'],
    ]);
    expect(markers[2]?.end).toBe(9500);
  });

  it('marks dead letters, and leaves out what lies past the end of the timeline', () => {
    const markers = timelineMarkers(
      emailOutage,
      [{ at: 20_000, kind: 'order' }],
      [
        { t: 4500, count: 1 },
        { t: 12_000, count: 2 },
      ],
      10_000,
    );
    expect(markers).toEqual([
      { kind: 'dead-letter', t: 4500, count: 1, byLearner: false, label: '1 dead letter' },
      expect.objectContaining({ kind: 'fault', t: 10_000 }),
    ]);
  });

  it('thinning merges ticks that would overlap, adding up dead letters', () => {
    const thin = thinMarkers(
      [
        { kind: 'dead-letter', t: 1000, count: 1, byLearner: false, label: '1 dead letter' },
        { kind: 'dead-letter', t: 1100, count: 2, byLearner: false, label: '2 dead letters' },
        { kind: 'fault', t: 1150, end: 5000, byLearner: false, label: 'Scenario: x' },
        { kind: 'dead-letter', t: 3000, count: 1, byLearner: false, label: '1 dead letter' },
      ],
      500,
    );
    expect(thin.map((m) => [m.kind, m.t, m.count])).toEqual([
      ['dead-letter', 1000, 3],
      ['fault', 1150, undefined],
      ['dead-letter', 3000, 1],
    ]);
    expect(thin[0]?.label).toBe('3 dead letters');
  });
});
