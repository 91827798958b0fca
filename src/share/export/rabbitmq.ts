/**
 * A Fanout scenario -> a RabbitMQ definitions file (`definitions.json`) that
 * `rabbitmqctl import_definitions` loads: the topology the queue flavour simulates, as a
 * real broker declares it. Pure: no I/O, the same output for the same scenario.
 *
 * What the queue flavour runs (src/core/broker/queue.ts, routing.ts, retry.ts, model.ts)
 * and what it becomes here:
 * - the broker's exchange (`broker.exchange`: direct, fanout or topic) is one durable
 *   exchange `<scenario>.events`; a publish's routing key is the event name;
 * - one durable queue per subscribing service, `<scenario>.<service>`, of the scenario's
 *   `queue_type`, bound with each of its subscriptions (event names, or `*`/`#` patterns
 *   on a topic exchange; a fanout exchange ignores keys, so one binding with key "");
 * - queue arguments (docs: rabbitmq.com/docs/queues#optional-arguments, /ttl, /maxlength,
 *   /dlx, /quorum-queues#poison-message-handling): `x-queue-type`, `x-delivery-limit`
 *   (quorum only: the engine's classic queue requeues forever), `x-message-ttl`,
 *   `x-max-length`, `x-overflow` and `x-dead-letter-exchange`;
 * - `delivery.dead_letter`: a fanout dead-letter exchange `<scenario>.dead-letter` and its
 *   queue; every way a copy leaves unprocessed (reject without requeue, TTL, drop-head,
 *   delivery limit) goes there, as in the engine. Without it RabbitMQ drops them, as the
 *   engine does;
 * - `alternate_exchange`: a fanout exchange `<scenario>.unrouted` named by the events
 *   exchange's `alternate-exchange` argument, and its queue;
 * - `on_failure: "retry"`: RabbitMQ has no delayed redelivery, so each subscriber gets
 *   TTL'd retry queues `<scenario>.<service>.retry.<ms>ms`, one per distinct backoff step
 *   (min(cap, base * 2^n)); each dead-letters through the default exchange straight back
 *   to its own queue (`x-dead-letter-routing-key`), so a retry never reaches the other
 *   subscribers. The consumer publishes the failed message there and acks it.
 *
 * Definitions files have no place for a comment: a top-level `comment` object (which
 * `import_definitions` ignores; checked on RabbitMQ 3.10.8 by `npm run verify:rabbitmq`)
 * says which scenario and Fanout version produced the file, what the consumers must do,
 * and what the target cannot express.
 *
 * A scenario on another broker is exported with the queue flavour's defaults (see
 * `exportRabbitMq`).
 *
 * Each entity names its vhost ("/" unless asked otherwise): RabbitMQ 3.10's
 * `rabbitmqctl import_definitions` refuses a file whose entities have no vhost ("Virtual
 * host 'undefined' does not exist", and exit status 0), so a vhost-less file would not load.
 */
import packageJson from '../../../package.json';
import { SCENARIO_VERSION, type Scenario } from '../../core/scenario';
import { ok, type Result } from '../result';
import { brokerFor, forBroker } from './flavour';

type QueueBroker = Extract<Scenario['broker'], { kind: 'queue' }>;
type Args = Record<string, string | number | boolean>;

export interface RabbitExchange {
  name: string;
  vhost: string;
  type: 'direct' | 'fanout' | 'topic';
  durable: true;
  auto_delete: false;
  internal: false;
  arguments: Args;
}

export interface RabbitQueue {
  name: string;
  vhost: string;
  durable: true;
  auto_delete: false;
  arguments: Args;
}

export interface RabbitBinding {
  source: string;
  vhost: string;
  destination: string;
  destination_type: 'queue';
  routing_key: string;
  arguments: Args;
}

/** Where each of Fanout's parts went, for consumers of the file (and the verifier). */
export interface RabbitTopology {
  exchange: string;
  /** Service id -> its queue. */
  queues: Record<string, string>;
  /** Service id -> its retry queues, shortest delay first (on_failure "retry"). */
  retryQueues: Record<string, { name: string; ttl_ms: number }[]>;
  deadLetterExchange?: string;
  deadLetterQueue?: string;
  alternateExchange?: string;
  unroutedQueue?: string;
}

export interface RabbitDefinitions {
  /** Ignored by `import_definitions`: provenance, consumer settings, and what is not expressed. */
  comment: {
    produced_by: string;
    scenario: { id: string; name: string; format_version: number };
    imitates: string;
    topology: RabbitTopology;
    consumers: string[];
    not_expressed: string[];
  };
  exchanges: RabbitExchange[];
  queues: RabbitQueue[];
  bindings: RabbitBinding[];
}

