/** The dual-write lesson, measured: the Order Service dies between its commit and its publish 5% of the time. */
import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario, Simulation } from '../../core';
import { findScenario } from './index';

const scenario = findScenario('dual-write');
if (!scenario) throw new Error('dual-write is missing');

function withPublish(s: Scenario, publish: 'after-commit' | 'outbox'): Scenario {
  const services = s.services.map((svc) => (svc.id === 'orders' ? { ...svc, publish } : svc));
  const r = parseScenario({ ...s, services });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

function report(s: Scenario) {
  const sim = new Simulation(s, { architecture: 'event' });
  // Past the end of the workload: everything published has been handled.
  sim.runUntil(s.duration_ms + 10_000);
  return sim.report();
}

describe('dual-write', () => {
  it('after the commit: orders are saved whose OrderCreated never leaves, so Payment never charges and Email never sends them, and they count as lost', () => {
    const r = report(scenario);
    const saved = r.services.orders?.processed ?? 0;
    expect(r.events.never_published).toBeGreaterThan(0.02 * saved);
    expect(r.events.never_published).toBeLessThan(0.1 * saved);
    expect(r.events.lost).toBe(r.events.never_published);
    expect(r.services.payment?.processed).toBe(saved - r.events.never_published);
    expect(r.services.email?.processed).toBe(saved - r.events.never_published);
    // The user saw those orders fail, though they were saved.
    expect(r.requests.failed).toBe(r.events.never_published);
  });

  it('switching the Order Service to the outbox fixes it: every saved order is charged and emailed, nothing lost', () => {
    const r = report(withPublish(scenario, 'outbox'));
    const saved = r.services.orders?.processed ?? 0;
    expect(r.events.never_published).toBe(0);
    expect(r.events.lost).toBe(0);
    expect(r.requests.failed).toBe(0);
    // The relay died before marking some rows: those were sent twice (a non-idempotent Payment charges twice).
    expect(r.events.republished).toBeGreaterThan(0);
    expect(r.services.payment?.processed).toBe(saved + r.events.republished);
    expect(r.services.email?.processed).toBe(saved + r.events.republished);
  });
});
