/** The synchronous request chain: what a learner should see when one hop misbehaves. */
import { describe, expect, it } from 'vitest';
import { parseScenario } from './scenario';
import { Simulation } from './simulation';
import {
  analyticsService,
  emailService,
  makeScenario,
  orderService,
  paymentService,
} from './testkit';
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

describe('circuit breaker (sync.circuit_breaker)', () => {
  const breaker = { failure_rate: 0.5, window_ms: 2000, open_ms: 1000, min_calls: 5 };
  const emailDown = [{ service: 'email', at_ms: 5000, duration_ms: 10_000, mode: 'down' as const }];

  it('opens once half of the calls in its window failed, fails later calls without sending them, and closes after a trial call succeeds', () => {
    const s = makeScenario({
      duration_ms: 25_000,
      // Enough workers for 20 orders a second: only the outage makes orders fail.
      services: [orderService, paymentService, emailService, analyticsService].map((x) => ({
        ...x,
        concurrency: 8,
      })),
      workload: { rate_per_s: 20 },
      faults: emailDown,
      sync: { timeout_ms: 1000, retries: 0, circuit_breaker: breaker },
    });
    const sim = new Simulation(s, { architecture: 'chain', keepTrace: true });
    sim.runUntil(30_000);
    const email = sim.model.services.find((x) => x.id === 'email')?.node as number;
    const changes = of(sim.fullTrace, Rec.CircuitChanged).filter((r) => r.from === email);
    // Open about a second into the outage: the window holds the last 2 s of calls, 40
    // successes at first, and failures reach half of it as the successes age out.
    expect(changes[0]?.code).toBe(1);
    expect(changes[0]?.t).toBeGreaterThan(5900);
    expect(changes[0]?.t).toBeLessThan(6400);
    // During the outage every trial fails and it opens again, a second later each time.
    const during = changes.filter((r) => r.t < 15_000);
    expect(during.map((r) => r.code).slice(0, 5)).toEqual([1, 2, 1, 2, 1]);
    // After Email is back, the next trial succeeds and it closes for good.
    expect(changes.at(-1)?.code).toBe(0);
    expect(changes.at(-1)?.t).toBeGreaterThan(15_000);
    expect(changes.at(-1)?.t).toBeLessThan(16_100);
    // Failed at once: no request left Payment for them, and Email counted none as refused.
    const fast = of(sim.fullTrace, Rec.CallFailed).filter((r) => r.code === Reason.CircuitOpen);
    const sent = new Set(of(sim.fullTrace, Rec.RequestSent).map((r) => r.msg));
    expect(fast.length).toBeGreaterThan(150);
    for (const r of fast) expect(sent.has(r.msg)).toBe(false);
    const report = sim.report();
    const byService = Object.values(report.services).map((x) => x.short_circuited);
    expect(byService.reduce((x, y) => x + y, 0)).toBe(fast.length);
    // Payment answers Order with failures too, so Order's breaker on Payment opens as
    // well: most orders stop at the first hop and never reach Payment's worker.
    expect(report.services.payment?.short_circuited).toBeGreaterThan(
      report.services.email?.short_circuited ?? 0,
    );
    // Without breakers Email refuses every order of the outage (about 200).
    expect(report.services.email?.refused).toBeLessThan(40);
    // Orders after the breaker closed succeed again.
    const lastFailure = Math.max(...of(sim.fullTrace, Rec.OrderFailed).map((r) => r.t));
    expect(lastFailure).toBeLessThan(16_200);
    expect(sim.service(2).circuit).toBe('closed');
  });

  it('fails fast: with Email too slow for the timeout, orders fail in milliseconds instead of holding every caller for a second', () => {
    const slowEmail = [{ service: 'email', at_ms: 0, mode: 'slow' as const, factor: 20 }];
    const run = (circuit_breaker?: typeof breaker) => {
      const s = makeScenario({
        duration_ms: 20_000,
        workload: { rate_per_s: 20 },
        faults: slowEmail,
        sync: { timeout_ms: 1000, retries: 0, ...(circuit_breaker ? { circuit_breaker } : {}) },
      });
      const sim = new Simulation(s, { architecture: 'chain', keepTrace: true });
      sim.runUntil(25_000);
      // How long each user waited to hear that the order failed.
      const waits = of(sim.fullTrace, Rec.OrderFailed)
        .map((r) => r.value)
        .sort((a, b) => a - b);
      return { ...sim.report(), medianFailure: waits[waits.length >> 1] ?? 0 };
    };
    const without = run();
    const withBreaker = run(breaker);
    // Without a breaker every order waits out the timeout before it fails.
    expect(without.requests.succeeded).toBe(0);
    expect(without.medianFailure).toBeGreaterThanOrEqual(1000);
    // With one, most fail at once: Order and Payment's work plus the network trips.
    expect(withBreaker.requests.succeeded).toBe(0);
    expect(withBreaker.medianFailure).toBeLessThan(150);
    // And Email, already struggling, gets a trial call a second instead of every order.
    expect(withBreaker.services.email?.calls).toBeLessThan(without.services.email?.calls ?? 0);
    expect(withBreaker.services.email?.calls).toBeLessThan(60);
  });

  it('changes nothing while it stays closed: the same trace as a chain without one', () => {
    const healthy = (circuit_breaker?: typeof breaker) => {
      const sim = new Simulation(
        makeScenario({
          sync: { timeout_ms: 1000, retries: 1, ...(circuit_breaker ? { circuit_breaker } : {}) },
        }),
        { architecture: 'chain' },
      );
      sim.runUntil(15_000);
      return sim;
    };
    const a = healthy();
    const b = healthy(breaker);
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.service(2).circuit).toBe('closed');
    expect(a.service(2).circuit).toBeNull();
  });
});

