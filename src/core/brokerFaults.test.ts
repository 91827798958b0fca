/**
 * The broker itself breaks (issue 12, "The broker itself"): what a learner sees when the
 * broker is down or slow, with each way the Order Service can publish.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, type ScenarioInput } from './scenario';
import { Simulation } from './simulation';
import { makeScenario, orderService } from './testkit';
import { Reason, Rec, type TraceRecord } from './trace';

const of = (trace: readonly TraceRecord[], kind: number) => trace.filter((r) => r.kind === kind);

type Orders = ScenarioInput['services'][number];

/** Checkout at 10 orders/s for 30 s; the broker is down from 10 s to 20 s. */
function outage(orders: Partial<Orders> = {}, extra: Partial<ScenarioInput> = {}) {
  const s = makeScenario({
    duration_ms: 30_000,
    services: [
      { ...orderService, ...orders } as Orders,
      { id: 'payment', name: 'Payment Service', latency_ms: 60, subscribes: ['OrderCreated'] },
      { id: 'email', name: 'Email Service', latency_ms: 120, subscribes: ['OrderCreated'] },
    ],
    chain: ['orders', 'payment', 'email'],
    network_ms: 5,
    // The user waits long enough to outlast the outage (the chain never gets near it).
    sync: { timeout_ms: 30_000 },
    faults: [{ service: 'broker', at_ms: 10_000, duration_ms: 10_000, mode: 'down' }],
    ...extra,
  });
  const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
  sim.runUntil(60_000);
  return { sim, r: sim.report() };
}

/** When each order was received, by order number. */
function receivedAt(trace: readonly TraceRecord[]): Map<number, number> {
  return new Map(of(trace, Rec.OrderReceived).map((o) => [o.corr, o.t]));
}

const during = (t: number | undefined) => t !== undefined && t >= 10_000 && t < 20_000;

