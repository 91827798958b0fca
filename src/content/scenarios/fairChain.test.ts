/** The fair-chain scenario, measured: the same slow Email with and without a circuit breaker. */
import { describe, expect, it } from 'vitest';
import { parseScenario, Rec, type Scenario, Simulation } from '../../core';
import { findScenario } from './index';

const scenario = findScenario('fair-chain');
if (!scenario) throw new Error('fair-chain is missing');

function withoutBreaker(s: Scenario): Scenario {
  const r = parseScenario({
    ...s,
    sync: { timeout_ms: s.sync.timeout_ms, retries: s.sync.retries },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

function run(s: Scenario) {
  const sim = new Simulation(s, { architecture: 'chain', keepTrace: true });
  sim.runUntil(s.duration_ms + 5000);
  const failedWaits = sim.fullTrace
    .filter((r) => r.kind === Rec.OrderFailed)
    .map((r) => r.value)
    .sort((a, b) => a - b);
  return { report: sim.report(), medianFailure: failedWaits[failedWaits.length >> 1] ?? 0 };
}

describe('fair-chain', () => {
  const withBreaker = run(scenario);
  const plain = run(withoutBreaker(scenario));

  it('fails the orders of the slow spell fast instead of after the one-second timeout', () => {
    expect(plain.medianFailure).toBeGreaterThanOrEqual(scenario.sync.timeout_ms);
    expect(withBreaker.medianFailure).toBeLessThan(200);
  });

  it('does not save those orders: about as many fail either way', () => {
    const a = withBreaker.report.requests.failed;
    const b = plain.report.requests.failed;
    expect(Math.abs(a - b)).toBeLessThan(0.25 * b);
  });

  it('spares the work upstream of Email: far fewer payments taken for orders that failed (the figure docs/scenario-format.md quotes)', () => {
    expect(plain.report.services.payment?.done_for_failed_orders).toBe(248);
    expect(withBreaker.report.services.payment?.done_for_failed_orders).toBe(46);
    expect(withBreaker.report.services.payment?.short_circuited).toBeGreaterThan(100);
  });
});
