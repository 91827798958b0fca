/**
 * Scenario format, version 1: the file a teacher writes to describe a system, its
 * workload and its faults. Validated with zod; every problem is reported as
 * `path: problem` (for example `services[2].latency_ms: must be >= 0`).
 *
 * Times are integer milliseconds unless a key says otherwise.
 */
import { z } from 'zod';
import { findHiddenCharacter, showHidden } from './text';
import { analyseTopology, bindingMatches, eventTypesOf } from './topology';
import { ignoredSettings } from './ignoredSettings';

export { bindingMatches, eventTypesOf } from './topology';

// zod probes whether `new Function` works to compile faster parsers; under the page's
// Content-Security-Policy (no 'unsafe-eval') that probe is reported as a violation on
// every load. Scenario files are small: the interpreted parser is fast enough.
z.config({ jitless: true });

/** Most services a scenario may have. */
export const MAX_SERVICES = 32;

/** Highest scenario format version this build understands. */
export const SCENARIO_VERSION = 1;

const LIMITS = {
  // Room for a learner's own system (issue 13's scale case has 25 services).
  services: MAX_SERVICES,
  durationMs: 24 * 60 * 60 * 1000,
  latencyMs: 60_000,
  ratePerS: 5_000,
  concurrency: 256,
  replicas: 32,
} as const;

/**
 * zod leaves a `__proto__` key out of a record it parses (assigning it would replace the
 * prototype). For attribute names and filter-policy keys it is a name like any other, so
 * `parseScenario` renames it to this stand-in before parsing and back afterwards. The
 * stand-in starts with U+0000, which no name can contain.
 */
const PROTO_STANDIN = '\u0000__proto__';
/** A record key as the teacher wrote it. */
const keyName = (key: string) => (key === PROTO_STANDIN ? '__proto__' : key);

const ms = (max: number) => z.number().int().min(0).max(max);
const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, {
    error: 'must be lowercase letters, digits and dashes, starting with a letter',
  })
  .max(40);
const eventType = z
  .string()
  .regex(/^([A-Z][A-Za-z0-9]*|[a-z0-9]+(\.[a-z0-9]+)*)$/, {
    error:
      'must be an event name such as OrderCreated, or a dotted routing key such as order.created.eu',
  })
  .max(60);
/** What a queue is bound with: an event name, or (topic exchange) a pattern with `*` and `#`. */
const binding = z
  .string()
  .regex(/^([A-Z][A-Za-z0-9]*|([a-z0-9]+|\*|#)(\.([a-z0-9]+|\*|#))*)$/, {
    error:
      'must be an event name, or a topic pattern of dot-separated words where * is one word and # is zero or more',
  })
  .max(60);

/**
 * How long a service takes to do its own work for one request or message.
 * A bare number is a fixed duration; an object picks a distribution.
 */
const latencyDistribution = z
  .strictObject({
    dist: z.enum(['fixed', 'exponential', 'lognormal', 'uniform']),
    /** fixed: the duration. exponential: the mean. */
    mean_ms: ms(LIMITS.latencyMs).optional(),
    /** lognormal: the median (half of the calls are faster). */
    median_ms: ms(LIMITS.latencyMs).optional(),
    /** lognormal: spread of log(duration); 0.5 gives p99 about 3.2x the median. */
    sigma: z.number().min(0).max(3).optional(),
    /** uniform: bounds. */
    min_ms: ms(LIMITS.latencyMs).optional(),
    max_ms: ms(LIMITS.latencyMs).optional(),
  })
  .superRefine((d, ctx) => {
    const need = (key: keyof typeof d) => {
      if (d[key] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `is required when dist is "${d.dist}"`,
        });
    };
    const forbid = (key: keyof typeof d) => {
      if (d[key] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `does not apply when dist is "${d.dist}"`,
        });
    };
    const used: Record<typeof d.dist, (keyof typeof d)[]> = {
      fixed: ['mean_ms'],
      exponential: ['mean_ms'],
      lognormal: ['median_ms', 'sigma'],
      uniform: ['min_ms', 'max_ms'],
    };
    for (const key of ['mean_ms', 'median_ms', 'sigma', 'min_ms', 'max_ms'] as const) {
      if (used[d.dist].includes(key)) need(key);
      else forbid(key);
    }
    if (
      d.dist === 'uniform' &&
      d.min_ms !== undefined &&
      d.max_ms !== undefined &&
      d.max_ms < d.min_ms
    ) {
      ctx.addIssue({ code: 'custom', path: ['max_ms'], message: 'must be >= min_ms' });
    }
  });

const service = z.strictObject({
  id: identifier,
  name: z.string().min(1).max(60),
  latency_ms: z.union([ms(LIMITS.latencyMs), latencyDistribution]),
  /** Workers per replica: how many requests or messages one replica handles at once. */
  concurrency: z.number().int().min(1).max(LIMITS.concurrency).default(4),
  replicas: z.number().int().min(1).max(LIMITS.replicas).default(1),
  emits: z.array(eventType).max(8).default([]),
  subscribes: z.array(binding).max(8).default([]),
  /** An idempotent consumer remembers message ids and skips the side effect of a redelivery. */
  idempotent: z.boolean().default(false),
  /** false: the service exists but subscribes only when the learner adds it during the run. */
  subscribed: z.boolean().default(true),
  /**
   * How the entry service's work publishes its events (event fan-out): after-commit (save,
   * then publish; the default), before-commit (publish, then save), or outbox (the events
   * are saved with the work; a relay publishes them, at least once). Omitted: after-commit.
   */
  publish: z.enum(['after-commit', 'before-commit', 'outbox']).optional(),
  /** Outbox: how often the relay polls the outbox table. Omitted: 100 ms (a teaching default). */
  outbox_poll_ms: z.number().int().min(1).max(60_000).optional(),
  /**
   * Share of orders whose work here ends in a business refusal (a declined card). It is an
   * answer, not an error: never retried, and decided per order, so a redelivery refuses
   * the same order again. Chain: the order fails at once. Events: the copy is acked with
   * no side effect, and the service publishes its `on_failure_emits`.
   */
  decline_rate: z.number().min(0).max(1).optional(),
  /**
   * Events this consumer publishes when its copy of an event fails for good (declined,
   * dead-lettered, dropped or expired): the failure event of a choreographed saga, e.g.
   * PaymentFailed, that other services subscribe to in order to compensate.
   */
  on_failure_emits: z.array(eventType).min(1).max(8).optional(),
  /**
   * How an idempotent consumer recognises a repeat. Setting it makes the consumer
   * idempotent (as `idempotent: true`, which means the defaults below).
   */
  idempotency: z
    .strictObject({
      /** message-id: the broker's message id; business-key: the order and event type (a republish with a new id is caught). */
      key: z.enum(['message-id', 'business-key']).default('message-id'),
      /** same-transaction: the key is saved with the side effect; after-effect: saved later, at the ack (a crash in between repeats the effect). */
      record: z.enum(['same-transaction', 'after-effect']).default('same-transaction'),
      /** How many recent keys it remembers; an older one is forgotten and its repeat goes through. */
      window: z.number().int().min(1).max(1_000_000).default(10_000),
    })
    .optional(),
  /**
   * What the entry service does when the broker refuses its publish (down, or a full queue
   * with reject-publish): fail the request (the default), or publish again after a backoff
   * while the request waits. Not with an outbox: its relay keeps the row and tries again.
   */
  publish_failure: z.enum(['fail', 'retry']).optional(),
  /**
   * Orchestration: the command the orchestrator sends this step (e.g. ChargePayment).
   * Omitted: the service's id in PascalCase followed by "Command" (PaymentCommand).
   */
  command: eventType.optional(),
  /**
   * Orchestration: the command that undoes this step's work (e.g. RefundPayment), sent by
   * the orchestrator when a later step fails for good. Omitted: nothing to undo.
   */
  compensate: eventType.optional(),
});

