/**
 * Several applications become one topology: described in one document (operations that
 * say whose they are) or in several documents, one per service. The entry is the
 * application that sends without receiving.
 */
import { describe, expect, it } from 'vitest';
import { checkScenarioBuilds, Simulation } from '../../core';
import { importAsyncApi } from './importer';
import { formatAsyncApiProblem } from './problems';
import type { SourceText } from './read';
import { fixture } from './testFiles';

function imported(...sources: SourceText[]) {
  const r = importAsyncApi(sources);
  if (!r.ok) throw new Error(r.problems.map(formatAsyncApiProblem).join('\n'));
  return r.value;
}
const shop = () => [
  fixture('shop/gateway.yaml'),
  fixture('shop/billing.yaml'),
  fixture('shop/notifier.yaml'),
];

describe('one document describing several applications', () => {
  it('gives each operation to the service its x-fanout names', () => {
    const { scenario, documents } = imported(fixture('warehouse-amqp.yaml'));
    expect(documents).toBe(1);
    expect(scenario.services.map((s) => [s.id, s.emits, s.subscribes])).toEqual([
      ['checkout', ['order.placed.eu', 'order.placed.us'], []],
      ['eu-warehouse', [], ['order.*.eu']],
      ['audit', [], ['order.#']],
    ]);
    expect(scenario.entry).toBe('checkout');
    expect(scenario.name).toBe('Warehouses');
  });
});

describe('several documents, one per service', () => {
  it('become one topology, channels with the same address being one topic', () => {
    const { scenario, documents } = imported(...shop());
    expect(documents).toBe(3);
    expect(scenario.services.map((s) => [s.id, s.name, s.emits, s.subscribes])).toEqual([
      ['gateway', 'Gateway', ['shop.order.placed'], []],
      ['billing', 'Billing Service', ['shop.payment.taken'], ['shop.order.placed']],
      ['notifier', 'Notifier', [], ['shop.order.placed', 'shop.payment.taken']],
    ]);
    expect(scenario.name).toBe('Gateway, Billing Service and Notifier');
  });

  it('make the application that sends but receives nothing the entry, whatever the file order', () => {
    const [gateway, billing, notifier] = shop() as [SourceText, SourceText, SourceText];
    expect(imported(notifier, billing, gateway).scenario.entry).toBe('gateway');
    expect(imported(billing, gateway, notifier).scenario.entry).toBe('gateway');
  });

  it('runs: every order placed reaches billing and notifier, and each payment the notifier', () => {
    const { scenario } = imported(...shop());
    expect(checkScenarioBuilds(scenario)).toEqual([]);
    const sim = new Simulation(scenario, { architecture: 'event' });
    sim.runUntil(20_000);
    const r = sim.report();
    expect(r.requests.sent).toBeGreaterThan(100);
    // Orders still in the gateway's hands at the end are not published yet.
    expect(r.queues.billing?.copies).toBeLessThanOrEqual(r.requests.sent);
    expect(r.queues.billing?.copies).toBeGreaterThan(r.requests.sent - 5);
    expect(r.queues.notifier?.processed).toBeGreaterThan(r.queues.billing?.processed ?? 0);
  });

  it('reads YAML and JSON documents together (SNS + SQS signup)', () => {
    const { scenario, documents } = imported(
      fixture('signup/accounts.yaml'),
      fixture('signup/welcome.json'),
      fixture('signup/analytics.yaml'),
    );
    expect(documents).toBe(3);
    expect(scenario.services.map((s) => s.id)).toEqual(['accounts', 'welcome-email', 'analytics']);
    expect(scenario.entry).toBe('accounts');
  });

  it('reads a YAML stream of several documents like several files', () => {
    const stream = shop()
      .map((s) => s.text)
      .join('\n---\n');
    const { scenario, documents } = imported({ name: 'shop.yaml', text: stream });
    expect(documents).toBe(3);
    expect(scenario.services.map((s) => s.id)).toEqual(['gateway', 'billing', 'notifier']);
  });

  it('tell two documents with the same title apart', () => {
    const one = `asyncapi: 3.0.0
info: { title: Worker, version: '1' }
channels: { job: { address: JobQueued } }
operations: { queue: { action: send, channel: { $ref: '#/channels/job' } } }
`;
    const two = `asyncapi: 3.0.0
info: { title: Worker, version: '1' }
channels: { job: { address: JobQueued } }
operations: { take: { action: receive, channel: { $ref: '#/channels/job' } } }
`;
    const { scenario, notes } = imported(
      { name: 'a.yaml', text: one },
      { name: 'b.yaml', text: two },
    );
    expect(scenario.services.map((s) => s.id)).toEqual(['worker', 'worker-2']);
    expect(notes).toContain('Two documents are titled alike; the service of b.yaml is "worker-2".');
  });

  it('name the first of several senders the entry, and say which never run', () => {
    const cron = `asyncapi: 3.0.0
info: { title: Nightly Cron, version: '1' }
channels: { tick: { address: NightFell } }
operations: { tick: { action: send, channel: { $ref: '#/channels/tick' } } }
`;
    const { scenario, notes } = imported(...shop(), { name: 'cron.yaml', text: cron });
    expect(scenario.entry).toBe('gateway');
    expect(notes).toContain(
      'Several applications send without receiving (Gateway and Nightly Cron): the first, Gateway, is the entry users call; Nightly Cron is never triggered in a run (name the entry in x-fanout.scenario.entry).',
    );
  });
});
