/**
 * The hybrid design (issue 12, "a fair chain"): the entry service calls Payment
 * synchronously and publishes an event for the rest. The user hears the card's fate in the
 * answer, and nothing downstream hears of an order whose payment failed.
 */
import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import { parseScenario, type Scenario, type ScenarioInput } from './scenario';
import { Simulation } from './simulation';
import { Reason, Rec } from './trace';

const saga = findScenario('payment-declined-saga') as Scenario;

function variant(change: (s: ScenarioInput) => void): Scenario {
  const input = structuredClone(saga) as ScenarioInput;
  change(input);
  const r = parseScenario(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

const hybrid = variant((s) => {
  s.architecture = 'hybrid';
  s.sync_services = ['payment'];
});

function run(s: Scenario, until = 30_000) {
  const sim = new Simulation(s, { keepTrace: true });
  sim.runUntil(until);
  return { sim, r: sim.report(), trace: sim.fullTrace };
}

describe('hybrid: Payment called synchronously, the rest by events', () => {
  it('a file that says hybrid runs as event fan-out, with Payment called and no queue for it', () => {
    const { sim } = run(hybrid, 1000);
    expect(sim.architecture).toBe('event');
    const payment = sim.model.services.find((s) => s.id === 'payment');
    expect(payment?.queue).toBe(-1);
    expect(sim.model.queues.map((q) => q.id)).toEqual(['email', 'analytics', 'order-saga']);
    expect(sim.model.chainSteps.map((step) => step.map((i) => sim.model.services[i]?.id))).toEqual([
      ['orders'],
      ['payment'],
    ]);
  });

  it('the user hears "declined" in the answer, and no email goes out for an unpaid order', () => {
    const events = run(saga);
    const mixed = run(hybrid);
    const declined = mixed.r.services.payment?.declined ?? 0;
    expect(declined).toBeGreaterThan(10);
    // Fan-out alone said "accepted" to everyone; hybrid tells the truth at once.
    expect(events.r.requests.failed).toBe(0);
    expect(mixed.r.requests.failed).toBe(declined);
    for (const f of mixed.trace.filter((x) => x.kind === Rec.OrderFailed))
      expect(f.code).toBe(Reason.Declined);
    // Nothing is published for them: no confirmation email to take back, no saga.
    expect(events.r.services.email?.done_for_failed_orders).toBeGreaterThan(10);
    expect(mixed.r.services.email?.done_for_failed_orders).toBe(0);
    expect(mixed.r.orders.cancelled).toBe(0);
    expect(mixed.r.events.published).toBe(mixed.r.requests.succeeded);
  });

  it('the price: the answer waits for Payment (about 120 ms more than fan-out), still less than the whole chain', () => {
    const events = run(saga).r.requests.latency_ms.p50;
    const mixed = run(hybrid).r.requests.latency_ms.p50;
    const chain = new Simulation(saga, { architecture: 'chain' });
    chain.runUntil(30_000);
    const whole = chain.report().requests.latency_ms.p50;
    expect(mixed - events).toBeGreaterThan(90);
    expect(mixed - events).toBeLessThan(170);
    expect(mixed).toBeLessThan(whole);
  });

  it('Payment down fails the orders at once, as in the chain, while Email and Analytics go on for the rest', () => {
    const down = variant((s) => {
      s.architecture = 'hybrid';
      s.sync_services = ['payment'];
      s.faults = [{ service: 'payment', at_ms: 5000, duration_ms: 5000, mode: 'down' }];
    });
    const { r } = run(down);
    expect(r.requests.failed).toBeGreaterThan(40);
    // Only paid orders were announced: every published order was processed downstream.
    expect(r.services.analytics?.processed).toBe(r.events.published);
  });

  it('names the problem when sync_services is missing or wrong', () => {
    const bad = (patch: Partial<ScenarioInput>) => {
      const r = parseScenario({ ...saga, ...patch });
      return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    };
    expect(bad({ architecture: 'hybrid' }).join('\n')).toMatch(/sync_services.*required/);
    expect(bad({ sync_services: ['orders'] }).join('\n')).toMatch(/entry service/);
    expect(bad({ sync_services: ['nobody'] }).join('\n')).toMatch(/no service has id "nobody"/);
  });

  it('a called service that publishes its own event and crashes before answering leaves that event unpublished: counted as never published and lost', () => {
    const crashing = variant((s) => {
      s.architecture = 'hybrid';
      s.sync_services = ['payment'];
      const payment = s.services.find((svc) => svc.id === 'payment') as { emits?: string[] };
      payment.emits = ['PaymentCompleted'];
      const analytics = s.services.find((svc) => svc.id === 'analytics') as {
        subscribes: string[];
      };
      analytics.subscribes = ['OrderCreated', 'PaymentCompleted'];
      s.faults = [{ service: 'payment', at_ms: 0, mode: 'crash-before-ack', error_rate: 0.2 }];
    });
    const { sim, r, trace } = run(crashing);
    const payment = sim.model.services.find((svc) => svc.id === 'payment');
    const crashes = trace.filter(
      (x) =>
        x.kind === Rec.ResponseSent && x.from === payment?.node && x.code === Reason.CrashBeforeAck,
    ).length;
    expect(crashes).toBeGreaterThan(5);
    // The entry does not crash here: every event never published is Payment's.
    expect(r.events.never_published).toBe(crashes);
    expect(r.events.lost).toBeGreaterThanOrEqual(crashes);
  });
});