const spike = z.strictObject({
  at_ms: ms(LIMITS.durationMs),
  duration_ms: z.number().int().min(1).max(LIMITS.durationMs),
  rate_per_s: z.number().min(0).max(LIMITS.ratePerS),
});

const workload = z.strictObject({
  /** Poisson arrivals: the average number of orders per second. */
  rate_per_s: z.number().min(0).max(LIMITS.ratePerS),
  /** For a while, orders arrive at a different rate. */
  spikes: z.array(spike).max(50).default([]),
  /** Orders carry one of this many keys (customers): the partition key and FIFO message group. */
  keys: z.number().int().min(1).max(1_000_000).default(100),
  /** Attributes each order carries, one value picked at random per order (for filter policies). */
  attributes: z
    .record(z.string().min(1).max(40), z.array(z.string().min(1).max(40)).min(1).max(20))
    .default({}),
  /** Single orders at exact moments, on top of the random arrivals. */
  orders: z
    .array(z.strictObject({ at_ms: ms(LIMITS.durationMs) }))
    .max(1000)
    .default([]),
  /**
   * Poison orders carry data the listed services can never process: every attempt
   * fails, whatever the service's health.
   */
  poison: z
    .strictObject({
      rate: z.number().min(0).max(1),
      services: z.array(identifier).min(1),
    })
    .optional(),
});

/**
 * The id a fault names to break the broker itself (`"service": "broker"`), unless a
 * service of the scenario has that id: then the fault is that service's, as it always was.
 */
export const BROKER_FAULT_TARGET = 'broker';

const fault = z.strictObject({
  /** A service id, or `"broker"` for the broker itself (modes down and slow). */
  service: identifier,
  at_ms: ms(LIMITS.durationMs),
  /** Omitted: the fault lasts until the end of the run. */
  duration_ms: z.number().int().min(1).max(LIMITS.durationMs).optional(),
  mode: z.enum([
    'down',
    'slow',
    'flaky',
    'crash-before-ack',
    'crash-before-publish',
    'leader-change',
  ]),
  /**
   * leader-change on a queue broker: the service whose quorum queue loses its leader for
   * `duration_ms` (the election).
   */
  queue: identifier.optional(),
  /** leader-change on a log broker: the partition (of every topic) that loses its leader. */
  partition: z.number().int().min(0).max(63).optional(),
  /** slow: latency is multiplied by this. */
  factor: z.number().min(1).max(100).optional(),
  /**
   * flaky: share of calls that fail; crash-before-ack: share of messages after which it
   * crashes; crash-before-publish: share of its request work after which it dies before
   * publishing (with an outbox: share of relay publishes after which the relay dies).
   */
  error_rate: z.number().min(0).max(1).optional(),
});

/**
 * RabbitMQ 4.x style (modelled on RabbitMQ 4.2): exchanges, bindings and queues. See
 * src/core/broker/queue.ts for the sources behind each rule.
 */
const queueBroker = z.strictObject({
  kind: z.literal('queue'),
  /**
   * How long the broker takes to store a publish before it confirms it (replication and
   * disk), on top of the network trip there and back. Omitted: 0, which keeps every run
   * as it was: the round trip (2 x network_ms) then stands for the whole confirm. What a
   * confirm waits for: RabbitMQ (docs "Consumer Acknowledgements and Publisher Confirms")
   * acks a persistent message to a durable queue once it is on disk, and for a quorum
   * queue once a quorum of replicas has it; Kafka's producer with acks=all (its default
   * since 3.0) waits for every in-sync replica; SNS answers Publish once the message is
   * stored. None publishes a fixed figure: it depends on disks and the network.
   */
  confirm_ms: z.number().int().min(0).max(60_000).optional(),
  /**
   * direct routes by event name (the routing key); fanout ignores the routing key and
   * copies every event to every bound queue; topic matches dotted keys against patterns.
   * Default direct: the playground has always routed by event name.
   */
  exchange: z.enum(['fanout', 'direct', 'topic']).default('direct'),
  /** Unroutable messages go to an alternate exchange's queue instead of being dropped. */
  alternate_exchange: z.boolean().default(false),
  /**
   * Unacknowledged messages per consumer channel (one per replica); caps its parallelism.
   * Omitted: the service's concurrency per replica. That is a teaching default: RabbitMQ's
   * own default is no limit (no basic.qos), which would hand a consumer the whole queue.
   */
  prefetch: z.number().int().min(1).max(1000).optional(),
  /** Per-queue message TTL: a message waiting longer expires (and is dead-lettered). */
  message_ttl_ms: z.number().int().min(1).max(LIMITS.durationMs).optional(),
  /** Most messages a queue holds; what happens beyond it is `overflow`. */
  max_length: z.number().int().min(0).max(1_000_000).optional(),
  overflow: z.enum(['drop-head', 'reject-publish']).default('drop-head'),
  /** quorum (RabbitMQ 4 default for replicated queues) has a delivery limit; classic has none. */
  queue_type: z.enum(['quorum', 'classic']).default('quorum'),
  /**
   * Quorum queues: a message returned to the queue (nack/reject with requeue, its
   * consumer's channel closed) more than this many times is dead-lettered, so it is
   * delivered at most this + 1 times (RabbitMQ 4 default 20). Classic queues ignore it.
   */
  delivery_limit: z.number().int().min(1).max(1000).default(20),
  /**
   * A delivery not acknowledged within this closes the consumer's channel, and every
   * message unacknowledged on it goes back to the queue (RabbitMQ default 30 minutes).
   */
  consumer_timeout_ms: z.number().int().min(1).max(LIMITS.durationMs).default(1_800_000),
  /** What a consumer does with a message it failed to process: retry after a backoff, nack with requeue, or reject. */
  on_failure: z.enum(['retry', 'requeue', 'reject']).default('retry'),
});

