/** Lesson setups: a built-in scenario plus changes, validated by the scenario schema itself. */
import { describe, expect, it } from 'vitest';
import { resolveSetup } from './setup';
import { LOG_DEFAULTS } from '../core/testkit';

describe('lesson setups', () => {
  it('merges changes into the built-in and fills the defaults', () => {
    const r = resolveSetup({
      scenario: 'checkout',
      mode: 'event',
      paused: true,
      patch: {
        delivery: { max_attempts: 2 },
        services: { email: { replicas: 3 } },
        faults: [{ service: 'email', at_ms: 0, mode: 'flaky', error_rate: 0.5 }],
        add_services: [
          {
            id: 'fraud',
            name: 'Fraud Service',
            latency_ms: 40,
            subscribes: ['OrderCreated'],
            subscribed: false,
          },
        ],
      },
    });
    if (!r.ok) throw new Error(r.problem);
    const s = r.setup.scenario;
    expect(s.id).toBe('checkout');
    expect(s.delivery).toMatchObject({ max_attempts: 2, base_ms: 200 });
    expect(s.services.find((x) => x.id === 'email')?.replicas).toBe(3);
    expect(s.services.find((x) => x.id === 'fraud')).toMatchObject({
      subscribed: false,
      concurrency: 4,
    });
    expect(s.faults).toHaveLength(1);
    expect(r.setup).toMatchObject({ mode: 'event', playing: false });
  });

  it('a step can load producer and consumer settings no action switches: publish mode, idempotency, what a service emits and hears', () => {
    const r = resolveSetup({
      scenario: 'payment-declined-saga',
      mode: 'event',
      paused: true,
      patch: {
        services: {
          payment: { emits: ['PaymentCompleted'] },
          email: { subscribes: ['PaymentCompleted', 'OrderCancelled'] },
          'order-saga': { idempotency: { key: 'message-id' } },
          orders: { publish: 'outbox' },
        },
      },
    });
    if (!r.ok) throw new Error(r.problem);
    const svc = (id: string) => r.setup.scenario.services.find((x) => x.id === id);
    expect(svc('payment')?.emits).toEqual(['PaymentCompleted']);
    expect(svc('email')?.subscribes).toEqual(['PaymentCompleted', 'OrderCancelled']);
    expect(svc('order-saga')?.idempotency).toMatchObject({ key: 'message-id' });
    expect(svc('orders')?.publish).toBe('outbox');
    // Still checked in full by the scenario schema: retry needs a publish after the commit.
    const bad = resolveSetup({
      scenario: 'broker-outage',
      mode: 'event',
      paused: true,
      patch: { services: { orders: { publish: 'outbox', publish_failure: 'retry' } } },
    });
    expect(bad.ok).toBe(false);
  });

  it('a broker kind alone gives that flavour with its own defaults', () => {
    const r = resolveSetup({ scenario: 'checkout', mode: 'event', paused: false, broker: 'log' });
    if (!r.ok) throw new Error(r.problem);
    expect(r.setup.scenario.broker).toEqual(LOG_DEFAULTS);
  });

  it('names what is wrong: an unknown scenario, an unknown service, a value out of range', () => {
    expect(resolveSetup({ scenario: 'nope', mode: 'compare', paused: false })).toEqual({
      ok: false,
      problem: 'no built-in scenario "nope"',
    });
    const unknown = resolveSetup({
      scenario: 'checkout',
      mode: 'compare',
      paused: false,
      patch: { services: { billing: { replicas: 2 } } },
    });
    expect(unknown).toEqual({
      ok: false,
      problem: 'checkout: patch.services.billing: no such service',
    });
    const range = resolveSetup({
      scenario: 'checkout',
      mode: 'compare',
      paused: false,
      patch: { delivery: { max_attempts: 0 } },
    });
    expect(range.ok ? '' : range.problem).toContain('delivery.max_attempts: must be >= 1');
  });

  it('never changes the built-in scenario it starts from', () => {
    const before = JSON.stringify(
      resolveSetup({ scenario: 'checkout', mode: 'compare', paused: false }),
    );
    resolveSetup({
      scenario: 'checkout',
      mode: 'compare',
      paused: false,
      patch: { services: { email: { replicas: 8 } } },
    });
    expect(
      JSON.stringify(resolveSetup({ scenario: 'checkout', mode: 'compare', paused: false })),
    ).toBe(before);
  });
});
