/**
 * `npm run verify:rabbitmq`: the queue flavour measured against a real RabbitMQ.
 *
 * 1. Starts Debian's rabbitmq-server as its own node on free loopback ports (its own
 *    epmd, node name, data and log folders under a mkdtemp folder), and stops both by
 *    their pids whatever happens.
 * 2. Imports the `rabbitmq` export of every built-in scenario with `rabbitmqctl
 *    import_definitions`, and checks every queue it declares exists (the command exits
 *    0 even when an import fails, so its status proves nothing).
 * 3. Runs a differential set: small scenarios run by the engine (src/core Simulation,
 *    full trace) and, on the real broker, loaded from their export and driven with
 *    amqplib: the engine's publishes in its order (routing key = event name, message id
 *    = the engine's event id, publisher confirms, mandatory), and consumers that do what
 *    the engine's consumers did (ack, nack with requeue, reject, or none: a service that
 *    is down). Each copy's outcome (acked, dead-lettered and why, waiting, refused,
 *    unroutable kept or dropped) and its number of deliveries are compared message by
 *    message, plus the most unacknowledged deliveries one consumer held (prefetch).
 *
 * Prints a summary and exits 1 on any mismatch, 2 when the broker cannot be started.
 * `--list` prints the differential set without starting a broker; `--only NAME` runs
 * the cases whose name starts with NAME, without the built-in imports.
 * Run with tsx: `tsx scripts/verify-rabbitmq.ts`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import fc from 'fast-check';
import { builtInScenarios } from '../src/content/scenarios';
import { parseScenario, Reason, Rec, type Scenario, Simulation } from '../src/core';
import { exportRabbitMq, type RabbitDefinitions, retryDelays } from '../src/share/export/rabbitmq';

const run = promisify(execFile);
const RABBIT_BIN = '/usr/lib/rabbitmq/bin';
const started = Date.now();
const log = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------- the server

interface Broker {
  node: string;
  port: number;
  dir: string;
  env: NodeJS.ProcessEnv;
  server: ChildProcess;
  epmd: ChildProcess;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function ctl(b: Pick<Broker, 'node' | 'env'>, ...args: string[]): Promise<string> {
  const { stdout } = await run(join(RABBIT_BIN, 'rabbitmqctl'), ['-n', b.node, '-q', ...args], {
    env: b.env,
    timeout: 60_000,
  });
  return stdout;
}

async function startBroker(): Promise<Broker> {
  if (!existsSync(join(RABBIT_BIN, 'rabbitmq-server')))
    throw new Error(
      'rabbitmq-server is not installed: apt-get install -y rabbitmq-server (Debian package)',
    );
  const dir = mkdtempSync(join(tmpdir(), 'fanout-rabbitmq-'));
  const [port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  const node = `fanout-verify-${process.pid}@localhost`;
  mkdirSync(join(dir, 'log'));
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  // guest may connect over loopback only, which is all we use.
  writeFileSync(join(dir, 'rabbitmq.conf'), 'loopback_users.guest = true\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The Erlang cookie is read from $HOME: the server and rabbitmqctl share this one.
    HOME: dir,
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
  };
  const out = openSync(join(dir, 'server.out'), 'w');
  // Our own epmd on our own port, in the foreground, so it has a pid we can stop.
  const epmd = spawn('epmd', ['-port', String(epmdPort), '-address', '127.0.0.1'], {
    env,
    stdio: ['ignore', out, out],
  });
  // detached: its own process group, so stopping it reaches the Erlang VM under the script.
  const server = spawn(join(RABBIT_BIN, 'rabbitmq-server'), [], {
    env,
    stdio: ['ignore', out, out],
    detached: true,
  });
  const broker: Broker = { node, port, dir, env, server, epmd };
  active = broker;
  // await_startup fails at once until the node has registered with epmd: ask again.
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await ctl(broker, 'await_startup', '--timeout', '60');
      break;
    } catch (error) {
      if (server.exitCode !== null || Date.now() > deadline)
        throw new Error(
          `rabbitmq-server did not start (see ${join(dir, 'server.out')}): ${String(error).split('\n')[0]}`,
        );
      await sleep(500);
    }
  }
  return broker;
}

let active: Broker | undefined;

/** Stop the server's process group and our epmd, by pid; then remove the folder. */
function stopBroker(b: Broker | undefined, keepDir = false): void {
  if (!b) return;
  const alive = (p: ChildProcess) =>
    p.pid !== undefined && p.exitCode === null && p.signalCode === null;
  if (alive(b.server) && b.server.pid !== undefined) {
    try {
      process.kill(-b.server.pid, 'SIGTERM');
    } catch {}
    // Its data is thrown away: a beam still shutting down after 3 s is killed.
    const until = Date.now() + 3_000;
    while (Date.now() < until && groupAlive(b.server.pid)) sleepSync(100);
    if (groupAlive(b.server.pid))
      try {
        process.kill(-b.server.pid, 'SIGKILL');
      } catch {}
  }
  if (alive(b.epmd) && b.epmd.pid !== undefined)
    try {
      process.kill(b.epmd.pid, 'SIGKILL');
    } catch {}
  if (!keepDir) rmSync(b.dir, { recursive: true, force: true });
  active = undefined;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- loading definitions

async function load(b: Broker, d: RabbitDefinitions, file: string): Promise<void> {
  const path = join(b.dir, file);
  writeFileSync(path, JSON.stringify(d));
  await ctl(b, 'import_definitions', path);
  // The import is asynchronous and reports failures with status 0: wait for its queues.
  const wanted = d.queues.map((q) => q.name);
  const until = Date.now() + 20_000;
  const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${b.port}`);
  try {
    for (const queue of wanted) {
      for (;;) {
        // A missing queue closes the channel it was asked on: one channel per question.
        const ch = await conn.createChannel();
        ch.on('error', () => {});
        const found = await ch.checkQueue(queue).then(
          () => true,
          () => false,
        );
        if (found) await ch.close();
        if (found) break;
        if (Date.now() > until)
          throw new Error(`${file}: queue ${queue} missing after import_definitions`);
        await sleep(200);
      }
    }
  } finally {
    await conn.close().catch(() => {});
  }
}

function definitions(s: Scenario): RabbitDefinitions {
  const result = exportRabbitMq(s);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

// ---------------------------------------------------------------- the differential set

/** The backoff after failed attempt n (1-based), without jitter: the retry queue's TTL. */
function retryDelay(delivery: Scenario['delivery'], attempt: number): number {
  const d =
    delivery.backoff === 'fixed'
      ? delivery.base_ms
      : Math.min(delivery.cap_ms, delivery.base_ms * 2 ** Math.min(attempt - 1, 40));
  if (!retryDelays(delivery).includes(d)) throw new Error(`no retry queue for ${d} ms`);
  return d;
}

/** What a consumer does with every delivery (the engine's consumer, replayed). */
type Behaviour = 'ack' | 'nack-requeue' | 'reject' | 'retry' | 'none';

interface Case {
  name: string;
  /** What the case covers, for the summary. */
  covers: string;
  scenario: Scenario;
  /** Per subscribing service: what its real consumer does. */
  consumers: Record<string, Behaviour>;
  /** Hold each delivery this long before acting (prefetch). */
  holdMs?: number;
  /** Wait at least this long after the last publish before reading the outcome. */
  settleMs?: number;
}

function scenario(id: string, body: Record<string, unknown>): Scenario {
  const result = parseScenario({
    version: 1,
    id,
    name: id,
    seed: 7,
    duration_ms: 20_000,
    architecture: 'event',
    network_ms: 1,
    entry: 'orders',
    workload: { rate_per_s: 0, orders: [0, 10, 20, 30, 40].map((at_ms) => ({ at_ms })) },
    delivery: { max_attempts: 1, jitter: 'none', dead_letter: true },
    ...body,
  });
  if (!result.ok) throw new Error(`${id}: ${JSON.stringify(result.problems)}`);
  return result.scenario;
}

const orders = (emits: string[]) => ({
  id: 'orders',
  name: 'Orders',
  latency_ms: 1,
  concurrency: 1,
  emits,
});
const sub = (id: string, subscribes: string[], extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  latency_ms: 2,
  subscribes,
  ...extra,
});
const downAtStart = (service: string) => ({ service, at_ms: 0, mode: 'down' });
const poisonFor = (services: string[]) => ({
  rate_per_s: 0,
  orders: [0, 10, 20].map((at_ms) => ({ at_ms })),
  poison: { rate: 1, services },
});

const CASES: Case[] = [
  {
    name: 'route-direct',
    covers: 'direct exchange; unroutable dropped (no alternate exchange)',
    scenario: scenario('verify-direct', {
      broker: { kind: 'queue', exchange: 'direct' },
      services: [
        orders(['OrderCreated', 'OrderPaid', 'OrderShipped']),
        sub('billing', ['OrderCreated']),
        sub('audit', ['OrderCreated', 'OrderPaid']),
      ],
    }),
    consumers: { billing: 'ack', audit: 'ack' },
  },
  {
    name: 'route-fanout',
    covers: 'fanout exchange ignores routing keys',
    scenario: scenario('verify-fanout', {
      broker: { kind: 'queue', exchange: 'fanout' },
      services: [
        orders(['OrderCreated', 'OrderPaid']),
        sub('billing', ['OrderCreated']),
        sub('audit', ['OrderPaid']),
      ],
    }),
    consumers: { billing: 'ack', audit: 'ack' },
  },
  {
    name: 'route-topic-ae',
    covers:
      'topic exchange with * and # (# matching zero words); alternate exchange keeps unroutable',
    scenario: scenario('verify-topic', {
      broker: { kind: 'queue', exchange: 'topic', alternate_exchange: true },
      services: [
        orders(['order.created.eu', 'order.created.us', 'order', 'invoice.sent']),
        sub('eu', ['order.*.eu']),
        sub('all', ['order.#']),
        sub('created', ['*.created.*']),
      ],
    }),
    consumers: { eu: 'ack', all: 'ack', created: 'ack' },
  },
  {
    name: 'delivery-limit',
    covers: 'quorum delivery limit (pinned x-delivery-limit 3) after nack with requeue',
    scenario: scenario('verify-limit', {
      broker: { kind: 'queue', on_failure: 'requeue', delivery_limit: 3 },
      services: [orders(['OrderCreated']), sub('billing', ['OrderCreated'])],
      workload: poisonFor(['billing']),
    }),
    consumers: { billing: 'nack-requeue' },
  },
  {
    name: 'reject',
    covers: 'reject without requeue dead-letters',
    scenario: scenario('verify-reject', {
      broker: { kind: 'queue', on_failure: 'reject' },
      services: [
        orders(['OrderCreated']),
        sub('billing', ['OrderCreated']),
        sub('audit', ['OrderCreated']),
      ],
      workload: poisonFor(['billing']),
    }),
    consumers: { billing: 'reject', audit: 'ack' },
  },
  {
    name: 'ttl',
    covers: 'message TTL expiry dead-letters (consumer down)',
    scenario: scenario('verify-ttl', {
      broker: { kind: 'queue', message_ttl_ms: 400 },
      services: [orders(['OrderCreated']), sub('billing', ['OrderCreated'])],
      faults: [downAtStart('billing')],
    }),
    consumers: { billing: 'none' },
    settleMs: 1200,
  },
  {
    name: 'max-length-drop-head',
    covers: 'max-length with drop-head dead-letters the oldest',
    scenario: scenario('verify-drophead', {
      broker: { kind: 'queue', max_length: 2, overflow: 'drop-head' },
      services: [orders(['OrderCreated']), sub('billing', ['OrderCreated'])],
      faults: [downAtStart('billing')],
    }),
    consumers: { billing: 'none' },
  },
  {
    name: 'max-length-reject-publish',
    covers: 'max-length with reject-publish: publisher confirm nacked',
    scenario: scenario('verify-rejectpublish', {
      broker: { kind: 'queue', max_length: 2, overflow: 'reject-publish' },
      services: [orders(['OrderCreated']), sub('billing', ['OrderCreated'])],
      faults: [downAtStart('billing')],
    }),
    consumers: { billing: 'none' },
  },
  {
    name: 'classic-reject-publish',
    covers: 'the same on a classic queue',
    scenario: scenario('verify-classic', {
      broker: { kind: 'queue', queue_type: 'classic', max_length: 2, overflow: 'reject-publish' },
      services: [orders(['OrderCreated']), sub('billing', ['OrderCreated'])],
      faults: [downAtStart('billing')],
    }),
    consumers: { billing: 'none' },
  },
  {
    name: 'retry-queues',
    covers: 'on_failure retry through the TTL retry queues (200, 400 ms), then dead-lettered',
    scenario: scenario('verify-retry', {
      broker: { kind: 'queue', on_failure: 'retry' },
      services: [
        orders(['OrderCreated']),
        sub('billing', ['OrderCreated']),
        sub('audit', ['OrderCreated']),
      ],
      workload: poisonFor(['billing']),
      delivery: {
        max_attempts: 3,
        backoff: 'exponential',
        base_ms: 200,
        cap_ms: 1000,
        jitter: 'none',
        dead_letter: true,
      },
    }),
    consumers: { billing: 'retry', audit: 'ack' },
    settleMs: 1200,
  },
  {
    name: 'prefetch',
    covers: 'prefetch 2: never more than 2 unacknowledged per consumer',
    scenario: scenario('verify-prefetch', {
      broker: { kind: 'queue', prefetch: 2 },
      services: [
        orders(['OrderCreated']),
        sub('billing', ['OrderCreated'], { latency_ms: 300, concurrency: 8 }),
      ],
      workload: { rate_per_s: 0, orders: [0, 1, 2, 3, 4, 5].map((at_ms) => ({ at_ms })) },
    }),
    consumers: { billing: 'ack' },
    holdMs: 150,
  },
];

/** Seed of the random cases: fixed, so every run checks the same ones. */
const RANDOM_SEED = 20261202;
const RANDOM_CASES = 10;
const WORDS = ['order', 'invoice', 'eu', 'us', 'created'];
const EXCHANGES = ['direct', 'fanout', 'topic'] as const;

/**
 * Random cases (fast-check, fixed seed): a random exchange type, dotted event names,
 * bindings made from them (with * and # on a topic exchange), maybe an alternate
 * exchange, and either consumers that ack or fail (reject, or nack with requeue up to a
 * delivery limit of 1-3), or every consumer down with a TTL or a drop-head max-length.
 * Quorum with requeue (a classic queue requeues forever); reject-publish is left to the
 * fixed cases (see the quorum mismatch there).
 */
function randomCases(): Case[] {
  const name = fc
    .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 })
    .map((w) => w.join('.'));
  const shape = fc.record({
    events: fc.uniqueArray(name, { minLength: 1, maxLength: 4 }),
    subscribers: fc.array(
      fc.record({
        picks: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
        wild: fc.array(fc.constantFrom('keep', '*', '#'), { minLength: 3, maxLength: 3 }),
        fails: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    alternate: fc.boolean(),
    onFailure: fc.constantFrom('reject' as const, 'requeue' as const),
    limit: fc.integer({ min: 1, max: 3 }),
    queueType: fc.constantFrom('quorum' as const, 'classic' as const),
    down: fc.option(
      fc.oneof(
        fc.record({ ttl: fc.integer({ min: 200, max: 500 }) }),
        fc.record({ maxLength: fc.integer({ min: 0, max: 3 }) }),
      ),
      // Half the cases have every consumer down.
      { nil: undefined, freq: 2 },
    ),
    orders: fc.integer({ min: 2, max: 5 }),
  });
  return fc.sample(fc.noBias(shape), { seed: RANDOM_SEED, numRuns: RANDOM_CASES }).map((s, i) => {
    // The exchange type takes turns, so every type is covered whatever the seed draws.
    const r = { ...s, exchange: EXCHANGES[i % EXCHANGES.length] as (typeof EXCHANGES)[number] };
    const id = `verify-random-${i + 1}`;
    const subs = r.subscribers.map((x, j) => {
      const bindings = [
        ...new Set(
          x.picks.map((p) => {
            const event = r.events[p % r.events.length] as string;
            if (r.exchange !== 'topic') return event;
            return event
              .split('.')
              .map((w, k) => (x.wild[k] === 'keep' ? w : x.wild[k]))
              .join('.');
          }),
        ),
      ];
      return { id: `s${j + 1}`, bindings, fails: x.fails && !r.down };
    });
    const broker: Record<string, unknown> = {
      kind: 'queue',
      exchange: r.exchange,
      alternate_exchange: r.alternate,
      on_failure: r.onFailure,
      delivery_limit: r.limit,
      queue_type: r.onFailure === 'requeue' ? 'quorum' : r.queueType,
    };
    if (r.down && 'ttl' in r.down) broker.message_ttl_ms = r.down.ttl;
    if (r.down && 'maxLength' in r.down) broker.max_length = r.down.maxLength;
    const failing = subs.filter((x) => x.fails).map((x) => x.id);
    const consumers: Record<string, Behaviour> = {};
    for (const x of subs)
      consumers[x.id] = r.down
        ? 'none'
        : x.fails
          ? r.onFailure === 'reject'
            ? 'reject'
            : 'nack-requeue'
          : 'ack';
    const limits = r.down
      ? 'ttl' in r.down
        ? `ttl ${r.down.ttl}`
        : `max-length ${r.down.maxLength}`
      : '';
    return {
      name: `random-${i + 1}`,
      covers: `${r.exchange}${r.alternate ? ' + AE' : ''}, ${r.events.length} events, ${subs.map((x) => `${x.bindings.join('|')}:${consumers[x.id]}`).join(' ')}${limits ? `, ${limits}` : ''}`,
      scenario: scenario(id, {
        broker,
        services: [orders(r.events), ...subs.map((x) => sub(x.id, x.bindings))],
        workload: {
          rate_per_s: 0,
          orders: Array.from({ length: r.orders }, (_, k) => ({ at_ms: k * 10 })),
          ...(failing.length > 0 ? { poison: { rate: 1, services: failing } } : {}),
        },
        faults: r.down ? subs.map((x) => downAtStart(x.id)) : [],
      }),
      consumers,
      settleMs: r.down && 'ttl' in r.down ? r.down.ttl + 600 : 0,
    };
  });
}

/** Per copy (`<event id>@<queue name>`): its outcome and deliveries. */
interface Outcomes {
  outcome: Map<string, string>;
  deliveries: Map<string, number>;
  /** Per queue: most deliveries unacknowledged at once. */
  maxUnacked: Map<string, number>;
  /** Publishes in order: event id and routing key. */
  publishes: { id: number; key: string }[];
}

const UNROUTED = '(unrouted)';

/** What the engine did, read off its full trace. */
function engineOutcomes(c: Case, d: RabbitDefinitions): Outcomes {
  const sim = new Simulation(c.scenario, { architecture: 'event', keepTrace: true });
  sim.runUntil(c.scenario.duration_ms);
  const model = sim.model;
  const queueOf = new Map<number, string>();
  for (const q of model.queues) queueOf.set(q.node, d.comment.topology.queues[q.id] as string);
  const outcome = new Map<string, string>();
  const deliveries = new Map<string, number>();
  const unacked = new Map<string, number>();
  const maxUnacked = new Map<string, number>();
  const publishes: Outcomes['publishes'] = [];
  const bump = (q: string, by: number) => {
    const n = (unacked.get(q) ?? 0) + by;
    unacked.set(q, n);
    maxUnacked.set(q, Math.max(maxUnacked.get(q) ?? 0, n));
  };
  for (const r of sim.fullTrace) {
    switch (r.kind) {
      case Rec.Published:
        publishes.push({ id: r.msg, key: model.eventTypes[r.code] as string });
        break;
      case Rec.Unroutable:
        outcome.set(
          `${r.msg}@${UNROUTED}`,
          r.to === model.aeNode ? 'unrouted-kept' : 'unrouted-dropped',
        );
        break;
      case Rec.Enqueued:
        outcome.set(`${r.msg}@${queueOf.get(r.to)}`, 'waiting');
        break;
      case Rec.PublishRejected:
        outcome.set(`${r.msg}@${queueOf.get(r.to)}`, 'refused');
        break;
      case Rec.Delivered: {
        const q = queueOf.get(r.from) as string;
        const key = `${r.msg}@${q}`;
        deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
        bump(q, 1);
        break;
      }
      case Rec.Acked:
        outcome.set(`${r.msg}@${queueOf.get(r.to)}`, 'acked');
        bump(queueOf.get(r.to) as string, -1);
        break;
      case Rec.Nacked:
      case Rec.Requeued:
        // The queue flavour records a return as Requeued, a rejection as Nacked: never both.
        bump(queueOf.get(r.to) as string, -1);
        break;
      case Rec.DeadLettered:
        outcome.set(`${r.msg}@${queueOf.get(r.from)}`, `dead-lettered:${rabbitReason(r.code)}`);
        break;
      case Rec.Expired:
        outcome.set(`${r.msg}@${queueOf.get(r.from)}`, 'expired');
        break;
      case Rec.Dropped:
        outcome.set(`${r.msg}@${queueOf.get(r.from)}`, 'dropped');
        break;
    }
  }
  return { outcome, deliveries, maxUnacked, publishes };
}

/** The x-death reason RabbitMQ gives for the engine's reason a copy was dead-lettered. */
function rabbitReason(code: number): string {
  if (code === Reason.DeliveryLimit) return 'delivery_limit';
  if (code === Reason.Expired) return 'expired';
  if (code === Reason.Overflow) return 'maxlen';
  // Every other reason is the consumer's: rejected without requeue.
  return 'rejected';
}

/** What the real broker did with the same publishes and consumers. */
async function brokerOutcomes(
  b: Broker,
  c: Case,
  d: RabbitDefinitions,
  publishes: Outcomes['publishes'],
): Promise<Outcomes> {
  const t = d.comment.topology;
  const outcome = new Map<string, string>();
  const deliveries = new Map<string, number>();
  const unacked = new Map<string, number>();
  const maxUnacked = new Map<string, number>();
  const refused = new Set<number>();
  let lastActivity = Date.now();
  const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${b.port}`);
  try {
    const prefetchOf = (service: string) => {
      const broker = c.scenario.broker.kind === 'queue' ? c.scenario.broker : undefined;
      const svc = c.scenario.services.find((s) => s.id === service);
      return Math.min(svc?.concurrency ?? 4, broker?.prefetch ?? Number.POSITIVE_INFINITY);
    };
    const fanout = c.scenario.broker.kind === 'queue' && c.scenario.broker.exchange === 'fanout';
    const subscriptions = (service: string) =>
      c.scenario.services.find((s) => s.id === service)?.subscribes ?? [];
    const consumers: { ch: amqp.Channel; tag: string }[] = [];
    for (const [service, behaviour] of Object.entries(c.consumers)) {
      if (behaviour === 'none') continue;
      const queue = t.queues[service] as string;
      const ch = await conn.createChannel();
      await ch.prefetch(prefetchOf(service));
      const { consumerTag } = await ch.consume(queue, (m) => {
        if (!m) return;
        lastActivity = Date.now();
        const key = `${m.properties.messageId}@${queue}`;
        deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
        const n = (unacked.get(queue) ?? 0) + 1;
        unacked.set(queue, n);
        maxUnacked.set(queue, Math.max(maxUnacked.get(queue) ?? 0, n));
        const act = () => {
          unacked.set(queue, (unacked.get(queue) ?? 1) - 1);
          lastActivity = Date.now();
          // As the engine's consumer does: on a fanout exchange, an event it has no
          // handler for (no subscription names it) is acked without work.
          const handles = !fanout || subscriptions(service).some((b) => b === m.fields.routingKey);
          if (behaviour === 'ack' || !handles) {
            outcome.set(key, 'acked');
            ch.ack(m);
          } else if (behaviour === 'reject') ch.reject(m, false);
          else if (behaviour === 'retry') {
            // What the export's comment tells consumers: publish attempt n's failure to
            // the retry queue with that backoff and ack it; reject the last attempt.
            const attempt = deliveries.get(key) ?? 1;
            const last = attempt >= c.scenario.delivery.max_attempts;
            const delay = last ? -1 : retryDelay(c.scenario.delivery, attempt);
            const retryQueue = t.retryQueues[service]?.find((q) => q.ttl_ms === delay);
            if (retryQueue) {
              ch.publish('', retryQueue.name, m.content, {
                messageId: m.properties.messageId,
                persistent: true,
              });
              ch.ack(m);
            } else ch.reject(m, false);
          } else ch.nack(m, false, true);
        };
        if (c.holdMs) setTimeout(act, c.holdMs);
        else act();
      });
      consumers.push({ ch, tag: consumerTag });
    }

    const pub = await conn.createConfirmChannel();
    pub.on('return', (m) => {
      outcome.set(`${m.properties.messageId}@${UNROUTED}`, 'unrouted-dropped');
    });
    for (const p of publishes) {
      await new Promise<void>((resolve) => {
        pub.publish(
          t.exchange,
          p.key,
          Buffer.from(p.key),
          {
            messageId: String(p.id),
            persistent: true,
            mandatory: true,
          },
          (err) => {
            if (err) refused.add(p.id);
            resolve();
          },
        );
      });
    }
    lastActivity = Date.now();
    // Settle: nothing delivered for 500 ms, and at least settleMs since the last publish.
    const from = Date.now();
    while (
      Date.now() - from < 15_000 &&
      (Date.now() - from < (c.settleMs ?? 0) || Date.now() - lastActivity < 500)
    )
      await sleep(100);
    for (const { ch, tag } of consumers) {
      await ch.cancel(tag);
      await ch.close();
    }

    const reader = await conn.createChannel();
    const drain = async (queue: string, each: (m: amqp.GetMessage) => void) => {
      for (;;) {
        const m = await reader.get(queue, { noAck: true });
        if (!m) return;
        each(m);
      }
    };
    if (t.deadLetterQueue)
      await drain(t.deadLetterQueue, (m) => {
        const death = (
          m.properties.headers?.['x-death'] as { queue: string; reason: string }[]
        )?.[0];
        outcome.set(`${m.properties.messageId}@${death?.queue}`, `dead-lettered:${death?.reason}`);
      });
    if (t.unroutedQueue)
      await drain(t.unroutedQueue, (m) =>
        outcome.set(`${m.properties.messageId}@${UNROUTED}`, 'unrouted-kept'),
      );
    for (const queue of Object.values(t.queues))
      await drain(queue, (m) => {
        const key = `${m.properties.messageId}@${queue}`;
        if (!outcome.has(key)) outcome.set(key, 'waiting');
      });
    await reader.close();
    await pub.close();
  } finally {
    await conn.close().catch(() => {});
  }
  // A refused publish left no copy: every queue it would have reached says "refused".
  for (const id of refused) outcome.set(`${id}@refused`, 'refused');
  return { outcome, deliveries, maxUnacked, publishes };
}