/**
 * Kafka 4.x style: partitioned logs read by consumer groups (or share groups). Defaults
 * are Kafka's own unless the comment says "teaching default".
 */
const logBroker = z.strictObject({
  kind: z.literal('log'),
  /**
   * How long the broker takes to store a publish before it confirms it (replication and
   * disk), on top of the network trip there and back. Omitted: 0, which keeps every run
   * as it was: the round trip (2 x network_ms) then stands for the whole confirm.
   */
  confirm_ms: z.number().int().min(0).max(60_000).optional(),
  /**
   * Partitions per topic. A teaching default of 3, so a group's parallelism cap shows at
   * once: Kafka's broker default `num.partitions` is 1.
   */
  partitions: z.number().int().min(1).max(64).default(3),
  /** Records older than this are deleted, read or not (Kafka default 7 days). */
  retention_ms: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 60 * 60 * 1000)
    .default(7 * 24 * 60 * 60 * 1000),
  /** after: commit the offset once processed (at-least-once); before: commit first (at-most-once). */
  commit: z.enum(['after', 'before']).default('after'),
  /**
   * `auto.offset.reset`: where a group reads from when its committed offset points at
   * nothing (retention deleted it) or it has none. Kafka's consumer default is latest:
   * skip to the log end.
   */
  auto_offset_reset: z.enum(['earliest', 'latest']).default('latest'),
  /**
   * Consumer code, not the broker: what a consumer does with a record it failed on.
   * in-place: retry it after the backoff while its partition waits (head-of-line
   * blocking); retry-topic: write it to a retry topic and move on (it comes back after
   * the backoff, out of order). Either way the last attempt goes to the dead-letter topic.
   */
  retry: z.enum(['in-place', 'retry-topic']).default('in-place'),
  /**
   * consumer: a classic consumer group, one member per partition. share: a share group
   * (KIP-932, production-ready in Kafka 4.2): every member reads every partition, each
   * record acquired and acknowledged on its own, with no order.
   */
  group_type: z.enum(['consumer', 'share']).default('consumer'),
  /** Share group: a record's acquisition lock (`group.share.record.lock.duration.ms`, default 30 s). */
  share_lock_ms: z
    .number()
    .int()
    .min(1000)
    .max(60 * 60 * 1000)
    .default(30_000),
  /** Share group: deliveries before a record is archived (`group.share.delivery.count.limit`, default 5, 2 - 10). */
  share_delivery_limit: z.number().int().min(2).max(10).default(5),
  /**
   * Consumer group: how long consumption pauses while the group rebalances after a member
   * joins or leaves. Illustrative, off by default: real pauses range from milliseconds
   * (KIP-848's consumer protocol, cooperative rebalancing) to the session timeout.
   */
  rebalance_ms: z.number().int().min(0).max(60_000).default(0),
  /**
   * `max.poll.interval.ms` (Kafka default 5 min): a member whose processing of one poll
   * takes longer leaves the group; its partitions go to another member, which reads its
   * uncommitted records again.
   */
  max_poll_interval_ms: z
    .number()
    .int()
    .min(1)
    .max(60 * 60 * 1000)
    .default(300_000),
});

/** Amazon SNS topic fanning out to SQS queues. */
const snsSqsBroker = z.strictObject({
  kind: z.literal('sns-sqs'),
  /**
   * How long the broker takes to store a publish before it confirms it (replication and
   * disk), on top of the network trip there and back. Omitted: 0, which keeps every run
   * as it was: the round trip (2 x network_ms) then stands for the whole confirm.
   */
  confirm_ms: z.number().int().min(0).max(60_000).optional(),
  /** A received message is hidden this long; not deleted by then, it reappears (AWS default 30 s). */
  visibility_timeout_ms: z
    .number()
    .int()
    .min(0)
    .max(12 * 60 * 60 * 1000)
    .default(30_000),
  /**
   * Redrive policy: after this many receives the message moves to the dead-letter
   * queue. AWS has no default (you must choose, 1-1000); 5 is a teaching default.
   */
  max_receive_count: z.number().int().min(1).max(1000).default(5),
  /** A message not deleted within this is deleted by SQS, read or not (AWS default 4 days, 60 s-14 days). */
  message_retention_ms: z
    .number()
    .int()
    .min(60_000)
    .max(14 * 24 * 60 * 60 * 1000)
    .default(4 * 24 * 60 * 60 * 1000),
  /** DelaySeconds: a new message stays invisible this long after it reaches the queue (0-15 min). */
  delay_ms: z
    .number()
    .int()
    .min(0)
    .max(15 * 60 * 1000)
    .default(0),
  /**
   * Consumers extend the visibility timeout while they work (ChangeMessageVisibility as a
   * heartbeat), so a slow worker keeps its message; a crashed one stops extending it.
   */
  extend_visibility: z.boolean().default(false),
  /** FIFO: order per message group and 5-minute deduplication; standard: at-least-once, best-effort order. */
  fifo: z.boolean().default(false),
  /** Subscription filter policies by subscriber id: attribute -> accepted values. */
  filter_policies: z
    .record(
      identifier,
      z.record(z.string().min(1).max(40), z.array(z.string().max(40)).min(1).max(20)),
    )
    .default({}),
});

/** Each broker kind's own settings (the keys of its `broker` object besides `kind`), from the schema. */
export const BROKER_SETTINGS = {
  queue: Object.keys(queueBroker.shape).filter((k) => k !== 'kind'),
  log: Object.keys(logBroker.shape).filter((k) => k !== 'kind'),
  'sns-sqs': Object.keys(snsSqsBroker.shape).filter((k) => k !== 'kind'),
} as const satisfies Record<string, readonly string[]>;

/**
 * A plain setting of a settings object, as a form shows it: a number (with its range), a
 * choice, or a switch, and its default. Read off the schema itself, so a form built from
 * it offers every such setting the format has and the limits files are checked with.
 */
export interface SettingField {
  key: string;
  type: 'number' | 'choice' | 'switch';
  /** A choice's values. */
  choices?: readonly string[];
  min?: number;
  max?: number;
  integer?: boolean;
  /** The schema's default; undefined when the setting is off unless set. */
  fallback?: number | string | boolean;
}

