/**
 * What every example producer/consumer shares, whatever the broker: the header comment
 * (which scenario and Fanout version produced it, what it leaves out), the in-memory
 * stand-in for the service's database with its idempotency table, the backoff, and the
 * producer's publish modes (after-commit, before-commit, outbox with a relay loop).
 *
 * The examples are text: TypeScript for Node that a learner reads and runs. Every value
 * taken from the scenario goes in as a JSON literal (a valid TypeScript literal), and
 * every comment is a `//` line with its line breaks removed, so no scenario text can end
 * a comment or a string early.
 */
import packageJson from '../../../../package.json';
import { SCENARIO_VERSION, type Scenario } from '../../../core/scenario';

export type Service = Scenario['services'][number];

/** One file of an export: its name in the output folder and its text. */
export interface ExportFile {
  name: string;
  text: string;
}

/** A value as a TypeScript literal. */
export const lit = (value: unknown): string => JSON.stringify(value);

/** A `//` comment line: no line break in the text can end it early. */
export const line = (text: string): string =>
  `// ${text.replace(/[\r\n\u2028\u2029]+/g, ' ')}`.trimEnd();

/** The file name of a service's example: its id is already a safe identifier. */
export const exampleName = (svc: Service): string => `${svc.id}.ts`;

/** The services that get an example: those that publish or subscribe. */
export const exampleServices = (s: Scenario): Service[] =>
  s.services.filter((svc) => svc.emits.length > 0 || svc.subscribes.length > 0);

/** One example file per service that takes orders, emits or consumes, written by `file`. */
export function examplesPerService(s: Scenario, file: (svc: Service) => string): ExportFile[] {
  return exampleServices(s).map((svc) => ({ name: exampleName(svc), text: file(svc) }));
}

/** How an idempotent consumer recognises a repeat, or undefined when it does not. */
export function idempotencyOf(svc: Service): NonNullable<Service['idempotency']> | undefined {
  if (svc.idempotency) return svc.idempotency;
  return svc.idempotent
    ? { key: 'message-id', record: 'same-transaction', window: 10_000 }
    : undefined;
}

export interface HeaderParts {
  flavour: string;
  run: string;
  does: string[];
  leavesOut: string[];
  cannotExpress: string[];
}

export function header(s: Scenario, svc: Service, parts: HeaderParts): string[] {
  return [
    line(`${svc.name} (${svc.id}): a ${parts.flavour} example for Node.`),
    line(
      `Produced by Fanout ${packageJson.version} from scenario "${s.id}" (${s.name}), scenario format ${SCENARIO_VERSION}.`,
    ),
    line(
      'A starting point to read and adapt, not production code. It type-checks with strict TypeScript.',
    ),
    line(`Run: ${parts.run}`),
    '//',
    line('What it does, as the playground runs this service:'),
    ...parts.does.map((d) => line(`- ${d}`)),
    '//',
    line('What it leaves out:'),
    ...parts.leavesOut.map((d) => line(`- ${d}`)),
    '//',
    line(`What the broker configuration cannot express (see the main file too):`),
    ...parts.cannotExpress.map((d) => line(`- ${d}`)),
  ];
}

/** What every example leaves out, whatever the broker. */
export function commonLeavesOut(s: Scenario, svc: Service): string[] {
  const out = [
    'the workload, latency, faults and replicas of the scenario: run as many copies as it has replicas',
    'reconnecting after a lost connection, graceful shutdown, logging and metrics',
    'a real database: the Store class below keeps everything in memory',
  ];
  if (svc.decline_rate !== undefined)
    out.push('business refusals (decline_rate): your work() decides when an order is declined');
  if (s.faults.length > 0) out.push('the scenario faults: break the service yourself to see them');
  return out;
}

/**
 * The in-memory store: the service's own data, its idempotency keys and its outbox, with
 * all-or-nothing transactions. The comment says what a real store would be.
 */