describe('the broker is down for 10 s, orders published after the commit', () => {
  it('with publish_failure fail (the default), orders that arrive during the outage fail at once and none is lost', () => {
    const { sim, r } = outage();
    const at = receivedAt(sim.fullTrace);
    const failed = of(sim.fullTrace, Rec.OrderFailed);
    expect(failed.length).toBeGreaterThan(60);
    expect(r.requests.failed).toBe(failed.length);
    for (const f of failed) {
      expect(during(at.get(f.corr))).toBe(true);
      expect(f.code).toBe(Reason.BrokerUnavailable);
      // Refused at once: the user hears within the order's own work and a network trip.
      expect(f.value).toBeLessThan(100);
    }
    // Every order outside the outage succeeded; every refused publish is a failed order.
    expect(r.requests.succeeded + r.requests.failed).toBe(r.requests.sent);
    expect(r.events.refused).toBe(r.requests.failed);
    expect(r.services.orders?.publish_refused).toBe(r.requests.failed);
    expect(r.events.lost).toBe(0);
    expect(r.events.never_published).toBe(0);
    // Subscribers processed exactly the orders the user was told succeeded.
    expect(r.services.payment?.processed).toBe(r.requests.succeeded);
    expect(r.services.email?.processed).toBe(r.requests.succeeded);
  });

  it('consumers receive nothing while the broker is down, then work through what waited', () => {
    const { sim, r } = outage();
    const delivered = of(sim.fullTrace, Rec.Delivered);
    expect(delivered.filter((d) => d.t > 10_000 && d.t < 20_000)).toEqual([]);
    expect(delivered.some((d) => d.t >= 20_000)).toBe(true);
    expect(r.events.in_queue + r.events.in_flight).toBe(0);
  });

  it('with publish_failure retry, orders of the outage wait at the producer and succeed after it, their response time grown by about the outage left', () => {
    const { sim, r } = outage({ publish_failure: 'retry' });
    expect(r.requests.failed).toBe(0);
    expect(r.requests.succeeded).toBe(r.requests.sent);
    expect(r.events.publish_retries).toBeGreaterThan(r.events.refused * 0.9);
    const at = receivedAt(sim.fullTrace);
    let waited = 0;
    for (const ok of of(sim.fullTrace, Rec.OrderSucceeded)) {
      const t = at.get(ok.corr) as number;
      if (!during(t)) {
        // Before, and once the backlog the outage left behind is gone, as fast as ever.
        if (t < 10_000 || t > 22_000) expect(ok.value).toBeLessThan(100);
        continue;
      }
      waited++;
      // Answered only once the broker was back, within one backoff (at most 1 s) of it.
      expect(ok.t).toBeGreaterThanOrEqual(20_000);
      expect(ok.t).toBeLessThan(20_000 + 1_000 + 100);
      expect(ok.value).toBeGreaterThanOrEqual(20_000 - t);
    }
    expect(waited).toBeGreaterThan(60);
    // The response time's tail is the outage.
    expect(r.requests.latency_ms.p99).toBeGreaterThan(5_000);
    expect(r.events.lost).toBe(0);
    expect(r.services.payment?.processed).toBe(r.requests.sent);
  });

  it('with publish_failure retry, the waiting orders hold the Order Service’s workers: once all 8 wait, new orders queue behind them', () => {
    const { sim } = outage({ publish_failure: 'retry' });
    sim.runUntil(15_000);
    const orders = sim.service(0);
    expect(orders.busy).toBe(orders.workers);
    expect(orders.waiting).toBeGreaterThan(20);
  });

  it('with publish_failure retry and a user who waits 3 s, the service stops retrying once the user has given up: those orders fail, none is lost', () => {
    const { r } = outage({ publish_failure: 'retry' }, { sync: { timeout_ms: 3_000 } });
    expect(r.requests.failed).toBeGreaterThan(40);
    expect(r.requests.latency_ms.max).toBeLessThan(3_000);
    expect(r.events.lost).toBe(0);
    // Every event that got through was processed (one can belong to an order whose user
    // gave up just before its confirm came: work done for a failed order).
    expect(r.services.payment?.processed).toBe(r.events.published);
  });

  it('with an outbox, every order succeeds at once; the events wait in the outbox and are published after the broker returns; nothing is lost', () => {
    const { sim, r } = outage({ publish: 'outbox' });
    expect(r.requests.failed).toBe(0);
    expect(r.requests.latency_ms.max).toBeLessThan(100);
    expect(r.events.lost).toBe(0);
    expect(r.events.in_outbox).toBe(0);
    expect(r.services.email?.processed).toBe(r.requests.sent);
    // The relay tried at every poll of the outage and kept the rows.
    expect(r.services.orders?.publish_refused).toBeGreaterThan(50);
    const relayed = of(sim.fullTrace, Rec.OutboxRelayed);
    const late = relayed.filter((x) => x.t >= 20_000 && x.value > 1_000);
    expect(late.length).toBeGreaterThan(60);
    expect(relayed.filter((x) => x.t > 10_000 && x.t < 20_000)).toEqual([]);
    // Mid-outage the canvas's outbox shows the rows waiting.
    const mid = outage({ publish: 'outbox' }).sim;
    mid.seek(15_000);
    expect(mid.report().events.in_outbox).toBeGreaterThan(30);
  });

  it('published before the commit, a refused publish saves nothing: the order fails cleanly', () => {
    const { r } = outage({ publish: 'before-commit' });
    expect(r.requests.failed).toBeGreaterThan(60);
    expect(r.services.orders?.processed).toBe(r.requests.succeeded);
    expect(r.events.phantom).toBe(0);
    expect(r.events.lost).toBe(0);
  });

  it('a consumer’s follow-up event refused by a down broker is never published, and counted as lost', () => {
    const s = makeScenario({
      services: [
        orderService,
        {
          id: 'payment',
          name: 'Payment Service',
          latency_ms: 500,
          subscribes: ['OrderCreated'],
          emits: ['PaymentTaken'],
        },
        { id: 'email', name: 'Email Service', latency_ms: 10, subscribes: ['PaymentTaken'] },
      ],
      chain: ['orders', 'payment', 'email'],
      workload: { rate_per_s: 0, orders: [{ at_ms: 100 }] },
      faults: [{ service: 'broker', at_ms: 300, duration_ms: 1000, mode: 'down' }],
    });
    const sim = new Simulation(s, { architecture: 'event' });
    sim.runUntil(5_000);
    const r = sim.report();
    expect(r.services.payment?.processed).toBe(1);
    expect(r.services.email?.processed).toBe(0);
    expect(r.events.never_published).toBe(1);
    expect(r.events.lost).toBe(1);
  });
});

