/**
 * A Fanout scenario -> AsyncAPI 3.0 documents: one for the whole system, or one per
 * service (each service is an application).
 *
 * - Each event type (and each topic-exchange pattern a service binds with) is a channel
 *   whose `address` is the event name exactly.
 * - Each service's emits are `send` operations and its subscriptions `receive`
 *   operations, in the scenario's order; in the system document each operation says
 *   whose it is with `x-fanout: { service }`.
 * - The broker is a server (kafka, amqp, or sns + sqs) and the bindings of its protocol:
 *   partitions and retention on Kafka channels, the exchange on AMQP channels, SNS
 *   subscriptions with their filter policies and SQS queues with their visibility timeout
 *   and redrive policy.
 * - Everything else Fanout needs (latency, workers, the workload, faults, retries, the
 *   seed, and the broker's settings exactly) is under `x-fanout`, so that importing the
 *   documents gives back the very same scenario.
 *
 * The documents validate against the official AsyncAPI 3.0 JSON Schema (tested).
 */
import type { Scenario } from '../../core/scenario';
import { ASYNCAPI_VERSION, isPattern, keyFrom, X_FANOUT, X_FANOUT_VERSION } from './names';

type Obj = Record<string, unknown>;
type Service = Scenario['services'][number];

export type ExportShape = 'system' | 'per-service';

export interface AsyncApiDocument {
  /** A file name for it: `checkout.asyncapi.yaml`, `payment.asyncapi.yaml`. */
  fileName: string;
  /** The service it describes (per-service documents). */
  service?: string;
  document: Obj;
}

const SERVERS: Record<Scenario['broker']['kind'], Obj> = {
  queue: {
    broker: {
      host: 'localhost:5672',
      protocol: 'amqp',
      protocolVersion: '0.9.1',
      description: 'RabbitMQ 4.x-style broker, simulated by Fanout.',
    },
  },
  log: {
    broker: {
      host: 'localhost:9092',
      protocol: 'kafka',
      description: 'Kafka 4.x-style log, simulated by Fanout.',
    },
  },
  'sns-sqs': {
    sns: {
      host: 'sns.us-east-1.amazonaws.com',
      protocol: 'sns',
      description: 'Amazon SNS topics, simulated by Fanout.',
    },
    sqs: {
      host: 'sqs.us-east-1.amazonaws.com',
      protocol: 'sqs',
      description: 'Amazon SQS queues, simulated by Fanout.',
    },
  },
};

/** The one AMQP exchange Fanout's queue broker publishes to. */
const EXCHANGE = 'fanout.events';
const DEAD_LETTERS = 'fanout-dead-letters';
const queueName = (serviceId: string) => `${serviceId}-queue`;

/** The scenario's settings, without what the channels and operations say. */
function scenarioSettings(s: Scenario, withName: boolean): Obj {
  const { services: _services, version: _version, name, description, ...rest } = s;
  const out: Obj = withName ? { name, description } : {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) out[key] = value;
  return out;
}

function serviceSettings(svc: Service): Obj {
  const { id: _id, emits: _emits, subscribes: _subscribes, ...settings } = svc;
  return settings;
}

