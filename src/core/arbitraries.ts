/** fast-check generators of random but valid scenarios, for property tests. */
import fc from 'fast-check';
import { parseScenario, type Scenario, type ScenarioInput } from './scenario';

type ServiceInput = ScenarioInput['services'][number];
type FaultInput = NonNullable<ScenarioInput['faults']>[number];

const latency = fc.oneof(
  fc.integer({ min: 0, max: 80 }),
  fc.record({ dist: fc.constant('fixed' as const), mean_ms: fc.integer({ min: 0, max: 80 }) }),
  fc.record({
    dist: fc.constant('exponential' as const),
    mean_ms: fc.integer({ min: 1, max: 80 }),
  }),
  fc.record({
    dist: fc.constant('lognormal' as const),
    median_ms: fc.integer({ min: 1, max: 60 }),
    sigma: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })).map(([a, b]) => ({
    dist: 'uniform' as const,
    min_ms: Math.min(a, b),
    max_ms: Math.max(a, b),
  })),
);

export interface ScenarioShape {
  /** Allow faults that never end (the run then cannot drain). */
  openEndedFaults?: boolean;
  /** Only these broker flavours (default: all three). */
  brokers?: ('queue' | 'log' | 'sns-sqs')[];
  /**
   * Producer-side runs: orders always arrive (5-40 a second) and the entry service crashes
   * before publishing 1-50% of the time for part of the run (fast-check's doubles favour
   * values so small that no order would arrive and no crash would happen).
   */
  producerCrashes?: boolean;
}

type BrokerInput = NonNullable<ScenarioInput['broker']>;

/** Random settings of one of the three broker flavours. */
function arbBroker(kinds: ('queue' | 'log' | 'sns-sqs')[]): fc.Arbitrary<BrokerInput> {
  const options: fc.Arbitrary<BrokerInput>[] = [];
  if (kinds.includes('queue')) {
    options.push(
      fc
        .record(
          {
            kind: fc.constant('queue' as const),
            confirm_ms: fc.integer({ min: 0, max: 30 }),
            exchange: fc.constantFrom('fanout' as const, 'direct' as const),
            alternate_exchange: fc.boolean(),
            prefetch: fc.integer({ min: 1, max: 4 }),
            message_ttl_ms: fc.integer({ min: 1, max: 2000 }),
            max_length: fc.integer({ min: 0, max: 20 }),
            overflow: fc.constantFrom('drop-head' as const, 'reject-publish' as const),
            queue_type: fc.constantFrom('quorum' as const, 'classic' as const),
            delivery_limit: fc.integer({ min: 1, max: 20 }),
            consumer_timeout_ms: fc.integer({ min: 20, max: 3000 }),
            on_failure: fc.constantFrom('retry' as const, 'requeue' as const, 'reject' as const),
          },
          { requiredKeys: ['kind'] },
        )
        .map((b) => {
          // A classic queue has no delivery limit: a message that always fails with requeue,
          // or always outlasts the consumer timeout, would come back forever and never drain.
          if (b.queue_type !== 'classic') return b;
          const { consumer_timeout_ms: _timeout, ...rest } = b;
          return rest.on_failure === 'requeue' ? { ...rest, on_failure: 'retry' as const } : rest;
        }),
    );
  }
  if (kinds.includes('log')) {
    options.push(
      fc.record(
        {
          kind: fc.constant('log' as const),
          confirm_ms: fc.integer({ min: 0, max: 30 }),
          partitions: fc.integer({ min: 1, max: 6 }),
          retention_ms: fc.integer({ min: 200, max: 5000 }),
          commit: fc.constantFrom('after' as const, 'before' as const),
          auto_offset_reset: fc.constantFrom('earliest' as const, 'latest' as const),
          retry: fc.constantFrom('in-place' as const, 'retry-topic' as const),
          group_type: fc.constantFrom('consumer' as const, 'share' as const),
          share_lock_ms: fc.integer({ min: 1000, max: 3000 }),
          share_delivery_limit: fc.integer({ min: 2, max: 10 }),
          rebalance_ms: fc.integer({ min: 0, max: 300 }),
          // Above most work here: work that always outlasts it is evicted for ever, as in Kafka.
          max_poll_interval_ms: fc.integer({ min: 300, max: 3000 }),
        },
        { requiredKeys: ['kind'] },
      ),
    );
  }
  if (kinds.includes('sns-sqs')) {
    options.push(
      fc.record(
        {
          kind: fc.constant('sns-sqs' as const),
          confirm_ms: fc.integer({ min: 0, max: 30 }),
          visibility_timeout_ms: fc.integer({ min: 0, max: 500 }),
          max_receive_count: fc.integer({ min: 1, max: 5 }),
          fifo: fc.boolean(),
          delay_ms: fc.integer({ min: 0, max: 300 }),
          extend_visibility: fc.boolean(),
        },
        { requiredKeys: ['kind'] },
      ),
    );
  }
  return fc.oneof(...options);
}

