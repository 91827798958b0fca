import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Intervention, parseScenario, parseScenarioText, Simulation } from '../core';
import { findScenario } from '../content/scenarios';
import { scenarioWithChanges } from './scenarioFile';
import { checkout, learnerActions, sampleSetup } from './testSetups';

function written(setup: Parameters<typeof scenarioWithChanges>[0]) {
  const r = scenarioWithChanges(setup);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('the scenario file with the learner changes', () => {
  it('is a valid scenario file for the CLI, with seed and architecture', () => {
    const file = written(sampleSetup({ mode: 'event', seed: 7 }));
    const reread = parseScenarioText(file.text);
    expect(reread.ok).toBe(true);
    expect(file.scenario.seed).toBe(7);
    expect(file.scenario.architecture).toBe('event');
  });

  it("keeps the broker's own faults: the file's outage, the learner's outage switch and leader change", () => {
    const base = findScenario('broker-outage');
    if (!base) throw new Error('broker-outage is missing');
    const actions: Intervention[] = [
      { at: 40_000, kind: 'fault', service: 'broker', patch: { down: true } },
      { at: 45_000, kind: 'fault', service: 'broker', patch: { down: false } },
      { at: 50_000, kind: 'leader-change', queue: 'email', durationMs: 5_000 },
    ];
    const file = written(
      sampleSetup({ scenario: base, mode: 'event', interventions: { event: actions } }),
    );
    expect(file.scenario.faults).toEqual([
      { service: 'broker', at_ms: 20_000, duration_ms: 10_000, mode: 'down' },
      { service: 'broker', at_ms: 40_000, duration_ms: 5_000, mode: 'down' },
      {
        service: 'broker',
        at_ms: 50_000,
        duration_ms: 5_000,
        mode: 'leader-change',
        queue: 'email',
      },
    ]);
    // And the file runs as the setup did.
    const setupRun = new Simulation(base, { architecture: 'event' });
    setupRun.runUntil(40_000);
    setupRun.intervene({ kind: 'fault', service: 'broker', patch: { down: true } });
    setupRun.runUntil(45_000);
    setupRun.intervene({ kind: 'fault', service: 'broker', patch: { down: false } });
    setupRun.runUntil(50_000);
    setupRun.intervene({ kind: 'leader-change', queue: 'email', durationMs: 5_000 });
    setupRun.runUntil(70_000);
    const fileRun = new Simulation(file.scenario, { architecture: 'event' });
    fileRun.runUntil(70_000);
    expect(fileRun.report().events.refused).toBe(setupRun.report().events.refused);
    expect(fileRun.report().services.email?.processed).toBe(
      setupRun.report().services.email?.processed,
    );
  });

  it('writes outages, rates, spikes, orders and start-time settings in the format, and lists the rest', () => {
    const actions: Intervention[] = [
      { at: 0, kind: 'rate', rate: 20 },
      { at: 0, kind: 'scale', service: 'payment', replicas: 3, concurrency: 2 },
      ...learnerActions,
    ];
    const file = written(sampleSetup({ interventions: { chain: actions, event: actions } }));
    const s = file.scenario;
    expect(s.workload.rate_per_s).toBe(20);
    expect(s.services.find((x) => x.id === 'payment')).toMatchObject({
      replicas: 3,
      concurrency: 2,
    });
    expect(s.faults).toEqual([
      { service: 'email', at_ms: 1200, duration_ms: 7800, mode: 'down' },
      { service: 'payment', at_ms: 5000, mode: 'slow', factor: 3 },
      { service: 'payment', at_ms: 5000, mode: 'flaky', error_rate: 0.2 },
    ]);
    expect(s.workload.spikes).toEqual([
      { at_ms: 1200, duration_ms: 60_000 - 1200, rate_per_s: 30 },
      { at_ms: 4000, duration_ms: 5000, rate_per_s: 240 },
    ]);
    expect(s.workload.orders).toEqual([{ at_ms: 4100 }]);
    expect(file.leftOut).toEqual([
      'Payment Service scaled to 2 × 6 at 00:07.000',
      'Email Service idempotency switched on at 00:08.000',
      'Dead letters redriven at 00:09.500',
    ]);
    expect(file.written.length).toBeGreaterThan(3);
  });

  it('merges the scenario’s own outage with the learner switching it off early', () => {
    const base = findScenario('email-outage');
    if (!base) throw new Error('no email-outage');
    const own = base.faults[0];
    expect(own).toMatchObject({ service: 'email', mode: 'down' });
    const off: Intervention[] = [
      { at: (own?.at_ms ?? 0) + 3000, kind: 'fault', service: 'email', patch: { down: false } },
    ];
    const file = written({
      ...sampleSetup({ scenario: base, builtIn: true }),
      interventions: { chain: off, event: off },
    });
    expect(file.scenario.faults).toEqual([
      { service: 'email', at_ms: own?.at_ms, duration_ms: 3000, mode: 'down' },
    ]);
  });

  it('says so when the changes do not fit the format', () => {
    const many: Intervention[] = Array.from({ length: 1200 }, (_, i) => ({ at: i, kind: 'order' }));
    const r = scenarioWithChanges(sampleSetup({ interventions: { chain: many, event: many } }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(
      /^These changes do not fit in a scenario file \(workload\.orders: .*download the setup file instead/,
    );
  });

  it('property: the file switches every fault at the same moments as the learner did', () => {
    const scenarios = ['checkout', 'email-outage', 'slow-payment'].map(
      (id) => findScenario(id) ?? checkout(),
    );
    const field = fc.oneof(
      fc.record({ down: fc.boolean() }),
      fc.record({ slowFactor: fc.constantFrom(1, 2, 4.5) }),
      fc.record({ errorRate: fc.constantFrom(0, 0.3, 1) }),
      fc.record({ crashRate: fc.constantFrom(0, 0.5) }),
      fc.record({ publishCrashRate: fc.constantFrom(0, 0.2) }),
    );
    const toggle = fc.record({
      at: fc.integer({ min: 0, max: 20 }).map((n) => n * 500),
      service: fc.nat({ max: 3 }),
      patch: field,
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...scenarios),
        fc.array(toggle, { maxLength: 12 }),
        (scenario, raw) => {
          const actions: Intervention[] = raw
            .map((t) => ({
              at: t.at,
              kind: 'fault' as const,
              service: scenario.services[t.service % scenario.services.length]?.id ?? 'orders',
              patch: t.patch,
            }))
            .sort((a, b) => a.at - b.at);
          const file = written({
            ...sampleSetup({ scenario, builtIn: false, mode: 'event' }),
            interventions: { event: actions },
          });
          expect(parseScenario(JSON.parse(file.text)).ok).toBe(true);
          const live = new Simulation(scenario, {
            architecture: 'event',
            seed: 42,
            interventions: actions,
          });
          const folded = new Simulation(file.scenario, { architecture: 'event', seed: 42 });
          // Sample between change moments (every change is on a 500 ms grid).
          for (let t = 250; t < 11_000; t += 500) {
            live.runUntil(t);
            folded.runUntil(t);
            scenario.services.forEach((_, i) => {
              const a = live.service(i);
              const b = folded.service(i);
              expect([b.down, b.slowFactor, b.errorRate, b.crashRate]).toEqual([
                a.down,
                a.slowFactor,
                a.errorRate,
                a.crashRate,
              ]);
              // Crash-before-publish is written for the entry service (elsewhere it does nothing).
              if (a.id === scenario.entry) expect(b.publishCrashRate).toBe(a.publishCrashRate);
            });
          }
        },
      ),
      { numRuns: 40 },
    );
    // Two engines per run, 40 runs: seconds of work on a loaded 2-core machine.
  }, 30_000);
});
