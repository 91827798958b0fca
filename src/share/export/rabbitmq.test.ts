/**
 * The rabbitmq export: every built-in scenario becomes a definitions file whose
 * exchanges, queue arguments and bindings say what the queue flavour runs. That the
 * files load into a real RabbitMQ is `npm run verify:rabbitmq`'s job.
 */
import { describe, expect, it } from 'vitest';
import { builtInScenarios, findScenario } from '../../content/scenarios';
import { bindingMatches, parseScenario, type Scenario } from '../../core/scenario';
import { exportKafka } from './kafka';
import { exportRabbitMq, type RabbitDefinitions, retryDelays } from './rabbitmq';
import { exportSnsSqs } from './snsSqs';

const PATTERNS = [
  { id: 'orders', name: 'Orders', latency_ms: 1, emits: ['order.created.eu', 'order.paid'] },
  { id: 'billing', name: 'Billing', latency_ms: 1, subscribes: ['order.*.eu'] },
  { id: 'audit', name: 'Audit', latency_ms: 1, subscribes: ['order.#'] },
];
const PLAIN = [
  { id: 'orders', name: 'Orders', latency_ms: 1, emits: ['OrderCreated'] },
  { id: 'billing', name: 'Billing', latency_ms: 1, subscribes: ['OrderCreated'] },
];