/**
 * A random system: an entry service emitting one or two event types (publishing after its
 * commit, before it, or through an outbox; after it, failing or retrying a refused
 * publish), a broker that may be down or slow for a while, 1-5 consumers
 * subscribed to subsets of them (some emitting a follow-up event), random latencies,
 * workers, faults, spikes, poison orders, delivery and sync settings.
 */
export function arbScenario(shape: ScenarioShape = {}): fc.Arbitrary<Scenario> {
  return fc
    .record({
      seed: fc.integer({ min: 0, max: 0xffff_ffff }),
      duration: fc.integer({ min: 300, max: 3000 }),
      rate: fc.double({ min: 0, max: 40, noNaN: true }),
      network: fc.integer({ min: 0, max: 10 }),
      entryLatency: latency,
      entryConcurrency: fc.integer({ min: 1, max: 6 }),
      entryEmitsTwo: fc.boolean(),
      publish: fc.constantFrom(
        undefined,
        'after-commit' as const,
        'before-commit' as const,
        'outbox' as const,
      ),
      outboxPollMs: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
      // After the commit, what a refused publish does: fail the order or retry while it waits.
      publishFailure: fc.constantFrom(undefined, 'fail' as const, 'retry' as const),
      // The broker itself down or slow for a while (issue 12).
      brokerFaults: fc.array(
        fc.record({
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          len: fc.integer({ min: 1, max: 1500 }),
          slow: fc.boolean(),
          factor: fc.double({ min: 1, max: 10, noNaN: true }),
          openEnded: fc.boolean(),
        }),
        { maxLength: 2 },
      ),
      // A quorum queue's or a partition's leader moves for a while (none on SNS + SQS or
      // classic queues: the format refuses them there).
      leaderChanges: fc.array(
        fc.record({
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          len: fc.integer({ min: 1, max: 3000 }),
          target: fc.nat({ max: 63 }),
        }),
        { maxLength: 2 },
      ),
      busyRate: fc.integer({ min: 5, max: 40 }),
      publishCrash: fc.record({
        percent: fc.integer({ min: 1, max: 50 }),
        at: fc.double({ min: 0, max: 0.5, noNaN: true }),
        len: fc.integer({ min: 100, max: 3000 }),
      }),
      consumers: fc.array(
        fc.record({
          latency,
          concurrency: fc.integer({ min: 1, max: 4 }),
          replicas: fc.integer({ min: 1, max: 2 }),
          subscribes: fc.subarray(['OrderCreated', 'OrderPaid', 'Shipped', 'StepFailed'], {
            minLength: 1,
          }),
          emitsFollowUp: fc.boolean(),
          idempotent: fc.boolean(),
          // Sagas (issue 12): refusals, failure events, and how a consumer deduplicates.
          decline: fc.option(fc.double({ min: 0, max: 0.5, noNaN: true }), { nil: undefined }),
          sagaStep: fc.boolean(),
          idempotency: fc.option(
            fc.record({
              key: fc.constantFrom('message-id' as const, 'business-key' as const),
              record: fc.constantFrom('same-transaction' as const, 'after-effect' as const),
              window: fc.integer({ min: 1, max: 50 }),
            }),
            { nil: undefined },
          ),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      spikes: fc.array(
        fc.record({
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          len: fc.integer({ min: 1, max: 1000 }),
          rate: fc.double({ min: 0, max: 100, noNaN: true }),
        }),
        { maxLength: 2 },
      ),
      singles: fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 3 }),
      faults: fc.array(
        fc.record({
          target: fc.nat(),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          len: fc.integer({ min: 1, max: 2000 }),
          mode: fc.constantFrom(
            'down' as const,
            'slow' as const,
            'flaky' as const,
            'crash-before-ack' as const,
            'crash-before-publish' as const,
          ),
          strength: fc.double({ min: 0, max: 1, noNaN: true }),
          openEnded: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
      poison: fc.option(
        fc.record({ rate: fc.double({ min: 0, max: 0.3, noNaN: true }), target: fc.nat() }),
        { nil: undefined },
      ),
      maxAttempts: fc.integer({ min: 1, max: 5 }),
      base: fc.integer({ min: 0, max: 200 }),
      capExtra: fc.integer({ min: 0, max: 1000 }),
      backoff: fc.constantFrom('exponential' as const, 'fixed' as const),
      jitter: fc.constantFrom('full' as const, 'none' as const),
      deadLetter: fc.boolean(),
      timeout: fc.integer({ min: 20, max: 2000 }),
      retries: fc.integer({ min: 0, max: 2 }),
      // The chain's last two services called in parallel, half the time.
      parallelTail: fc.boolean(),
      // Hybrid, half the time: the entry calls the first consumer before it publishes.
      hybrid: fc.boolean(),
      // Orchestrated, a third of the time (issue 12): the same services as a saga's steps,
      // some with a compensation; the property tests run it as the scenario says.
      orchestrated: fc.integer({ min: 0, max: 2 }),
      compensate: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      // A deadline on each order, half the time; a circuit breaker, half the time.
      deadline: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
      breaker: fc.option(
        fc.record({
          failure_rate: fc.double({ min: 0.05, max: 1, noNaN: true }),
          window_ms: fc.integer({ min: 50, max: 5000 }),
          open_ms: fc.integer({ min: 1, max: 3000 }),
          min_calls: fc.integer({ min: 1, max: 20 }),
        }),
        { nil: undefined },
      ),
      broker: arbBroker(shape.brokers ?? ['queue', 'log', 'sns-sqs']),
      keys: fc.integer({ min: 1, max: 20 }),
    })
    .map((r) => {
      const entryEmits = r.entryEmitsTwo ? ['OrderCreated', 'OrderPaid'] : ['OrderCreated'];
      const consumers: ServiceInput[] = r.consumers.map((c, i) => ({
        id: `svc-${i}`,
        name: `Service ${i}`,
        latency_ms: c.latency,
        concurrency: c.concurrency,
        replicas: c.replicas,
        // Only OrderCreated/OrderPaid come from the entry; Shipped is emitted by consumers
        // that do not themselves read Shipped (no loops).
        subscribes: c.subscribes,
        // No loops: Shipped is emitted by consumers that read neither Shipped nor StepFailed...
        emits:
          c.emitsFollowUp &&
          !c.subscribes.includes('Shipped') &&
          !c.subscribes.includes('StepFailed')
            ? ['Shipped']
            : [],
        idempotent: c.idempotent,
        ...(c.decline !== undefined ? { decline_rate: c.decline } : {}),
        // ...and StepFailed (a saga step's failure event) by consumers of the entry's events only.
        ...(c.sagaStep && c.subscribes.every((t) => t === 'OrderCreated' || t === 'OrderPaid')
          ? { on_failure_emits: ['StepFailed'] }
          : {}),
        ...(c.idempotency ? { idempotency: c.idempotency } : {}),
        ...(r.orchestrated === 0 && r.compensate[i] ? { compensate: `Undo${i}` } : {}),
      }));
      const emitted = new Set([
        ...entryEmits,
        ...consumers.flatMap((c) => [...(c.emits ?? []), ...(c.on_failure_emits ?? [])]),
      ]);
      for (const c of consumers) {
        c.subscribes = (c.subscribes ?? []).filter((t) => emitted.has(t));
        if (c.subscribes.length === 0) c.subscribes = ['OrderCreated'];
      }
      const services: ServiceInput[] = [
        {
          id: 'entry',
          name: 'Entry',
          latency_ms: r.entryLatency,
          concurrency: r.entryConcurrency,
          emits: entryEmits,
          ...(r.publish ? { publish: r.publish } : {}),
          ...(r.publish === 'outbox' && r.outboxPollMs !== undefined
            ? { outbox_poll_ms: r.outboxPollMs }
            : {}),
          ...((r.publish === undefined || r.publish === 'after-commit') && r.publishFailure
            ? { publish_failure: r.publishFailure }
            : {}),
        },
        ...consumers,
      ];
      const faults: FaultInput[] = r.faults.map((f) => {
        // The producer side is the entry service's: only it can crash before publishing.
        const service =
          f.mode === 'crash-before-publish'
            ? 'entry'
            : (services[f.target % services.length]?.id as string);
        const at_ms = Math.floor(f.at * r.duration);
        const duration_ms = shape.openEndedFaults && f.openEnded ? undefined : f.len;
        if (f.mode === 'slow')
          return { service, at_ms, duration_ms, mode: f.mode, factor: 1 + f.strength * 9 };
        if (f.mode === 'down') return { service, at_ms, duration_ms, mode: f.mode };
        // At most 1 in 2: an outbox relay that always dies republishes for as long as it lasts.
        if (f.mode === 'crash-before-publish')
          return { service, at_ms, duration_ms, mode: f.mode, error_rate: f.strength / 2 };
        return { service, at_ms, duration_ms, mode: f.mode, error_rate: f.strength };
      });
      for (const b of r.brokerFaults) {
        const at_ms = Math.floor(b.at * r.duration);
        const duration_ms = shape.openEndedFaults && b.openEnded ? undefined : b.len;
        faults.push(
          b.slow
            ? { service: 'broker', at_ms, duration_ms, mode: 'slow', factor: b.factor }
            : { service: 'broker', at_ms, duration_ms, mode: 'down' },
        );
      }
      for (const l of r.leaderChanges) {
        const at_ms = Math.floor(l.at * r.duration);
        const b = r.broker;
        if (b.kind === 'queue' && b.queue_type !== 'classic') {
          const queue = consumers[l.target % consumers.length]?.id;
          if (queue)
            faults.push({
              service: 'broker',
              at_ms,
              duration_ms: l.len,
              mode: 'leader-change',
              queue,
            });
        } else if (b.kind === 'log')
          faults.push({
            service: 'broker',
            at_ms,
            duration_ms: l.len,
            mode: 'leader-change',
            partition: l.target % (b.partitions ?? 1),
          });
      }
      if (shape.producerCrashes)
        faults.push({
          service: 'entry',
          at_ms: Math.floor(r.publishCrash.at * r.duration),
          duration_ms: r.publishCrash.len,
          mode: 'crash-before-publish',
          error_rate: r.publishCrash.percent / 100,
        });
      const input: ScenarioInput = {
        version: 1,
        id: 'random',
        name: 'Random',
        ...(r.orchestrated === 0 ? { architecture: 'orchestration' as const } : {}),
        seed: r.seed,
        duration_ms: r.duration,
        network_ms: r.network,
        entry: 'entry',
        services,
        ...(r.parallelTail && consumers.length >= 2
          ? {
              chain: [
                'entry',
                ...consumers.slice(0, -2).map((c) => c.id),
                consumers.slice(-2).map((c) => c.id),
              ],
            }
          : {}),
        ...(r.hybrid && consumers.length >= 2 && r.publish !== 'before-commit'
          ? { sync_services: [consumers[0]?.id as string] }
          : {}),
        broker: r.broker,
        workload: {
          keys: r.keys,
          rate_per_s: shape.producerCrashes ? r.busyRate : r.rate,
          spikes: r.spikes.map((s) => ({
            at_ms: Math.floor(s.at * r.duration),
            duration_ms: s.len,
            rate_per_s: s.rate,
          })),
          orders: r.singles.filter((t) => t < r.duration).map((at_ms) => ({ at_ms })),
          poison: r.poison
            ? {
                rate: r.poison.rate,
                services: [services[1 + (r.poison.target % consumers.length)]?.id as string],
              }
            : undefined,
        },
        faults,
        delivery: {
          max_attempts: r.maxAttempts,
          base_ms: r.base,
          cap_ms: r.base + r.capExtra,
          backoff: r.backoff,
          jitter: r.jitter,
          dead_letter: r.deadLetter,
        },
        sync: {
          timeout_ms: r.timeout,
          retries: r.retries,
          ...(r.breaker ? { circuit_breaker: r.breaker } : {}),
          ...(r.deadline ? { deadline_ms: r.deadline } : {}),
        },
      };
      const parsed = parseScenario(input);
      if (!parsed.ok)
        throw new Error(`generator made an invalid scenario: ${JSON.stringify(parsed.problems)}`);
      return parsed.scenario;
    });
}
