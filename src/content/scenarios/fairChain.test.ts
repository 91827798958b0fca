/**
 * The fair-chain scenario, measured: the same slow Email, with Payment calling Email and
 * Analytics at once, with a circuit breaker and a deadline, and with neither.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, Rec, type Scenario, Simulation } from '../../core';
import { findScenario } from './index';

const scenario = findScenario('fair-chain');
if (!scenario) throw new Error('fair-chain is missing');

function plainChain(s: Scenario): Scenario {
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
  const best = run(scenario);
  const plain = run(plainChain(scenario));

  it('fails the orders of the slow spell fast instead of after the one-second timeout', () => {
    expect(plain.medianFailure).toBeGreaterThanOrEqual(scenario.sync.timeout_ms);
    expect(best.medianFailure).toBeLessThan(200);
  });

  it('does not save the orders of the slow spell, but Email spends its time on calls someone still waits for: a few more succeed', () => {
    const a = best.report.requests;
    const b = plain.report.requests;
    expect(a.failed).toBeGreaterThan(0.75 * b.failed);
    expect(a.succeeded).toBeGreaterThan(b.succeeded);
    expect(best.report.services.email?.past_deadline).toBeGreaterThan(0);
  });

  it('spares the work upstream of Email: far fewer payments taken for orders that failed (the figure docs/scenario-format.md quotes)', () => {
    expect(plain.report.services.payment?.done_for_failed_orders).toBe(231);
    expect(best.report.services.payment?.done_for_failed_orders).toBe(34);
    // No email goes out for an order that failed; Analytics, called beside Email, still
    // records some of them, far fewer.
    expect(plain.report.services.email?.done_for_failed_orders).toBe(231);
    expect(best.report.services.email?.done_for_failed_orders).toBe(0);
    expect(best.report.services.analytics?.done_for_failed_orders).toBeLessThan(
      0.2 * (plain.report.services.analytics?.done_for_failed_orders ?? 0),
    );
    expect(best.report.services.payment?.short_circuited).toBeGreaterThan(100);
  });
});