function scenario(overrides: Record<string, unknown>): Scenario {
  const result = parseScenario({
    version: 1,
    id: 'shop',
    name: 'Shop',
    seed: 1,
    duration_ms: 1000,
    entry: 'orders',
    services: PATTERNS,
    broker: { kind: 'queue', exchange: 'topic' },
    workload: { rate_per_s: 0 },
    ...overrides,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.scenario;
}

function definitions(s: Scenario): RabbitDefinitions {
  const result = exportRabbitMq(s);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

/** Which queues RabbitMQ would route a routing key to, read off the definitions alone. */
function routedTo(d: RabbitDefinitions, key: string): string[] {
  const ex = d.exchanges.find((e) => e.name === d.comment.topology.exchange);
  if (!ex) throw new Error('no events exchange');
  return d.bindings
    .filter(
      (b) =>
        b.source === ex.name &&
        (ex.type === 'fanout' || bindingMatches(b.routing_key, key, ex.type === 'topic')),
    )
    .map((b) => b.destination)
    .filter((q, i, all) => all.indexOf(q) === i);
}

describe('rabbitmq export of every built-in scenario', () => {
  it.each(builtInScenarios.map((s) => [s.id, s] as const))('%s', (_id, s) => {
    // Built-ins all run on the queue flavour; another broker is exported with its defaults.
    expect(s.broker.kind).toBe('queue');
    if (s.broker.kind !== 'queue') return;
    const b = s.broker;
    const d = definitions(s);
    const names = (list: { name: string }[]) => list.map((x) => x.name);
    // Nothing declared twice, everything in one vhost.
    expect(new Set(names(d.queues)).size).toBe(d.queues.length);
    expect(new Set(names(d.exchanges)).size).toBe(d.exchanges.length);
    for (const x of [...d.queues, ...d.exchanges, ...d.bindings]) expect(x.vhost).toBe('/');

    const events = d.exchanges.find((e) => e.name === `${s.id}.events`);
    expect(events?.type).toBe(b.exchange);
    expect(events?.durable).toBe(true);

    const subscribers = s.services.filter((svc) => svc.subscribes.length > 0);
    expect(Object.keys(d.comment.topology.queues)).toEqual(subscribers.map((svc) => svc.id));
    for (const svc of subscribers) {
      const q = d.queues.find((x) => x.name === `${s.id}.${svc.id}`);
      expect(q, svc.id).toBeDefined();
      const args = q?.arguments ?? {};
      expect(args['x-queue-type']).toBe(b.queue_type);
      expect(args['x-delivery-limit']).toBe(
        b.queue_type === 'quorum' ? b.delivery_limit : undefined,
      );
      expect(args['x-message-ttl']).toBe(b.message_ttl_ms);
      expect(args['x-max-length']).toBe(b.max_length);
      expect(args['x-overflow']).toBe(b.max_length === undefined ? undefined : b.overflow);
      expect(args['x-dead-letter-exchange']).toBe(
        s.delivery.dead_letter ? `${s.id}.dead-letter` : undefined,
      );
    }
    // Every event reaches exactly the queues the engine's routing gives it.
    for (const type of new Set(s.services.flatMap((svc) => svc.emits))) {
      const expected = subscribers
        .filter(
          (svc) =>
            svc.subscribed &&
            (b.exchange === 'fanout' ||
              svc.subscribes.some((p) => bindingMatches(p, type, b.exchange === 'topic'))),
        )
        .map((svc) => `${s.id}.${svc.id}`);
      expect(routedTo(d, type).sort()).toEqual(expected.sort());
    }
    // Dead letters: an exchange and a queue bound to it.
    if (s.delivery.dead_letter) {
      expect(d.exchanges.find((e) => e.name === `${s.id}.dead-letter`)?.type).toBe('fanout');
      expect(d.bindings).toContainEqual(
        expect.objectContaining({
          source: `${s.id}.dead-letter`,
          destination: `${s.id}.dead-letter`,
        }),
      );
    }
    // Retries: TTL'd queues that dead-letter back to their own queue only.
    if (b.on_failure === 'retry' && s.delivery.max_attempts > 1) {
      for (const svc of subscribers) {
        const retries = d.queues.filter((q) => q.name.startsWith(`${s.id}.${svc.id}.retry.`));
        expect(retries.map((q) => q.arguments['x-message-ttl'])).toEqual(retryDelays(s.delivery));
        for (const q of retries) {
          expect(q.arguments['x-dead-letter-exchange']).toBe('');
          expect(q.arguments['x-dead-letter-routing-key']).toBe(`${s.id}.${svc.id}`);
          expect(d.bindings.some((x) => x.destination === q.name)).toBe(false);
        }
      }
    }
    // Provenance and limits travel in the ignored comment.
    expect(d.comment.scenario.id).toBe(s.id);
    expect(d.comment.produced_by).toMatch(/^Fanout /);
    expect(d.comment.not_expressed.length).toBeGreaterThan(0);
  });
});

describe('rabbitmq export of the queue settings', () => {
  it('routes topic patterns with * and #', () => {
    const d = definitions(scenario({ broker: { kind: 'queue', exchange: 'topic' } }));
    expect(routedTo(d, 'order.created.eu').sort()).toEqual(['shop.audit', 'shop.billing']);
    expect(routedTo(d, 'order.paid')).toEqual(['shop.audit']);
    expect(d.bindings.map((b) => b.routing_key).sort()).toEqual(['', 'order.#', 'order.*.eu']);
  });

  it('binds once with an empty key on a fanout exchange', () => {
    const s = scenario({
      broker: { kind: 'queue', exchange: 'fanout' },
      services: [
        { id: 'orders', name: 'Orders', latency_ms: 1, emits: ['OrderCreated', 'OrderPaid'] },
        { id: 'billing', name: 'Billing', latency_ms: 1, subscribes: ['OrderCreated'] },
      ],
    });
    const d = definitions(s);
    const fromEvents = d.bindings.filter((b) => b.source === 'shop.events');
    expect(fromEvents).toEqual([
      expect.objectContaining({ destination: 'shop.billing', routing_key: '' }),
    ]);
  });

  it('declares the alternate exchange, limits and a classic queue without a delivery limit', () => {
    const d = definitions(
      scenario({
        broker: {
          kind: 'queue',
          exchange: 'topic',
          alternate_exchange: true,
          queue_type: 'classic',
          message_ttl_ms: 5000,
          max_length: 10,
          overflow: 'reject-publish',
          on_failure: 'reject',
        },
      }),
    );
    expect(d.exchanges[0]?.arguments).toEqual({ 'alternate-exchange': 'shop.unrouted' });
    expect(d.exchanges.find((e) => e.name === 'shop.unrouted')?.type).toBe('fanout');
    expect(d.bindings).toContainEqual(
      expect.objectContaining({ source: 'shop.unrouted', destination: 'shop.unrouted' }),
    );
    expect(d.queues.find((q) => q.name === 'shop.billing')?.arguments).toEqual({
      'x-queue-type': 'classic',
      'x-message-ttl': 5000,
      'x-max-length': 10,
      'x-overflow': 'reject-publish',
      'x-dead-letter-exchange': 'shop.dead-letter',
    });
    // on_failure reject: no retry queues.
    expect(d.queues.some((q) => q.name.includes('.retry.'))).toBe(false);
  });

  it('has one retry queue per distinct backoff step, and none without a dead-letter queue', () => {
    expect(
      retryDelays({
        max_attempts: 8,
        backoff: 'exponential',
        base_ms: 100,
        cap_ms: 1000,
        jitter: 'none',
        dead_letter: true,
      }),
    ).toEqual([100, 200, 400, 800, 1000]);
    expect(
      retryDelays({
        max_attempts: 8,
        backoff: 'fixed',
        base_ms: 300,
        cap_ms: 1000,
        jitter: 'none',
        dead_letter: true,
      }),
    ).toEqual([300]);
    const d = definitions(scenario({ delivery: { dead_letter: false } }));
    expect(
      d.queues.find((q) => q.name === 'shop.billing')?.arguments['x-dead-letter-exchange'],
    ).toBeUndefined();
    expect(d.exchanges.map((e) => e.name)).toEqual(['shop.events']);
  });

  it('declares a queue for a service that subscribes later, without bindings', () => {
    const s = scenario({
      services: [
        { id: 'orders', name: 'Orders', latency_ms: 1, emits: ['OrderCreated'] },
        {
          id: 'billing',
          name: 'Billing',
          latency_ms: 1,
          subscribes: ['OrderCreated'],
          subscribed: false,
        },
      ],
    });
    const d = definitions(s);
    expect(d.queues.map((q) => q.name)).toContain('shop.billing');
    expect(d.bindings.some((b) => b.destination === 'shop.billing')).toBe(false);
    expect(d.comment.not_expressed.join(' ')).toContain('billing subscribes only when');
  });

  it('exports a log or SNS + SQS scenario with the queue flavour defaults, and says so', () => {
    const d = definitions(scenario({ broker: { kind: 'log' }, services: PLAIN }));
    expect(d.exchanges[0]).toMatchObject({ name: 'shop.events', type: 'direct' });
    expect(d.queues.find((q) => q.name === 'shop.billing')?.arguments).toMatchObject({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 20,
    });
    expect(d.comment.not_expressed[0]).toContain('runs on the log broker');
  });
});

describe('a hybrid file', () => {
  it('gives the services called synchronously no queue, and says why', () => {
    const saga = findScenario('payment-declined-saga') as Scenario;
    const parsed = parseScenario({ ...saga, architecture: 'hybrid', sync_services: ['payment'] });
    if (!parsed.ok) throw new Error('hybrid variant invalid');
    const d = exportRabbitMq(parsed.scenario);
    if (!d.ok) throw new Error(d.message);
    const names = d.value.queues.map((q) => q.name);
    expect(names.some((n) => n.includes('.email'))).toBe(true);
    expect(names.some((n) => n.includes('.payment'))).toBe(false);
    expect(d.value.comment.not_expressed.join(' ')).toMatch(/payment: called synchronously/);
    expect(exportKafka(parsed.scenario).notExpressed.join(' ')).toMatch(/called synchronously/);
    // The same file without hybrid has Payment's queue; with it, not.
    expect(exportSnsSqs(saga).text).toMatch(/QueuePayment:/);
    expect(exportSnsSqs(parsed.scenario).text).not.toMatch(/QueuePayment:/);
  });
});
