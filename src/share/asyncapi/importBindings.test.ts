/**
 * Importing AsyncAPI documents whose servers and bindings name a broker: Kafka, AMQP
 * (RabbitMQ) and SNS + SQS pick the flavour and its settings; what they cannot say is
 * filled in with defaults that the notes name.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../core';
import { LOG_DEFAULTS } from '../../core/testkit';
import { importAsyncApi } from './importer';
import { formatAsyncApiProblem } from './problems';
import { fixture } from './testFiles';
import type { SourceText } from './read';

function imported(...sources: SourceText[]) {
  const r = importAsyncApi(sources);
  if (!r.ok) throw new Error(r.problems.map(formatAsyncApiProblem).join('\n'));
  return r.value;
}

describe('Kafka bindings', () => {
  it('make a Kafka-style log with the partitions and retention of the channel bindings', () => {
    const { scenario, notes } = imported(fixture('streetlights-kafka.yaml'));
    // Partitions and retention from the bindings; the rest Kafka's defaults.
    expect(scenario.broker).toEqual({ ...LOG_DEFAULTS, partitions: 6, retention_ms: 86_400_000 });
    expect(notes.find((n) => n.startsWith('Broker:'))).toMatch(
      /Kafka-style log \(from the kafka-secure server\).*committed after processing/,
    );
  });

  it('name events after their message when the address holds parameters', () => {
    const { scenario, notes } = imported(fixture('streetlights-kafka.yaml'));
    const api = scenario.services.find((s) => s.id === 'streetlights-kafka-api');
    expect(api?.subscribes).toEqual(['LightMeasured']);
    expect(api?.emits).toEqual(['TurnOnOff']);
    expect(notes.some((n) => n.includes('its events are called LightMeasured'))).toBe(true);
  });

  it('add Clients as the entry when the one application both sends and receives', () => {
    const { scenario, notes } = imported(fixture('streetlights-kafka.yaml'));
    expect(scenario.entry).toBe('clients');
    expect(scenario.services[0]).toMatchObject({ id: 'clients', emits: ['LightMeasured'] });
    expect(
      notes.some((n) =>
        n.startsWith(
          'No application in the documents sends without receiving, so Fanout adds Clients',
        ),
      ),
    ).toBe(true);
  });

  it('use one group per subscriber and say so when two services share a groupId', () => {
    const text = fixture('shop/billing.yaml').text.replace('enum: [billing]', 'enum: [shared]');
    const notifier = fixture('shop/notifier.yaml').text.replace(
      '  sendReceipt:',
      '    bindings:\n      kafka:\n        groupId:\n          type: string\n          enum: [shared]\n  sendReceipt:',
    );
    const { notes } = imported(
      fixture('shop/gateway.yaml'),
      { name: 'billing.yaml', text },
      { name: 'notifier.yaml', text: notifier },
    );
    expect(notes).toContain(
      'Services billing and notifier share consumer group "shared": in Fanout each subscriber reads with a group of its own.',
    );
  });
});

describe('AMQP bindings', () => {
  it('make RabbitMQ-style queues with the exchange type of the channel bindings', () => {
    const { scenario } = imported(fixture('warehouse-amqp.yaml'));
    expect(scenario.broker).toMatchObject({
      kind: 'queue',
      exchange: 'topic',
      message_ttl_ms: 60_000,
    });
  });

  it('keep topic patterns as bindings, received but never sent', () => {
    const { scenario } = imported(fixture('warehouse-amqp.yaml'));
    const byId = Object.fromEntries(scenario.services.map((s) => [s.id, s]));
    expect(byId.checkout?.emits).toEqual(['order.placed.eu', 'order.placed.us']);
    expect(byId['eu-warehouse']?.subscribes).toEqual(['order.*.eu']);
    expect(byId.audit?.subscribes).toEqual(['order.#']);
    // The patterns route as a topic exchange would: audit gets both regions, the EU warehouse one.
    const sim = new Simulation(scenario, { architecture: 'event' });
    sim.runUntil(5000);
    const queues = sim.report().queues;
    expect(queues.audit?.copies).toBeGreaterThan(0);
    expect(queues['eu-warehouse']?.copies).toBeGreaterThan(0);
    expect(queues['eu-warehouse']?.copies).toBeLessThan(queues.audit?.copies ?? 0);
  });

  it('read the default exchange as direct and stand in for a headers exchange, with notes', () => {
    const base = fixture('warehouse-amqp.yaml').text;
    const direct = imported({
      name: 'w.yaml',
      text: base
        .replace('type: topic', 'type: default')
        .replace(/order\.\*\.eu|order\.#/g, 'order.placed.eu'),
    });
    expect(direct.scenario.broker).toMatchObject({ exchange: 'direct' });
    expect(
      direct.notes.some((n) =>
        n.includes('uses the default exchange: Fanout routes it as a direct exchange'),
      ),
    ).toBe(true);
    const headers = imported({
      name: 'w.yaml',
      text: base
        .replace('type: topic', 'type: headers')
        .replace(/order\.\*\.eu|order\.#/g, 'order.placed.eu'),
    });
    expect(headers.scenario.broker).toMatchObject({ exchange: 'direct' });
    expect(
      headers.notes.some((n) => n.includes('uses a headers exchange: Fanout does not simulate it')),
    ).toBe(true);
  });
});

describe('SNS and SQS bindings', () => {
  const signup = () =>
    imported(
      fixture('signup/accounts.yaml'),
      fixture('signup/welcome.json'),
      fixture('signup/analytics.yaml'),
    );

  it('make SNS topics fanning out to SQS queues, with the queue settings of the SQS bindings', () => {
    const { scenario } = signup();
    expect(scenario.broker).toEqual({
      kind: 'sns-sqs',
      visibility_timeout_ms: 60_000,
      max_receive_count: 3,
      // Not in the bindings: the AWS defaults (4 days, no delay), no heartbeat.
      message_retention_ms: 4 * 24 * 60 * 60 * 1000,
      delay_ms: 0,
      extend_visibility: false,
      fifo: false,
      filter_policies: { 'welcome-email': { plan: ['pro', 'team'] } },
    });
  });

  it("give the SNS subscription's filter policy to the service that receives from its queue", () => {
    const { scenario, notes } = signup();
    // Orders carry the attribute the policy selects on, with a value it refuses too.
    expect(scenario.workload.attributes).toEqual({ plan: ['pro', 'team', 'other'] });
    expect(notes.some((n) => n.startsWith('Orders carry plan: one of pro, team and other'))).toBe(
      true,
    );
    const sim = new Simulation(scenario, { architecture: 'event' });
    sim.runUntil(10_000);
    const queues = sim.report().queues;
    expect(queues['welcome-email']?.copies).toBeLessThan(queues.analytics?.copies ?? 0);
  });

  it('read a FIFO topic from the SNS ordering', () => {
    const text = fixture('signup/accounts.yaml').text.replace('type: standard', 'type: FIFO');
    const { scenario } = imported({ name: 'accounts.yaml', text }, fixture('signup/welcome.json'));
    expect(scenario.broker).toMatchObject({ kind: 'sns-sqs', fifo: true });
  });
});

describe('defaults for what AsyncAPI cannot say', () => {
  it('are listed one by one: latency, workers, workload, failures, retries, the chain, the network', () => {
    const { scenario, notes } = imported(
      fixture('shop/gateway.yaml'),
      fixture('shop/billing.yaml'),
      fixture('shop/notifier.yaml'),
    );
    expect(notes).toEqual([
      "Broker: Kafka-style log (from the kafka server), with Fanout's defaults for offsets committed after processing (AsyncAPI does not say when a consumer commits).",
      'Latency (AsyncAPI does not say how long work takes): a median of 20 ms for Gateway and 50 ms for Billing Service, with a long tail of slower calls.',
      'Workers: 4 at a time, on 1 replica, for Gateway, Billing Service and Notifier (AsyncAPI does not say how many).',
      'Workload: 10 orders per second sent to Gateway, for 60 s, seed 42 (AsyncAPI does not describe traffic).',
      'Failures: none scheduled, every service healthy (AsyncAPI does not describe failure rates); switch services off or make them slow or flaky in the playground.',
      'Retries: a message that fails is delivered up to 5 times in all, waiting 200 ms to 10 s (exponential backoff, full jitter) before each retry, then dead-lettered.',
      'As a request chain: gateway → billing → notifier (the receiving services in document order), each call waiting at most 1 s, without retries.',
      'Network: 5 ms for every hop.',
    ]);
    // What x-fanout does say is taken, not defaulted: Notifier's latency and workers.
    expect(scenario.services.find((s) => s.id === 'notifier')).toMatchObject({
      latency_ms: 120,
      concurrency: 2,
    });
    expect(scenario.services.find((s) => s.id === 'billing')?.latency_ms).toEqual({
      dist: 'lognormal',
      median_ms: 50,
      sigma: 0.4,
    });
  });

  it('a document without any broker binding runs on RabbitMQ-style queues, and says so', () => {
    const text = `asyncapi: 3.0.0
info: { title: Tiny, version: '1' }
channels:
  done: { address: JobDone }
operations:
  finish: { action: send, channel: { $ref: '#/channels/done' }, x-fanout: { service: worker } }
  log: { action: receive, channel: { $ref: '#/channels/done' }, x-fanout: { service: logger } }
`;
    const { scenario, notes } = imported({ name: 'tiny.yaml', text });
    expect(scenario.broker.kind).toBe('queue');
    expect(notes[0]).toBe(
      "Broker: RabbitMQ-style queues (no Kafka, AMQP, SNS or SQS server or binding says otherwise), with Fanout's defaults for a direct exchange, a delivery limit of 20 and failed messages retried after a backoff.",
    );
  });
});