/** The plain settings of an object schema (lists, maps and nested objects left out). */
function settingFields(shape: Record<string, z.ZodType>): SettingField[] {
  const out: SettingField[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    let inner: z.ZodType = schema;
    let fallback: unknown;
    for (;;) {
      if (inner instanceof z.ZodDefault) {
        fallback = inner.def.defaultValue;
        inner = inner.unwrap() as z.ZodType;
      } else if (inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
      else break;
    }
    const base = {
      key,
      fallback:
        typeof fallback === 'number' ||
        typeof fallback === 'string' ||
        typeof fallback === 'boolean'
          ? fallback
          : undefined,
    };
    if (inner instanceof z.ZodNumber)
      out.push({
        ...base,
        type: 'number',
        min: inner.minValue ?? undefined,
        max: inner.maxValue ?? undefined,
        integer: inner.isInt,
      });
    else if (inner instanceof z.ZodEnum)
      out.push({ ...base, type: 'choice', choices: inner.options.map(String) });
    else if (inner instanceof z.ZodBoolean) out.push({ ...base, type: 'switch' });
  }
  return out;
}

const delivery = z.strictObject({
  /** Deliveries of one message before it is dead-lettered (the first one counts). */
  max_attempts: z.number().int().min(1).max(100).default(5),
  backoff: z.enum(['exponential', 'fixed']).default('exponential'),
  base_ms: z.number().int().min(0).max(LIMITS.latencyMs).default(200),
  cap_ms: z
    .number()
    .int()
    .min(0)
    .max(10 * LIMITS.latencyMs)
    .default(10_000),
  jitter: z.enum(['full', 'none']).default('full'),
  dead_letter: z.boolean().default(true),
});

const circuitBreaker = z.strictObject({
  failure_rate: z.number().gt(0).max(1).default(0.5),
  window_ms: z.number().int().min(1).max(LIMITS.durationMs).default(10_000),
  open_ms: z.number().int().min(1).max(LIMITS.durationMs).default(5_000),
  min_calls: z.number().int().min(1).max(100_000).default(10),
});

const sync = z.strictObject({
  /** How long a caller waits for each call before giving up. */
  timeout_ms: z.number().int().min(1).max(LIMITS.latencyMs).default(1000),
  /** Extra attempts each caller makes after a failed call. */
  retries: z.number().int().min(0).max(10).default(0),
  /**
   * A circuit breaker on every service-to-service call (see breaker.ts): it opens when
   * at least `min_calls` calls ended within `window_ms` and `failure_rate` of them failed;
   * open, calls fail at once; after `open_ms` one trial call decides.
   */
  /**
   * The user's deadline for an order, passed down with every call (as gRPC propagates a
   * deadline): no call waits longer than the time left, a call is not sent once it has
   * passed, and a service does not start waiting work with less time left than its
   * median work time.
   */
  deadline_ms: z.number().int().min(1).max(LIMITS.latencyMs).optional(),
  circuit_breaker: circuitBreaker.optional(),
});

/**
 * The plain settings of each broker kind, of `delivery` (consumer retries, backoff, dead
 * letters), of `sync` (the request chain's timeouts and retries) and of its circuit
 * breaker: what Edit mode offers.
 */
export const SETTING_FIELDS = {
  queue: settingFields(queueBroker.shape),
  log: settingFields(logBroker.shape),
  'sns-sqs': settingFields(snsSqsBroker.shape),
  delivery: settingFields(delivery.shape),
  sync: settingFields(sync.shape),
  circuit_breaker: settingFields(circuitBreaker.shape),
} as const satisfies Record<string, readonly SettingField[]>;

const scenarioObject = z.strictObject({
  /** Lets editors find the JSON Schema; ignored by Fanout. */
  $schema: z.string().optional(),
  version: z.literal(SCENARIO_VERSION),
  id: identifier,
  name: z.string().min(1).max(100),
  /** One line shown in the scenario picker. */
  description: z.string().max(200).default(''),
  seed: z.number().int().min(0).max(0xffff_ffff),
  duration_ms: z.number().int().min(1).max(LIMITS.durationMs),
  /**
   * Which side a file opens on. `hybrid` is the event side with `sync_services`: the entry
   * service calls them synchronously, then publishes for the rest. `orchestration`: the
   * entry service runs a saga, sending a command to each step of `chain` through the
   * broker and waiting for its reply.
   */
  architecture: z.enum(['chain', 'event', 'hybrid', 'orchestration']).default('event'),
  /**
   * Event fan-out, the design most real shops use: the entry service calls these services
   * synchronously, one after the other, before it publishes; they get no queue. The user
   * learns their outcome (a declined card) in the answer. The request chain ignores it.
   */
  sync_services: z.array(identifier).min(1).max(8).optional(),
  broker: z
    .discriminatedUnion('kind', [queueBroker, logBroker, snsSqsBroker])
    .default(() => queueBroker.parse({ kind: 'queue' })),
  /** One-way network time of every hop (request, response, publish, delivery). */
  network_ms: ms(1000).default(5),
  entry: identifier,
  services: z.array(service).min(1).max(LIMITS.services),
  /** The synchronous call order, starting at the entry service. */
  chain: z
    .array(z.union([identifier, z.array(identifier).min(2).max(LIMITS.services)]))
    .min(1)
    .max(LIMITS.services)
    .optional(),
  workload,
  faults: z.array(fault).max(100).default([]),
  delivery: delivery.default(() => delivery.parse({})),
  sync: sync.default(() => sync.parse({})),
  /**
   * Where the learner placed each service on the editor's canvas (service id -> top-left
   * corner, in canvas units). A drawing hint only: the simulation never reads it, so it
   * changes no run. Omitted: the canvas places services itself.
   */
  layout: z
    .record(
      identifier,
      z.strictObject({
        x: z.number().min(-100_000).max(100_000),
        y: z.number().min(-100_000).max(100_000),
      }),
    )
    .optional(),
});

/** The scenario schema, including checks that span several fields. */
export const scenarioSchema = scenarioObject.superRefine((s, ctx) => {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const ids = new Set<string>();
  s.services.forEach((svc, i) => {
    if (ids.has(svc.id)) issue(['services', i, 'id'], `duplicate service id "${svc.id}"`);
    ids.add(svc.id);
  });
  const known = (id: string) => ids.has(id);
  if (!known(s.entry)) issue(['entry'], `no service has id "${s.entry}"`);

  const emitted = eventTypesOf(s);
  const topic = s.broker.kind === 'queue' && s.broker.exchange === 'topic';
  const entryIndex = s.services.findIndex((svc) => svc.id === s.entry);
  s.services.forEach((svc, i) => {
    svc.subscribes.forEach((pattern, j) => {
      const isPattern = pattern.includes('*') || pattern.includes('#');
      if (isPattern && !topic) {
        issue(
          ['services', i, 'subscribes', j],
          'wildcards * and # only work with broker.exchange "topic"',
        );
      } else if (!emitted.some((type) => bindingMatches(pattern, type, topic))) {
        issue(
          ['services', i, 'subscribes', j],
          isPattern ? `matches no event any service emits` : `no service emits "${pattern}"`,
        );
      }
    });
    // Phase 1 of the producer side: only the entry service's request work is a dual write
    // (a consumer that emits publishes from a delivery it has not yet acked).
    if (svc.publish !== undefined && i !== entryIndex)
      issue(
        ['services', i, 'publish'],
        `applies to the entry service "${s.entry}" only (the one whose work answers a request)`,
      );
    if (svc.publish !== undefined && svc.emits.length === 0)
      issue(['services', i, 'publish'], 'applies to a service that emits events');
    if (svc.outbox_poll_ms !== undefined && svc.publish !== 'outbox')
      issue(['services', i, 'outbox_poll_ms'], 'applies only when publish is "outbox"');
    if (svc.on_failure_emits && svc.subscribes.length === 0)
      issue(
        ['services', i, 'on_failure_emits'],
        'applies to a consumer (a service that subscribes): it is published when its copy fails for good',
      );
    if (svc.publish_failure !== undefined) {
      if (i !== entryIndex || svc.emits.length === 0)
        issue(
          ['services', i, 'publish_failure'],
          `applies to the entry service "${s.entry}" when it emits events`,
        );
      else if (svc.publish === 'outbox')
        issue(
          ['services', i, 'publish_failure'],
          'does not apply with publish "outbox": the relay keeps the event and publishes it when the broker takes it',
        );
      else if (svc.publish === 'before-commit')
        issue(
          ['services', i, 'publish_failure'],
          'applies with publish "after-commit" only: published before the commit, a refused publish saves nothing and the request fails',
        );
    }
    if (i === entryIndex && svc.subscribes.length > 0) {
      issue(
        ['services', i, 'subscribes'],
        'the entry service answers the user and cannot also subscribe',
      );
    }
  });

  if (s.chain) {
    const seen = new Set<string>();
    s.chain.forEach((step, i) => {
      const ids = typeof step === 'string' ? [step] : step;
      ids.forEach((id, k) => {
        const at = typeof step === 'string' ? ['chain', i] : ['chain', i, k];
        if (!known(id)) issue(at, `no service has id "${id}"`);
        if (seen.has(id)) issue(at, `"${id}" appears twice`);
        seen.add(id);
      });
      // Services called at once answer the one caller before them: nothing can follow.
      if (typeof step !== 'string' && i !== s.chain!.length - 1)
        issue(['chain', i], 'a group called in parallel must be the last step of the chain');
    });
    if (s.chain[0] !== s.entry)
      issue(['chain', 0], `must start with the entry service "${s.entry}"`);
  }

  // Orchestration: the entry is the orchestrator; every step's command, replies and
  // compensation are message names of their own, none of them used twice.
  s.services.forEach((svc, i) => {
    if (svc.id !== s.entry) return;
    for (const key of ['command', 'compensate'] as const)
      if (svc[key] !== undefined)
        issue(
          ['services', i, key],
          'the entry service is the orchestrator: it sends commands and receives none',
        );
  });
  const named = new Map<string, string>();
  for (const step of orchestrationOf(s).steps) {
    const index = s.services.findIndex((svc) => svc.id === step.service);
    for (const [name, what] of messageNames(step)) {
      const other = named.get(name);
      if (other !== undefined) {
        const key = what.startsWith('compens') ? 'compensate' : 'command';
        issue(
          ['services', index, key],
          `orchestration would name ${what} "${name}", the name of ${other} too: choose another ${key} name`,
        );
      }
      named.set(name, what);
    }
  }

  if (s.architecture === 'hybrid' && !s.sync_services)
    issue(
      ['sync_services'],
      'is required when architecture is "hybrid": the services the entry calls synchronously',
    );
  if (s.sync_services) {
    const seenSync = new Set<string>();
    s.sync_services.forEach((id, i) => {
      if (!known(id)) issue(['sync_services', i], `no service has id "${id}"`);
      else if (id === s.entry)
        issue(['sync_services', i], `is the entry service "${id}": it is the one that calls them`);
      if (seenSync.has(id)) issue(['sync_services', i], `"${id}" appears twice`);
      seenSync.add(id);
    });
    const entrySpec = s.services.find((svc) => svc.id === s.entry);
    if (entrySpec?.publish === 'before-commit')
      issue(
        ['sync_services'],
        `does not work with the entry service's publish "before-commit": it calls them after its commit, then publishes`,
      );
  }

  s.faults.forEach((f, i) => {
    const onBroker = f.service === BROKER_FAULT_TARGET && !known(f.service);
    if (onBroker) {
      if (f.mode === 'leader-change') leaderChangeProblems(s, f, i, issue);
      else if (f.mode !== 'down' && f.mode !== 'slow')
        issue(
          ['faults', i, 'mode'],
          `the broker can be "down", "slow" or have a "leader-change"; "${f.mode}" is a service's fault`,
        );
    } else if (!known(f.service))
      issue(['faults', i, 'service'], `no service has id "${f.service}"`);
    if (f.mode === 'leader-change' && !onBroker)
      issue(['faults', i, 'mode'], `"leader-change" is the broker's fault ("service": "broker")`);
    if (f.mode !== 'leader-change' && f.queue !== undefined)
      issue(['faults', i, 'queue'], `does not apply when mode is "${f.mode}"`);
    if (f.mode !== 'leader-change' && f.partition !== undefined)
      issue(['faults', i, 'partition'], `does not apply when mode is "${f.mode}"`);
    if (f.mode === 'slow' && f.factor === undefined)
      issue(['faults', i, 'factor'], 'is required when mode is "slow"');
    if (f.mode !== 'slow' && f.factor !== undefined)
      issue(['faults', i, 'factor'], `does not apply when mode is "${f.mode}"`);
    if ((f.mode === 'flaky' || f.mode === 'crash-before-publish') && f.error_rate === undefined) {
      issue(['faults', i, 'error_rate'], `is required when mode is "${f.mode}"`);
    }
    if (f.mode === 'crash-before-publish' && known(f.service)) {
      const svc = s.services.find((x) => x.id === f.service);
      if (f.service !== s.entry || (svc?.emits.length ?? 0) === 0)
        issue(
          ['faults', i, 'service'],
          `crash-before-publish applies to the entry service "${s.entry}" when it emits events`,
        );
    }
    if ((f.mode === 'down' || f.mode === 'slow') && f.error_rate !== undefined) {
      issue(['faults', i, 'error_rate'], `does not apply when mode is "${f.mode}"`);
    }
  });

  for (const id of Object.keys(s.layout ?? {}))
    if (!known(id)) issue(['layout', id], `no service has id "${id}"`);
  s.workload.poison?.services.forEach((id, i) => {
    if (!known(id)) issue(['workload', 'poison', 'services', i], `no service has id "${id}"`);
  });
  // Names are drawn on the canvas and printed in terminals: refuse what would disguise them.
  const plain = (path: (string | number)[], text: string, what = '') => {
    if (text === PROTO_STANDIN) return;
    const hidden = findHiddenCharacter(text);
    if (hidden) {
      issue(
        path,
        `${what}contains ${hidden.label} at character ${hidden.index + 1}: remove it (names are one line of plain text, without control or direction-changing characters)`,
      );
    }
  };
  const plainRecord = (
    path: (string | number)[],
    record: Record<string, string[]>,
    what: string,
  ) => {
    Object.entries(record).forEach(([key, values], i) => {
      plain(path, key, `the name of ${what} ${i + 1} `);
      if (findHiddenCharacter(key) && key !== PROTO_STANDIN) return;
      values.forEach((value, j) => {
        plain([...path, key, j], value);
      });
    });
  };
  plain(['name'], s.name);
  plain(['description'], s.description);
  s.services.forEach((svc, i) => {
    plain(['services', i, 'name'], svc.name);
  });
  plainRecord(['workload', 'attributes'], s.workload.attributes, 'attribute');
  if (s.broker.kind === 'sns-sqs') {
    for (const [id, policy] of Object.entries(s.broker.filter_policies)) {
      plainRecord(['broker', 'filter_policies', id], policy, 'attribute');
    }
  }

  if (s.delivery.cap_ms < s.delivery.base_ms) issue(['delivery', 'cap_ms'], 'must be >= base_ms');
  if (s.broker.kind === 'sns-sqs') {
    for (const [id, policy] of Object.entries(s.broker.filter_policies)) {
      const svc = s.services.find((x) => x.id === id);
      if (!svc) issue(['broker', 'filter_policies', id], `no service has id "${id}"`);
      else if (svc.subscribes.length === 0)
        issue(['broker', 'filter_policies', id], `"${id}" subscribes to nothing`);
      for (const attribute of Object.keys(policy)) {
        // Own keys only: `constructor` or `toString` are names like any other, not Object.prototype.
        if (!Object.hasOwn(s.workload.attributes, attribute)) {
          issue(
            ['broker', 'filter_policies', id, attribute],
            `orders carry no attribute "${keyName(attribute)}" (declare it in workload.attributes)`,
          );
        }
      }
    }
  }
});

/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
/** A scenario as written in a file: optional keys may be missing. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ServiceSpec = Scenario['services'][number];
export type FaultSpec = Scenario['faults'][number];
export type FaultMode = FaultSpec['mode'];
export type LatencySpec = ServiceSpec['latency_ms'];
/**
 * How a run is built: a request chain, event fan-out (with `sync_services`, hybrid), or
 * an orchestrated saga (commands and replies through the broker).
 */
export type Architecture = 'chain' | 'event' | 'orchestration';

/**
 * A leader change names what loses its leader, and lasts as long as the election: a
 * quorum queue (queue broker; a classic queue has no replicas to elect from, so its
 * node going away is an outage, not a leader change) or a partition (log broker). SNS
 * and SQS show no leaders to their users: there the broker can be down or slow.
 */
function leaderChangeProblems(
  s: Scenario,
  f: Scenario['faults'][number],
  i: number,
  issue: (path: (string | number)[], message: string) => void,
): void {
  if (f.duration_ms === undefined)
    issue(['faults', i, 'duration_ms'], 'is required when mode is "leader-change": the election');
  const b = s.broker;
  if (b.kind === 'sns-sqs') {
    issue(
      ['faults', i, 'mode'],
      'SNS and SQS show no leaders to move: make the broker "down" or "slow" instead',
    );
    return;
  }
  if (b.kind === 'queue') {
    if (b.queue_type === 'classic')
      issue(
        ['faults', i, 'mode'],
        'a classic queue has no replicas to elect a new leader from: use quorum queues',
      );
    if (f.partition !== undefined)
      issue(['faults', i, 'partition'], 'is for a log broker; on queues, name the "queue"');
    const svc = s.services.find((x) => x.id === f.queue);
    if (f.queue === undefined)
      issue(['faults', i, 'queue'], 'is required: the service whose quorum queue loses its leader');
    else if (!svc || svc.subscribes.length === 0)
      issue(
        ['faults', i, 'queue'],
        `no service "${f.queue}" has a queue (it subscribes to nothing)`,
      );
    return;
  }
  if (f.queue !== undefined)
    issue(['faults', i, 'queue'], 'is for a queue broker; on a log, name the "partition"');
  if (f.partition === undefined)
    issue(['faults', i, 'partition'], 'is required: the partition that loses its leader');
  else if (f.partition >= b.partitions)
    issue(
      ['faults', i, 'partition'],
      `there are ${b.partitions} partitions per topic, numbered from 0`,
    );
}

/** The run a scenario's own `architecture` asks for: hybrid is the event side. */
export function runArchitecture(s: Pick<Scenario, 'architecture'>): Architecture {
  if (s.architecture === 'chain' || s.architecture === 'orchestration') return s.architecture;
  return 'event';
}

/** Does a run of this architecture have a broker? Every one but the request chain. */
export function hasBroker(architecture: Architecture): boolean {
  return architecture !== 'chain';
}

/**
 * One step of an orchestrated saga: the service, the command the orchestrator sends it,
 * the replies it sends back (done or failed), and its compensation with its replies.
 */
export interface SagaStepNames {
  service: string;
  command: string;
  done: string;
  failed: string;
  /** The compensating command (`compensate`), or undefined: nothing to undo. */
  compensate?: string;
  compensated?: string;
  compensationFailed?: string;
}

export interface OrchestrationNames {
  /** The saga's steps in order, each a list of services the orchestrator commands at once. */
  stepGroups: string[][];
  /** Every step service, in step order, with its message names. */
  steps: SagaStepNames[];
}

/** `payment` -> `Payment`, `fraud-check` -> `FraudCheck`: a service id as a message name. */
function pascal(id: string): string {
  return id
    .split('-')
    .map((w) => (w ? `${w[0]?.toUpperCase()}${w.slice(1)}` : ''))
    .join('');
}

/**
 * How a scenario runs as an orchestrated saga: the entry service is the orchestrator and
 * `chain` (without the entry) is the saga's step order, a parallel group commanded at
 * once. Message names: the step's `command` (default `<Id>Command`), its replies
 * `<Id>Done` and `<Id>Failed`, and with `compensate` that command and its replies
 * `<Id>Compensated` and `<Id>CompensationFailed`.
 */
export function orchestrationOf(
  s: Pick<Scenario, 'entry' | 'services' | 'chain'>,
): OrchestrationNames {
  const stepGroups = chainStepsOf(s as Scenario).slice(1);
  const steps = stepGroups.flat().map((id): SagaStepNames => {
    const svc = s.services.find((x) => x.id === id);
    const name = pascal(id);
    const step: SagaStepNames = {
      service: id,
      command: svc?.command ?? `${name}Command`,
      done: `${name}Done`,
      failed: `${name}Failed`,
    };
    if (svc?.compensate) {
      step.compensate = svc.compensate;
      step.compensated = `${name}Compensated`;
      step.compensationFailed = `${name}CompensationFailed`;
    }
    return step;
  });
  return { stepGroups, steps };
}

/** A step's message names with what each is, for messages about clashes. */
function messageNames(step: SagaStepNames): [string, string][] {
  const out: [string, string][] = [
    [step.command, `the command to ${step.service}`],
    [step.done, `${step.service}'s done reply`],
    [step.failed, `${step.service}'s failed reply`],
  ];
  if (step.compensate) {
    out.push([step.compensate, `the compensation of ${step.service}`]);
    out.push([step.compensated as string, `compensated reply of ${step.service}`]);
    out.push([step.compensationFailed as string, `compensation-failed reply of ${step.service}`]);
  }
  return out;
}

/**
 * The synchronous steps of an event run: the entry service, then each of `sync_services`
 * (called in that order before the entry publishes). None without `sync_services`.
 */
export function hybridStepsOf(s: Pick<Scenario, 'entry' | 'sync_services'>): string[][] {
  if (!s.sync_services) return [];
  return [[s.entry], ...s.sync_services.map((id) => [id])];
}

/** One problem found in a scenario: where it is and what is wrong. */
export interface ScenarioProblem {
  path: string;
  message: string;
}

export type ParseResult =
  | {
      ok: true;
      scenario: Scenario;
      /** Runnable, but worth a second look (a loop that keeps each order's events circulating). */
      warnings?: ScenarioProblem[];
    }
  | { ok: false; problems: ScenarioProblem[] };

/** `['services', 2, 'latency_ms']` -> `services[2].latency_ms` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      // A key is input: write out any hidden character rather than let it reorder the line.
      const name = showHidden(keyName(String(key)));
      out += out === '' ? name : `.${name}`;
    }
  }
  return out === '' ? '(scenario)' : out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' && !Number.isInteger(value)) return `${value}`;
  if (typeof value === 'string')
    return `"${showHidden(value.length > 30 ? `${value.slice(0, 30)}…` : value)}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

const TYPE_WORDS: Record<string, string> = { int: 'whole number', array: 'list' };
const article = (type: string) => {
  const word = (Object.hasOwn(TYPE_WORDS, type) ? TYPE_WORDS[type] : undefined) ?? type;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
};
/** zod adds the safe-integer range to every `.int()`: not a limit a teacher needs to read about. */
const isImplicitBound = (bound: unknown) => Math.abs(Number(bound)) >= Number.MAX_SAFE_INTEGER;

function closest(key: string, options: string[]): string | undefined {
  // Most slips are a missing unit suffix: `duration` for `duration_ms`.
  const withUnit = options.find((o) => o === `${key}_ms` || o === `${key}_s`);
  if (withUnit) return withUnit;
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0] ?? 0;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const next = Math.min(
          (row[j] ?? 0) + 1,
          (row[j - 1] ?? 0) + 1,
          prev + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
        prev = row[j] ?? 0;
        row[j] = next;
      }
    }
    return row[b.length] ?? 0;
  };
  let best: string | undefined;
  let bestDistance = 3;
  for (const option of options) {
    const d = distance(key, option);
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best;
}