export function storeCode(window: number): string[] {
  return [
    '// ---- The service database, in memory ------------------------------------------',
    "// A stand-in so the example runs alone. A real store is the service's own database",
    '// (PostgreSQL, MySQL, ...): transaction() is BEGIN ... COMMIT, the idempotency keys are',
    '// a table with a unique index on the key, and the outbox is a table too. What makes a',
    '// consumer idempotent is that the key is written in the SAME transaction as the effect:',
    '// either both are saved or neither is, so a redelivery finds the key or redoes the work.',
    'interface Tx {',
    '  /** True when this key was processed already: the message is a repeat. */',
    '  seen(key: string): boolean;',
    '  remember(key: string): void;',
    '  insert(table: string, row: unknown): void;',
    '}',
    '',
    'interface OutboxRow {',
    '  id: string;',
    '  event: OrderEvent;',
    '}',
    '',
    'class Store {',
    '  // Insertion order is age order: the oldest key is forgotten first.',
    '  private readonly keys = new Set<string>();',
    '  private readonly tables = new Map<string, unknown[]>();',
    '  private readonly outbox: OutboxRow[] = [];',
    '',
    '  constructor(private readonly window: number) {}',
    '',
    '  async transaction<T>(work: (tx: Tx) => Promise<T> | T): Promise<T> {',
    '    const keys: string[] = [];',
    '    const rows: [string, unknown][] = [];',
    '    const result = await work({',
    '      seen: (key) => this.keys.has(key) || keys.includes(key),',
    '      remember: (key) => keys.push(key),',
    '      insert: (table, row) => rows.push([table, row]),',
    '    });',
    '    // COMMIT: nothing above was saved if work() threw.',
    '    for (const key of keys) this.remember(key);',
    '    for (const [table, row] of rows) {',
    '      if (table === "outbox") this.outbox.push(row as OutboxRow);',
    '      else this.tables.set(table, [...(this.tables.get(table) ?? []), row]);',
    '    }',
    '    return result;',
    '  }',
    '',
    '  seen(key: string): boolean {',
    '    return this.keys.has(key);',
    '  }',
    '',
    '  /** Remembers a key; beyond the window the oldest is forgotten (its repeat would go through). */',
    '  remember(key: string): void {',
    '    this.keys.add(key);',
    '    if (this.keys.size > this.window) {',
    '      const oldest = this.keys.values().next().value;',
    '      if (oldest !== undefined) this.keys.delete(oldest);',
    '    }',
    '  }',
    '',
    '  /** Outbox rows not yet published, oldest first. */',
    '  unpublished(): OutboxRow[] {',
    '    return [...this.outbox];',
    '  }',
    '',
    '  markPublished(id: string): void {',
    '    const i = this.outbox.findIndex((row) => row.id === id);',
    '    if (i >= 0) this.outbox.splice(i, 1);',
    '  }',
    '}',
    '',
    `const store = new Store(${lit(window)});`,
  ];
}

/** The event every example sends: JSON, the same shape on every broker. */
export function eventCode(): string[] {
  return [
    '/** One event, as JSON on the wire. */',
    'interface OrderEvent {',
    '  /** The message id: the same on every redelivery and every republish of this event. */',
    '  event_id: string;',
    '  type: string;',
    '  order_id: string;',
    '  /** The customer: the partition key, FIFO message group or routing context. */',
    '  key: string;',
    '  at: string;',
    '}',
    '',
    'function newEvent(type: string, orderId: string, key: string, cause?: OrderEvent): OrderEvent {',
    '  // An event caused by another gets an id derived from it: a repeat of the cause',
    '  // publishes it again under the same id, which consumers downstream deduplicate.',
    '  const eventId = cause ? cause.event_id + "/" + type : randomUUID();',
    '  return { event_id: eventId, type, order_id: orderId, key, at: new Date().toISOString() };',
    '}',
    '',
    'const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));',
  ];
}

/** `backoffMs(attempt)`: the wait after a failed attempt (1-based), as the engine's retry.ts. */
export function backoffCode(delivery: Scenario['delivery']): string[] {
  const ceiling =
    delivery.backoff === 'fixed'
      ? `${lit(delivery.base_ms)}`
      : `Math.min(${lit(delivery.cap_ms)}, ${lit(delivery.base_ms)} * 2 ** (attempt - 1))`;
  return [
    `const MAX_ATTEMPTS = ${lit(delivery.max_attempts)};`,
    '',
    `/** The wait after failed attempt n: ${delivery.backoff} backoff${delivery.jitter === 'full' ? ', with full jitter (random between 0 and the ceiling)' : ''}. */`,
    'function backoffMs(attempt: number): number {',
    `  const ceiling = ${ceiling};`,
    delivery.jitter === 'full' ? '  return Math.random() * ceiling;' : '  return ceiling;',
    '}',
  ];
}