interface Mismatch {
  case: string;
  message: string;
  engine: string;
  rabbitmq: string;
}

function compare(
  c: Case,
  engine: Outcomes,
  real: Outcomes,
): { compared: number; mismatches: Mismatch[] } {
  const mismatches: Mismatch[] = [];
  // Refusals: the broker nacks a publish, not a copy.
  const refusedIds = new Set(
    [...real.outcome].filter(([k]) => k.endsWith('@refused')).map(([k]) => k.split('@')[0]),
  );
  const realOutcome = (key: string) => {
    const found = real.outcome.get(key);
    if (found) return found;
    return refusedIds.has(key.split('@')[0] as string) ? 'refused' : 'nothing';
  };
  const keys = new Set([
    ...engine.outcome.keys(),
    ...[...real.outcome.keys()].filter((k) => !k.endsWith('@refused')),
  ]);
  let compared = 0;
  for (const key of [...keys].sort()) {
    compared++;
    const e = engine.outcome.get(key) ?? 'nothing';
    const r = realOutcome(key);
    if (e !== r) mismatches.push({ case: c.name, message: key, engine: e, rabbitmq: r });
    const de = engine.deliveries.get(key) ?? 0;
    const dr = real.deliveries.get(key) ?? 0;
    if (de !== dr)
      mismatches.push({
        case: c.name,
        message: `${key} deliveries`,
        engine: String(de),
        rabbitmq: String(dr),
      });
  }
  // Only where the real consumer holds each delivery as the engine's does (holdMs): one
  // that acks at once never has more than one unacknowledged, whatever its prefetch.
  for (const [queue, n] of c.holdMs ? engine.maxUnacked : []) {
    const r = real.maxUnacked.get(queue) ?? 0;
    if (n !== r)
      mismatches.push({
        case: c.name,
        message: `${queue} most unacknowledged at once`,
        engine: String(n),
        rabbitmq: String(r),
      });
  }
  return { compared, mismatches };
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
  // --only NAME: just the cases whose name starts with NAME, and no built-in imports.
  const cases = [...CASES, ...randomCases()].filter((c) => !only || c.name.startsWith(only));
  if (process.argv.includes('--list')) {
    // The differential set, without starting a broker.
    for (const c of cases) log(`${c.name.padEnd(25)} ${c.covers}`);
    return 0;
  }
  log('verify:rabbitmq: starting rabbitmq-server on loopback...');
  const b = await startBroker();
  const version = (await ctl(b, 'version')).trim();
  log(
    `RabbitMQ ${version} (node ${b.node}, port ${b.port}); the queue flavour imitates RabbitMQ 4.2.`,
  );
  if (!version.startsWith('4.'))
    log(
      '  pinned for this older broker: x-delivery-limit is always set (no default before 4.0); ' +
        'consumers set their prefetch; the definitions name their vhost (3.10 does not import vhost-less files).',
    );

  let loaded = 0;
  for (const s of only ? [] : builtInScenarios) {
    await load(b, definitions(s), `${s.id}.json`);
    loaded++;
  }
  if (only) log(`built-in exports: skipped (--only ${only})`);
  else
    log(
      `built-in exports loaded: ${loaded}/${builtInScenarios.length} (every queue declared; ${((Date.now() - started) / 1000).toFixed(1)} s so far)`,
    );

  let messages = 0;
  const all: Mismatch[] = [];
  for (const c of cases) {
    const d = definitions(c.scenario);
    await load(b, d, `${c.scenario.id}.json`);
    const engine = engineOutcomes(c, d);
    const real = await brokerOutcomes(b, c, d, engine.publishes);
    const { compared, mismatches } = compare(c, engine, real);
    messages += compared;
    all.push(...mismatches);
    log(
      `  ${mismatches.length === 0 ? 'ok  ' : 'FAIL'} ${c.name.padEnd(25)} ${String(compared).padStart(3)} copies  ${c.covers}`,
    );
  }
  for (const m of all)
    log(`  mismatch: ${m.case}: ${m.message}: engine ${m.engine}, RabbitMQ ${m.rabbitmq}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(
    `verify:rabbitmq: ${cases.length} cases (${cases.filter((c) => c.name.startsWith('random-')).length} random, seed ${RANDOM_SEED}), ${messages} messages compared, ${all.length} mismatches (RabbitMQ ${version}, ${seconds} s)`,
  );
  return all.length === 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    stopBroker(active);
    process.exit(130);
  });
process.on('exit', () => stopBroker(active));

main()
  .then((code) => {
    stopBroker(active);
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    log(`verify:rabbitmq: ${error instanceof Error ? error.message : String(error)}`);
    // Keep the folder for a failed start: its logs say why.
    stopBroker(active, true);
    process.exitCode = 2;
  });