function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  // Walk the schema along the path to list the keys that would have been accepted.
  let cur: z.ZodType | undefined = schema;
  const unwrap = (s: z.ZodType | undefined): z.ZodType | undefined => {
    let x = s;
    for (let guard = 0; x && guard < 10; guard++) {
      const def = (
        x as unknown as {
          def: {
            type: string;
            innerType?: z.ZodType;
            in?: z.ZodType;
            element?: z.ZodType;
            options?: z.ZodType[];
          };
        }
      ).def;
      if (
        def.type === 'optional' ||
        def.type === 'default' ||
        def.type === 'nullable' ||
        def.type === 'prefault'
      )
        x = def.innerType;
      else if (def.type === 'pipe') x = def.in;
      else break;
    }
    return x;
  };
  for (const key of path) {
    cur = unwrap(cur);
    if (!cur) return [];
    const def = (
      cur as unknown as { def: { type: string; element?: z.ZodType; options?: z.ZodType[] } }
    ).def;
    if (typeof key === 'number' && def.type === 'array') cur = def.element;
    else if (cur instanceof z.ZodObject) {
      const shape = cur.shape as Record<string, z.ZodType>;
      cur = Object.hasOwn(shape, String(key)) ? shape[String(key)] : undefined;
    } else if (def.type === 'union')
      cur = def.options?.find((o) => unwrap(o) instanceof z.ZodObject);
    else return [];
  }
  cur = unwrap(cur);
  if (cur && (cur as unknown as { def: { type: string } }).def.type === 'union') {
    cur = unwrap(
      (cur as unknown as { def: { options: z.ZodType[] } }).def.options.find(
        (o) => unwrap(o) instanceof z.ZodObject,
      ),
    );
  }
  return cur instanceof z.ZodObject ? Object.keys(cur.shape) : [];
}

