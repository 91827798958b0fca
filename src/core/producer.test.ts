/**
 * The producer side (issue 12): saving the work and publishing its event are two writes.
 * What a learner sees when the Order Service dies between them, and how an outbox fixes it.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, type ScenarioInput } from './scenario';
import { Simulation } from './simulation';
import { makeScenario, orderService } from './testkit';
import { Reason, Rec, type TraceRecord } from './trace';

const of = (trace: readonly TraceRecord[], kind: number) => trace.filter((r) => r.kind === kind);

type Publish = 'after-commit' | 'before-commit' | 'outbox';

/** The checkout system, 10 orders/s for 10 s, Order Service publishing `publish`, crashing before its publish `rate` of the time. */
function run(publish: Publish | undefined, rate: number, extra: Partial<ScenarioInput> = {}) {
  const orders = publish ? { ...orderService, publish } : orderService;
  const s = makeScenario({
    services: [
      orders,
      { id: 'payment', name: 'Payment Service', latency_ms: 60, subscribes: ['OrderCreated'] },
      { id: 'email', name: 'Email Service', latency_ms: 120, subscribes: ['OrderCreated'] },
    ],
    chain: ['orders', 'payment', 'email'],
    network_ms: 5,
    faults:
      rate > 0
        ? [{ service: 'orders', at_ms: 0, mode: 'crash-before-publish', error_rate: rate }]
        : [],
    ...extra,
  });
  const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
  sim.runUntil(20_000);
  return { sim, r: sim.report() };
}

describe('publish after the commit (the default): the dual write', () => {
  it('an order saved by a process that dies before publishing fails for the user, and its event never leaves: Payment never charges, Email never sends, and it counts as lost', () => {
    const { sim, r } = run(undefined, 1);
    expect(r.requests.sent).toBeGreaterThan(50);
    // Every order was saved...
    expect(r.services.orders?.processed).toBe(r.requests.sent);
    // ...but the process died before answering.
    expect(r.requests.failed).toBe(r.requests.sent);
    for (const f of of(sim.fullTrace, Rec.OrderFailed))
      expect(f.code).toBe(Reason.CrashBeforePublish);
    expect(r.events.published).toBe(0);
    expect(r.services.payment?.processed).toBe(0);
    expect(r.services.email?.processed).toBe(0);
    expect(r.events.never_published).toBe(r.requests.sent);
    expect(r.events.lost).toBe(r.requests.sent);
  });

  it('a 5% crash rate loses about 5% of the events, and only those', () => {
    const { r } = run('after-commit', 0.05);
    expect(r.events.never_published).toBeGreaterThan(0);
    expect(r.events.never_published).toBeLessThan(r.requests.sent * 0.15);
    expect(r.events.published + r.events.never_published).toBe(r.services.orders?.processed);
    expect(r.services.payment?.processed).toBe(r.events.published);
  });

  it('a crash before the answer (crash-before-ack) on the entry service also leaves its event unpublished', () => {
    const s = makeScenario({
      services: [
        orderService,
        { id: 'payment', name: 'Payment Service', latency_ms: 60, subscribes: ['OrderCreated'] },
      ],
      chain: ['orders', 'payment'],
      faults: [{ service: 'orders', at_ms: 0, mode: 'crash-before-ack', error_rate: 1 }],
    });
    const sim = new Simulation(s, { architecture: 'event' });
    sim.runUntil(20_000);
    const r = sim.report();
    expect(r.events.published).toBe(0);
    expect(r.events.never_published).toBe(r.services.orders?.processed);
    expect(r.events.lost).toBe(r.events.never_published);
    expect(r.events.never_published).toBeGreaterThan(50);
  });

  it('writing publish: "after-commit" is the same run as leaving it out (same trace hash)', () => {
    expect(run('after-commit', 0.05).sim.traceHash).toBe(run(undefined, 0.05).sim.traceHash);
    expect(run('after-commit', 0).sim.traceHash).toBe(run(undefined, 0).sim.traceHash);
  });

  it('in the request chain nothing is published, so the fault changes nothing', () => {
    const s = makeScenario({
      faults: [{ service: 'orders', at_ms: 0, mode: 'crash-before-publish', error_rate: 1 }],
    });
    const plain = new Simulation(makeScenario(), { architecture: 'chain' });
    const faulty = new Simulation(s, { architecture: 'chain' });
    plain.runUntil(12_000);
    faulty.runUntil(12_000);
    expect(faulty.report().requests).toEqual(plain.report().requests);
    expect(faulty.report().events.never_published).toBe(0);
  });
});

