/** Delivery rules of the queue broker (event fan-out), one behaviour per test. */
import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { makeScenario } from './testkit';
import { Effect, Reason, Rec, type TraceRecord } from './trace';

const oneOrder = { rate_per_s: 0, orders: [{ at_ms: 0 }] };
const of = (trace: readonly TraceRecord[], kind: number) => trace.filter((r) => r.kind === kind);

describe('event fan-out on a queue broker', () => {
  it('answers the user as soon as the broker accepts the event, however slow the consumers', () => {
    const slowConsumers = makeScenario({
      network_ms: 5,
      workload: oneOrder,
      services: [
        { id: 'orders', name: 'Order Service', latency_ms: 20, emits: ['OrderCreated'] },
        { id: 'email', name: 'Email Service', latency_ms: 5000, subscribes: ['OrderCreated'] },
      ],
      chain: undefined,
    });
    const sim = new Simulation(slowConsumers, { architecture: 'event', keepTrace: true });
    sim.runUntil(10_000);
    const answered = of(sim.fullTrace, Rec.OrderSucceeded);
    // user -> orders (5) + work (20) + publish (5) + confirm (5) + answer (5)
    expect(answered.map((r) => r.value)).toEqual([40]);
    // The order is complete only when the email is sent: enqueued at 30 ms, then the
    // copy travels (5) and Email works for 5 s.
    expect(of(sim.fullTrace, Rec.OrderCompleted).map((r) => r.value)).toEqual([5035]);
  });

  it('gives every subscriber its own copy, acknowledged after processing', () => {
    const sim = new Simulation(makeScenario({ workload: oneOrder, network_ms: 5 }), {
      architecture: 'event',
      keepTrace: true,
    });
    sim.runUntil(5000);
    const t = sim.fullTrace;
    expect(of(t, Rec.Routed)[0]?.value).toBe(3);
    expect(of(t, Rec.Enqueued)).toHaveLength(3);
    for (const q of sim.model.queues) {
      const node = q.node;
      const delivered = t.find((r) => r.kind === Rec.Delivered && r.from === node) as TraceRecord;
      const acked = t.find((r) => r.kind === Rec.Acked && r.to === node) as TraceRecord;
      const processed = t.find(
        (r) => r.kind === Rec.Processed && r.from === sim.model.services[q.service]?.node,
      ) as TraceRecord;
      expect(processed.t).toBe(acked.t);
      // Ack comes after the copy travelled (5 ms) and the work was done (fixed latency).
      const latency = sim.model.services[q.service]?.latency as number;
      expect(acked.t - delivered.t).toBe(5 + latency);
      expect(acked.index).toBeGreaterThan(processed.index);
    }
    expect(sim.report().events).toMatchObject({
      published: 1,
      delivered: 3,
      processed: 3,
      in_queue: 0,
      dead_lettered: 0,
    });
  });

  it('retries a failing message with capped exponential backoff and full jitter, then dead-letters it with its reason', () => {
    const s = makeScenario({
      workload: { rate_per_s: 5 },
      duration_ms: 20_000,
      faults: [{ service: 'email', at_ms: 0, mode: 'flaky', error_rate: 1 }],
      delivery: { max_attempts: 5, base_ms: 100, cap_ms: 500 },
    });
    const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
    sim.runUntil(60_000);
    const retries = of(sim.fullTrace, Rec.RetryScheduled);
    expect(retries.length).toBeGreaterThan(100);
    for (const r of retries) {
      const ceiling = Math.min(500, 100 * 2 ** (r.attempt - 1));
      expect(r.value).toBeGreaterThanOrEqual(0);
      expect(r.value).toBeLessThanOrEqual(ceiling);
    }
    // Full jitter spreads retries over the whole range: the 4th retry averages about half the cap.
    const fourth = retries.filter((r) => r.attempt === 4).map((r) => r.value);
    const mean = fourth.reduce((a, b) => a + b, 0) / fourth.length;
    expect(mean).toBeGreaterThan(200);
    expect(mean).toBeLessThan(300);
    expect(new Set(fourth).size).toBeGreaterThan(20);
    const dead = of(sim.fullTrace, Rec.DeadLettered);
    const emailCopies = sim.report().queues.email?.copies ?? 0;
    expect(dead).toHaveLength(emailCopies);
    for (const d of dead) {
      expect(d.attempt).toBe(5);
      expect(d.code).toBe(Reason.Error);
    }
    expect(sim.deadLetters().count).toBe(emailCopies);
    expect(sim.deadLetters(1).items[0]?.note).toContain('processing error');
    // The other subscribers are untouched.
    expect(sim.report().queues.payment?.processed).toBe(sim.report().queues.payment?.copies);
  });

  it('lets a down consumer’s queue grow, then replays it in order when it returns, losing nothing', () => {
    const s = makeScenario({
      duration_ms: 30_000,
      faults: [{ service: 'email', at_ms: 5000, duration_ms: 10_000, mode: 'down' }],
    });
    const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
    const email = sim.model.services.findIndex((x) => x.id === 'email');
    const q = sim.model.services[email]?.queue as number;
    sim.runUntil(14_900);
    const during = sim.queue(q).waiting;
    expect(during).toBeGreaterThan(70);
    expect(sim.report().requests.failed).toBe(0);
    sim.runUntil(60_000);
    const after = sim.queue(q);
    expect(after.waiting).toBe(0);
    expect(after.processed).toBe(after.copies);
    expect(after.maxDepth).toBeGreaterThanOrEqual(during);
    // Replay keeps publish order for this queue (one consumer worker pool, FIFO line).
    const emailNode = sim.model.queues[q]?.node;
    const firstDeliveries = new Map<number, number>();
    for (const r of sim.fullTrace)
      if (r.kind === Rec.Delivered && r.from === emailNode && !firstDeliveries.has(r.msg))
        firstDeliveries.set(r.msg, r.t);
    const ids = [...firstDeliveries.keys()];
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('puts messages being processed back at the head of the queue when the consumer goes down', () => {
    const s = makeScenario({
      workload: { rate_per_s: 0, orders: [{ at_ms: 0 }] },
      services: [
        { id: 'orders', name: 'Order Service', latency_ms: 10, emits: ['OrderCreated'] },
        { id: 'email', name: 'Email Service', latency_ms: 1000, subscribes: ['OrderCreated'] },
      ],
      chain: undefined,
    });
    const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
    sim.runUntil(500);
    expect(sim.queue(0).inFlight).toBe(1);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
    expect(sim.queue(0)).toMatchObject({ inFlight: 0, waiting: 1 });
    sim.runUntil(1000);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: false } });
    sim.runUntil(5000);
    const deliveries = of(sim.fullTrace, Rec.Delivered);
    expect(deliveries.map((d) => [d.attempt, d.code])).toEqual([
      [1, 0],
      [2, Reason.Reset],
    ]);
    // The interrupted attempt never finished its work: one side effect, no duplicate.
    expect(
      of(sim.fullTrace, Rec.Processed).filter((r) => r.from === sim.model.services[1]?.node),
    ).toHaveLength(1);
    expect(sim.report().events.duplicates).toBe(0);
  });

  it('redelivers after crash-before-ack, and a non-idempotent consumer repeats its side effect', () => {
    const crashy = (idempotent: boolean) =>
      makeScenario({
        workload: { rate_per_s: 10 },
        services: [
          { id: 'orders', name: 'Order Service', latency_ms: 10, emits: ['OrderCreated'] },
          {
            id: 'payment',
            name: 'Payment Service',
            latency_ms: 50,
            subscribes: ['OrderCreated'],
            idempotent,
          },
        ],
        chain: undefined,
        faults: [
          {
            service: 'payment',
            at_ms: 0,
            duration_ms: 5000,
            mode: 'crash-before-ack',
            error_rate: 0.3,
          },
        ],
      });
    const plain = new Simulation(crashy(false), { architecture: 'event', keepTrace: true });
    plain.runUntil(30_000);
    const redeliveries = of(plain.fullTrace, Rec.Delivered).filter((r) => r.attempt > 1);
    expect(redeliveries.length).toBeGreaterThan(5);
    // The crashed delivery, and the others unacked on the crashed consumer's channel.
    for (const r of redeliveries)
      expect([Reason.CrashBeforeAck, Reason.ChannelClosed]).toContain(r.code);
    const r1 = plain.report();
    expect(r1.events.duplicates).toBeGreaterThan(5);
    expect(r1.services.payment?.duplicates).toBe(r1.events.duplicates);
    // Each duplicate is a second charge for an order that was already charged.
    const charges = new Map<number, number>();
    for (const p of of(plain.fullTrace, Rec.Processed))
      if (p.from === plain.model.services[1]?.node)
        charges.set(p.msg, (charges.get(p.msg) ?? 0) + 1);
    expect([...charges.values()].filter((n) => n > 1).length).toBeGreaterThan(0);

    const safe = new Simulation(crashy(true), { architecture: 'event', keepTrace: true });
    safe.runUntil(30_000);
    const r2 = safe.report();
    expect(r2.events.redelivered).toBeGreaterThan(5);
    expect(r2.events.duplicates).toBe(0);
    // Only the crashed delivery had done its work; its channel's other deliveries had not.
    const crashed = of(safe.fullTrace, Rec.Delivered).filter(
      (r) => r.code === Reason.CrashBeforeAck,
    ).length;
    expect(crashed).toBeGreaterThan(5);
    expect(
      of(safe.fullTrace, Rec.Processed).filter((p) => p.code === Effect.SkippedIdempotent).length,
    ).toBe(crashed);
  });

  it('sends a poison message to the dead-letter queue after max_attempts, and the order still answered OK', () => {
    const s = makeScenario({
      workload: { rate_per_s: 10, poison: { rate: 0.1, services: ['analytics'] } },
      delivery: { max_attempts: 3, base_ms: 50, cap_ms: 200 },
    });
    const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
    sim.runUntil(30_000);
    const r = sim.report();
    const poisoned = of(sim.fullTrace, Rec.OrderReceived).filter((x) => x.code === 1).length;
    expect(poisoned).toBeGreaterThan(5);
    expect(r.events.dead_lettered).toBe(poisoned);
    expect(
      of(sim.fullTrace, Rec.DeadLettered).every((d) => d.code === Reason.Poison && d.attempt === 3),
    ).toBe(true);
    expect(r.requests.failed).toBe(0);
    // Poisoned orders never complete: one of their copies was dead-lettered.
    expect(r.orders.completed).toBe(r.requests.sent - poisoned);
    expect(r.orders.with_dead_letters).toBe(poisoned);

    const chain = new Simulation(s, { architecture: 'chain' });
    chain.runUntil(30_000);
    expect(chain.report().requests.failed).toBe(poisoned);
  });

  it('drops and counts an event that no queue is bound to', () => {
    const s = makeScenario({
      workload: oneOrder,
      services: [
        { id: 'orders', name: 'Order Service', latency_ms: 10, emits: ['OrderCreated'] },
        {
          id: 'payment',
          name: 'Payment Service',
          latency_ms: 10,
          subscribes: ['OrderCreated'],
          emits: ['PaymentCompleted'],
        },
      ],
      chain: undefined,
    });
    const sim = new Simulation(s, { architecture: 'event' });
    sim.runUntil(1000);
    expect(sim.report().events).toMatchObject({ published: 2, unroutable: 1, processed: 1 });
  });

  it('drains a backlog faster when the consumer is scaled out', () => {
    const backlog = (workers: number) => {
      const s = makeScenario({
        duration_ms: 10_000,
        faults: [{ service: 'email', at_ms: 0, duration_ms: 10_000, mode: 'down' }],
      });
      const sim = new Simulation(s, { architecture: 'event' });
      sim.runUntil(10_000);
      sim.intervene({ kind: 'scale', service: 'email', replicas: 1, concurrency: workers });
      let t = 10_000;
      while (sim.queue(1).waiting > 0) {
        t += 100;
        sim.runUntil(t);
      }
      return t - 10_000;
    };
    const slow = backlog(1);
    const fast = backlog(8);
    expect(slow).toBeGreaterThan(4 * fast);
  });

  it('keeps a consumer busy only while it works: one 20 ms worker at 45 orders/s (rho 0.9) keeps up', () => {
    // Capacity is workers / service time = 1 / 20 ms = 50/s, whatever the network hop
    // (here 5 ms each way): a copy that waits in line is already at the consumer when
    // its worker frees up. Were the worker held during the hop, capacity would be
    // 1 / 25 ms = 40/s and the queue would grow by about 5 a second.
    const s = makeScenario({
      network_ms: 5,
      duration_ms: 120_000,
      workload: { rate_per_s: 45 },
      services: [
        {
          id: 'orders',
          name: 'Order Service',
          latency_ms: 2,
          concurrency: 8,
          emits: ['OrderCreated'],
        },
        {
          id: 'email',
          name: 'Email Service',
          latency_ms: 20,
          concurrency: 1,
          subscribes: ['OrderCreated'],
        },
      ],
      chain: undefined,
    });
    const sim = new Simulation(s, { architecture: 'event' });
    sim.runUntil(120_000);
    const q = sim.report().queues.email;
    // M/D/1 at rho 0.9 holds about 4 in line on average; a growing queue would hold ~600.
    expect(q?.waiting).toBeLessThan(60);
    expect(q?.processed).toBeGreaterThan(0.98 * (q?.copies ?? 0));
  });
});
