/**
 * The broker-outage scenario, measured: the broker is down from 20 s to 30 s while Order
 * Service saves each order and then publishes. What the learner sees as it is, and after
 * switching the Order Service to retry, or to an outbox.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario } from '../../core/scenario';
import { Simulation } from '../../core/simulation';
import { findScenario } from './index';

const scenario = findScenario('broker-outage');
if (!scenario) throw new Error('broker-outage is missing');
const builtIn: Scenario = scenario;

/** The built-in with Order Service's publishing changed as the learner would. */
function withOrders(change: Record<string, unknown>) {
  const services = builtIn.services.map((svc) => {
    if (svc.id !== 'orders') return svc;
    const { publish_failure: _failure, ...rest } = svc;
    return { ...rest, ...change };
  });
  const parsed = parseScenario({ ...builtIn, services });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.scenario;
}

function run(s: Scenario) {
  const sim = new Simulation(s, { architecture: 'event' });
  sim.runUntil(120_000);
  return sim.report();
}

describe('broker-outage', () => {
  it('as shipped (after the commit, fail): about ten seconds of orders fail, none is lost, and the rest are as fast as ever', () => {
    const r = run(builtIn);
    expect(r.requests.failed).toBeGreaterThan(70);
    expect(r.requests.failed).toBeLessThan(130);
    expect(r.events.refused).toBe(r.requests.failed);
    expect(r.events.lost).toBe(0);
    expect(r.requests.latency_ms.p99).toBeLessThan(200);
    expect(r.services.payment?.processed).toBe(r.requests.succeeded);
  });

  it('switched to retry: no order fails; those of the outage wait for the broker, up to about ten seconds', () => {
    const r = run(withOrders({ publish_failure: 'retry' }));
    expect(r.requests.failed).toBe(0);
    expect(r.requests.latency_ms.max).toBeGreaterThan(9_000);
    expect(r.requests.latency_ms.max).toBeLessThan(11_500);
    expect(r.events.lost).toBe(0);
    expect(r.services.email?.processed).toBe(r.requests.sent);
  });

  it('switched to an outbox: no order fails or waits; the events wait in the outbox and nothing is lost', () => {
    const r = run(withOrders({ publish: 'outbox' }));
    expect(r.requests.failed).toBe(0);
    expect(r.requests.latency_ms.max).toBeLessThan(200);
    expect(r.events.lost).toBe(0);
    expect(r.events.in_outbox).toBe(0);
    expect(r.services.payment?.processed).toBe(r.requests.sent);
    // Orders of the outage completed only once the relay could publish them.
    expect(r.orders.completion_ms.max).toBeGreaterThan(9_000);
  });

  it('confirm_ms 10: the user waits for the confirm, 2 x 5 ms network + 10 ms on top of the work', () => {
    const without = run({ ...builtIn, broker: { ...builtIn.broker, confirm_ms: 0 } });
    const r = run(builtIn);
    expect(r.requests.latency_ms.p50 - without.requests.latency_ms.p50).toBeGreaterThanOrEqual(8);
    expect(r.requests.latency_ms.p50 - without.requests.latency_ms.p50).toBeLessThanOrEqual(12);
  });
});