export interface RabbitExportOptions {
  /** The vhost every entity is declared in. Default "/". */
  vhost?: string;
}

/** The RabbitMQ version the queue flavour imitates (src/core/broker/queue.ts). */
export const IMITATED_RABBITMQ = '4.2';

/** The distinct backoff ceilings a message can wait out, in attempt order. */
export function retryDelays(delivery: Scenario['delivery']): number[] {
  const delays: number[] = [];
  // Attempt n (1-based) failed: the engine waits min(cap, base * 2^(n-1)) (retry.ts).
  for (let n = 1; n < delivery.max_attempts; n++) {
    const d =
      delivery.backoff === 'fixed'
        ? delivery.base_ms
        : Math.min(delivery.cap_ms, delivery.base_ms * 2 ** Math.min(n - 1, 40));
    if (!delays.includes(d)) delays.push(d);
  }
  return delays;
}

/**
 * The definitions for a scenario. One whose broker is not the queue flavour (a log, SNS +
 * SQS) is exported as the playground's broker switch would run it on the queue flavour:
 * its default settings (a direct exchange routing by event name), said in the comment.
 */
export function exportRabbitMq(
  scenario: Scenario,
  options: RabbitExportOptions = {},
): Result<RabbitDefinitions> {
  const { scenario: s, note: hybrid } = forBroker(scenario);
  const { broker, note } = brokerFor(s, 'queue');
  const d = definitionsFor(s, broker, options.vhost ?? '/');
  if (hybrid) d.comment.not_expressed.unshift(hybrid);
  if (note) d.comment.not_expressed.unshift(note);
  if (scenario.broker.kind === 'sns-sqs' && Object.keys(scenario.broker.filter_policies).length > 0)
    d.comment.not_expressed.push(
      'SNS filter policies: these exchanges route by routing key only (a headers exchange could match attributes)',
    );
  return ok(d);
}