/** Channels: one per event type and per pattern a service binds with, keyed for AsyncAPI. */
function channelKeys(s: Scenario): Map<string, string> {
  const names = [...new Set(s.services.flatMap((svc) => [...svc.emits, ...svc.subscribes]))];
  const keys = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    const base = keyFrom(name);
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}-${n}`;
    used.add(key);
    keys.set(name, key);
  }
  return keys;
}

function channelObject(s: Scenario, name: string, key: string): Obj {
  const b = s.broker;
  const channel: Obj = { address: name };
  if (!isPattern(name)) {
    channel.messages = {
      [key]: {
        name,
        title: name,
        summary: `${name}: an event about one order.`,
        payload: {
          type: 'object',
          properties: {
            order: { type: 'integer', description: 'The order number (the correlation id).' },
            key: { type: 'integer', description: 'The customer: partition key and message group.' },
          },
        },
      },
    };
  }
  if (b.kind === 'log') {
    channel.bindings = {
      kafka: {
        topic: name,
        partitions: b.partitions,
        topicConfiguration: { 'retention.ms': b.retention_ms },
        bindingVersion: '0.5.0',
      },
    };
  } else if (b.kind === 'queue') {
    channel.bindings = {
      amqp: {
        is: 'routingKey',
        exchange: {
          name: EXCHANGE,
          type: b.exchange,
          durable: true,
          autoDelete: false,
          vhost: '/',
        },
        bindingVersion: '0.3.0',
      },
    };
  } else {
    channel.bindings = {
      sns: {
        name: `${keyFrom(name)}${b.fifo ? '.fifo' : ''}`,
        ordering: { type: b.fifo ? 'FIFO' : 'standard' },
        bindingVersion: '0.1.0',
      },
    };
  }
  return channel;
}

function sqsQueue(s: Scenario, serviceId: string): Obj {
  const b = s.broker;
  if (b.kind !== 'sns-sqs') return {};
  return {
    name: queueName(serviceId),
    fifoQueue: b.fifo,
    // SQS counts whole seconds; x-fanout keeps the exact milliseconds.
    visibilityTimeout: Math.round(b.visibility_timeout_ms / 1000),
    deliveryDelay: Math.round(b.delay_ms / 1000),
    messageRetentionPeriod: Math.round(b.message_retention_ms / 1000),
    redrivePolicy: {
      deadLetterQueue: { name: DEAD_LETTERS },
      maxReceiveCount: b.max_receive_count,
    },
  };
}

function sendBindings(s: Scenario, event: string): Obj | undefined {
  const b = s.broker;
  if (b.kind === 'queue') {
    return {
      amqp: {
        deliveryMode: 2,
        ...(b.message_ttl_ms === undefined ? {} : { expiration: b.message_ttl_ms }),
        bindingVersion: '0.3.0',
      },
    };
  }
  if (b.kind !== 'sns-sqs') return undefined;
  // The SNS subscriptions of this topic: one SQS queue per subscriber.
  const consumers = s.services
    .filter((svc) => svc.subscribes.includes(event))
    .map((svc) => {
      const policy = Object.hasOwn(b.filter_policies, svc.id)
        ? b.filter_policies[svc.id]
        : undefined;
      return {
        protocol: 'sqs',
        endpoint: { name: queueName(svc.id) },
        rawMessageDelivery: true,
        ...(policy ? { filterPolicy: policy, filterPolicyScope: 'MessageAttributes' } : {}),
        redrivePolicy: {
          deadLetterQueue: { name: DEAD_LETTERS },
          maxReceiveCount: b.max_receive_count,
        },
      };
    });
  return consumers.length > 0 ? { sns: { consumers, bindingVersion: '0.1.0' } } : undefined;
}

function receiveBindings(s: Scenario, svc: Service): Obj {
  const b = s.broker;
  if (b.kind === 'log')
    return { kafka: { groupId: { type: 'string', enum: [svc.id] }, bindingVersion: '0.5.0' } };
  if (b.kind === 'queue') return { amqp: { ack: true, bindingVersion: '0.3.0' } };
  return { sqs: { queues: [sqsQueue(s, svc.id)], bindingVersion: '0.2.0' } };
}

/** The operations of some services, in the scenario's order, with unique keys. */
function operations(
  s: Scenario,
  services: readonly Service[],
  keys: Map<string, string>,
  tagged: boolean,
): Obj {
  const out: Obj = {};
  const unique = (base: string) => {
    let key = base;
    for (let n = 2; Object.hasOwn(out, key); n++) key = `${base}-${n}`;
    return key;
  };
  for (const svc of services) {
    const whose = tagged ? { [X_FANOUT]: { service: svc.id } } : {};
    for (const event of svc.emits) {
      const channel = keys.get(event) ?? keyFrom(event);
      const bindings = sendBindings(s, event);
      out[unique(`${svc.id}_sends_${channel}`)] = {
        action: 'send',
        channel: { $ref: `#/channels/${channel}` },
        summary: `${svc.name} sends ${event}.`,
        messages: [{ $ref: `#/channels/${channel}/messages/${channel}` }],
        ...(bindings ? { bindings } : {}),
        ...whose,
      };
    }
    for (const binding of svc.subscribes) {
      const channel = keys.get(binding) ?? keyFrom(binding);
      out[unique(`${svc.id}_receives_${channel}`)] = {
        action: 'receive',
        channel: { $ref: `#/channels/${channel}` },
        summary: `${svc.name} receives ${binding}.`,
        bindings: receiveBindings(s, svc),
        ...whose,
      };
    }
  }
  return out;
}

function channels(s: Scenario, names: Iterable<string>, keys: Map<string, string>): Obj {
  const out: Obj = {};
  for (const name of names) {
    const key = keys.get(name) ?? keyFrom(name);
    out[key] = channelObject(s, name, key);
  }
  return out;
}

function info(title: string, description: string): Obj {
  return {
    title,
    version: '1.0.0',
    ...(description ? { description } : {}),
  };
}

/** The scenario as one AsyncAPI document describing every service. */
export function systemDocument(s: Scenario): AsyncApiDocument {
  const keys = channelKeys(s);
  const services: Obj = {};
  for (const svc of s.services) services[svc.id] = serviceSettings(svc);
  return {
    fileName: `${s.id}.asyncapi.yaml`,
    document: {
      asyncapi: ASYNCAPI_VERSION,
      info: info(s.name, s.description),
      defaultContentType: 'application/json',
      servers: SERVERS[s.broker.kind],
      channels: channels(s, keys.keys(), keys),
      operations: operations(s, s.services, keys, true),
      [X_FANOUT]: { version: X_FANOUT_VERSION, scenario: scenarioSettings(s, false), services },
    },
  };
}

/**
 * One AsyncAPI document per service. The entry service's document also holds the
 * scenario's settings and the order of the services, so the set reads back as the same
 * scenario whatever order the files are given in.
 */
export function serviceDocuments(s: Scenario): AsyncApiDocument[] {
  const keys = channelKeys(s);
  return s.services.map((svc) => {
    const used = [...new Set([...svc.emits, ...svc.subscribes])];
    const xf: Obj = {
      version: X_FANOUT_VERSION,
      service: svc.id,
      services: { [svc.id]: serviceSettings(svc) },
    };
    if (svc.id === s.entry) {
      xf.scenario = scenarioSettings(s, true);
      xf.service_order = s.services.map((x) => x.id);
    }
    return {
      fileName: `${svc.id}.asyncapi.yaml`,
      service: svc.id,
      document: {
        asyncapi: ASYNCAPI_VERSION,
        info: info(svc.name, `${svc.name} in "${s.name}".`),
        defaultContentType: 'application/json',
        servers: SERVERS[s.broker.kind],
        channels: channels(s, used, keys),
        operations: operations(s, [svc], keys, false),
        [X_FANOUT]: xf,
      },
    };
  });
}

/** The documents of one shape. */
export function exportAsyncApi(s: Scenario, shape: ExportShape): AsyncApiDocument[] {
  return shape === 'system' ? [systemDocument(s)] : serviceDocuments(s);
}