function problemsFrom(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  basePath: readonly PropertyKey[] = [],
): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  for (const issue of issues) {
    const path = [...basePath, ...issue.path];
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const hint = closest(key, knownKeys(scenarioObject, path));
          out.push({
            path: formatPath([...path, key]),
            message: `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`,
          });
        }
        break;
      case 'invalid_type': {
        const got = valueAt(input, path);
        out.push({
          path: formatPath(path),
          message:
            got === undefined
              ? 'is required'
              : `must be ${article(issue.expected)}, not ${describe(got)}`,
        });
        break;
      }
      case 'too_small': {
        if (isImplicitBound(issue.minimum)) break;
        const min = Number(issue.minimum);
        const message =
          issue.origin === 'array'
            ? `must have at least ${min} item${min === 1 ? '' : 's'}`
            : issue.origin === 'string'
              ? min === 1
                ? 'must not be empty'
                : `must be at least ${min} characters`
              : `must be ${issue.inclusive ? '>=' : '>'} ${min}`;
        out.push({ path: formatPath(path), message });
        break;
      }
      case 'too_big': {
        if (isImplicitBound(issue.maximum)) break;
        const max = Number(issue.maximum);
        const message =
          issue.origin === 'array'
            ? `must have at most ${max} items`
            : issue.origin === 'string'
              ? `must be at most ${max} characters`
              : `must be ${issue.inclusive ? '<=' : '<'} ${max}`;
        out.push({ path: formatPath(path), message });
        break;
      }
      case 'invalid_value':
        out.push({
          path: formatPath(path),
          message:
            valueAt(input, path) === undefined
              ? 'is required'
              : issue.values.length === 1
                ? `must be ${JSON.stringify(issue.values[0])}`
                : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        });
        break;
      case 'invalid_union': {
        if ('discriminator' in issue && issue.discriminator) {
          const at =
            path.at(-1) === issue.discriminator ? path : [...path, issue.discriminator as string];
          out.push({ path: formatPath(at), message: 'must be one of "queue", "log", "sns-sqs"' });
          break;
        }
        // Report the branch that fits the kind of value given (a number vs an object).
        const got = valueAt(input, path);
        const wantsObject = (b: readonly z.core.$ZodIssue[]) =>
          b.some(
            (i) => i.code === 'invalid_type' && i.path.length === 0 && i.expected === 'object',
          );
        const chosen =
          typeof got === 'number'
            ? issue.errors.find((b) => !wantsObject(b))
            : got !== null && typeof got === 'object' && !Array.isArray(got)
              ? issue.errors.find(
                  (b) => !b.some((i) => i.code === 'invalid_type' && i.path.length === 0),
                )
              : undefined;
        if (chosen) out.push(...problemsFrom(chosen, input, path));
        else {
          out.push({
            path: formatPath(path),
            message: `must be a number of milliseconds or a distribution object, not ${describe(got)}`,
          });
        }
        break;
      }
      case 'invalid_format':
        out.push({ path: formatPath(path), message: issue.message });
        break;
      case 'invalid_key': {
        // A record key that is not allowed, such as a filter policy on `Email` instead of `email`.
        const inner = problemsFrom(issue.issues, input, [])[0]?.message ?? issue.message;
        out.push({ path: formatPath(path), message: `as a key, ${inner}` });
        break;
      }
      case 'not_multiple_of':
        out.push({ path: formatPath(path), message: `must be a multiple of ${issue.divisor}` });
        break;
      default:
        out.push({ path: formatPath(path), message: issue.message });
    }
  }
  return out;
}