/** What a consumer does with each delivery, idempotency included, as text of `handle()`. */
export function consumerDoes(svc: Service): string[] {
  const idem = idempotencyOf(svc);
  const does = ['acknowledges a message only after its work is done (at-least-once)'];
  if (!idem)
    does.push('is NOT idempotent, as in the scenario: a redelivered message repeats its effect');
  else
    does.push(
      `is idempotent by ${idem.key === 'message-id' ? 'message id (a republish with a new id is not caught)' : 'business key: order id + event type (a republish with a new id is caught)'}, ` +
        (idem.record === 'same-transaction'
          ? 'saved in the same transaction as the effect'
          : 'saved AFTER the effect, at the ack, as the scenario says: a crash between the two repeats the effect'),
    );
  return does;
}

/**
 * `handle(event, messageId)`: the consumer's work with its idempotency, then `publishes`
 * (the events it emits, confirmed) before the caller acknowledges. Returns the key to
 * remember after the ack (idempotency recorded after the effect), if any.
 */
export function handleCode(svc: Service): string[] {
  const idem = idempotencyOf(svc);
  const keyExpr = idem?.key === 'business-key' ? 'event.order_id + ":" + event.type' : 'messageId';
  const emits = svc.emits.map(
    (type) => `    await publishEvent(newEvent(${lit(type)}, event.order_id, event.key, event));`,
  );
  const publishAll =
    emits.length > 0
      ? [
          '  // Then the events this service emits, confirmed, before the ack.',
          ...emits.map((e) => e.slice(2)),
        ]
      : [];
  const work = [
    '/** The service work: replace the insert with the real effect (charge, email, ...). */',
    'async function work(tx: Tx, event: OrderEvent): Promise<void> {',
    `  tx.insert("effects", { order_id: event.order_id, type: event.type, by: ${lit(svc.id)} });`,
    '}',
    '',
  ];
  if (!idem)
    return [
      ...work,
      '/** Does the work for one delivery. Not idempotent: a redelivery does it again. */',
      'async function handle(event: OrderEvent, messageId: string): Promise<string | undefined> {',
      '  void messageId;',
      '  await store.transaction((tx) => work(tx, event));',
      ...publishAll,
      '  return undefined;',
      '}',
    ];
  if (idem.record === 'same-transaction')
    return [
      ...work,
      '/** Does the work for one delivery once: the key is saved with the effect. */',
      'async function handle(event: OrderEvent, messageId: string): Promise<string | undefined> {',
      `  const key = ${keyExpr};`,
      '  await store.transaction(async (tx) => {',
      '    if (tx.seen(key)) return; // a repeat: no second effect, but still acknowledged',
      '    await work(tx, event);',
      '    tx.remember(key);',
      '  });',
      ...(publishAll.length > 0
        ? [
            '  // A repeat publishes again too (same event ids): the first try may have died before',
            '  // its publishes were confirmed.',
            ...publishAll,
          ]
        : []),
      '  return undefined;',
      '}',
    ];
  return [
    ...work,
    '/**',
    ' * Does the work for one delivery; the key is saved only after the ack (the scenario',
    ' * record: after-effect). A crash between the effect and the ack repeats the effect:',
    ' * move tx.remember(key) into the transaction to close that gap.',
    ' */',
    'async function handle(event: OrderEvent, messageId: string): Promise<string | undefined> {',
    `  const key = ${keyExpr};`,
    '  if (store.seen(key)) return undefined; // a repeat',
    '  await store.transaction((tx) => work(tx, event));',
    ...publishAll,
    '  return key; // remembered by the caller once acknowledged',
    '}',
  ];
}

/**
 * The producer side of a service that takes orders (the entry service): its work and its
 * publishes in the scenario's `publish` mode. Needs `publishEvent(event)` that resolves
 * once the broker confirmed the event.
 */
