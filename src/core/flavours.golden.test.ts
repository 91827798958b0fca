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
  ['queue, defaults', { kind: 'queue' }, {}, '7068f6e963f3b884'],
  [
    'queue, direct exchange with an alternate exchange',
    { kind: 'queue', exchange: 'direct', alternate_exchange: true },
    {},
    '6f676566d1ad0736',
  ],
  [
    'queue, TTL, max-length drop-head, prefetch',
    { kind: 'queue', message_ttl_ms: 60, max_length: 5, prefetch: 2 },
    {},
    '83602db699a7ea4c',
  ],
  [
    'queue, reject-publish and reject',
    { kind: 'queue', max_length: 3, overflow: 'reject-publish', on_failure: 'reject' },
    {},
    'a804857622af3d0d',
  ],
  [
    'queue, nack-requeue up to the delivery limit',
    { kind: 'queue', on_failure: 'requeue', delivery_limit: 2, message_ttl_ms: 300 },
    {},
    '20a2bdd5b76af878',
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
    'ccfd15be0451ba32',
  ],
  [
    'queue, fanout exchange (every queue gets every event type)',
    { kind: 'queue', exchange: 'fanout' },
    {},
    'c928ab2f61ea83ae',
  ],
  [
    'queue, classic queue with nack-requeue and a short consumer timeout',
    { kind: 'queue', queue_type: 'classic', on_failure: 'requeue', consumer_timeout_ms: 60 },
    {},
    '9cf2b8a0364d66ea',
  ],
  // These two pinned the engine's old (and only) behaviour where retention deletes a
  // group's position: resume at the earliest record. Kafka's default is latest (below).
  [
    'log, commit after, short retention, auto.offset.reset earliest',
    { kind: 'log', partitions: 3, retention_ms: 700, auto_offset_reset: 'earliest' },
    {},
    '7c0c7980fcc62758',
  ],
  ['log, commit before', { kind: 'log', partitions: 2, commit: 'before' }, {}, '873962b4ba5187e0'],
  [
    'log, one partition, auto.offset.reset earliest',
    { kind: 'log', partitions: 1, retention_ms: 300, auto_offset_reset: 'earliest' },
    {},
    'cd108d3a419ae66c',
  ],
  [
    'log, commit after, short retention, auto.offset.reset latest (Kafka default)',
    { kind: 'log', partitions: 3, retention_ms: 700 },
    {},
    'a505157f863d82f3',
  ],
  [
    'log, one partition, auto.offset.reset latest (Kafka default)',
    { kind: 'log', partitions: 1, retention_ms: 300 },
    {},
    '03d4bc149ef90739',
  ],
  [
    'SNS + SQS, standard',
    { kind: 'sns-sqs', visibility_timeout_ms: 30, max_receive_count: 2 },
    {},
    '26262bca3efd03c3',
  ],
  [
    'SNS + SQS, FIFO',
    { kind: 'sns-sqs', visibility_timeout_ms: 100, fifo: true, max_receive_count: 3 },
    {},
    'b968a9eaa644d7dd',
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
    '7b60ec2f2e1bf485',
  ],
  [
    'SNS + SQS, FIFO without a dead-letter queue',
    { kind: 'sns-sqs', fifo: true, visibility_timeout_ms: 0, max_receive_count: 1 },
    { delivery: { dead_letter: false } },
    'bcd8623e622a8d64',
  ],
];

describe('golden traces of the broker flavours', () => {
  it.each(GOLDEN)('%s keeps its trace hash', (_name, broker, extra, hash) => {
    expect(run(broker, extra)).toBe(hash);
  });
});