describe('deadline propagation (sync.deadline_ms)', () => {
  // Email can do 2 / 0.12 s = 16.7 calls a second and gets 20: its line grows, and most
  // calls wait there longer than anyone above is willing to wait.
  const overloaded = (deadline_ms?: number) =>
    makeScenario({
      duration_ms: 30_000,
      workload: { rate_per_s: 20 },
      services: [
        { ...orderService, concurrency: 64 },
        { ...paymentService, concurrency: 64 },
        { ...emailService, concurrency: 2 },
        { ...analyticsService, concurrency: 8 },
      ],
      sync: { timeout_ms: 1000, retries: 0, ...(deadline_ms ? { deadline_ms } : {}) },
    });
  const run = (s: ReturnType<typeof overloaded>) => {
    const sim = new Simulation(s, { architecture: 'chain', keepTrace: true });
    sim.runUntil(40_000);
    return sim;
  };

  it('an overloaded hop skips work whose caller has given up: more orders succeed, and far less work is done for failed ones', () => {
    const plain = run(overloaded()).report();
    const withDeadline = run(overloaded(1000)).report();
    expect(plain.services.email?.past_deadline).toBe(0);
    expect(withDeadline.services.email?.past_deadline).toBeGreaterThan(100);
    // Email spends its time on calls someone still waits for.
    expect(withDeadline.requests.succeeded).toBeGreaterThan(1.3 * plain.requests.succeeded);
    // Without a deadline Email works through a long line of abandoned calls, and
    // Analytics does the work of almost every failed order after it.
    expect(plain.services.email?.max_backlog).toBeGreaterThan(
      4 * (withDeadline.services.email?.max_backlog ?? 0),
    );
    expect(withDeadline.services.analytics?.done_for_failed_orders).toBeLessThan(
      0.2 * (plain.services.analytics?.done_for_failed_orders ?? 0),
    );
  });

  it('no one waits past the deadline: with 500 ms every user hears back within 500 ms, and no call leaves after it', () => {
    const sim = run(overloaded(500));
    const answers = sim.fullTrace.filter(
      (r) => r.kind === Rec.OrderSucceeded || r.kind === Rec.OrderFailed,
    );
    expect(answers.length).toBe(sim.report().requests.sent);
    expect(Math.max(...answers.map((r) => r.value))).toBeLessThanOrEqual(500);
    const received = new Map(
      sim.fullTrace.filter((r) => r.kind === Rec.OrderReceived).map((r) => [r.corr, r.t]),
    );
    for (const r of sim.fullTrace)
      if (r.kind === Rec.RequestSent)
        expect(r.t - (received.get(r.corr) as number)).toBeLessThan(500);
  });
});

describe('parallel calls (a chain step that is a list)', () => {
  const parallel = (overrides: Parameters<typeof makeScenario>[0] = {}) =>
    makeScenario({ chain: ['orders', 'payment', ['email', 'analytics']], ...overrides });

  it('calls the step’s services at once: the order waits for the slowest of them, not their sum', () => {
    const sim = new Simulation(parallel({ workload: oneOrder, network_ms: 5 }), {
      architecture: 'chain',
      keepTrace: true,
    });
    sim.runUntil(5000);
    // 20 + 60 + max(120, 30) of work, three hops x 2 trips x 5 ms of network; one after
    // the other it took 270 (the first test).
    expect(of(sim.fullTrace, Rec.OrderSucceeded).map((r) => r.value)).toEqual([200 + 30]);
    const sent = of(sim.fullTrace, Rec.RequestSent).filter((r) => r.t === 90);
    expect(sent.map((r) => r.to).sort()).toEqual(
      [sim.model.services[2]?.node, sim.model.services[3]?.node].sort(),
    );
  });

  it('one failure in the step fails it at once; the other call is no longer waited for, and its work stays done', () => {
    const sim = new Simulation(
      parallel({
        workload: oneOrder,
        faults: [{ service: 'analytics', at_ms: 0, mode: 'down' }],
      }),
      { architecture: 'chain', keepTrace: true },
    );
    sim.runUntil(5000);
    const failed = of(sim.fullTrace, Rec.OrderFailed);
    expect(failed).toHaveLength(1);
    // Refused by Analytics at once: the user hears before Email's 120 ms of work is over.
    expect(failed[0]?.value).toBeLessThan(20 + 60 + 120);
    // Email finished anyway, for an order that failed, and its answer is discarded.
    expect(sim.report().services.email?.done_for_failed_orders).toBe(1);
    expect(of(sim.fullTrace, Rec.ResponseDiscarded)).toHaveLength(1);
  });

  it('says what is wrong with a parallel step that is not the last, or a service listed twice', () => {
    const bad = (chain: unknown) =>
      parseScenario({
        version: 1,
        id: 'parallel',
        name: 'Parallel',
        seed: 1,
        duration_ms: 1000,
        entry: 'orders',
        services: [orderService, paymentService, emailService, analyticsService],
        workload: { rate_per_s: 1 },
        chain,
      });
    const notLast = bad(['orders', ['payment', 'email'], 'analytics']);
    expect(notLast.ok ? [] : notLast.problems.map((p) => `${p.path}: ${p.message}`)).toContain(
      'chain[1]: a group called in parallel must be the last step of the chain',
    );
    const twice = bad(['orders', 'payment', ['email', 'payment']]);
    expect(twice.ok ? [] : twice.problems.map((p) => `${p.path}: ${p.message}`)).toContain(
      'chain[2][1]: "payment" appears twice',
    );
  });
});