describe('publisher confirms take time', () => {
  const confirmRun = (confirm_ms: number | undefined, factor = 1) => {
    const s = makeScenario({
      broker: confirm_ms === undefined ? { kind: 'queue' } : { kind: 'queue', confirm_ms },
      faults: factor > 1 ? [{ service: 'broker', at_ms: 0, mode: 'slow', factor }] : [],
    });
    const sim = new Simulation(s, { architecture: 'event' });
    sim.runUntil(20_000);
    return sim.report();
  };

  it('confirm_ms raises the user’s response time by confirm_ms: the answer waits for the confirm', () => {
    const base = confirmRun(undefined);
    const slow = confirmRun(40);
    expect(slow.requests.latency_ms.p50 - base.requests.latency_ms.p50).toBe(40);
    expect(slow.requests.failed).toBe(0);
    expect(slow.broker.confirm_ms).toBe(40);
  });

  it('confirm_ms 0 is the same run as leaving it out (same trace hash)', () => {
    expect(confirmRun(0).trace_hash).toBe(confirmRun(undefined).trace_hash);
  });

  it('a slow broker (factor 5) makes the confirm round trip (2 x 5 ms network) five times longer', () => {
    const base = confirmRun(undefined);
    const slow = confirmRun(undefined, 5);
    expect(slow.requests.latency_ms.p50 - base.requests.latency_ms.p50).toBe(40);
    expect(slow.broker.slow_factor).toBe(5);
    // With confirm_ms 10 the round trip is 20 ms: x3 is 60 ms, 40 more than the healthy 20.
    expect(confirmRun(10, 3).requests.latency_ms.p50 - confirmRun(10).requests.latency_ms.p50).toBe(
      40,
    );
  });
});

describe('the broker as a fault target', () => {
  it('a scenario names it "broker"; it can be down or slow, not flaky', () => {
    const bad = parseScenario({
      ...makeScenario(),
      faults: [{ service: 'broker', at_ms: 0, mode: 'flaky', error_rate: 0.5 }],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.problems.map((p) => `${p.path}: ${p.message}`)).toContain(
        'faults[0].mode: the broker can be "down", "slow" or have a "leader-change"; "flaky" is a service\'s fault',
      );
  });

  it('publish_failure belongs to an entry service publishing after the commit', () => {
    const problems = (orders: Partial<Orders>) => {
      const r = parseScenario({
        ...makeScenario(),
        services: [{ ...orderService, ...orders }, makeScenario().services[1]],
        chain: ['orders', 'payment'],
      });
      return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    };
    expect(problems({ publish_failure: 'retry' })).toEqual([]);
    expect(problems({ publish: 'outbox', publish_failure: 'retry' })).toEqual([
      'services[0].publish_failure: does not apply with publish "outbox": the relay keeps the event and publishes it when the broker takes it',
    ]);
    expect(problems({ publish: 'before-commit', publish_failure: 'retry' })[0]).toMatch(
      /applies with publish "after-commit" only/,
    );
  });

  it('a service called "broker" keeps the faults that name it', () => {
    const s = makeScenario({
      services: [
        orderService,
        { id: 'broker', name: 'Broker Service', latency_ms: 10, subscribes: ['OrderCreated'] },
      ],
      chain: ['orders', 'broker'],
      faults: [{ service: 'broker', at_ms: 0, mode: 'flaky', error_rate: 1 }],
    });
    const sim = new Simulation(s, { architecture: 'event' });
    sim.runUntil(2_000);
    expect(sim.report().broker.down).toBe(false);
    expect(sim.report().services.broker?.failed).toBeGreaterThan(0);
  });

  it('the learner’s broker outage goes through the fault action: publishes are refused until it is switched back', () => {
    const sim = new Simulation(makeScenario({ duration_ms: 20_000 }), { architecture: 'event' });
    sim.runUntil(2_000);
    expect(sim.intervene({ kind: 'fault', service: 'broker', patch: { down: true } })).toBeNull();
    expect(sim.report().broker.down).toBe(true);
    sim.runUntil(4_000);
    expect(sim.intervene({ kind: 'fault', service: 'broker', patch: { down: false } })).toBeNull();
    sim.runUntil(30_000);
    const r = sim.report();
    expect(r.broker.down).toBe(false);
    expect(r.requests.failed).toBe(r.events.refused);
    expect(r.requests.failed).toBeGreaterThan(10);
    expect(r.events.lost).toBe(0);
    expect(sim.intervene({ kind: 'fault', service: 'broker', patch: { errorRate: 0.5 } })).toMatch(
      /the broker can be down or slow/,
    );
  });

  it('in the request chain there is no broker: the fault changes nothing', () => {
    const plain = new Simulation(makeScenario(), { architecture: 'chain' });
    const faulty = new Simulation(
      makeScenario({ faults: [{ service: 'broker', at_ms: 0, mode: 'down' }] }),
      { architecture: 'chain' },
    );
    plain.runUntil(10_000);
    faulty.runUntil(10_000);
    expect(faulty.traceHash).toBe(plain.traceHash);
  });
});