/**
 * Validate untrusted input (a parsed JSON value) as a scenario. Never throws.
 * A file written for a newer version of Fanout is refused as a whole, not half-read.
 */
export function parseScenario(input: unknown): ParseResult {
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const version = (input as { version?: unknown }).version;
    if (typeof version === 'number' && version > SCENARIO_VERSION) {
      return {
        ok: false,
        problems: [
          {
            path: 'version',
            message: `is ${version}, but this version of Fanout reads scenario version ${SCENARIO_VERSION} only; update Fanout to open it`,
          },
        ],
      };
    }
  } else {
    return {
      ok: false,
      problems: [{ path: '(scenario)', message: `must be a JSON object, not ${describe(input)}` }],
    };
  }
  const shielded = shieldProto(input as Record<string, unknown>);
  if (!shielded.ok) return { ok: false, problems: [shielded.problem] };
  const result = scenarioSchema.safeParse(shielded.value);
  // One problem per place: the first is the one to fix.
  const seen = new Set<string>();
  const onePerPlace = (p: ScenarioProblem) => !seen.has(p.path) && seen.add(p.path);
  if (!result.success) {
    return {
      ok: false,
      problems: problemsFrom(result.error.issues, shielded.value).filter(onePerPlace),
    };
  }
  const scenario = restoreProto(result.data);
  // Loops in the event graph: refused when a run could not advance or would multiply.
  const topology = analyseTopology(scenario);
  if (topology.problems.length > 0)
    return { ok: false, problems: topology.problems.filter(onePerPlace) };
  const warnings = [...topology.warnings, ...ignoredSettings(shielded.value, scenario)];
  return warnings.length > 0 ? { ok: true, scenario, warnings } : { ok: true, scenario };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Copy the input with each record's own `__proto__` key renamed to `PROTO_STANDIN`, so
 * zod keeps it (see there). Only the records whose keys are names: attributes, filter
 * policies and their attributes.
 */