export function producerCode(s: Scenario, svc: Service): { code: string[]; does: string[] } {
  const mode = svc.publish ?? 'after-commit';
  const events = `[${svc.emits.map((t) => `newEvent(${lit(t)}, orderId, key)`).join(', ')}]`;
  const retryPublish = svc.publish_failure === 'retry';
  const publish = retryPublish ? 'publishWithRetry' : 'publishEvent';
  const code: string[] = [];
  const does: string[] = [];
  if (retryPublish) {
    does.push(
      'when the broker refuses a publish, publishes again after the backoff while the request waits (publish_failure: retry)',
    );
    code.push(
      '/** publish_failure "retry": the request waits while the publish is tried again after a backoff. */',
      'async function publishWithRetry(event: OrderEvent): Promise<void> {',
      '  for (let attempt = 1; ; attempt++) {',
      '    try {',
      '      return await publishEvent(event);',
      '    } catch (error) {',
      '      if (attempt >= MAX_ATTEMPTS) throw error;',
      '      await sleep(backoffMs(attempt));',
      '    }',
      '  }',
      '}',
      '',
    );
  }
  if (mode === 'outbox') {
    const poll = svc.outbox_poll_ms ?? 100;
    does.push(
      `publishes through a transactional outbox: the events are saved with the order, and a relay polls every ${poll} ms and publishes them at least once (a relay that dies after the confirm and before marking the row publishes it again)`,
    );
    code.push(
      '/** Takes one order: the order and its events are saved in one transaction (the outbox). */',
      'async function placeOrder(orderId: string, key: string): Promise<void> {',
      '  await store.transaction((tx) => {',
      `    tx.insert("orders", { order_id: orderId, key, by: ${lit(svc.id)} });`,
      `    for (const event of ${events}) tx.insert("outbox", { id: event.event_id, event });`,
      '  });',
      '}',
      '',
      `const OUTBOX_POLL_MS = ${lit(poll)};`,
      '',
      '/** The relay: publishes every outbox row, waits for the confirm, then marks it published. */',
      'async function relay(): Promise<void> {',
      '  for (;;) {',
      '    for (const row of store.unpublished()) {',
      '      try {',
      '        await publishEvent(row.event);',
      '        store.markPublished(row.id);',
      '      } catch {',
      '        break; // the broker is away: the row stays, and the next poll tries again',
      '      }',
      '    }',
      '    await sleep(OUTBOX_POLL_MS);',
      '  }',
      '}',
    );
  } else if (mode === 'after-commit') {
    does.push(
      'saves the order, then publishes its events with publisher confirms (after-commit: a crash between the two loses the events: the dual write; publish "outbox" closes it)',
    );
    code.push(
      '/** Takes one order: save, then publish (after-commit). */',
      'async function placeOrder(orderId: string, key: string): Promise<void> {',
      `  await store.transaction((tx) => tx.insert("orders", { order_id: orderId, key, by: ${lit(svc.id)} }));`,
      `  for (const event of ${events}) await ${publish}(event);`,
      '}',
    );
  } else {
    does.push(
      'publishes its events with publisher confirms, then saves the order (before-commit: a failed save leaves events about an order that does not exist)',
    );
    code.push(
      '/** Takes one order: publish, then save (before-commit). */',
      'async function placeOrder(orderId: string, key: string): Promise<void> {',
      `  for (const event of ${events}) await ${publish}(event);`,
      `  await store.transaction((tx) => tx.insert("orders", { order_id: orderId, key, by: ${lit(svc.id)} }));`,
      '}',
    );
  }
  const rate = s.workload.rate_per_s > 0 ? s.workload.rate_per_s : 1;
  const keys = s.workload.keys;
  code.push(
    '',
    `/** A few orders at the scenario rate (${rate} per second), over ${keys} customer keys. */`,
    'async function sendOrders(count: number): Promise<void> {',
    '  for (let i = 1; i <= count; i++) {',
    `    const key = "customer-" + (i % ${lit(keys)});`,
    '    await placeOrder(randomUUID(), key);',
    `    await sleep(${lit(Math.round(1000 / rate))});`,
    '  }',
    '}',
  );
  return { code, does };
}

/** The shared top of every example, after the imports. */
export function sharedCode(s: Scenario, svc: Service): string[] {
  return [
    ...eventCode(),
    '',
    ...backoffCode(s.delivery),
    '',
    ...storeCode(idempotencyOf(svc)?.window ?? 10_000),
  ];
}

/** `failedForGood(event)`: what the consumer publishes when a copy fails for good (a saga's failure event). */
export function failureCode(svc: Service): string[] {
  const emits = svc.on_failure_emits ?? [];
  return [
    '/** A copy failed for good (its last attempt): publish the failure events, if any, before giving it up. */',
    'async function failedForGood(event: OrderEvent): Promise<void> {',
    ...(emits.length === 0
      ? ['  void event; // this service publishes nothing on failure']
      : emits.map(
          (type) =>
            `  await publishEvent(newEvent(${lit(type)}, event.order_id, event.key, event));`,
        )),
    '}',
  ];
}

/** Whether this service takes orders (the producer side) rather than only reacting to events. */
export const takesOrders = (s: Scenario, svc: Service): boolean =>
  svc.emits.length > 0 && (svc.id === s.entry || svc.subscribes.length === 0);
