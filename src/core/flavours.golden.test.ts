/**
 * Golden traces of every broker flavour and its settings, with the learner's broker
 * actions in the middle of the run. The built-in scenarios' goldens use the default
 * queue broker only; these pin the log, SNS + SQS and the queue's optional rules, so a
 * refactor of the brokers that changes behaviour is seen here.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from './scenario';
import { Simulation } from './simulation';
import { makeScenario } from './testkit';

type BrokerInput = NonNullable<ScenarioInput['broker']>;

const services: ScenarioInput['services'] = [
  {
    id: 'orders',
    name: 'Orders',
    latency_ms: 3,
    concurrency: 4,
    emits: ['OrderCreated', 'OrderPaid'],
  },
  {
    id: 'payment',
    name: 'Payment',
    latency_ms: { dist: 'exponential', mean_ms: 20 },
    concurrency: 2,
    subscribes: ['OrderCreated'],
    emits: ['Charged'],
  },
  {
    id: 'email',
    name: 'Email',
    latency_ms: 15,
    concurrency: 3,
    subscribes: ['OrderPaid'],
    idempotent: true,
  },
  {
    id: 'audit',
    name: 'Audit',
    latency_ms: 40,
    concurrency: 1,
    subscribes: ['OrderCreated', 'OrderPaid'],
    subscribed: false,
  },
  // Nobody subscribes to Settled: unroutable, or kept by an alternate exchange.
  {
    id: 'ledger',
    name: 'Ledger',
    latency_ms: { dist: 'lognormal', median_ms: 10, sigma: 0.5 },
    subscribes: ['Charged'],
    emits: ['Settled'],
  },
];

function run(broker: BrokerInput, extra: Partial<ScenarioInput> = {}): string {
  const s = makeScenario({
    seed: 5,
    duration_ms: 4000,
    broker,
    services,
    chain: undefined,
    workload: {
      rate_per_s: 30,
      keys: 7,
      spikes: [{ at_ms: 1000, duration_ms: 500, rate_per_s: 150 }],
    },
    faults: [
      { service: 'payment', at_ms: 500, duration_ms: 800, mode: 'flaky', error_rate: 0.3 },
      { service: 'email', at_ms: 1500, duration_ms: 700, mode: 'down' },
      { service: 'ledger', at_ms: 100, mode: 'crash-before-ack', error_rate: 0.2 },
    ],
    delivery: { max_attempts: 3, base_ms: 20, cap_ms: 200 },
    ...extra,
  });
  const sim = new Simulation(s);
  sim.runUntil(1200);
  // Actions a flavour cannot take are refused with a reason and change nothing.
  sim.intervene({ kind: 'subscribe', service: 'audit', from: 'earliest' });
  sim.intervene({ kind: 'idempotent', service: 'payment', on: true });
  sim.runUntil(2500);
  sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
  sim.intervene({ kind: 'reset-offsets', service: 'email', target: { to: 'earliest' } });
  sim.intervene({ kind: 'fault', service: 'email', patch: { down: false } });
  sim.intervene({ kind: 'redrive' });
  sim.runUntil(3200);
  // Back in time and forward again: a fork from a checkpoint must replay the same run.
  sim.runUntil(1800);
  sim.runUntil(7000);
  return sim.traceHash;
}

const GOLDEN: [name: string, broker: BrokerInput, extra: Partial<ScenarioInput>, hash: string][] = [
  ['queue, defaults', { kind: 'queue' }, {}, 'cf12fef04984e590'],
  [
    'queue, direct exchange with an alternate exchange',
    { kind: 'queue', exchange: 'direct', alternate_exchange: true },
    {},
    'bc5d3b9e4aee6ae2',
  ],
  [
    'queue, TTL, max-length drop-head, prefetch',
    { kind: 'queue', message_ttl_ms: 60, max_length: 5, prefetch: 2 },
    {},
    'a7b1e5feb2a4177a',
  ],
  [
    'queue, reject-publish and reject',
    { kind: 'queue', max_length: 3, overflow: 'reject-publish', on_failure: 'reject' },
    {},
    'c9eb576015758a5e',
  ],
  [
    'queue, nack-requeue up to the delivery limit',
    { kind: 'queue', on_failure: 'requeue', delivery_limit: 2, message_ttl_ms: 300 },
    {},
    '692efa40463aa041',
  ],
  [
    'queue, no dead-letter queue, fixed backoff without jitter',
    { kind: 'queue', message_ttl_ms: 100 },
    {
      delivery: {
        max_attempts: 2,
        dead_letter: false,
        jitter: 'none',
        backoff: 'fixed',
        base_ms: 30,
      },
    },
    '4bb4b5af38d9edd4',
  ],
  // These two pinned the engine's old (and only) behaviour where retention deletes a
  // group's position: resume at the earliest record. Kafka's default is latest (below).
  [
    'log, commit after, short retention, auto.offset.reset earliest',
    { kind: 'log', partitions: 3, retention_ms: 700, auto_offset_reset: 'earliest' },
    {},
    'd48da236aec0b968',
  ],
  ['log, commit before', { kind: 'log', partitions: 2, commit: 'before' }, {}, 'e31c853560ce0bdc'],
  [
    'log, one partition, auto.offset.reset earliest',
    { kind: 'log', partitions: 1, retention_ms: 300, auto_offset_reset: 'earliest' },
    {},
    '8fac640f5364fba4',
  ],
  [
    'log, commit after, short retention, auto.offset.reset latest (Kafka default)',
    { kind: 'log', partitions: 3, retention_ms: 700 },
    {},
    '806525dcf5551032',
  ],
  [
    'log, one partition, auto.offset.reset latest (Kafka default)',
    { kind: 'log', partitions: 1, retention_ms: 300 },
    {},
    'ee2e05f2f172c240',
  ],
  [
    'SNS + SQS, standard',
    { kind: 'sns-sqs', visibility_timeout_ms: 30, max_receive_count: 2 },
    {},
    '82564bebdff2cbc4',
  ],
  [
    'SNS + SQS, FIFO',
    { kind: 'sns-sqs', visibility_timeout_ms: 100, fifo: true, max_receive_count: 3 },
    {},
    'fb724d2ad002a371',
  ],
  [
    'SNS + SQS, filter policies',
    {
      kind: 'sns-sqs',
      visibility_timeout_ms: 50,
      filter_policies: {
        payment: { region: ['eu'] },
        email: { region: ['us', 'asia'], tier: ['gold'] },
      },
    },
    {
      workload: {
        rate_per_s: 30,
        keys: 7,
        attributes: { region: ['eu', 'us', 'asia'], tier: ['gold', 'silver'] },
      },
    },
    '0445433047f23774',
  ],
  [
    'SNS + SQS, FIFO without a dead-letter queue',
    { kind: 'sns-sqs', fifo: true, visibility_timeout_ms: 0, max_receive_count: 1 },
    { delivery: { dead_letter: false } },
    '3018ec6504653f15',
  ],
];

describe('golden traces of the broker flavours', () => {
  it.each(GOLDEN)('%s keeps its trace hash', (_name, broker, extra, hash) => {
    expect(run(broker, extra)).toBe(hash);
  });
});