describe('publish before the commit', () => {
  it('a process that dies between its publish and its commit sends phantoms: Payment charges orders that were never saved', () => {
    const { sim, r } = run('before-commit', 1);
    expect(r.requests.sent).toBeGreaterThan(50);
    expect(r.services.orders?.processed).toBe(0);
    expect(r.requests.failed).toBe(r.requests.sent);
    expect(r.events.published).toBe(r.requests.sent);
    expect(r.events.phantom).toBe(r.requests.sent);
    expect(r.services.payment?.processed).toBe(r.requests.sent);
    // Nothing is lost at the producer: the events left, for work that did not happen.
    expect(r.events.never_published).toBe(0);
    // Each phantom names the event it is about.
    const published = new Set(of(sim.fullTrace, Rec.Published).map((p) => p.msg));
    for (const p of of(sim.fullTrace, Rec.Phantom)) expect(published.has(p.msg)).toBe(true);
  });

  it('without a crash every order is saved and published, and nothing is a phantom', () => {
    const { r } = run('before-commit', 0);
    expect(r.events.phantom).toBe(0);
    expect(r.requests.failed).toBe(0);
    expect(r.services.orders?.processed).toBe(r.events.published);
  });
});

describe('the outbox', () => {
  it('the user’s answer does not wait for the broker: it comes right after the commit', () => {
    const direct = run('after-commit', 0).r;
    const outbox = run('outbox', 0).r;
    // 20 ms of work and a network trip each way; after the commit, publishing waits for
    // the broker's confirm too (two more trips).
    expect(outbox.requests.latency_ms.max).toBe(30);
    expect(direct.requests.latency_ms.max).toBe(40);
  });

  it('the relay publishes on its poll (100 ms by default, or outbox_poll_ms), and the rows wait in the outbox until then', () => {
    const one = { rate_per_s: 0, orders: [{ at_ms: 0 }] };
    const { sim } = run('outbox', 0, { workload: one });
    expect(of(sim.fullTrace, Rec.Published).map((p) => p.t)).toEqual([100]);
    const outboxNode = sim.model.services[0]?.outboxNode as number;
    expect(of(sim.fullTrace, Rec.Published)[0]?.from).toBe(outboxNode);
    // Saved at 25 ms (network + work); waiting in the outbox until the poll.
    sim.seek(50);
    expect(sim.report().events.in_outbox).toBe(1);
    expect(sim.service(0).inOutbox).toBe(1);
    sim.seek(150);
    expect(sim.report().events.in_outbox).toBe(0);

    const s = makeScenario({
      services: [
        { ...orderService, publish: 'outbox', outbox_poll_ms: 500 },
        { id: 'payment', name: 'Payment Service', latency_ms: 60, subscribes: ['OrderCreated'] },
      ],
      chain: ['orders', 'payment'],
      workload: one,
    });
    const slow = new Simulation(s, { architecture: 'event', keepTrace: true });
    slow.runUntil(2000);
    expect(of(slow.fullTrace, Rec.Published).map((p) => p.t)).toEqual([500]);
  });

  it('producer crashes lose nothing: a relay that dies after publishing and before marking the row sends it again, with a new message id', () => {
    const { sim, r } = run('outbox', 0.5);
    expect(r.requests.failed).toBe(0);
    expect(r.events.never_published).toBe(0);
    expect(r.events.lost).toBe(0);
    expect(r.events.in_outbox).toBe(0);
    expect(r.events.republished).toBeGreaterThan(10);
    const saved = r.services.orders?.processed ?? 0;
    expect(r.events.published).toBe(saved + r.events.republished);
    // Every saved order reached Payment at least once; the repeats are new messages.
    const paid = new Set(
      of(sim.fullTrace, Rec.Processed)
        .filter((p) => p.from === sim.model.services[1]?.node)
        .map((p) => p.corr),
    );
    expect(paid.size).toBe(saved);
    expect(r.services.payment?.processed).toBe(r.events.published);
    const ids = of(sim.fullTrace, Rec.Published).map((p) => p.msg);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('while the service is down its relay does not poll; the rows wait and leave once it is back', () => {
    const one = { rate_per_s: 0, orders: [{ at_ms: 0 }] };
    const { sim, r } = run('outbox', 0, {
      workload: one,
      faults: [{ service: 'orders', at_ms: 50, duration_ms: 450, mode: 'down' }],
    });
    expect(r.requests.succeeded).toBe(1);
    // Back up at 500: the next poll, at 600, publishes the row.
    expect(of(sim.fullTrace, Rec.Published).map((p) => p.t)).toEqual([600]);
    expect(r.services.payment?.processed).toBe(1);
  });

  it('the order is complete only once its outboxed event was processed', () => {
    const one = { rate_per_s: 0, orders: [{ at_ms: 0 }] };
    const { sim } = run('outbox', 0, { workload: one });
    const done = of(sim.fullTrace, Rec.OrderCompleted);
    expect(done).toHaveLength(1);
    // Published at 100, delivered at 105, Email's 120 ms of work.
    expect(done[0]?.t).toBeGreaterThanOrEqual(225);
  });
});

describe('scenario file', () => {
  const base = () => ({
    version: 1,
    id: 't',
    name: 'T',
    seed: 1,
    duration_ms: 1000,
    entry: 'orders',
    services: [
      { ...orderService } as Record<string, unknown>,
      { id: 'payment', name: 'Payment', latency_ms: 10, subscribes: ['OrderCreated'] } as Record<
        string,
        unknown
      >,
    ],
    workload: { rate_per_s: 1 },
    faults: [] as Record<string, unknown>[],
  });
  const problems = (input: unknown) => {
    const r = parseScenario(input);
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it('accepts the three publish modes and the relay poll on an outbox', () => {
    for (const publish of ['after-commit', 'before-commit', 'outbox']) {
      const s = base();
      (s.services[0] as Record<string, unknown>).publish = publish;
      expect(problems(s)).toEqual([]);
    }
    const s = base();
    Object.assign(s.services[0] as object, { publish: 'outbox', outbox_poll_ms: 250 });
    expect(problems(s)).toEqual([]);
  });

  it('names what is wrong: publish on a consumer, a poll without an outbox, an unknown mode, crash-before-publish without a rate or off the entry', () => {
    const a = base();
    Object.assign(a.services[1] as object, { publish: 'outbox', emits: ['Paid'] });
    expect(problems(a).join()).toMatch(/services\[1\]\.publish.*entry service/);
    const b = base();
    Object.assign(b.services[0] as object, { outbox_poll_ms: 50 });
    expect(problems(b).join()).toMatch(/services\[0\]\.outbox_poll_ms.*outbox/);
    const c = base();
    Object.assign(c.services[0] as object, { publish: 'later' });
    expect(problems(c).join()).toMatch(/services\[0\]\.publish/);
    const d = base();
    d.faults = [{ service: 'orders', at_ms: 0, mode: 'crash-before-publish' }];
    expect(problems(d).join()).toMatch(/faults\[0\]\.error_rate.*required/);
    const e = base();
    e.faults = [{ service: 'payment', at_ms: 0, mode: 'crash-before-publish', error_rate: 0.1 }];
    expect(problems(e).join()).toMatch(/faults\[0\]\.service.*entry service/);
  });
});
