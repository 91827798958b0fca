/** The headline behaviour of each broker flavour, as a learner would check it. */
import { describe, expect, it } from 'vitest';
import { buildModel, routingTables } from './model';
import { Simulation } from './simulation';
import { makeScenario } from './testkit';
import { AckCode, Effect, Reason, Rec, type TraceRecord } from './trace';

const of = (trace: readonly TraceRecord[], kind: number) => trace.filter((r) => r.kind === kind);
const oneConsumer = (latency: number, extra: Record<string, unknown> = {}) => [
  { id: 'orders', name: 'Order Service', latency_ms: 5, concurrency: 8, emits: ['OrderCreated'] },
  {
    id: 'email',
    name: 'Email Service',
    latency_ms: latency,
    concurrency: 1,
    subscribes: ['OrderCreated'],
    ...extra,
  },
];

describe('SNS + SQS', () => {
  it('deletes messages past their retention period from a stopped consumer’s queue, without dead-lettering them', () => {
    const s = makeScenario({
      broker: { kind: 'sns-sqs', message_retention_ms: 60_000 },
      services: oneConsumer(5),
      chain: undefined,
      workload: { rate_per_s: 10 },
      duration_ms: 120_000,
      faults: [{ service: 'email', at_ms: 0, duration_ms: 100_000, mode: 'down' }],
    });
    const sim = new Simulation(s);
    sim.runUntil(59_000);
    expect(sim.report().queues.email?.expired).toBe(0);
    sim.runUntil(100_000);
    // Only the last minute of orders is still there; the older ones are gone, not in the DLQ.
    const q = sim.report().queues.email;
    expect(q?.expired).toBeGreaterThan(300);
    expect(q?.dead_lettered).toBe(0);
    expect(q?.waiting).toBeGreaterThan(500);
    expect(q?.waiting).toBeLessThan(700);
    expect(sim.report().events.lost).toBe(q?.expired);
    sim.runUntil(130_000);
    // Back up: it works through what is left; every copy was processed or expired.
    const end = sim.report().queues.email;
    expect((end?.processed ?? 0) + (end?.expired ?? 0)).toBe(end?.copies);
    // It drains the backlog within a second, so hardly any more pass their retention.
    expect(end?.expired).toBeLessThan((q?.expired ?? 0) + 10);
  });

  it('keeps a new message invisible for DelaySeconds, then delivers it', () => {
    const s = makeScenario({
      network_ms: 5,
      broker: { kind: 'sns-sqs', delay_ms: 2000 },
      services: oneConsumer(5),
      chain: undefined,
      workload: { rate_per_s: 0, orders: [{ at_ms: 0 }] },
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(1990);
    expect(sim.queue(0)).toMatchObject({ waiting: 1, inFlight: 0 });
    sim.runUntil(5000);
    // Published after the Order Service's 5 ms, at the queue 5 ms later, visible 2 s after that.
    expect(of(sim.fullTrace, Rec.Delivered)[0]?.t).toBe(2015);
  });

  it('with a visibility heartbeat, a worker slower than the timeout keeps its message: no second receive', () => {
    const slow = (extend_visibility: boolean) => {
      const s = makeScenario({
        broker: { kind: 'sns-sqs', visibility_timeout_ms: 100, extend_visibility },
        services: oneConsumer(350, { concurrency: 2 }),
        chain: undefined,
        workload: { rate_per_s: 0, orders: [{ at_ms: 0 }] },
      });
      const sim = new Simulation(s, { keepTrace: true });
      sim.runUntil(3000);
      return of(sim.fullTrace, Rec.Delivered).filter((r) => r.code === Reason.VisibilityTimeout)
        .length;
    };
    expect(slow(false)).toBeGreaterThan(0);
    expect(slow(true)).toBe(0);
  });

  it('with a heartbeat, a message whose consumer crashed still comes back after the timeout', () => {
    const s = makeScenario({
      broker: { kind: 'sns-sqs', visibility_timeout_ms: 200, extend_visibility: true },
      services: oneConsumer(50),
      chain: undefined,
      workload: { rate_per_s: 0, orders: [{ at_ms: 0 }] },
      faults: [
        { service: 'email', at_ms: 0, duration_ms: 100, mode: 'crash-before-ack', error_rate: 1 },
      ],
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(3000);
    const again = of(sim.fullTrace, Rec.Delivered)[1];
    expect(again).toMatchObject({ attempt: 2, code: Reason.VisibilityTimeout });
  });

  it('hands a message out again with receive count 2 when it is not deleted within the visibility timeout', () => {
    const s = makeScenario({
      broker: { kind: 'sns-sqs', visibility_timeout_ms: 100, max_receive_count: 5 },
      services: oneConsumer(150, { concurrency: 2 }),
      chain: undefined,
      workload: { rate_per_s: 0, orders: [{ at_ms: 0 }] },
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(2000);
    const deliveries = of(sim.fullTrace, Rec.Delivered);
    expect(deliveries[1]).toMatchObject({ attempt: 2, code: Reason.VisibilityTimeout });
    // The slow first worker finishes after its receipt expired: its delete is refused.
    expect(of(sim.fullTrace, Rec.AckRejected).length).toBeGreaterThan(0);
    // And the email went out twice: the classic visibility-timeout duplicate.
    expect(sim.report().events.duplicates).toBeGreaterThan(0);
  });

  it('moves a message to the dead-letter queue exactly once after maxReceiveCount receives', () => {
    const s = makeScenario({
      broker: { kind: 'sns-sqs', visibility_timeout_ms: 200, max_receive_count: 3 },
      services: oneConsumer(10),
      chain: undefined,
      workload: { rate_per_s: 0, orders: [{ at_ms: 0 }] },
      faults: [{ service: 'email', at_ms: 0, mode: 'flaky', error_rate: 1 }],
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(10_000);
    expect(of(sim.fullTrace, Rec.Delivered).map((d) => d.attempt)).toEqual([1, 2, 3]);
    // Failed receives come back only when the visibility timeout ends: no faster retry.
    const [a, b] = of(sim.fullTrace, Rec.Delivered);
    expect((b?.t ?? 0) - (a?.t ?? 0)).toBeGreaterThanOrEqual(200);
    expect(of(sim.fullTrace, Rec.DeadLettered)).toHaveLength(1);
    expect(sim.report().queues.email).toMatchObject({
      dead_lettered: 1,
      waiting: 0,
      in_flight: 0,
      max_receives: 3,
    });
  });

  it('keeps order within a message group on a FIFO queue, but not on a standard queue', () => {
    const order = (fifo: boolean) => {
      const s = makeScenario({
        broker: { kind: 'sns-sqs', fifo },
        services: oneConsumer(20, {
          concurrency: 4,
          latency_ms: { dist: 'exponential', mean_ms: 20 },
        }),
        chain: undefined,
        workload: { rate_per_s: 200, keys: 3 },
        duration_ms: 5000,
      });
      const sim = new Simulation(s, { keepTrace: true });
      sim.runUntil(8000);
      const keyOf = new Map<number, number>();
      for (const r of sim.fullTrace) if (r.kind === Rec.OrderReceived) keyOf.set(r.corr, r.value);
      let inversions = 0;
      const lastPerKey = new Map<number, number>();
      for (const r of of(sim.fullTrace, Rec.Processed)) {
        if (r.from !== sim.model.services[1]?.node) continue;
        const key = keyOf.get(r.corr) as number;
        if (r.corr < (lastPerKey.get(key) ?? 0)) inversions++;
        lastPerKey.set(key, Math.max(r.corr, lastPerKey.get(key) ?? 0));
      }
      return inversions;
    };
    expect(order(true)).toBe(0);
    expect(order(false)).toBeGreaterThan(0);
  });

  it('drops, on a FIFO topic, the same order’s event published again within five minutes', () => {
    const s = makeScenario({
      broker: { kind: 'sns-sqs', fifo: true },
      services: [
        { id: 'orders', name: 'Order Service', latency_ms: 300, emits: ['OrderCreated'] },
        { id: 'email', name: 'Email Service', latency_ms: 5, subscribes: ['OrderCreated'] },
      ],
      chain: undefined,
      workload: { rate_per_s: 0, orders: [{ at_ms: 0 }] },
      // The user gives up at 200 ms and retries: the order is published twice.
      sync: { timeout_ms: 200, retries: 1 },
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(5000);
    expect(sim.report().events.published).toBe(2);
    expect(sim.report().broker.deduplicated).toBe(1);
    expect(sim.report().queues.email?.copies).toBe(1);
  });

  it('delivers only what a subscription’s filter policy accepts', () => {
    const s = makeScenario({
      broker: { kind: 'sns-sqs', filter_policies: { email: { region: ['eu'] } } },
      workload: { rate_per_s: 50, attributes: { region: ['eu', 'us', 'apac'] } },
    });
    const sim = new Simulation(s);
    sim.runUntil(12_000);
    const r = sim.report();
    const share = (r.queues.email?.copies ?? 0) / (r.queues.payment?.copies ?? 1);
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.42);
  });
});

describe('log (Kafka style)', () => {
  const logScenario = (
    extra: Record<string, unknown> = {},
    consumer: Record<string, unknown> = {},
  ) =>
    makeScenario({
      broker: { kind: 'log', partitions: 3, ...extra },
      // Three members for three partitions: 150 records/s of capacity for 100/s.
      services: oneConsumer(20, { concurrency: 3, ...consumer }),
      chain: undefined,
      workload: { rate_per_s: 100, keys: 50 },
      duration_ms: 5000,
    });

  it('lets one member read each partition: members beyond the partition count sit idle', () => {
    const sim = new Simulation(logScenario({}, { concurrency: 6 }));
    let most = 0;
    for (let t = 100; t < 5000; t += 50) {
      sim.runUntil(t);
      most = Math.max(most, sim.service(1).busy);
    }
    expect(most).toBe(3);
    // And the partitions are spread over the members (a rebalance on scale).
    sim.intervene({ kind: 'scale', service: 'email', replicas: 1, concurrency: 2 });
    expect(new Set(sim.partitions(0).map((p) => p.owner))).toEqual(new Set([0, 1]));
  });

  it('keeps every record of one key in one partition, in order', () => {
    const sim = new Simulation(logScenario(), { keepTrace: true });
    sim.runUntil(8000);
    const keyOf = new Map<number, number>();
    for (const r of sim.fullTrace) if (r.kind === Rec.OrderReceived) keyOf.set(r.corr, r.value);
    const partitionsOfKey = new Map<number, Set<number>>();
    for (const r of of(sim.fullTrace, Rec.Appended)) {
      const key = keyOf.get(r.corr) as number;
      partitionsOfKey.set(key, (partitionsOfKey.get(key) ?? new Set()).add(r.code));
    }
    for (const parts of partitionsOfKey.values()) expect(parts.size).toBe(1);
    const last = new Map<number, number>();
    let acrossKeys = 0;
    let previous = 0;
    for (const r of of(sim.fullTrace, Rec.Acked)) {
      const key = keyOf.get(r.corr) as number;
      expect(r.corr).toBeGreaterThan(last.get(key) ?? 0);
      last.set(key, r.corr);
      if (r.corr < previous) acrossKeys++;
      previous = Math.max(previous, r.corr);
    }
    // Across keys (other partitions) there is no global order.
    expect(acrossKeys).toBeGreaterThan(0);
  });

  it('grows a stopped group’s lag and works it off when it returns', () => {
    const sim = new Simulation(logScenario());
    sim.runUntil(1000);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
    sim.runUntil(3000);
    const lag = sim.report().queues.email?.lag ?? 0;
    expect(lag).toBeGreaterThan(150);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: false } });
    sim.runUntil(8000);
    expect(sim.report().queues.email?.lag).toBe(0);
  });

  it('redelivers after a crash when committing after processing, and loses the record when committing before', () => {
    const run = (commit: 'after' | 'before') => {
      const sim = new Simulation(logScenario({ commit }, { latency_ms: 200 }), { keepTrace: true });
      sim.runUntil(1000);
      sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
      sim.runUntil(1100);
      sim.intervene({ kind: 'fault', service: 'email', patch: { down: false } });
      sim.runUntil(60_000);
      return sim.report().queues.email;
    };
    const after = run('after');
    expect(after?.dropped).toBe(0);
    expect(after?.redelivered).toBeGreaterThan(0);
    const before = run('before');
    expect(before?.dropped).toBeGreaterThan(0);
    expect(before?.processed).toBe((before?.copies ?? 0) - (before?.dropped ?? 0));
  });

  it('deletes old records on retention whether or not a group has read them; a group whose position was deleted resumes at the log end (auto.offset.reset latest, the default) or at the earliest record kept', () => {
    const run = (reset?: 'earliest') => {
      const sim = new Simulation(
        logScenario({ retention_ms: 1000, ...(reset ? { auto_offset_reset: reset } : {}) }),
        { keepTrace: true },
      );
      sim.runUntil(500);
      sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
      sim.runUntil(4000);
      sim.intervene({ kind: 'fault', service: 'email', patch: { down: false } });
      sim.runUntil(10_000);
      const skipped = of(sim.fullTrace, Rec.Dropped).filter(
        (r) => r.code === Reason.OffsetOutOfRange,
      );
      return { q: sim.report().queues.email, skipped: skipped.length };
    };
    const latest = run();
    // Deleted while Email was down: expired, whatever the setting.
    expect(latest.q?.expired).toBeGreaterThan(100);
    // Still kept when it came back, about a second's worth, but skipped: it starts at the end.
    expect(latest.skipped).toBeGreaterThan(50);
    expect(latest.q?.dropped).toBe(latest.skipped);
    expect(latest.q?.copies).toBe(
      (latest.q?.processed ?? 0) + (latest.q?.expired ?? 0) + (latest.q?.dropped ?? 0),
    );
    const earliest = run('earliest');
    // Earliest reads what is still kept instead (and, behind, loses more to retention meanwhile).
    expect(earliest.skipped).toBe(0);
    expect(earliest.q?.expired).toBeGreaterThanOrEqual(latest.q?.expired ?? 0);
    expect(earliest.q?.copies).toBe((earliest.q?.processed ?? 0) + (earliest.q?.expired ?? 0));
    expect(earliest.q?.processed).toBeGreaterThan(latest.q?.processed ?? 0);
  });

  it('lets a new subscriber read the history (earliest) or only what comes next (latest)', () => {
    const late = (from: 'earliest' | 'latest') => {
      const s = logScenario();
      const withFraud = makeScenario({
        ...s,
        services: [
          ...s.services,
          {
            id: 'fraud',
            name: 'Fraud Service',
            latency_ms: 2,
            concurrency: 3,
            subscribes: ['OrderCreated'],
            subscribed: false,
          },
        ],
      } as never);
      const sim = new Simulation(withFraud);
      sim.runUntil(2000);
      expect(sim.isSubscribed('fraud')).toBe(false);
      const before = sim.report().events.published;
      sim.intervene({ kind: 'subscribe', service: 'fraud', from });
      sim.runUntil(8000);
      return { before, r: sim.report() };
    };
    const earliest = late('earliest');
    expect(earliest.r.queues.fraud?.processed).toBe(earliest.r.queues.email?.processed);
    const latest = late('latest');
    expect(latest.r.queues.fraud?.processed).toBe(
      (latest.r.queues.email?.processed ?? 0) - latest.before,
    );
  });

  it('resets offsets back and forward while a record waits out its backoff without any count going negative', () => {
    for (const target of [
      { to: 'earliest' as const },
      { to: 'offset' as const, offset: 1_000_000 },
    ]) {
      const s = makeScenario({
        broker: { kind: 'log', partitions: 1 },
        services: oneConsumer(5, { concurrency: 1 }),
        chain: undefined,
        workload: { rate_per_s: 20, keys: 5 },
        faults: [{ service: 'email', at_ms: 0, duration_ms: 400, mode: 'flaky', error_rate: 1 }],
        delivery: { max_attempts: 5, backoff: 'fixed', base_ms: 2000, jitter: 'none' },
        duration_ms: 3000,
      });
      const sim = new Simulation(s);
      sim.runUntil(600);
      // The first record is waiting out its 2 s backoff; the partition waits behind it.
      expect(sim.queue(0).retrying).toBe(1);
      sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
      expect(sim.intervene({ kind: 'reset-offsets', service: 'email', target })).toBeNull();
      sim.intervene({ kind: 'fault', service: 'email', patch: { down: false } });
      while (sim.step()) {
        const q = sim.queue(0);
        expect(q.waiting).toBeGreaterThanOrEqual(0);
        expect(q.copies).toBe(
          q.processed + q.waiting + q.inFlight + q.deadLettered + q.expired + q.dropped,
        );
      }
      const q = sim.report().queues.email;
      // Back: the waiting record is read again as the same copy; forward: skipped once.
      if (target.to === 'earliest') expect(q?.dropped).toBe(0);
      else expect(q?.dropped).toBeGreaterThan(0);
      expect(q?.copies).toBe((q?.processed ?? 0) + (q?.dropped ?? 0));
    }
  });

  it('replays from the earliest offset once the group is stopped; a non-idempotent consumer repeats its work', () => {
    const sim = new Simulation(logScenario(), { keepTrace: true });
    sim.runUntil(6000);
    expect(
      sim.intervene({ kind: 'reset-offsets', service: 'email', target: { to: 'earliest' } }),
    ).toMatch(/stop the consumer group first/);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
    expect(
      sim.intervene({ kind: 'reset-offsets', service: 'email', target: { to: 'earliest' } }),
    ).toBeNull();
    expect(sim.report().queues.email?.lag).toBe(sim.report().events.published);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: false } });
    sim.runUntil(20_000);
    const r = sim.report();
    expect(r.events.duplicates).toBe(r.events.published);
    const replayed = of(sim.fullTrace, Rec.Delivered).filter((d) => d.code === Reason.Replay);
    expect(replayed).toHaveLength(r.events.published);
  });
});

describe('log: what the consumer code does with failures, and share groups (Kafka 4.x)', () => {
  /** One partition, one Email worker, 20% of its work failing: retried with a fixed 300 ms backoff. */
  const flakyLog = (broker: Record<string, unknown>) =>
    makeScenario({
      broker: { kind: 'log', partitions: 1, ...broker },
      services: oneConsumer(5, { concurrency: 1 }),
      chain: undefined,
      workload: { rate_per_s: 40, keys: 10 },
      faults: [{ service: 'email', at_ms: 0, mode: 'flaky', error_rate: 0.2 }],
      delivery: { max_attempts: 5, backoff: 'fixed', base_ms: 300, jitter: 'none' },
      duration_ms: 5000,
    });

  /** First deliveries made while another record waits out its backoff, and acks that go back in offset order. */
  function retryShape(sim: Simulation) {
    const waiting = new Set<number>();
    let passedWhileWaiting = 0;
    let outOfOrder = 0;
    let highest = -1;
    for (const r of sim.fullTrace) {
      if (r.kind === Rec.RetryScheduled) waiting.add(r.msg);
      if (r.kind === Rec.RetryReady) waiting.delete(r.msg);
      if (r.kind === Rec.Delivered && r.attempt === 1 && waiting.size > 0) passedWhileWaiting++;
      if (r.kind === Rec.Acked) {
        if (r.value < highest) outOfOrder++;
        highest = Math.max(highest, r.value);
      }
    }
    return { passedWhileWaiting, outOfOrder };
  }

  it('retrying in place holds back the rest of the partition and keeps its order; a retry topic lets it move on and the retried record comes back out of order', () => {
    const inPlace = new Simulation(flakyLog({}), { keepTrace: true });
    inPlace.runUntil(60_000);
    expect(inPlace.model.retryNode).toBe(-1);
    expect(of(inPlace.fullTrace, Rec.RetryScheduled).length).toBeGreaterThan(10);
    expect(retryShape(inPlace)).toEqual({ passedWhileWaiting: 0, outOfOrder: 0 });

    const topic = new Simulation(flakyLog({ retry: 'retry-topic' }), { keepTrace: true });
    topic.runUntil(60_000);
    const shape = retryShape(topic);
    expect(shape.passedWhileWaiting).toBeGreaterThan(10);
    expect(shape.outOfOrder).toBeGreaterThan(0);
    // On the canvas the retry leaves the group for the retry topic and comes back.
    const retryNode = topic.model.retryNode;
    const groupNode = topic.model.queues[0]?.node;
    expect(topic.model.nodes[retryNode]?.label).toBe('Retry topic');
    for (const r of of(topic.fullTrace, Rec.RetryScheduled))
      expect([r.from, r.to]).toEqual([groupNode, retryNode]);
    for (const r of of(topic.fullTrace, Rec.RetryReady))
      expect([r.from, r.to]).toEqual([retryNode, groupNode]);
    // Nothing is lost either way: every copy is processed or dead-lettered.
    for (const q of [inPlace.report().queues.email, topic.report().queues.email])
      expect(q?.copies).toBe((q?.processed ?? 0) + (q?.dead_lettered ?? 0));
    // Holding the partition costs time: the in-place group finishes later.
    const lastAck = (sim: Simulation) => Math.max(...of(sim.fullTrace, Rec.Acked).map((r) => r.t));
    expect(lastAck(topic)).toBeLessThan(lastAck(inPlace));
  });

  /** 3 partitions, Email with 6 workers of 20 ms: 300/s in all, 150/s if only 3 can work. */
  const busyLog = (broker: Record<string, unknown>, rate = 200) =>
    makeScenario({
      broker: { kind: 'log', partitions: 3, ...broker },
      services: oneConsumer(20, { concurrency: 6 }),
      chain: undefined,
      workload: { rate_per_s: rate, keys: 50 },
      duration_ms: 5000,
    });

  it('a consumer group uses one member per partition (the rest idle); a share group uses every member', () => {
    const busiest = (group_type: 'consumer' | 'share') => {
      const sim = new Simulation(busyLog({ group_type }));
      let most = 0;
      for (let t = 100; t < 5000; t += 25) {
        sim.runUntil(t);
        most = Math.max(most, sim.service(1).busy);
      }
      return { most, lag: sim.report().queues.email?.lag ?? 0 };
    };
    const consumer = busiest('consumer');
    const share = busiest('share');
    expect(consumer.most).toBe(3);
    expect(share.most).toBe(6);
    // 200 records a second: 3 members fall behind, 6 keep up.
    expect(consumer.lag).toBeGreaterThan(100);
    expect(share.lag).toBeLessThan(20);
  });

  it('a share group delivers a record it cannot process up to the delivery count limit, then archives it, without holding back its partition', () => {
    const s = makeScenario({
      broker: { kind: 'log', partitions: 1, group_type: 'share' },
      services: oneConsumer(5, { concurrency: 2 }),
      chain: undefined,
      workload: { rate_per_s: 20, keys: 5, poison: { rate: 0.1, services: ['email'] } },
      duration_ms: 3000,
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(20_000);
    const archived = of(sim.fullTrace, Rec.Dropped).filter((r) => r.code === Reason.DeliveryLimit);
    expect(archived.length).toBeGreaterThan(0);
    for (const r of archived) {
      // group.share.delivery.count.limit: 5 deliveries by default, then archived.
      expect(r.attempt).toBe(5);
      expect(of(sim.fullTrace, Rec.Delivered).filter((d) => d.msg === r.msg)).toHaveLength(5);
    }
    const q = sim.report().queues.email;
    expect(q?.copies).toBe((q?.processed ?? 0) + (q?.dropped ?? 0));
    // No retry with a backoff and no dead-letter topic: the broker redelivers at once.
    expect(of(sim.fullTrace, Rec.RetryScheduled)).toHaveLength(0);
    expect(of(sim.fullTrace, Rec.DeadLettered)).toHaveLength(0);
  });

  it('a share group delivers a record again once its acquisition lock runs out (a consumer that crashed before acknowledging)', () => {
    const s = makeScenario({
      broker: { kind: 'log', partitions: 2, group_type: 'share', share_lock_ms: 2000 },
      services: oneConsumer(10, { concurrency: 2 }),
      chain: undefined,
      workload: { rate_per_s: 20, keys: 5 },
      faults: [
        { service: 'email', at_ms: 500, duration_ms: 500, mode: 'crash-before-ack', error_rate: 1 },
      ],
      duration_ms: 3000,
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(20_000);
    const again = of(sim.fullTrace, Rec.Delivered).filter((r) => r.code === Reason.LockTimeout);
    expect(again.length).toBeGreaterThan(5);
    for (const r of again) {
      const first = sim.fullTrace.find((d) => d.kind === Rec.Delivered && d.msg === r.msg);
      expect(r.t - (first?.t ?? 0)).toBeGreaterThanOrEqual(2000);
    }
    expect(sim.report().queues.email?.processed).toBe(sim.report().queues.email?.copies);
  });

  it('a consumer group pauses for a rebalance when a member joins or leaves, then spreads the partitions over the members', () => {
    const run = (rebalance_ms: number) => {
      const s = makeScenario({
        broker: { kind: 'log', partitions: 3, rebalance_ms },
        services: oneConsumer(20, { concurrency: 1 }),
        chain: undefined,
        workload: { rate_per_s: 30, keys: 50 },
        duration_ms: 5000,
      });
      const sim = new Simulation(s, { keepTrace: true });
      sim.runUntil(2000);
      expect(new Set(sim.partitions(0).map((p) => p.owner)).size).toBe(1);
      // Two more members join.
      sim.intervene({ kind: 'scale', service: 'email', replicas: 3, concurrency: 1 });
      sim.runUntil(8000);
      const email = sim.model.queues[0]?.node;
      const during = of(sim.fullTrace, Rec.Delivered).filter(
        (r) => r.from === email && r.t >= 2000 && r.t < 3500,
      );
      return { sim, during: during.length };
    };
    const paused = run(1500);
    expect(paused.during).toBe(0);
    expect(new Set(paused.sim.partitions(0).map((p) => p.owner)).size).toBe(3);
    // It catches up afterwards.
    expect(paused.sim.report().queues.email?.lag).toBe(0);
    expect(run(0).during).toBeGreaterThan(30);
    // Members leaving and coming back (an outage switched off and on) rebalance too.
    const s = makeScenario({
      broker: { kind: 'log', partitions: 3, rebalance_ms: 1500 },
      services: oneConsumer(20, { concurrency: 3 }),
      chain: undefined,
      workload: { rate_per_s: 30, keys: 50 },
      duration_ms: 5000,
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(2000);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
    sim.runUntil(2100);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: false } });
    sim.runUntil(8000);
    const delivered = of(sim.fullTrace, Rec.Delivered).map((r) => r.t);
    expect(delivered.filter((t) => t >= 2000 && t < 3600)).toEqual([]);
    expect(delivered.filter((t) => t >= 3600).length).toBeGreaterThan(50);
    expect(sim.report().queues.email?.lag).toBe(0);
  });

  it('evicts a member whose poll takes longer than max.poll.interval.ms: another member reads its record again (a duplicate) and its commit is refused', () => {
    const run = (max_poll_interval_ms?: number) => {
      const s = makeScenario({
        broker: {
          kind: 'log',
          partitions: 2,
          ...(max_poll_interval_ms ? { max_poll_interval_ms } : {}),
        },
        services: oneConsumer(20, { concurrency: 2 }),
        chain: undefined,
        workload: { rate_per_s: 5, keys: 5 },
        faults: [{ service: 'email', at_ms: 1000, duration_ms: 1000, mode: 'slow', factor: 100 }],
        duration_ms: 3000,
      });
      const sim = new Simulation(s, { keepTrace: true });
      sim.runUntil(60_000);
      return sim;
    };
    const evicted = run(1000);
    const again = of(evicted.fullTrace, Rec.Delivered).filter((r) => r.code === Reason.PollTimeout);
    expect(again.length).toBeGreaterThan(0);
    expect(of(evicted.fullTrace, Rec.AckRejected).length).toBeGreaterThan(0);
    expect(evicted.report().events.duplicates).toBeGreaterThan(0);
    // Kafka's default (5 minutes) lets the same slow work finish without an eviction.
    const patient = run();
    expect(
      of(patient.fullTrace, Rec.Delivered).filter((r) => r.code === Reason.PollTimeout),
    ).toHaveLength(0);
    expect(patient.report().events.duplicates).toBe(0);
  });
});

describe('queue (RabbitMQ style)', () => {
  const single = { rate_per_s: 0, orders: [{ at_ms: 0 }] };

  // Two event types: Email binds OrderCreated, Ledger binds OrderPaid.
  const twoTypes = (exchange: 'fanout' | 'direct') =>
    makeScenario({
      broker: { kind: 'queue', exchange },
      services: [
        {
          id: 'orders',
          name: 'Order Service',
          latency_ms: 5,
          emits: ['OrderCreated', 'OrderPaid'],
        },
        { id: 'email', name: 'Email', latency_ms: 5, subscribes: ['OrderCreated'] },
        {
          id: 'ledger',
          name: 'Ledger',
          latency_ms: 5,
          subscribes: ['OrderPaid'],
          emits: ['Booked'],
        },
        { id: 'audit', name: 'Audit', latency_ms: 5, subscribes: ['Booked'] },
      ],
      chain: undefined,
      workload: { rate_per_s: 0, orders: [{ at_ms: 0 }, { at_ms: 100 }] },
    });

  it('copies every event to every bound queue with a fanout exchange, ignoring the routing key; direct routes by it', () => {
    const runs = (['fanout', 'direct'] as const).map((exchange) => {
      const sim = new Simulation(twoTypes(exchange), { keepTrace: true });
      sim.runUntil(2000);
      return { sim, r: sim.report() };
    });
    const [fanout, direct] = runs as [(typeof runs)[0], (typeof runs)[0]];
    // Direct: each queue gets only its own type; fanout: all three types reach all three queues.
    expect(['email', 'ledger', 'audit'].map((q) => direct.r.queues[q]?.copies)).toEqual([2, 2, 2]);
    expect(['email', 'ledger', 'audit'].map((q) => fanout.r.queues[q]?.copies)).toEqual([6, 6, 6]);
    expect(fanout.sim.traceHash).not.toBe(direct.sim.traceHash);
    // A consumer with no handler for a type acks it unread: no work, no side effect, no event.
    expect(['email', 'ledger', 'audit'].map((q) => fanout.r.queues[q]?.processed)).toEqual([
      2, 2, 2,
    ]);
    expect(fanout.r.events.ignored).toBe(12);
    expect(fanout.r.services.email?.processed).toBe(2);
    expect(of(fanout.sim.fullTrace, Rec.Published)).toHaveLength(6);
    expect(
      of(fanout.sim.fullTrace, Rec.Acked).filter((a) => a.code === AckCode.NoHandler),
    ).toHaveLength(12);
    expect(direct.r.events.ignored).toBe(0);
  });

  it('tells which queue gets which event type through each exchange type, from the engine’s routing', () => {
    const model = buildModel(twoTypes('direct'), 'event');
    expect(model.eventTypes).toEqual(['OrderCreated', 'OrderPaid', 'Booked']);
    const tables = Object.fromEntries(routingTables(model).map((t) => [t.exchange, t.receives]));
    // Rows: email, ledger, audit queues.
    expect(tables.direct).toEqual([
      [true, false, false],
      [false, true, false],
      [false, false, true],
    ]);
    expect(tables.topic).toEqual(tables.direct);
    expect(tables.fanout).toEqual([
      [true, true, true],
      [true, true, true],
      [true, true, true],
    ]);
    // What the engine routes with is the current exchange's row of the table.
    const fanoutModel = buildModel(twoTypes('fanout'), 'event');
    expect(fanoutModel.routes).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ]);
  });

  it('routes with a topic exchange: * is exactly one word, # is any number of words', () => {
    const s = makeScenario({
      broker: { kind: 'queue', exchange: 'topic' },
      services: [
        {
          id: 'orders',
          name: 'Order Service',
          latency_ms: 5,
          emits: ['order.created.eu', 'order.created.us'],
        },
        { id: 'eu', name: 'EU Desk', latency_ms: 5, subscribes: ['#.eu'] },
        { id: 'all', name: 'All Orders', latency_ms: 5, subscribes: ['order.*.*'] },
        { id: 'created', name: 'Created', latency_ms: 5, subscribes: ['order.created.#'] },
      ],
      chain: undefined,
      workload: single,
    });
    const sim = new Simulation(s);
    sim.runUntil(1000);
    const r = sim.report();
    // One order publishes two events: EU gets one, the others both.
    expect([r.queues.eu?.copies, r.queues.all?.copies, r.queues.created?.copies]).toEqual([
      1, 2, 2,
    ]);
    expect(() =>
      makeScenario({
        ...s,
        services: [
          ...s.services.slice(0, 1),
          { id: 'x', name: 'X', latency_ms: 1, subscribes: ['order.*'] },
        ],
      } as never),
    ).toThrow(/matches no event/);
  });

  it('drops and counts an unroutable message, or keeps it with an alternate exchange', () => {
    const services = [
      {
        id: 'orders',
        name: 'Order Service',
        latency_ms: 5,
        emits: ['OrderCreated', 'OrderAudited'],
      },
      { id: 'email', name: 'Email Service', latency_ms: 5, subscribes: ['OrderCreated'] },
    ];
    const dropped = new Simulation(makeScenario({ services, chain: undefined, workload: single }));
    dropped.runUntil(1000);
    expect(dropped.report().broker).toMatchObject({ unroutable: 1, unroutable_kept: 0 });
    const kept = new Simulation(
      makeScenario({
        services,
        chain: undefined,
        workload: single,
        broker: { kind: 'queue', alternate_exchange: true },
      }),
    );
    kept.runUntil(1000);
    expect(kept.report().broker).toMatchObject({ unroutable: 1, unroutable_kept: 1 });
    expect(kept.model.aeNode).toBeGreaterThan(0);
  });

  it('dead-letters a message whose TTL runs out while its consumer is down', () => {
    const s = makeScenario({
      broker: { kind: 'queue', message_ttl_ms: 1000 },
      services: oneConsumer(10),
      chain: undefined,
      workload: { rate_per_s: 10 },
      duration_ms: 5000,
      faults: [{ service: 'email', at_ms: 1000, duration_ms: 3000, mode: 'down' }],
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(8000);
    const dead = of(sim.fullTrace, Rec.DeadLettered);
    expect(dead.length).toBeGreaterThan(10);
    for (const d of dead) expect(d.code).toBe(Reason.Expired);
    const q = sim.report().queues.email;
    expect(q?.copies).toBe((q?.processed ?? 0) + (q?.dead_lettered ?? 0));
  });

  it('caps a queue with max-length: drop-head dead-letters the oldest, reject-publish fails the order', () => {
    const capped = (
      overflow: 'drop-head' | 'reject-publish',
      queue_type: 'quorum' | 'classic' = 'quorum',
    ) => {
      const s = makeScenario({
        broker: { kind: 'queue', max_length: 5, overflow, queue_type },
        services: oneConsumer(10),
        chain: undefined,
        workload: { rate_per_s: 10 },
        duration_ms: 3000,
        faults: [{ service: 'email', at_ms: 0, duration_ms: 2000, mode: 'down' }],
      });
      const sim = new Simulation(s, { keepTrace: true });
      let most = 0;
      for (let t = 0; t <= 2000; t += 20) {
        sim.runUntil(t);
        most = Math.max(most, sim.queue(0).waiting);
      }
      sim.runUntil(6000);
      return { most, sim, r: sim.report() };
    };
    const head = capped('drop-head');
    expect(head.most).toBe(5);
    expect(head.r.queues.email?.dead_lettered).toBeGreaterThan(10);
    expect(of(head.sim.fullTrace, Rec.DeadLettered).every((d) => d.code === Reason.Overflow)).toBe(
      true,
    );
    // The newest orders got their email: the oldest were dropped.
    expect(head.r.requests.failed).toBe(0);

    const reject = capped('reject-publish', 'classic');
    expect(reject.most).toBe(5);
    expect(reject.r.queues.email?.rejected).toBeGreaterThan(10);
    // The publisher is told (a negative confirm), so those orders fail for the user.
    expect(reject.r.requests.failed).toBe(reject.r.queues.email?.rejected);
    // A quorum queue takes the message that puts it one past the limit, then refuses.
    const quorum = capped('reject-publish', 'quorum');
    expect(quorum.most).toBe(6);
    expect(quorum.r.queues.email?.rejected).toBe((reject.r.queues.email?.rejected ?? 0) - 1);
  });

  it('a quorum queue with reject-publish refuses from one past max-length until it is back to 80% of it (rabbit_fifo 4.2)', () => {
    const s = makeScenario({
      broker: { kind: 'queue', max_length: 10, overflow: 'reject-publish', queue_type: 'quorum' },
      services: oneConsumer(100, { concurrency: 1 }),
      chain: undefined,
      // 20 orders a second against 10 a second of work: the queue fills and stays full.
      workload: { rate_per_s: 20 },
      duration_ms: 5000,
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(5000);
    // Replay the queue's length record by record: every refusal happened while it was
    // blocked, which began above 10 and ended at 8 or fewer.
    const node = sim.model.queues[0]?.node as number;
    let ready = 0;
    let blocked = false;
    let refusals = 0;
    let most = 0;
    for (const r of sim.fullTrace) {
      if (r.kind === Rec.Delivered && r.from === node) ready--;
      const publish = r.kind === Rec.Enqueued || r.kind === Rec.PublishRejected;
      if (!publish || r.to !== node) continue;
      // At each publish: back to 80% (8 of 10), it accepts again.
      if (blocked && ready <= 8) blocked = false;
      expect([r.kind, blocked]).toEqual([r.kind, r.kind === Rec.PublishRejected]);
      if (r.kind === Rec.PublishRejected) refusals++;
      else if (++ready > 10) blocked = true;
      most = Math.max(most, ready);
    }
    expect(most).toBe(11);
    expect(refusals).toBeGreaterThan(10);
  });

  it('never reads more than max_length in its most-ever-waiting figure: drop-head makes room before a copy enters', () => {
    for (const on_failure of ['retry', 'requeue'] as const) {
      const s = makeScenario({
        broker: { kind: 'queue', max_length: 5, on_failure },
        services: oneConsumer(30, { concurrency: 2 }),
        chain: undefined,
        workload: { rate_per_s: 80 },
        duration_ms: 3000,
        delivery: { max_attempts: 4, base_ms: 20, cap_ms: 100 },
        faults: [
          { service: 'email', at_ms: 500, duration_ms: 1500, mode: 'flaky', error_rate: 0.5 },
        ],
      });
      const sim = new Simulation(s, { keepTrace: true });
      sim.runUntil(8000);
      const q = sim.report().queues.email;
      // The queue was full and dropped (dead-lettered) from its head...
      expect(
        of(sim.fullTrace, Rec.DeadLettered).filter((d) => d.code === Reason.Overflow).length,
      ).toBeGreaterThan(10);
      // ...yet never held a sixth message, even for the instant between enqueue and drop.
      expect(q?.max_depth).toBe(5);
    }
  });

  it('requeues a failed message at once with nack-requeue; a quorum queue dead-letters it when returned more than delivery_limit times', () => {
    const deliveries = (broker: Record<string, unknown>) => {
      const s = makeScenario({
        broker: { kind: 'queue', on_failure: 'requeue', ...broker },
        services: oneConsumer(5),
        chain: undefined,
        workload: { ...single, poison: { rate: 1, services: ['email'] } },
      });
      const sim = new Simulation(s, { keepTrace: true });
      sim.runUntil(2000);
      return { sim, count: of(sim.fullTrace, Rec.Delivered).length };
    };
    // RabbitMQ 4.0-4.2: dead-lettered once acquired_count > delivery-limit, so limit + 1 deliveries.
    const byDefault = deliveries({});
    expect(byDefault.count).toBe(21);
    expect(of(byDefault.sim.fullTrace, Rec.DeadLettered).map((d) => d.code)).toEqual([
      Reason.DeliveryLimit,
    ]);
    // The dead-letter queue says why.
    expect(byDefault.sim.deadLetters(5).items.map((m) => m.note)).toEqual([
      'delivery limit reached',
    ]);
    expect(deliveries({ delivery_limit: 3 }).count).toBe(4);
    expect(deliveries({ delivery_limit: 1 }).count).toBe(2);
  });

  it('requeues forever on a classic queue, which has no delivery limit', () => {
    const s = makeScenario({
      broker: { kind: 'queue', on_failure: 'requeue', queue_type: 'classic', delivery_limit: 3 },
      services: oneConsumer(5),
      chain: undefined,
      workload: { ...single, poison: { rate: 1, services: ['email'] } },
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(2000);
    // Every 5 ms of work plus two network trips, for two seconds: far past any limit.
    expect(of(sim.fullTrace, Rec.Delivered).length).toBeGreaterThan(100);
    expect(of(sim.fullTrace, Rec.DeadLettered)).toHaveLength(0);
    expect(sim.queue(0).inFlight + sim.queue(0).waiting).toBe(1);
  });

  it('counts a crash before the ack as a return: the delivery limit dead-letters a message that keeps crashing its consumer', () => {
    const s = makeScenario({
      broker: { kind: 'queue', delivery_limit: 2 },
      services: oneConsumer(5),
      chain: undefined,
      workload: single,
      faults: [{ service: 'email', at_ms: 0, mode: 'crash-before-ack', error_rate: 1 }],
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(2000);
    expect(of(sim.fullTrace, Rec.Delivered)).toHaveLength(3);
    expect(of(sim.fullTrace, Rec.DeadLettered).map((d) => d.code)).toEqual([Reason.DeliveryLimit]);
  });

  it('starts a message’s return count again when it comes back from the retry queue (a new message to the work queue)', () => {
    const s = makeScenario({
      broker: { kind: 'queue', delivery_limit: 1 },
      services: oneConsumer(5),
      chain: undefined,
      network_ms: 5,
      workload: single,
      delivery: { max_attempts: 10, backoff: 'fixed', base_ms: 100, jitter: 'none' },
      // 1st delivery crashes (a return), the 2nd fails (to the retry queue), the 3rd
      // crashes again (a return), the 4th succeeds.
      faults: [
        { service: 'email', at_ms: 0, duration_ms: 30, mode: 'crash-before-ack', error_rate: 1 },
        { service: 'email', at_ms: 30, duration_ms: 10, mode: 'flaky', error_rate: 1 },
        { service: 'email', at_ms: 100, duration_ms: 50, mode: 'crash-before-ack', error_rate: 1 },
      ],
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(2000);
    expect(of(sim.fullTrace, Rec.Delivered).map((d) => d.code)).toEqual([
      Reason.None,
      Reason.CrashBeforeAck,
      Reason.Retry,
      Reason.CrashBeforeAck,
    ]);
    expect(of(sim.fullTrace, Rec.DeadLettered)).toHaveLength(0);
    expect(sim.report().queues.email?.processed).toBe(1);
  });

  it('returns every unacked message of a crashed consumer’s channel, and only that channel’s', () => {
    const s = makeScenario({
      broker: { kind: 'queue', prefetch: 3 },
      services: oneConsumer(100, { concurrency: 3, replicas: 2 }),
      chain: undefined,
      // Six orders at once: two channels of three deliveries each.
      workload: { rate_per_s: 0, orders: [0, 0, 0, 0, 0, 0].map((at_ms) => ({ at_ms })) },
      faults: [
        { service: 'email', at_ms: 0, duration_ms: 150, mode: 'crash-before-ack', error_rate: 0.2 },
      ],
      seed: 3,
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(5000);
    const requeued = of(sim.fullTrace, Rec.Requeued);
    const crashes = requeued.filter((r) => r.code === Reason.CrashBeforeAck);
    expect(crashes.length).toBeGreaterThan(0);
    // Each crash returns the channel's other two deliveries with it, at the same moment.
    for (const crash of crashes) {
      const closed = requeued.filter((r) => r.t === crash.t && r.code === Reason.ChannelClosed);
      expect(closed.length).toBe(
        2 * requeued.filter((r) => r.t === crash.t && r.code === Reason.CrashBeforeAck).length,
      );
    }
    // Nothing lost: every copy was processed in the end.
    expect(sim.report().queues.email?.processed).toBe(6);
  });

  it('closes the channel of a consumer that holds a delivery past consumer_timeout, returning all it held', () => {
    const run = (consumer_timeout_ms: number) => {
      const s = makeScenario({
        broker: { kind: 'queue', consumer_timeout_ms, delivery_limit: 1 },
        services: oneConsumer(1000, { concurrency: 2 }),
        chain: undefined,
        workload: { rate_per_s: 0, orders: [{ at_ms: 0 }, { at_ms: 400 }] },
      });
      const sim = new Simulation(s, { keepTrace: true });
      sim.runUntil(10_000);
      return sim;
    };
    // The default (30 minutes) is far longer than a second of work.
    const patient = run(1_800_000);
    expect(of(patient.fullTrace, Rec.Requeued)).toHaveLength(0);
    expect(patient.report().queues.email?.processed).toBe(2);

    const strict = run(700);
    const returned = of(strict.fullTrace, Rec.Requeued);
    const firstDelivery = of(strict.fullTrace, Rec.Delivered)[0]?.t ?? -1;
    // 700 ms after the first delivery: both unacked deliveries of the channel go back,
    // the second (delivered 400 ms later) with it, though its own time was not up.
    expect(returned.slice(0, 2).map((r) => [r.t, r.code])).toEqual([
      [firstDelivery + 700, Reason.ConsumerTimeout],
      [firstDelivery + 700, Reason.ConsumerTimeout],
    ]);
    // Work that always outlasts the timeout: returned until the delivery limit (1) dead-letters it.
    expect(of(strict.fullTrace, Rec.DeadLettered).map((d) => d.code)).toEqual([
      Reason.DeliveryLimit,
      Reason.DeliveryLimit,
    ]);
    expect(strict.report().queues.email?.processed).toBe(0);
  });

  it('rejects straight to the dead-letter queue with on_failure reject', () => {
    const s = makeScenario({
      broker: { kind: 'queue', on_failure: 'reject' },
      services: oneConsumer(5),
      chain: undefined,
      workload: { rate_per_s: 0, orders: [{ at_ms: 0 }], poison: { rate: 1, services: ['email'] } },
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(2000);
    expect(of(sim.fullTrace, Rec.Delivered)).toHaveLength(1);
    expect(sim.report().queues.email?.dead_lettered).toBe(1);
  });

  it('limits unacknowledged messages per consumer with prefetch', () => {
    const s = makeScenario({
      broker: { kind: 'queue', prefetch: 2 },
      services: oneConsumer(50, { concurrency: 8, replicas: 2 }),
      chain: undefined,
      workload: { rate_per_s: 200 },
      duration_ms: 2000,
    });
    const sim = new Simulation(s);
    let most = 0;
    for (let t = 0; t < 2000; t += 10) {
      sim.runUntil(t);
      most = Math.max(most, sim.queue(0).inFlight);
    }
    expect(most).toBe(4);
  });

  it('redrives dead letters back to their queue, where they are processed', () => {
    const s = makeScenario({
      services: oneConsumer(5),
      chain: undefined,
      workload: { rate_per_s: 10 },
      duration_ms: 3000,
      faults: [{ service: 'email', at_ms: 0, duration_ms: 3000, mode: 'flaky', error_rate: 1 }],
      delivery: { max_attempts: 2, base_ms: 10, cap_ms: 20 },
    });
    const sim = new Simulation(s);
    sim.runUntil(4000);
    const dead = sim.report().queues.email?.dead_lettered ?? 0;
    expect(dead).toBeGreaterThan(20);
    sim.intervene({ kind: 'redrive' });
    sim.runUntil(6000);
    const q = sim.report().queues.email;
    expect(q).toMatchObject({ dead_lettered: 0, redriven: dead, waiting: 0 });
    expect(q?.processed).toBe(q?.copies);
  });

  it('redrives every dead letter, not only the newest few thousand, and each is processed once more', () => {
    const s = makeScenario({
      services: oneConsumer(1, { concurrency: 4 }),
      chain: undefined,
      workload: { rate_per_s: 500 },
      duration_ms: 12_000,
      faults: [{ service: 'email', at_ms: 0, duration_ms: 12_000, mode: 'flaky', error_rate: 1 }],
      delivery: { max_attempts: 1 },
    });
    const sim = new Simulation(s);
    sim.runUntil(12_500);
    const dead = sim.report().queues.email?.dead_lettered ?? 0;
    expect(dead).toBeGreaterThan(5000);
    expect(sim.deadLetters(10).items).toHaveLength(10);
    sim.intervene({ kind: 'redrive' });
    sim.runUntil(60_000);
    const q = sim.report().queues.email;
    expect(q).toMatchObject({ dead_lettered: 0, redriven: dead, waiting: 0 });
    expect(q?.processed).toBe(q?.copies);
  });

  it('gives a subscriber added during the run only the events published after it joined', () => {
    const s = makeScenario({
      services: [
        ...oneConsumer(5),
        {
          id: 'fraud',
          name: 'Fraud Service',
          latency_ms: 5,
          subscribes: ['OrderCreated'],
          subscribed: false,
        },
      ],
      chain: undefined,
      workload: { rate_per_s: 20 },
      duration_ms: 4000,
    });
    const sim = new Simulation(s);
    sim.runUntil(2000);
    const before = sim.report().events.published;
    sim.intervene({ kind: 'subscribe', service: 'fraud', from: 'latest' });
    sim.runUntil(6000);
    const r = sim.report();
    expect(r.queues.fraud?.copies).toBe(r.events.published - before);
    expect(r.queues.fraud?.processed).toBe(r.queues.fraud?.copies);
  });

  it('stops double charges when the consumer is switched to idempotent mid-run', () => {
    const s = makeScenario({
      services: oneConsumer(20),
      chain: undefined,
      workload: { rate_per_s: 20 },
      duration_ms: 10_000,
      faults: [{ service: 'email', at_ms: 0, mode: 'crash-before-ack', error_rate: 0.3 }],
    });
    const sim = new Simulation(s, { keepTrace: true });
    sim.runUntil(5000);
    const before = sim.report().events.duplicates;
    expect(before).toBeGreaterThan(10);
    sim.intervene({ kind: 'idempotent', service: 'email', on: true });
    sim.runUntil(12_000);
    const afterSwitch = sim.fullTrace.filter((r) => r.kind === Rec.Processed && r.t > 5000);
    expect(afterSwitch.some((r) => r.code === Effect.SkippedIdempotent)).toBe(true);
    // Only copies already crashed before the switch might still repeat: nothing new.
    expect(sim.report().events.duplicates).toBe(before);
  });
});

describe('age of the oldest waiting message', () => {
  it('grows while a consumer is down and falls back when it catches up, on every broker', () => {
    for (const broker of [{ kind: 'queue' }, { kind: 'log' }, { kind: 'sns-sqs' }] as const) {
      const s = makeScenario({
        broker,
        duration_ms: 20_000,
        faults: [{ service: 'email', at_ms: 2000, duration_ms: 6000, mode: 'down' }],
      });
      const sim = new Simulation(s);
      const email = sim.model.services.find((x) => x.id === 'email')?.queue as number;
      sim.runUntil(1500);
      expect(sim.queue(email).oldestAgeMs).toBeLessThan(300);
      sim.runUntil(7900);
      // Everything since 2 s waits: the oldest is almost 6 s old.
      expect(sim.queue(email).oldestAgeMs).toBeGreaterThan(5500);
      expect(sim.report().queues.email?.oldest_age_ms).toBe(sim.queue(email).oldestAgeMs);
      sim.runUntil(20_000);
      expect(sim.queue(email).oldestAgeMs).toBeLessThan(300);
    }
  });
});