function definitionsFor(s: Scenario, b: QueueBroker, vhost: string): RabbitDefinitions {
  const prefix = s.id;
  const exchange = (name: string, type: RabbitExchange['type'], args: Args = {}) => ({
    name,
    vhost,
    type,
    durable: true as const,
    auto_delete: false as const,
    internal: false as const,
    arguments: args,
  });
  const queue = (name: string, args: Args) => ({
    name,
    vhost,
    durable: true as const,
    auto_delete: false as const,
    arguments: args,
  });
  const binding = (source: string, destination: string, routing_key: string) => ({
    source,
    vhost,
    destination,
    destination_type: 'queue' as const,
    routing_key,
    arguments: {},
  });

  const topology: RabbitTopology = { exchange: `${prefix}.events`, queues: {}, retryQueues: {} };
  const exchanges: RabbitExchange[] = [];
  const queues: RabbitQueue[] = [];
  const bindings: RabbitBinding[] = [];
  const consumers: string[] = [];
  const notExpressed: string[] = [];

  if (s.delivery.dead_letter) {
    topology.deadLetterExchange = `${prefix}.dead-letter`;
    topology.deadLetterQueue = `${prefix}.dead-letter`;
  }
  if (b.alternate_exchange) {
    topology.alternateExchange = `${prefix}.unrouted`;
    topology.unroutedQueue = `${prefix}.unrouted`;
  }

  exchanges.push(
    exchange(
      topology.exchange,
      b.exchange,
      topology.alternateExchange ? { 'alternate-exchange': topology.alternateExchange } : {},
    ),
  );

  /** Arguments every queue of this scenario shares: its type and limits. */
  const queueArgs = (): Args => {
    const args: Args = { 'x-queue-type': b.queue_type };
    // Pinned even at the default (20): RabbitMQ before 4.0 has no default delivery limit.
    if (b.queue_type === 'quorum') args['x-delivery-limit'] = b.delivery_limit;
    if (b.message_ttl_ms !== undefined) args['x-message-ttl'] = b.message_ttl_ms;
    if (b.max_length !== undefined) {
      args['x-max-length'] = b.max_length;
      args['x-overflow'] = b.overflow;
    }
    if (topology.deadLetterExchange) args['x-dead-letter-exchange'] = topology.deadLetterExchange;
    return args;
  };

  const retries = b.on_failure === 'retry' && s.delivery.max_attempts > 1;
  const delays = retries ? retryDelays(s.delivery) : [];
  for (const svc of s.services) {
    if (svc.subscribes.length === 0) continue;
    const name = `${prefix}.${svc.id}`;
    topology.queues[svc.id] = name;
    queues.push(queue(name, queueArgs()));
    if (!svc.subscribed) {
      notExpressed.push(
        `${svc.id} subscribes only when the learner adds it during the run: its queue is declared without bindings; bind it to ${topology.exchange} with ${svc.subscribes.join(', ')} to subscribe`,
      );
    } else if (b.exchange === 'fanout') {
      // A fanout exchange ignores routing keys: one binding delivers every event once.
      bindings.push(binding(topology.exchange, name, ''));
    } else {
      for (const key of new Set(svc.subscribes))
        bindings.push(binding(topology.exchange, name, key));
    }
    if (retries) {
      topology.retryQueues[svc.id] = delays.map((ttl) => {
        const retryName = `${name}.retry.${ttl}ms`;
        // Back through the default exchange ("") to this queue only: the original routing
        // key would also reach every other subscriber.
        queues.push(
          queue(retryName, {
            'x-queue-type': b.queue_type,
            'x-message-ttl': ttl,
            'x-dead-letter-exchange': '',
            'x-dead-letter-routing-key': name,
          }),
        );
        return { name: retryName, ttl_ms: ttl };
      });
    }
  }

  if (topology.deadLetterExchange && topology.deadLetterQueue) {
    exchanges.push(exchange(topology.deadLetterExchange, 'fanout'));
    queues.push(queue(topology.deadLetterQueue, { 'x-queue-type': b.queue_type }));
    bindings.push(binding(topology.deadLetterExchange, topology.deadLetterQueue, ''));
  }
  if (topology.alternateExchange && topology.unroutedQueue) {
    exchanges.push(exchange(topology.alternateExchange, 'fanout'));
    queues.push(queue(topology.unroutedQueue, { 'x-queue-type': b.queue_type }));
    bindings.push(binding(topology.alternateExchange, topology.unroutedQueue, ''));
  }

  // What consumers must do: none of it lives in definitions.
  consumers.push(
    'publish with the event name as routing key, persistent, with publisher confirms (a nack means a full queue refused it: reject-publish)',
    b.prefetch === undefined
      ? 'basic.qos prefetch = the service concurrency (Fanout teaching default; RabbitMQ itself sets no limit)'
      : `basic.qos prefetch ${b.prefetch} per consumer channel (one channel per replica)`,
    'manual ack after the work is done',
  );
  if (b.on_failure === 'requeue')
    consumers.push(
      b.queue_type === 'quorum'
        ? `on failure: basic.nack with requeue; the queue dead-letters a message returned more than ${b.delivery_limit} times`
        : 'on failure: basic.nack with requeue (a classic queue has no delivery limit: it comes back forever)',
    );
  else if (b.on_failure === 'reject' || !retries)
    consumers.push('on failure: basic.reject without requeue (to the dead-letter exchange)');
  else
    consumers.push(
      `on failure: publish the message to "" with routing key <queue>.retry.<ms>ms for attempt n (delays ${delays.join(', ')} ms), then ack it; after attempt ${s.delivery.max_attempts} reject it without requeue`,
    );

  if (retries && s.delivery.jitter === 'full')
    notExpressed.push(
      'full jitter: a retry queue has one TTL (the backoff ceiling); a random delay needs a per-message expiration, and RabbitMQ only expires messages at the head of a queue',
    );
  if (b.consumer_timeout_ms !== 1_800_000)
    notExpressed.push(
      `consumer timeout ${b.consumer_timeout_ms} ms: a broker setting (consumer_timeout in rabbitmq.conf), not a definition`,
    );
  notExpressed.push(
    'services, latency, workers, replicas, workload, faults, idempotency and the request chain: application behaviour, not broker topology',
  );
  if (s.services.some((svc) => svc.publish === 'outbox'))
    notExpressed.push(
      'the transactional outbox: it lives in the producer database, not the broker',
    );

  return {
    comment: {
      produced_by: `Fanout ${packageJson.version}`,
      scenario: { id: s.id, name: s.name, format_version: SCENARIO_VERSION },
      imitates: `RabbitMQ ${IMITATED_RABBITMQ} (quorum queue delivery limit: dead-lettered when returned more than x-delivery-limit times)`,
      topology,
      consumers,
      not_expressed: notExpressed,
    },
    exchanges,
    queues,
    bindings,
  };
}

/** The definitions as the text of `definitions.json`. */
export function definitionsText(d: RabbitDefinitions): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}
