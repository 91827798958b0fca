/**
 * Consumers that fail for good (issue 12): a declined card is an answer, not an error, and
 * a choreographed saga turns a step's final failure into events other services compensate
 * on. What a learner sees: "accepted" orders that end cancelled, the confirmation email
 * that went out before the card was declined, and a compensation that happens once per
 * order even when its failure event comes twice.
 */
import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import { type Scenario, type ScenarioInput, parseScenario } from './scenario';
import { Simulation } from './simulation';
import { makeScenario, orderService } from './testkit';
import { Reason, Rec, type TraceRecord } from './trace';

const saga = findScenario('payment-declined-saga') as Scenario;

/** The built-in saga scenario with `change` applied to its JSON form. */
function sagaWith(change: (s: ScenarioInput) => void): Scenario {
  const input = structuredClone(saga) as ScenarioInput;
  change(input);
  const r = parseScenario(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

function run(s: Scenario, architecture: 'chain' | 'event', until = 30_000) {
  const sim = new Simulation(s, { architecture, keepTrace: true });
  sim.runUntil(until);
  return { sim, r: sim.report(), trace: sim.fullTrace };
}

const nodeOf = (sim: Simulation, id: string) =>
  sim.model.nodes.findIndex((n) => n.kind === 'service' && n.id === id);

/** Per order: how many times `kind` records came from service `id`. */
function perOrder(sim: Simulation, trace: readonly TraceRecord[], kind: number, id: string) {
  const node = nodeOf(sim, id);
  const counts = new Map<number, number>();
  for (const r of trace)
    if (r.kind === kind && r.from === node) counts.set(r.corr, (counts.get(r.corr) ?? 0) + 1);
  return counts;
}

describe('a declined card (decline_rate)', () => {
  it('the chain answers "declined" at once and retries nothing: no email, no breaker trip', () => {
    const s = sagaWith((x) => {
      x.sync = { timeout_ms: 2000, retries: 2, circuit_breaker: { failure_rate: 0.05 } };
    });
    const { sim, r, trace } = run(s, 'chain');
    const declined = r.services.payment?.declined ?? 0;
    // About one card in ten.
    expect(declined).toBeGreaterThan(r.requests.sent * 0.05);
    expect(declined).toBeLessThan(r.requests.sent * 0.15);
    // Every declined order failed for the user, for that reason, and nothing else failed.
    expect(r.requests.failed).toBe(declined);
    const failed = trace.filter((x) => x.kind === Rec.OrderFailed);
    expect(failed.every((x) => x.code === Reason.Declined)).toBe(true);
    // Two retries per layer would have tripled the calls to Payment for those orders
    // (a few calls are still in progress when the run stops).
    const handled = (r.services.payment?.processed ?? 0) + declined;
    expect(r.services.payment?.calls).toBeGreaterThanOrEqual(handled);
    expect(r.services.payment?.calls).toBeLessThan(handled + 5);
    // A refusal is an answer: a breaker at 5% never opens on declines alone.
    expect(trace.some((x) => x.kind === Rec.CircuitChanged)).toBe(false);
    // Email comes after Payment in the chain: nothing is sent for a declined order.
    expect(r.services.email?.done_for_failed_orders).toBe(0);
    expect(r.orders.cancelled).toBe(0);
    expect(sim.model.nodes.some((n) => n.id === 'order-saga')).toBe(true);
  });

  it('is decided by the order: the orders Payment handled in both the chain and the event run are declined alike', () => {
    const handled = (sim: Simulation, trace: readonly TraceRecord[]) => {
      const node = nodeOf(sim, 'payment');
      const all = new Set<number>();
      const declined = new Set<number>();
      for (const x of trace) {
        if (x.from !== node) continue;
        if (x.kind === Rec.Processed) all.add(x.corr);
        if (x.kind === Rec.WorkFailed && x.code === Reason.Declined) {
          all.add(x.corr);
          declined.add(x.corr);
        }
      }
      return { all, declined };
    };
    const chain = run(saga, 'chain');
    const event = run(saga, 'event');
    const a = handled(chain.sim, chain.trace);
    const b = handled(event.sim, event.trace);
    const both = [...a.all].filter((corr) => b.all.has(corr));
    expect(both.length).toBeGreaterThan(200);
    const inA = both.filter((corr) => a.declined.has(corr));
    expect(inA.length).toBeGreaterThan(10);
    expect(both.filter((corr) => b.declined.has(corr))).toEqual(inA);
  });
});

describe('a choreographed saga (on_failure_emits)', () => {
  it('events answer "accepted", the email goes out before the decline, and every declined order ends cancelled after its compensation', () => {
    const { sim, r, trace } = run(saga, 'event');
    const declined = r.services.payment?.declined ?? 0;
    expect(declined).toBeGreaterThan(10);
    // Every order was accepted: the user heard nothing of the declines.
    expect(r.requests.failed).toBe(0);
    // Each declined order was cancelled once, and is not counted as completed.
    expect(r.orders.cancelled).toBe(declined);
    const done = trace.filter((x) => x.kind === Rec.OrderCompleted);
    expect(done.filter((x) => x.code === 2)).toHaveLength(declined);
    expect(r.orders.completed).toBe(done.filter((x) => x.code === 0).length);
    // Email (60 ms) is faster than Payment (120 ms): the confirmation had gone out for
    // most of those orders before the card was declined...
    expect(r.services.email?.done_for_failed_orders).toBeGreaterThan(declined * 0.8);
    // ...and each cancelled order got one cancellation email, by the saga.
    const cancelledEvents = perOrder(sim, trace, Rec.Published, 'order-saga');
    expect(cancelledEvents.size).toBe(declined);
    expect([...cancelledEvents.values()].every((n) => n === 1)).toBe(true);
    expect(r.services.email?.processed).toBe(
      (r.services.analytics?.processed ?? 0) + r.orders.cancelled,
    );
    // The final outcome of a cancelled order comes after its decline and compensation.
    const cancelledAt = done.filter((x) => x.code === 2).map((x) => x.value);
    expect(Math.min(...cancelledAt)).toBeGreaterThan(r.services.payment?.latency_ms.p50 ?? 0);
    expect(r.orders.outcome_ms.max).toBeGreaterThanOrEqual(Math.max(...cancelledAt));
  });

  it('a step dead-lettered for good starts the saga too', () => {
    const s = sagaWith((x) => {
      const payment = x.services.find((svc) => svc.id === 'payment') as { decline_rate?: number };
      delete payment.decline_rate;
      x.faults = [{ service: 'payment', at_ms: 0, mode: 'flaky', error_rate: 1 }];
      x.delivery = { ...x.delivery, max_attempts: 2, base_ms: 10, cap_ms: 20 };
    });
    const { r, trace } = run(s, 'event');
    expect(r.events.dead_lettered).toBeGreaterThan(50);
    // Every order whose payment copy was dead-lettered was cancelled, marked with both.
    const done = trace.filter((x) => x.kind === Rec.OrderCompleted);
    expect(done.length).toBeGreaterThan(50);
    expect(done.every((x) => x.code === 3)).toBe(true);
    expect(r.orders.cancelled).toBe(done.length);
    expect(r.orders.with_dead_letters).toBe(done.length);
    expect(r.orders.completed).toBe(0);
  });

  it('on a log, records retention deletes before Payment reads them start the saga too', () => {
    const s = sagaWith((x) => {
      const payment = x.services.find((svc) => svc.id === 'payment') as { decline_rate?: number };
      delete payment.decline_rate;
      x.broker = { kind: 'log', retention_ms: 1000 };
      x.faults = [{ service: 'payment', at_ms: 2000, duration_ms: 5000, mode: 'down' }];
    });
    const { r, trace } = run(s, 'event');
    const expired = trace.filter((x) => x.kind === Rec.Expired).length;
    expect(expired).toBeGreaterThan(10);
    const failures = trace.filter((x) => x.kind === Rec.Compensating);
    expect(failures.length).toBe(r.queues.payment?.expired);
    expect(failures.every((x) => x.code === Reason.Expired)).toBe(true);
    expect(r.orders.cancelled).toBe(failures.length);
  });

  it('under at-least-once delivery PaymentFailed can come twice; business-key idempotency still cancels each order once, message ids do not', () => {
    // Payment dies after publishing PaymentFailed and before its ack 40% of the time: the
    // copy comes back, is declined again, and PaymentFailed goes out again with a new id.
    const twice = (key: 'business-key' | 'message-id') =>
      sagaWith((x) => {
        const payment = x.services.find((svc) => svc.id === 'payment') as { decline_rate?: number };
        payment.decline_rate = 0.5;
        const orderSaga = x.services.find((svc) => svc.id === 'order-saga') as {
          idempotency?: { key: string };
        };
        orderSaga.idempotency = { key };
        x.faults = [{ service: 'payment', at_ms: 0, mode: 'crash-before-ack', error_rate: 0.4 }];
        // Orders stop at 20 s; by 30 s every saga has finished.
        x.duration_ms = 20_000;
      });
    const byKey = run(twice('business-key'), 'event');
    const failedEvents = perOrder(byKey.sim, byKey.trace, Rec.Compensating, 'payment');
    expect([...failedEvents.values()].some((n) => n > 1)).toBe(true);
    const cancels = perOrder(byKey.sim, byKey.trace, Rec.Published, 'order-saga');
    expect(cancels.size).toBe(failedEvents.size);
    expect([...cancels.values()].every((n) => n === 1)).toBe(true);
    expect(byKey.r.orders.cancelled).toBe(failedEvents.size);

    const byId = run(twice('message-id'), 'event');
    const repeated = perOrder(byId.sim, byId.trace, Rec.Published, 'order-saga');
    expect([...repeated.values()].some((n) => n > 1)).toBe(true);
  });

  it('a scenario without sagas has no failure events: the new keys leave old runs alone', () => {
    const s = makeScenario();
    const { trace } = run(s, 'event', 10_000);
    expect(trace.some((x) => x.kind === Rec.Compensating)).toBe(false);
  });
});

describe('idempotency as it really is', () => {
  /** Order Service with an outbox whose relay dies after publishing 30% of the time: republishes with new ids. */
  function republishing(idempotency: object | undefined) {
    return makeScenario({
      services: [
        { ...orderService, publish: 'outbox' },
        {
          id: 'payment',
          name: 'Payment Service',
          latency_ms: 60,
          subscribes: ['OrderCreated'],
          ...(idempotency ? { idempotency } : {}),
        },
      ],
      chain: ['orders', 'payment'],
      faults: [{ service: 'orders', at_ms: 0, mode: 'crash-before-publish', error_rate: 0.3 }],
    });
  }

  it('a republish from the outbox carries a new message id: message-id deduplication charges again, business-key deduplication does not', () => {
    const none = run(republishing(undefined), 'event', 15_000).r;
    expect(none.events.republished).toBeGreaterThan(5);
    expect(none.services.payment?.duplicates).toBeGreaterThan(5);
    // The report names the cause: the same order under another id, not a redelivery.
    expect(none.events.duplicates_by_cause).toEqual({
      same_message: 0,
      new_id: none.services.payment?.duplicates,
    });
    const byId = run(republishing({ key: 'message-id' }), 'event', 15_000).r;
    expect(byId.services.payment?.duplicates).toBe(none.services.payment?.duplicates);
    const byKey = run(republishing({ key: 'business-key' }), 'event', 15_000).r;
    expect(byKey.events.republished).toBe(none.events.republished);
    expect(byKey.services.payment?.duplicates).toBe(0);
  });

  it('a key saved after the effect leaves a gap: a crash before the ack repeats the charge; saved in the same transaction it does not', () => {
    const crashing = (record: 'after-effect' | 'same-transaction') =>
      makeScenario({
        services: [
          orderService,
          {
            id: 'payment',
            name: 'Payment Service',
            latency_ms: 60,
            subscribes: ['OrderCreated'],
            idempotency: { record },
          },
        ],
        chain: ['orders', 'payment'],
        faults: [{ service: 'payment', at_ms: 0, mode: 'crash-before-ack', error_rate: 0.2 }],
      });
    const after = run(crashing('after-effect'), 'event', 15_000).r;
    expect(after.events.redelivered).toBeGreaterThan(5);
    expect(after.services.payment?.duplicates).toBeGreaterThan(5);
    expect(after.events.duplicates_by_cause).toEqual({
      same_message: after.services.payment?.duplicates,
      new_id: 0,
    });
    const same = run(crashing('same-transaction'), 'event', 15_000).r;
    expect(same.events.redelivered).toBeGreaterThan(5);
    expect(same.services.payment?.duplicates).toBe(0);
  });

  it('an id older than the window is forgotten, and its repeat goes through', () => {
    // SQS: a consumer that dies before deleting a message sees it again after the
    // visibility timeout (5 s here), by which time 200 other messages have come.
    const crashing = (window: number) =>
      makeScenario({
        services: [
          orderService,
          {
            id: 'payment',
            name: 'Payment Service',
            latency_ms: 60,
            concurrency: 8,
            subscribes: ['OrderCreated'],
            idempotency: { key: 'message-id', window },
          },
        ],
        chain: ['orders', 'payment'],
        workload: { rate_per_s: 40 },
        broker: { kind: 'sns-sqs', visibility_timeout_ms: 5000 },
        faults: [{ service: 'payment', at_ms: 0, mode: 'crash-before-ack', error_rate: 0.2 }],
      });
    const small = run(crashing(50), 'event', 15_000).r;
    expect(small.events.redelivered).toBeGreaterThan(20);
    expect(small.services.payment?.duplicates).toBeGreaterThan(20);
    const large = run(crashing(10_000), 'event', 15_000).r;
    expect(large.events.redelivered).toBeGreaterThan(20);
    expect(large.services.payment?.duplicates).toBe(0);
  });
});

describe('validation', () => {
  it('names the problem when a saga key is misplaced', () => {
    const r = parseScenario({
      ...saga,
      services: saga.services.map((svc) =>
        svc.id === 'orders' ? { ...svc, on_failure_emits: ['OrderFailed'] } : svc,
      ),
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => `${p.path}: ${p.message}`)).toContainEqual(
        expect.stringMatching(/services\.0\.on_failure_emits|services\[0\]\.on_failure_emits/),
      );
  });

  it('a service may subscribe to a failure event nothing else emits', () => {
    expect(parseScenario(saga).ok).toBe(true);
  });
});