function shieldProto(
  input: Record<string, unknown>,
): { ok: true; value: unknown } | { ok: false; problem: ScenarioProblem } {
  let problem: ScenarioProblem | undefined;
  const rename = (record: unknown, path: string): unknown => {
    if (!isRecord(record)) return record;
    if (Object.hasOwn(record, PROTO_STANDIN)) {
      problem ??= {
        path,
        message: `a key contains ${findHiddenCharacter(PROTO_STANDIN)?.label} at character 1: remove it`,
      };
    }
    if (!Object.hasOwn(record, '__proto__')) return record;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record))
      out[key === '__proto__' ? PROTO_STANDIN : key] = record[key];
    return out;
  };
  let value = input;
  const workload = input.workload;
  if (isRecord(workload) && Object.hasOwn(workload, 'attributes')) {
    const attributes = rename(workload.attributes, 'workload.attributes');
    if (attributes !== workload.attributes)
      value = { ...value, workload: { ...workload, attributes } };
  }
  const broker = input.broker;
  if (
    isRecord(broker) &&
    Object.hasOwn(broker, 'filter_policies') &&
    isRecord(broker.filter_policies)
  ) {
    const policies = rename(broker.filter_policies, 'broker.filter_policies') as Record<
      string,
      unknown
    >;
    const renamed: Record<string, unknown> = {};
    let changed = policies !== broker.filter_policies;
    for (const key of Object.keys(policies)) {
      renamed[key] = rename(policies[key], formatPath(['broker', 'filter_policies', key]));
      changed ||= renamed[key] !== policies[key];
    }
    if (changed) value = { ...value, broker: { ...broker, filter_policies: renamed } };
  }
  return problem ? { ok: false, problem } : { ok: true, value };
}

/** Undo `shieldProto` on the parsed scenario: `__proto__` becomes an own key again. */
function restoreProto(s: Scenario): Scenario {
  const restore = <T>(record: Record<string, T>): Record<string, T> => {
    if (!Object.hasOwn(record, PROTO_STANDIN)) return record;
    const out: Record<string, T> = {};
    for (const [key, v] of Object.entries(record)) {
      // defineProperty: assigning `out.__proto__` would set the prototype instead.
      Object.defineProperty(out, keyName(key), {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  s.workload.attributes = restore(s.workload.attributes);
  if (s.broker.kind === 'sns-sqs') {
    const policies: Record<string, Record<string, string[]>> = {};
    for (const [id, policy] of Object.entries(s.broker.filter_policies))
      policies[id] = restore(policy);
    s.broker.filter_policies = policies;
  }
  return s;
}

/** Parse JSON text as a scenario; a JSON syntax error is reported as a problem too. */
export function parseScenarioText(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The parser quotes the text around the mistake: show any hidden character in it.
    return {
      ok: false,
      problems: [
        { path: '(file)', message: `is not valid JSON: ${showHidden((error as Error).message)}` },
      ],
    };
  }
  return parseScenario(value);
}

/** `path: message` lines, one per problem. */
export function formatProblems(problems: readonly ScenarioProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
}

/** JSON Schema of the scenario file, for editors and for `public/scenario.schema.json`. */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(scenarioObject, { io: 'input', target: 'draft-2020-12' });
}

/** The services called, in order, when the scenario runs as a request chain (parallel groups flattened). */
export function chainOf(s: Scenario): string[] {
  return chainStepsOf(s).flat();
}

/**
 * The request chain's steps: each service calls every service of the next step at once
 * and waits for all of them (a step of one is a plain call).
 */
export function chainStepsOf(s: Scenario): string[][] {
  if (s.chain) return s.chain.map((step) => (typeof step === 'string' ? [step] : step));
  return [
    s.entry,
    ...s.services
      .filter((svc) => svc.id !== s.entry && svc.subscribes.length > 0 && svc.subscribed)
      .map((svc) => svc.id),
  ].map((id) => [id]);
}
