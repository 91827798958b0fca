/**
 * Each built-in scenario exists to show one thing. These checks run both architectures
 * and fail when a change to the engine or to a scenario's numbers hides that thing.
 * (Exact trace hashes are pinned by the engine's golden tests, not here.)
 */
import { describe, expect, it } from 'vitest';
import { type Report, Simulation } from '../../core';
import { findScenario } from './index';

function run(id: string, architecture: 'chain' | 'event'): Report {
  const scenario = findScenario(id);
  if (!scenario) throw new Error(`no built-in scenario ${id}`);
  const sim = new Simulation(scenario, { architecture, seed: scenario.seed });
  sim.runUntil(scenario.duration_ms);
  return sim.report();
}

function both(id: string) {
  return { chain: run(id, 'chain'), event: run(id, 'event') };
}

describe('what each built-in scenario shows', () => {
  it('checkout: both work; the user waits for every service only in the chain', () => {
    const { chain, event } = both('checkout');
    expect(chain.requests.failed).toBe(0);
    expect(event.requests.failed).toBe(0);
    expect(chain.requests.latency_ms.p50).toBeGreaterThan(4 * event.requests.latency_ms.p50);
    expect(chain.requests.latency_ms.max).toBeLessThan(1000); // well inside the time-out
  });

  it('signup: the API answers at once; the email follows later', () => {
    const { chain, event } = both('signup');
    expect(chain.requests.failed).toBe(0);
    expect(event.requests.failed).toBe(0);
    expect(event.requests.latency_ms.p99).toBeLessThan(150);
    expect(chain.requests.latency_ms.p50).toBeGreaterThan(400);
    expect(event.orders.completion_ms.p50).toBeGreaterThan(400);
  });

  it('email-outage: the chain turns orders away; the queue holds the emails and drains', () => {
    const { chain, event } = both('email-outage');
    expect(chain.requests.failed).toBeGreaterThan(100);
    expect(chain.services.payment?.done_for_failed_orders).toBeGreaterThan(100);
    expect(event.requests.failed).toBe(0);
    expect(event.queues.email?.max_depth).toBeGreaterThan(100);
    expect(event.queues.email?.waiting).toBeLessThan(10);
    expect(event.events.dead_lettered).toBe(0);
  });

  it('traffic-spike: the chain times out; the email queue absorbs the burst', () => {
    const { chain, event } = both('traffic-spike');
    expect(chain.requests.failed).toBeGreaterThan(200);
    expect(event.requests.failed).toBe(0);
    expect(event.queues.email?.max_depth).toBeGreaterThan(100);
    expect(event.events.in_queue).toBeLessThan(10);
  });

  it('slow-payment: a slow hop fails the chain; with events only its queue grows', () => {
    const { chain, event } = both('slow-payment');
    expect(chain.requests.failed).toBeGreaterThan(100);
    expect(event.requests.failed).toBe(0);
    expect(event.queues.payment?.max_depth).toBeGreaterThan(5);
    expect(event.queues.email?.max_depth).toBeLessThan(event.queues.payment?.max_depth ?? 0);
  });

  it('poison-message: dead-lettered with events; failed orders in the chain', () => {
    const { chain, event } = both('poison-message');
    expect(chain.requests.failed).toBeGreaterThan(0);
    expect(event.requests.failed).toBe(0);
    expect(event.events.dead_lettered).toBeGreaterThan(0);
    expect(event.queues.analytics?.dead_lettered).toBe(event.events.dead_lettered);
    expect(event.events.redelivered).toBeGreaterThanOrEqual(4 * event.events.dead_lettered);
  });

  it('duplicate-delivery: redelivery repeats the charge of a non-idempotent payment', () => {
    const event = run('duplicate-delivery', 'event');
    expect(event.requests.failed).toBe(0);
    expect(event.services.payment?.duplicates).toBeGreaterThan(10);
    expect(event.services.email?.duplicates).toBe(0);
  });

  it('duplicate-delivery: an idempotent payment charges once, as its description says', () => {
    const scenario = structuredClone(findScenario('duplicate-delivery'));
    const payment = scenario?.services.find((s) => s.id === 'payment');
    if (!scenario || !payment) throw new Error('duplicate-delivery has no payment service');
    payment.idempotent = true;
    const sim = new Simulation(scenario, { architecture: 'event', seed: scenario.seed });
    sim.runUntil(scenario.duration_ms);
    const report = sim.report();
    expect(report.events.redelivered).toBeGreaterThan(10);
    expect(report.services.payment?.duplicates).toBe(0);
  });

  it('notes-crud: at low traffic both answer fast with no failures; events save the note after answering', () => {
    const { chain, event } = both('notes-crud');
    expect(chain.requests.failed).toBe(0);
    expect(event.requests.failed).toBe(0);
    expect(chain.requests.latency_ms.p99).toBeLessThan(150);
    expect(event.requests.latency_ms.p99).toBeLessThan(150);
    // With events the user is answered before the note is written.
    expect(event.orders.completion_ms.p50).toBeGreaterThan(event.requests.latency_ms.p50);
    expect(event.queues.store?.max_depth).toBeLessThan(5);
  });
});
