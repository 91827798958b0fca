/**
 * Bad AsyncAPI documents: every problem is listed with its file, JSON pointer and line,
 * and no scenario comes out until the whole set is valid. Nothing is fetched, ever.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importAsyncApi } from './importer';
import { formatAsyncApiProblem } from './problems';
import type { SourceText } from './read';
import { fixture } from './testFiles';

afterEach(() => {
  vi.unstubAllGlobals();
});

function problems(...sources: SourceText[]): string[] {
  const r = importAsyncApi(sources);
  if (r.ok) throw new Error(`expected problems, got a scenario (${r.value.scenario.id})`);
  return r.problems.map(formatAsyncApiProblem);
}

const OPERATIONS = `asyncapi: 3.0.0
info:
  title: Orders
  version: '1'
channels:
  created:
    address: OrderCreated
operations:
  a:
    action: publish
    channel:
      $ref: '#/channels/created'
  b:
    action: send
  c:
    action: receive
    channel:
      $ref: '#/channels/missing'
  d:
    action: receive
    channel:
      $ref: 'https://example.com/channels.yaml#/channels/x'
  e:
    action: send
    channel:
      $ref: '#/channels/created'
    x-fanout:
      service: Bad Id
      colour: red
x-fanout:
  version: 1
  services:
    orders:
      latency_ms: 999999
      emits: [X]
  scenario:
    seed: -1
    workload: { rate_per_s: 10, spkes: [] }
`;

describe('a bad AsyncAPI document', () => {
  it('lists every problem with its JSON pointer and line, structure and Fanout settings alike', () => {
    expect(problems({ name: 'orders.yaml', text: OPERATIONS })).toEqual([
      'orders.yaml: /operations/a/action (line 10): must be "send" or "receive", not "publish" (publish and subscribe are AsyncAPI 2 words)',
      'orders.yaml: /operations/b/channel (line 13): is required: a reference to a channel, such as { $ref: "#/channels/orderCreated" }',
      'orders.yaml: /operations/c/channel/$ref (line 18): points at "#/channels/missing", which is not in this document',
      'orders.yaml: /operations/d/channel/$ref (line 22): refers to "https://example.com/channels.yaml#/channels/x", outside this document: Fanout reads no other file and never goes online; copy the definition into this document (under components) and refer to it with "#/components/…"',
      'orders.yaml: /operations/e/x-fanout/service (line 28): must be lowercase letters, digits and dashes, starting with a letter',
      'orders.yaml: /operations/e/x-fanout/colour (line 29): unknown key (an operation\'s x-fanout takes "service")',
      'orders.yaml: /x-fanout/services/orders/latency_ms (line 34): must be <= 60000',
      'orders.yaml: /x-fanout/services/orders/emits (line 35): is not set here: emits come from the send operations of this service',
      'orders.yaml: /x-fanout/scenario/seed (line 37): must be >= 0',
      'orders.yaml: /x-fanout/scenario/workload/spkes (line 38): unknown key (did you mean "spikes"?)',
    ]);
  });

  it('never goes online: a remote $ref is a problem, not a download', () => {
    const fetch = vi.fn(() => Promise.reject(new Error('no network in tests')));
    vi.stubGlobal('fetch', fetch);
    const text = OPERATIONS.replace('https://example.com/channels.yaml', './common.yaml');
    expect(
      problems({ name: 'orders.yaml', text }).some((p) =>
        p.includes('refers to "./common.yaml#/channels/x", outside this document'),
      ),
    ).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('gives YAML syntax errors their line', () => {
    const text = 'asyncapi: 3.0.0\ninfo:\n  title: Broken\n   version: 1\n';
    expect(problems({ name: 'broken.yaml', text })[0]).toMatch(
      /^broken\.yaml \(line 3\): is not valid YAML or JSON: /,
    );
  });

  it('gives JSON syntax errors their line too', () => {
    const text =
      '{\n  "asyncapi": "3.0.0",\n  "info": { "title": "X", "version": "1" },\n  "channels": { "a": { "address": "A" } ,, }\n}';
    expect(problems({ name: 'x.json', text })[0]).toMatch(
      /^x\.json \(line 4\): is not valid YAML or JSON/,
    );
  });

  it('refuses AsyncAPI 2 documents and files that are not AsyncAPI, saying which', () => {
    expect(
      problems({ name: 'old.yaml', text: "asyncapi: 2.6.0\ninfo: { title: Old, version: '1' }\n" }),
    ).toEqual([
      'old.yaml: /asyncapi (line 1): is 2.6.0: Fanout reads AsyncAPI 3.0 and 3.1 (the AsyncAPI CLI converts older documents: asyncapi convert)',
    ]);
    expect(problems({ name: 'lesson.json', text: '{ "version": 1, "id": "x" }' })).toEqual([
      'lesson.json (line 1): has no "asyncapi" key: it is not an AsyncAPI document',
    ]);
    expect(problems({ name: 'empty.yaml', text: '\n' })).toEqual(['empty.yaml: is empty']);
  });

  it('puts a problem of the scenario back on the operation it comes from', () => {
    const text = `asyncapi: 3.0.0
info: { title: Shop, version: '1' }
channels:
  placed: { address: OrderPlaced }
  paid: { address: PaymentTaken }
operations:
  place: { action: send, channel: { $ref: '#/channels/placed' }, x-fanout: { service: shop } }
  ship:
    action: receive
    channel: { $ref: '#/channels/paid' }
    x-fanout: { service: shipping }
`;
    expect(problems({ name: 'shop.yaml', text })).toEqual([
      'shop.yaml: /operations/ship (line 8): no service emits "PaymentTaken"',
    ]);
  });

  it('refuses sending to a topic pattern', () => {
    const text = `asyncapi: 3.0.0
info: { title: Shop, version: '1' }
channels:
  any: { address: 'order.*' }
operations:
  place: { action: send, channel: { $ref: '#/channels/any' } }
`;
    expect(problems({ name: 'shop.yaml', text })).toEqual([
      'shop.yaml: /operations/place/channel (line 6): sends to "order.*", a pattern: a service sends one event name or routing key; patterns with * and # are for receiving',
    ]);
  });

  it('refuses x-fanout written by a newer Fanout as a whole', () => {
    const text = "asyncapi: 3.0.0\ninfo: { title: Shop, version: '1' }\nx-fanout: { version: 2 }\n";
    expect(problems({ name: 'shop.yaml', text })).toEqual([
      'shop.yaml: /x-fanout/version (line 3): is 2: this document was written by a newer Fanout (this one reads x-fanout version 1); update Fanout to open it',
    ]);
  });

  it('refuses aliases that would expand without end', () => {
    const text = `asyncapi: 3.0.0
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
`;
    expect(problems({ name: 'bomb.yaml', text })).toEqual([
      'bomb.yaml: could not be read: Excessive alias count indicates a resource exhaustion attack',
    ]);
  });

  it('reads __proto__ as a name like any other', () => {
    const text = `asyncapi: 3.0.0
info: { title: Proto, version: '1' }
channels:
  __proto__: { address: OrderPlaced }
operations:
  __proto__: { action: send, channel: { $ref: '#/channels/__proto__' } }
`;
    const r = importAsyncApi([{ name: 'proto.yaml', text }]);
    expect(r.ok && r.value.scenario.services[0]?.emits).toEqual(['OrderPlaced']);
    expect(({} as Record<string, unknown>).address).toBeUndefined();
  });
});

describe('several documents with problems', () => {
  it('lists the problems of every file, in file order', () => {
    const gateway = fixture('shop/gateway.yaml');
    const billing = fixture('shop/billing.yaml');
    const badBilling = { ...billing, text: billing.text.replace('action: send', 'action: sned') };
    const badNotifier = {
      name: 'notifier.yaml',
      text: fixture('shop/notifier.yaml').text.replace('latency_ms: 120', 'latency_ms: -5'),
    };
    expect(problems(gateway, badBilling, badNotifier)).toEqual([
      'billing.yaml: /operations/announcePayment/action (line 31): must be "send" or "receive", not "sned"',
      'notifier.yaml: /x-fanout/services/notifier/latency_ms (line 8): must be >= 0',
    ]);
  });
});
