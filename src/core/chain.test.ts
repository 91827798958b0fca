/** The synchronous request chain: what a learner should see when one hop misbehaves. */
import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { makeScenario } from './testkit';
import { Reason, Rec, type TraceRecord } from './trace';

const oneOrder = { rate_per_s: 0, orders: [{ at_ms: 0 }] };
const of = (trace: readonly TraceRecord[], kind: number) => trace.filter((r) => r.kind === kind);

describe('request chain', () => {
  it('adds up latency along the chain: every hop’s work plus a network trip each way', () => {
    const sim = new Simulation(makeScenario({ workload: oneOrder, network_ms: 5 }), {
      architecture: 'chain',
      keepTrace: true,
    });
    sim.runUntil(5000);
    // 20 + 60 + 120 + 30 of work, 4 calls x 2 trips x 5 ms of network.
    expect(of(sim.fullTrace, Rec.OrderSucceeded).map((r) => r.value)).toEqual([230 + 40]);
    // The same order on fan-out answers after the Order Service alone.
    const event = new Simulation(makeScenario({ workload: oneOrder, network_ms: 5 }), {
      architecture: 'event',
    });
    event.runUntil(5000);
    expect(event.report().requests.latency_ms.max).toBe(40);
  });

  it('fails every request made while one service is down, after upstream work was already done', () => {
    const s = makeScenario({
      duration_ms: 30_000,
      faults: [{ service: 'email', at_ms: 10_000, duration_ms: 10_000, mode: 'down' }],
    });
    const sim = new Simulation(s, { architecture: 'chain', keepTrace: true });
    sim.runUntil(35_000);
    const failed = of(sim.fullTrace, Rec.OrderFailed);
    expect(failed.length).toBeGreaterThan(70);
    for (const f of failed) {
      const received = sim.fullTrace.find(
        (r) => r.kind === Rec.OrderReceived && r.corr === f.corr,
      ) as TraceRecord;
      // Orders that arrived during the outage, or reached Email just after it began.
      expect(received.t).toBeGreaterThanOrEqual(10_000 - 300);
      expect(received.t).toBeLessThan(20_000);
      // Refused while down, or cut off when Email went down mid-request.
      expect([Reason.Unavailable, Reason.Reset]).toContain(f.code);
    }
    const r = sim.report();
    expect(r.requests.failed).toBe(failed.length);
    // Payments were taken for each of those failed orders: the work stays done.
    expect(r.services.payment?.done_for_failed_orders).toBe(failed.length);
    // Analytics only worked for the few orders that were past Email when it went down.
    const cutOff = failed.filter((f) => f.code === Reason.Reset).length;
    expect(r.services.analytics?.done_for_failed_orders).toBeLessThanOrEqual(cutOff);
    // Fan-out fails none of them.
    const event = new Simulation(s, { architecture: 'event' });
    event.runUntil(35_000);
    expect(event.report().requests.failed).toBe(0);
  });

  it('lets a slow hop hold a worker in every caller above it, until requests time out', () => {
    const s = makeScenario({
      duration_ms: 20_000,
      workload: { rate_per_s: 20 },
      services: [
        {
          id: 'orders',
          name: 'Order Service',
          latency_ms: 10,
          concurrency: 8,
          emits: ['OrderCreated'],
        },
        {
          id: 'payment',
          name: 'Payment Service',
          latency_ms: 40,
          concurrency: 8,
          subscribes: ['OrderCreated'],
        },
      ],
      chain: ['orders', 'payment'],
      faults: [{ service: 'payment', at_ms: 5000, duration_ms: 10_000, mode: 'slow', factor: 20 }],
      sync: { timeout_ms: 1000 },
    });
    const sim = new Simulation(s, { architecture: 'chain' });
    sim.runUntil(4000);
    expect(sim.service(0).busy).toBeLessThan(8);
    expect(sim.report().requests.failed).toBe(0);
    sim.runUntil(10_000);
    // Order Service does 10 ms of work but every worker is stuck waiting on Payment.
    expect(sim.service(0).busy).toBe(8);
    expect(sim.service(1).busy).toBe(8);
    const r = sim.report();
    expect(r.requests.failed).toBeGreaterThan(20);
    expect(r.requests.latency_ms.max).toBeGreaterThan(500);
  });

  it('multiplies retries across layers: each depth sees up to (1 + retries) times the calls above it', () => {
    const s = makeScenario({
      workload: oneOrder,
      faults: [{ service: 'analytics', at_ms: 0, mode: 'down' }],
      sync: { timeout_ms: 60_000, retries: 3 },
    });
    const sim = new Simulation(s, { architecture: 'chain', keepTrace: true });
    sim.runUntil(120_000);
    const sent = of(sim.fullTrace, Rec.RequestSent);
    const perCallee = (node: number) => sent.filter((r) => r.to === node).length;
    const nodes = sim.model.chain.map((i) => sim.model.services[i]?.node as number);
    // users -> orders -> payment -> email -> analytics: 4, 16, 64, 256 calls for one order.
    expect(nodes.map(perCallee)).toEqual([4, 16, 64, 256]);
    expect(sim.report().requests.failed).toBe(1);
  });

  it('counts the calls a down service refuses: the deepest hop shows the amplification, not 0', () => {
    const s = makeScenario({
      workload: oneOrder,
      faults: [{ service: 'analytics', at_ms: 0, mode: 'down' }],
      sync: { timeout_ms: 60_000, retries: 3 },
    });
    const sim = new Simulation(s, { architecture: 'chain' });
    sim.runUntil(120_000);
    const analytics = sim.report().services.analytics;
    // 4 x 4 x 4 x 4 calls reached it and every one was refused; no work was done.
    expect(analytics).toMatchObject({ calls: 256, refused: 256, processed: 0, failed: 0 });
    expect(sim.service(sim.model.chain[3] as number)).toMatchObject({ calls: 256, refused: 256 });
    // The hop above it was up: 64 calls, each did its work, none refused.
    expect(sim.report().services.email).toMatchObject({ calls: 64, refused: 0 });
  });

  it('charges twice when a timed-out call is retried while the first attempt still completes', () => {
    const s = makeScenario({
      workload: oneOrder,
      services: [
        { id: 'orders', name: 'Order Service', latency_ms: 10, emits: ['OrderCreated'] },
        { id: 'payment', name: 'Payment Service', latency_ms: 300, subscribes: ['OrderCreated'] },
      ],
      chain: ['orders', 'payment'],
      sync: { timeout_ms: 200, retries: 1 },
    });
    const sim = new Simulation(s, { architecture: 'chain' });
    sim.runUntil(5000);
    const r = sim.report();
    // Both the user and the Order Service give up after 200 ms and retry: one order, several charges.
    expect(r.services.payment?.processed).toBeGreaterThanOrEqual(2);
    expect(r.services.payment?.duplicates).toBe((r.services.payment?.processed ?? 0) - 1);
  });

  it('measures chain availability as the product of the hops’ availabilities', () => {
    const s = makeScenario({
      duration_ms: 200_000,
      workload: { rate_per_s: 20 },
      services: [
        {
          id: 'orders',
          name: 'Order Service',
          latency_ms: 5,
          concurrency: 32,
          emits: ['OrderCreated'],
        },
        {
          id: 'payment',
          name: 'Payment Service',
          latency_ms: 5,
          concurrency: 32,
          subscribes: ['OrderCreated'],
        },
        {
          id: 'email',
          name: 'Email Service',
          latency_ms: 5,
          concurrency: 32,
          subscribes: ['OrderCreated'],
        },
      ],
      chain: ['orders', 'payment', 'email'],
      faults: [
        { service: 'orders', at_ms: 0, mode: 'flaky', error_rate: 0.05 },
        { service: 'payment', at_ms: 0, mode: 'flaky', error_rate: 0.1 },
        { service: 'email', at_ms: 0, mode: 'flaky', error_rate: 0.02 },
      ],
    });
    const sim = new Simulation(s, { architecture: 'chain' });
    sim.runUntil(210_000);
    const r = sim.report();
    const expected = 0.95 * 0.9 * 0.98;
    const n = r.requests.sent;
    const measured = r.requests.succeeded / n;
    const sigma = Math.sqrt((expected * (1 - expected)) / n);
    expect(Math.abs(measured - expected)).toBeLessThan(4 * sigma);
  });
});
