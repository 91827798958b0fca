/**
 * AsyncAPI 3.0 / 3.1 documents -> one Fanout scenario.
 *
 * - Each **channel** is one event type (Fanout's brokers carry one kind of event per topic
 *   or routing key). Its name is the Kafka binding's `topic`, else the channel's
 *   `address`, else its only message's `name`, else its key, the first that is a name
 *   Fanout accepts; otherwise one is made from the address (`user/signedup` ->
 *   `UserSignedup`) and a note says so. Channels with the same name, in one document or
 *   several, are the same topic. An address with `*` or `#` is a topic-exchange pattern:
 *   it can be received, not sent.
 * - Each **application** is a service: its `send` operations are its `emits`, its
 *   `receive` operations its `subscribes`, in document order. A document describes one
 *   application (named by `info.title`, or `x-fanout.service`); an operation with
 *   `x-fanout: { service: id }` belongs to that service instead, so one document can
 *   describe a whole system. Several documents (one per service) become one topology.
 * - The **entry** (the service users call) is the application that sends but receives
 *   nothing, unless `x-fanout.scenario.entry` names one.
 * - The **broker** flavour and settings come from the servers' protocols and the Kafka,
 *   AMQP, SNS and SQS bindings.
 * - What AsyncAPI cannot say (latency, workers, the workload, failures, retries) comes
 *   from `x-fanout` when the document has it (Fanout's exports do: a round trip loses
 *   nothing), else from defaults, each listed in `notes` for the learner to see.
 *
 * All or nothing: every problem is listed with its file, JSON pointer and line, and no
 * scenario is returned until the documents are valid and the scenario builds. Nothing is
 * fetched: a `$ref` to another file or address is a problem, never a download.
 */
import { checkScenarioBuilds } from '../../core/runnable';
import { parseScenario, type Scenario, type ScenarioProblem } from '../../core/scenario';
import type { AsyncApiProblem } from './problems';
import {
  pointerOf,
  pointerSegments,
  type ReadDocument,
  readDocuments,
  type SourceText,
} from './read';
import {
  BINDING_PATTERN,
  EVENT_NAME,
  eventNameFrom,
  idFrom,
  isPattern,
  listOf,
  nameFrom,
  READABLE_VERSIONS,
  X_FANOUT,
  X_FANOUT_VERSION,
} from './names';

export interface AsyncApiImport {
  scenario: Scenario;
  /** Defaults used for what the documents do not say, and parts read in Fanout's own way: one line each. */
  notes: string[];
  /** Runnable, but worth a second look (an event circulating forever), with its place. */
  warnings: string[];
  /** Documents read (a YAML stream counts each of its documents). */
  documents: number;
}

export type AsyncApiImportResult =
  | { ok: true; value: AsyncApiImport }
  | { ok: false; problems: AsyncApiProblem[] };

/** Defaults for what AsyncAPI cannot say. */
export const IMPORT_DEFAULTS = {
  seed: 42,
  durationMs: 60_000,
  ratePerS: 10,
  entryLatency: { dist: 'lognormal', median_ms: 20, sigma: 0.3 },
  latency: { dist: 'lognormal', median_ms: 50, sigma: 0.4 },
} as const;

type Obj = Record<string, unknown>;
/** SQS queue binding fields given in seconds: binding key, broker setting (ms), what it is. */
const SQS_SECONDS = [
  ['visibilityTimeout', 'visibility_timeout_ms', 'The visibility timeout'],
  ['deliveryDelay', 'delay_ms', 'The delivery delay'],
  ['messageRetentionPeriod', 'message_retention_ms', 'The message retention period'],
] as const;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
const shown = (v: unknown) => {
  const text = typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v));
  return text.length > 50 ? `${text.slice(0, 50)}…"` : text;
};

interface Place {
  doc: ReadDocument;
  pointer: string;
}
const at = (place: Place, ...more: (string | number)[]): Place => ({
  doc: place.doc,
  pointer: place.pointer + pointerOf(more),
});

interface Channel {
  key: string;
  place: Place;
  event: string;
  pattern: boolean;
  bindings: Obj;
  bindingsPlace: Place;
}

interface Operation {
  key: string;
  place: Place;
  action: 'send' | 'receive';
  channel: Channel;
  bindings: Obj;
  bindingsPlace: Place;
  /** `x-fanout.service` on the operation, else the document's application. */
  service: string;
  servicePlace: Place;
}

interface App {
  id: string;
  /** Where the application is declared: its document, or its x-fanout entry. */
  place: Place;
  title?: { value: string; place: Place };
  settings?: { value: Obj; place: Place };
  sends: Operation[];
  receives: Operation[];
}

/** Where each part of the built scenario came from, to put its problems back in the documents. */
class SourceMap {
  private readonly entries = new Map<string, { place: Place; mirror: boolean }>();
  constructor(private readonly fallback: Place) {}
  /** `mirror`: the place holds the same structure, so a deeper path continues inside it. */
  set(path: readonly (string | number)[], place: Place, mirror = false): void {
    this.entries.set(formatSegments(path), { place, mirror });
  }
  /** The place of a scenario path; `exact` when it is the very value, not a part or a parent of it. */
  placeOf(path: string): { place: Place; exact: boolean } {
    const segments = parseSegments(path);
    for (let n = segments.length; n >= 0; n--) {
      const hit = this.entries.get(formatSegments(segments.slice(0, n)));
      if (!hit) continue;
      if (hit.mirror) return { place: at(hit.place, ...segments.slice(n)), exact: true };
      return { place: hit.place, exact: n === segments.length };
    }
    return { place: this.fallback, exact: false };
  }
}

/** `['services', 2, 'latency_ms']` -> `services[2].latency_ms` (the scenario's problem paths). */
function formatSegments(path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out;
}
function parseSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/** Collects problems and notes while reading. */
class Reading {
  readonly problems: AsyncApiProblem[] = [];
  readonly notes: string[] = [];
  problem(place: Place, message: string): void {
    this.problems.push({
      file: place.doc.label,
      pointer: place.pointer,
      line: place.doc.lineOf(place.pointer),
      message,
    });
  }
  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }
}

function valueAtPointer(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(cur) && /^\d+$/.test(segment)) cur = cur[Number(segment)];
    else if (isObj(cur) && Object.hasOwn(cur, segment)) cur = cur[segment];
    else return undefined;
  }
  return cur;
}

/**
 * Follow `$ref`s inside the document. A reference to anything outside it (another
 * file, an address) is a problem: Fanout never fetches.
 */
function deref(
  r: Reading,
  place: Place,
  value: unknown,
): { value: unknown; place: Place } | undefined {
  let cur = value;
  let where = place;
  const seen = new Set<string>();
  while (isObj(cur) && typeof cur.$ref === 'string') {
    const ref = cur.$ref;
    const refPlace = at(where, '$ref');
    if (!ref.startsWith('#')) {
      r.problem(
        refPlace,
        `refers to ${shown(ref)}, outside this document: Fanout reads no other file and never goes online; copy the definition into this document (under components) and refer to it with "#/components/…"`,
      );
      return undefined;
    }
    let target: string;
    try {
      target = decodeURIComponent(ref.slice(1));
    } catch {
      r.problem(refPlace, `is not a valid JSON pointer: ${shown(ref)}`);
      return undefined;
    }
    if (target !== '' && !target.startsWith('/')) {
      r.problem(
        refPlace,
        `must be a JSON pointer such as "#/components/messages/OrderCreated", not ${shown(ref)}`,
      );
      return undefined;
    }
    if (seen.has(target)) {
      r.problem(refPlace, `is a loop of references (${shown(ref)} leads back to itself)`);
      return undefined;
    }
    seen.add(target);
    const found = valueAtPointer(where.doc.value, target);
    if (found === undefined) {
      r.problem(refPlace, `points at ${shown(ref)}, which is not in this document`);
      return undefined;
    }
    cur = found;
    where = { doc: where.doc, pointer: target };
  }
  return { value: cur, place: where };
}

/** An object at a place (following references), or undefined with a problem when it is something else. */
function objectAt(
  r: Reading,
  place: Place,
  value: unknown,
  what: string,
): { value: Obj; place: Place } | undefined {
  const found = deref(r, place, value);
  if (!found) return undefined;
  if (!isObj(found.value)) {
    r.problem(found.place, `must be ${what}, not ${describe(found.value)}`);
    return undefined;
  }
  return { value: found.value, place: found.place };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text ${shown(v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

// ---------------------------------------------------------------------------------
// x-fanout

const XF_KEYS = ['version', 'service', 'scenario', 'services', 'service_order'] as const;
const XF_OP_KEYS = ['service'] as const;
/** Scenario keys the documents themselves say: x-fanout.scenario must not repeat them. */
const FROM_DOCUMENT: Record<string, string> = {
  version: 'is the scenario format version, which Fanout sets itself',
  services:
    'come from the applications: x-fanout.services for their settings, operations for what they send and receive',
};
const FROM_OPERATIONS: Record<string, string> = {
  id: 'is the key of this entry in x-fanout.services',
  emits: 'come from the send operations of this service',
  subscribes: 'come from the receive operations of this service',
};

interface XFanout {
  service?: { value: string; place: Place };
  scenario?: { value: Obj; place: Place };
  services: { id: string; value: Obj; place: Place }[];
  order?: { value: string[]; place: Place };
}

function readXFanout(r: Reading, root: Place, raw: unknown): XFanout {
  const out: XFanout = { services: [] };
  if (raw === undefined) return out;
  const place = at(root, X_FANOUT);
  if (!isObj(raw)) {
    r.problem(place, `must be an object of Fanout settings, not ${describe(raw)}`);
    return out;
  }
  for (const key of Object.keys(raw)) {
    if (!(XF_KEYS as readonly string[]).includes(key))
      r.problem(
        at(place, key),
        `unknown key (x-fanout takes ${listOf(XF_KEYS.map((k) => `"${k}"`))})`,
      );
  }
  const version = own(raw, 'version');
  if (version !== undefined && version !== X_FANOUT_VERSION) {
    r.problem(
      at(place, 'version'),
      typeof version === 'number' && version > X_FANOUT_VERSION
        ? `is ${version}: this document was written by a newer Fanout (this one reads x-fanout version ${X_FANOUT_VERSION}); update Fanout to open it`
        : `must be ${X_FANOUT_VERSION}`,
    );
  }
  const service = own(raw, 'service');
  if (service !== undefined) {
    if (typeof service === 'string') out.service = { value: service, place: at(place, 'service') };
    else
      r.problem(
        at(place, 'service'),
        `must be a service id such as "billing", not ${describe(service)}`,
      );
  }
  const scenario = own(raw, 'scenario');
  if (scenario !== undefined) {
    if (!isObj(scenario))
      r.problem(at(place, 'scenario'), `must be an object, not ${describe(scenario)}`);
    else {
      for (const key of Object.keys(scenario)) {
        const why = Object.hasOwn(FROM_DOCUMENT, key) ? FROM_DOCUMENT[key] : undefined;
        if (why) r.problem(at(place, 'scenario', key), `is not set here: ${key} ${why}`);
      }
      out.scenario = { value: scenario, place: at(place, 'scenario') };
    }
  }
  const services = own(raw, 'services');
  if (services !== undefined) {
    if (!isObj(services))
      r.problem(
        at(place, 'services'),
        `must be an object of service settings by id, not ${describe(services)}`,
      );
    else {
      for (const [id, value] of Object.entries(services)) {
        const sp = at(place, 'services', id);
        if (!isObj(value)) {
          r.problem(sp, `must be an object of service settings, not ${describe(value)}`);
          continue;
        }
        for (const key of Object.keys(value)) {
          const why = Object.hasOwn(FROM_OPERATIONS, key) ? FROM_OPERATIONS[key] : undefined;
          if (why) r.problem(at(sp, key), `is not set here: ${key} ${why}`);
        }
        out.services.push({ id, value, place: sp });
      }
    }
  }
  const order = own(raw, 'service_order');
  if (order !== undefined) {
    if (Array.isArray(order) && order.every((x) => typeof x === 'string'))
      out.order = { value: order as string[], place: at(place, 'service_order') };
    else r.problem(at(place, 'service_order'), 'must be a list of service ids');
  }
  return out;
}

// ---------------------------------------------------------------------------------
// One document

interface DocumentRead {
  doc: ReadDocument;
  title?: { value: string; place: Place };
  description?: string;
  xf: XFanout;
  protocols: { protocol: string; place: Place }[];
  operations: Operation[];
  /** The document's own application, when it has one. */
  app?: string;
}

/** Everything read so far, across documents. */
class World {
  readonly docs: DocumentRead[] = [];
  readonly apps = new Map<string, App>();
  /** Ids made from titles, to tell two documents with the same title apart. */
  readonly derived = new Set<string>();
  app(id: string, place: Place): App {
    let app = this.apps.get(id);
    if (!app) {
      app = { id, place, sends: [], receives: [] };
      this.apps.set(id, app);
    }
    return app;
  }
}

function readDocument(r: Reading, doc: ReadDocument, world: World): void {
  const root: Place = { doc, pointer: '' };
  const value = doc.value;
  if (!isObj(value)) {
    r.problem(
      root,
      `is not an AsyncAPI document (expected an object with asyncapi, info, channels and operations), but ${describe(value)}`,
    );
    return;
  }
  const version = own(value, 'asyncapi');
  if (version === undefined) {
    r.problem(root, 'has no "asyncapi" key: it is not an AsyncAPI document');
    return;
  }
  if (typeof version !== 'string' || !READABLE_VERSIONS.test(version)) {
    r.problem(
      at(root, 'asyncapi'),
      typeof version === 'string' && /^[12]\./.test(version)
        ? `is ${version}: Fanout reads AsyncAPI 3.0 and 3.1 (the AsyncAPI CLI converts older documents: asyncapi convert)`
        : `is ${shown(version)}: Fanout reads AsyncAPI 3.0 and 3.1 documents`,
    );
    return;
  }
  const read: DocumentRead = {
    doc,
    xf: readXFanout(r, root, own(value, X_FANOUT)),
    protocols: [],
    operations: [],
  };
  world.docs.push(read);

  const info = own(value, 'info');
  if (!isObj(info))
    r.problem(
      at(root, 'info'),
      info === undefined
        ? 'is required (with a title)'
        : `must be an object, not ${describe(info)}`,
    );
  else {
    const title = own(info, 'title');
    if (typeof title === 'string' && title.trim() !== '')
      read.title = { value: title.trim(), place: at(root, 'info', 'title') };
    else
      r.problem(
        at(root, 'info', 'title'),
        title === undefined ? 'is required' : 'must be a non-empty text',
      );
    const description = own(info, 'description');
    if (typeof description === 'string') read.description = description;
  }

  const servers = own(value, 'servers');
  if (servers !== undefined) {
    const found = objectAt(r, at(root, 'servers'), servers, 'an object of servers');
    for (const [key, raw] of Object.entries(found?.value ?? {})) {
      const server = objectAt(r, at(root, 'servers', key), raw, 'a server object');
      const protocol = server ? own(server.value, 'protocol') : undefined;
      if (server && typeof protocol === 'string')
        read.protocols.push({
          protocol: protocol.toLowerCase(),
          place: at(server.place, 'protocol'),
        });
    }
  }

  // Channels by where they are defined, so two references to one channel are one channel.
  const channels = new Map<string, Channel | null>();
  const channelAt = (raw: unknown, place: Place): Channel | undefined => {
    const found = deref(r, place, raw);
    if (!found) return undefined;
    const known = channels.get(found.place.pointer);
    if (known !== undefined) return known ?? undefined;
    const channel = readChannel(r, found.place, found.value);
    channels.set(found.place.pointer, channel ?? null);
    return channel;
  };
  const rawChannels = own(value, 'channels');
  if (rawChannels !== undefined) {
    if (!isObj(rawChannels))
      r.problem(
        at(root, 'channels'),
        `must be an object of channels, not ${describe(rawChannels)}`,
      );
    else
      for (const [key, raw] of Object.entries(rawChannels))
        channelAt(raw, at(root, 'channels', key));
  }

  const rawOps = own(value, 'operations');
  const ops: { key: string; place: Place; op: Obj; service?: { value: string; place: Place } }[] =
    [];
  if (rawOps !== undefined) {
    if (!isObj(rawOps))
      r.problem(at(root, 'operations'), `must be an object of operations, not ${describe(rawOps)}`);
    else {
      for (const [key, raw] of Object.entries(rawOps)) {
        const op = objectAt(r, at(root, 'operations', key), raw, 'an operation object');
        if (!op) continue;
        const opXf = own(op.value, X_FANOUT);
        let service: { value: string; place: Place } | undefined;
        if (opXf !== undefined) {
          const xp = at(op.place, X_FANOUT);
          if (!isObj(opXf))
            r.problem(
              xp,
              `must be an object such as { service: "billing" }, not ${describe(opXf)}`,
            );
          else {
            for (const k of Object.keys(opXf))
              if (!(XF_OP_KEYS as readonly string[]).includes(k))
                r.problem(at(xp, k), 'unknown key (an operation\'s x-fanout takes "service")');
            const s = own(opXf, 'service');
            if (typeof s === 'string') service = { value: s, place: at(xp, 'service') };
            else if (s !== undefined)
              r.problem(
                at(xp, 'service'),
                `must be a service id such as "billing", not ${describe(s)}`,
              );
          }
        }
        ops.push({ key, place: op.place, op: op.value, service });
      }
    }
  }

  // The document's own application: named by x-fanout.service, else by its title.
  for (const s of read.xf.services) {
    const app = world.app(s.id, s.place);
    if (app.settings)
      r.note(
        `Settings of service "${s.id}" are given in more than one document; the first are used.`,
      );
    else app.settings = { value: s.value, place: s.place };
  }
  const needsOwnApp =
    read.xf.service !== undefined ||
    ops.some((o) => !o.service) ||
    (ops.length === 0 && read.xf.services.length === 0);
  if (needsOwnApp) {
    let id = read.xf.service?.value;
    if (id === undefined) {
      const base = idFrom(read.title?.value ?? '', 'service');
      id = base;
      for (let n = 2; world.derived.has(id); n++) id = `${base}-${n}`;
      if (id !== base)
        r.note(`Two documents are titled alike; the service of ${doc.label} is "${id}".`);
      world.derived.add(id);
    }
    const app = world.app(id, read.xf.service?.place ?? at(root, 'info'));
    if (read.title && !app.title) app.title = read.title;
    read.app = id;
  }

  for (const o of ops) {
    const action = own(o.op, 'action');
    if (action !== 'send' && action !== 'receive') {
      r.problem(
        at(o.place, 'action'),
        action === undefined
          ? 'is required: "send" or "receive"'
          : `must be "send" or "receive", not ${shown(action)}${action === 'publish' || action === 'subscribe' ? ' (publish and subscribe are AsyncAPI 2 words)' : ''}`,
      );
      continue;
    }
    const rawChannel = own(o.op, 'channel');
    if (!isObj(rawChannel) || typeof rawChannel.$ref !== 'string') {
      r.problem(
        at(o.place, 'channel'),
        rawChannel === undefined
          ? 'is required: a reference to a channel, such as { $ref: "#/channels/orderCreated" }'
          : 'must be a reference to a channel, such as { $ref: "#/channels/orderCreated" }',
      );
      continue;
    }
    const channel = channelAt(rawChannel, at(o.place, 'channel'));
    if (!channel) continue;
    if (action === 'send' && channel.pattern) {
      r.problem(
        at(o.place, 'channel'),
        `sends to ${shown(channel.event)}, a pattern: a service sends one event name or routing key; patterns with * and # are for receiving`,
      );
      continue;
    }
    if (own(o.op, 'reply') !== undefined)
      r.note(
        `Operation ${o.key} in ${doc.label} expects a reply: Fanout's events go one way, so the reply is left out.`,
      );
    const rawBindings = own(o.op, 'bindings');
    const bindings =
      rawBindings === undefined
        ? undefined
        : objectAt(r, at(o.place, 'bindings'), rawBindings, 'an object of bindings');
    const service = o.service?.value ?? read.app ?? '';
    if (o.service) world.app(o.service.value, o.service.place);
    const operation: Operation = {
      key: o.key,
      place: o.place,
      action,
      channel,
      bindings: bindings?.value ?? {},
      bindingsPlace: bindings?.place ?? at(o.place, 'bindings'),
      service,
      servicePlace: o.service?.place ?? o.place,
    };
    read.operations.push(operation);
  }
}

function readChannel(r: Reading, place: Place, value: unknown): Channel | undefined {
  if (!isObj(value)) {
    r.problem(place, `must be a channel object, not ${describe(value)}`);
    return undefined;
  }
  const key = pointerSegments(place.pointer).at(-1) ?? 'channel';
  const address = own(value, 'address');
  if (address !== undefined && address !== null && typeof address !== 'string') {
    r.problem(at(place, 'address'), `must be a text or null, not ${describe(address)}`);
    return undefined;
  }
  const rawBindings = own(value, 'bindings');
  const bindings =
    rawBindings === undefined
      ? undefined
      : objectAt(r, at(place, 'bindings'), rawBindings, 'an object of bindings');
  const kafka = bindings ? own(bindings.value, 'kafka') : undefined;
  const topic = isObj(kafka) && typeof kafka.topic === 'string' ? kafka.topic : undefined;
  const messages: string[] = [];
  const rawMessages = own(value, 'messages');
  if (isObj(rawMessages)) {
    for (const [mkey, raw] of Object.entries(rawMessages)) {
      const m = deref(r, at(place, 'messages', mkey), raw);
      if (!m) return undefined;
      messages.push(isObj(m.value) && typeof m.value.name === 'string' ? m.value.name : mkey);
    }
  }
  const candidates: [string | undefined, Place][] = [
    [topic, at(place, 'bindings', 'kafka', 'topic')],
    [typeof address === 'string' ? address : undefined, at(place, 'address')],
    [messages.length === 1 ? messages[0] : undefined, at(place, 'messages')],
    [key, place],
  ];
  let event: string | undefined;
  for (const [text] of candidates) {
    if (
      text !== undefined &&
      (EVENT_NAME.test(text) || BINDING_PATTERN.test(text)) &&
      text.length <= 60
    ) {
      event = text;
      break;
    }
  }
  if (event === undefined) {
    // A made-up name reads best from the message or the key (an address may hold parameters).
    const [source, sourcePlace] = [candidates[2], candidates[3], candidates[1], candidates[0]].find(
      (c): c is [string, Place] => c?.[0] !== undefined,
    ) ?? [key, place];
    event = eventNameFrom(source ?? key) ?? eventNameFrom(key);
    if (event === undefined) {
      r.problem(
        sourcePlace,
        `${shown(source)} cannot become an event name: use letters and digits, such as OrderCreated or order.created`,
      );
      return undefined;
    }
    r.note(
      `Channel ${key} in ${place.doc.label}: ${shown(source)} is not an event name Fanout accepts (OrderCreated, or dotted lowercase such as order.created), so its events are called ${event}.`,
    );
  }
  if (messages.length > 1)
    r.note(
      `Channel ${key} in ${place.doc.label} carries ${messages.length} kinds of message (${listOf(messages)}): in Fanout a channel carries one kind of event, ${event}.`,
    );
  return {
    key,
    place,
    event,
    pattern: isPattern(event),
    bindings: bindings?.value ?? {},
    bindingsPlace: bindings?.place ?? at(place, 'bindings'),
  };
}

// ---------------------------------------------------------------------------------
// The broker

type Kind = 'queue' | 'log' | 'sns-sqs';
const KIND_OF: Record<string, Kind> = {
  kafka: 'log',
  'kafka-secure': 'log',
  amqp: 'queue',
  amqps: 'queue',
  sns: 'sns-sqs',
  sqs: 'sns-sqs',
};
const KIND_LABEL: Record<Kind, string> = {
  queue: 'RabbitMQ-style queues',
  log: 'Kafka-style log',
  'sns-sqs': 'SNS topics fanning out to SQS queues',
};
const kindOf = (protocol: string): Kind | undefined =>
  Object.hasOwn(KIND_OF, protocol) ? KIND_OF[protocol] : undefined;

interface Said {
  value: unknown;
  place: Place;
}

/** What the servers and bindings say about the broker. */
interface BrokerFromBindings {
  kind?: { value: Kind; place: Place; from: string };
  fields: Map<string, Said>;
  policies: Map<string, Said>;
}

function brokerFromBindings(r: Reading, world: World): BrokerFromBindings {
  const out: BrokerFromBindings = { fields: new Map(), policies: new Map() };
  const kinds: { kind: Kind; place: Place; from: string }[] = [];
  const channels: Channel[] = [];
  for (const d of world.docs) {
    for (const p of d.protocols) {
      const kind = kindOf(p.protocol);
      if (kind) kinds.push({ kind, place: p.place, from: `${p.protocol} server` });
      else
        r.note(
          `Server protocol ${shown(p.protocol)} in ${d.doc.label}: Fanout simulates Kafka, AMQP (RabbitMQ) and SNS + SQS brokers; it is not used.`,
        );
    }
    for (const op of d.operations) if (!channels.includes(op.channel)) channels.push(op.channel);
  }
  const bindingKinds = (bindings: Obj, place: Place) => {
    for (const key of ['kafka', 'amqp', 'sns', 'sqs']) {
      const kind = kindOf(key);
      if (kind && own(bindings, key) !== undefined)
        kinds.push({ kind, place: at(place, key), from: `${key} bindings` });
    }
  };
  for (const c of channels) bindingKinds(c.bindings, c.bindingsPlace);
  for (const d of world.docs)
    for (const op of d.operations) bindingKinds(op.bindings, op.bindingsPlace);
  const first = kinds[0];
  if (!first) return out;
  out.kind = { value: first.kind, place: first.place, from: first.from };
  const others = [...new Set(kinds.filter((k) => k.kind !== first.kind).map((k) => k.from))];
  if (others.length > 0)
    r.note(
      `The documents name more than one kind of broker (${listOf([first.from, ...others])}): Fanout runs one, the first named, ${KIND_LABEL[first.kind]}.`,
    );

  const binding = (
    bindings: Obj,
    place: Place,
    key: string,
  ): { value: Obj; place: Place } | undefined => {
    const b = own(bindings, key);
    return isObj(b) ? { value: b, place: at(place, key) } : undefined;
  };
  /** The first value found; a different one elsewhere gets a note. */
  const say = (field: string, value: unknown, place: Place, what: string) => {
    const known = out.fields.get(field);
    if (!known) out.fields.set(field, { value, place });
    else if (known.value !== value)
      r.note(
        `${what} differs between channels (${String(known.value)} and ${String(value)}): Fanout uses one value for every topic, ${String(known.value)}.`,
      );
  };
  const ops = world.docs.flatMap((d) => d.operations);

  if (first.kind === 'log') {
    for (const c of channels) {
      const k = binding(c.bindings, c.bindingsPlace, 'kafka');
      if (!k) continue;
      const partitions = own(k.value, 'partitions');
      if (typeof partitions === 'number')
        say('partitions', partitions, at(k.place, 'partitions'), 'The number of partitions');
      const config = own(k.value, 'topicConfiguration');
      const retention = isObj(config) ? own(config, 'retention.ms') : undefined;
      if (typeof retention === 'number') {
        const place = at(k.place, 'topicConfiguration', 'retention.ms');
        if (retention === -1) {
          r.note(
            `Channel ${c.key} keeps records forever (retention.ms -1): Fanout keeps them 30 days, its longest retention.`,
          );
          say('retention_ms', 30 * 24 * 60 * 60 * 1000, place, 'Retention');
        } else say('retention_ms', retention, place, 'Retention');
      }
    }
    const groups = new Map<string, string>();
    for (const op of ops) {
      const k = binding(op.bindings, op.bindingsPlace, 'kafka');
      const group = k ? own(k.value, 'groupId') : undefined;
      const id =
        isObj(group) && Array.isArray(group.enum) && typeof group.enum[0] === 'string'
          ? group.enum[0]
          : undefined;
      if (op.action !== 'receive' || id === undefined) continue;
      const other = groups.get(id);
      if (other !== undefined && other !== op.service)
        r.note(
          `Services ${other} and ${op.service} share consumer group ${shown(id)}: in Fanout each subscriber reads with a group of its own.`,
        );
      groups.set(id, op.service);
    }
  } else if (first.kind === 'queue') {
    for (const c of channels) {
      const a = binding(c.bindings, c.bindingsPlace, 'amqp');
      if (!a) continue;
      if (own(a.value, 'is') === 'queue')
        r.note(
          `Channel ${c.key} is an AMQP queue (is: queue): in Fanout every subscriber gets a copy in a queue of its own.`,
        );
      const exchange = own(a.value, 'exchange');
      const type = isObj(exchange) ? own(exchange, 'type') : undefined;
      if (typeof type !== 'string') continue;
      const place = at(a.place, 'exchange', 'type');
      if (type === 'topic' || type === 'direct' || type === 'fanout')
        say('exchange', type, place, 'The exchange type');
      else if (type === 'default') {
        r.note(
          `Channel ${c.key} uses the default exchange: Fanout routes it as a direct exchange, by name.`,
        );
        say('exchange', 'direct', place, 'The exchange type');
      } else {
        // A headers exchange routes by matching attributes: routing by event name (direct)
        // is the closer stand-in than fanout, which would copy every event everywhere.
        r.note(
          `Channel ${c.key} uses a ${type} exchange: Fanout does not simulate it; a direct exchange stands in (routing by event name).`,
        );
        say('exchange', 'direct', place, 'The exchange type');
      }
    }
    for (const op of ops) {
      const a = binding(op.bindings, op.bindingsPlace, 'amqp');
      const expiration = a ? own(a.value, 'expiration') : undefined;
      if (a && typeof expiration === 'number' && expiration >= 1)
        say('message_ttl_ms', expiration, at(a.place, 'expiration'), 'The message expiration');
    }
  } else {
    const queueOwner = new Map<string, string>();
    /** A queue's or a subscription's `redrivePolicy.maxReceiveCount` (SQS and SNS spell it alike). */
    const redriveSettings = (owner: Obj, place: Place) => {
      const redrive = own(owner, 'redrivePolicy');
      const max = isObj(redrive) ? own(redrive, 'maxReceiveCount') : undefined;
      if (typeof max === 'number')
        say(
          'max_receive_count',
          max,
          at(place, 'redrivePolicy', 'maxReceiveCount'),
          'maxReceiveCount',
        );
    };
    const queueSettings = (queue: Obj, place: Place) => {
      const fifo = own(queue, 'fifoQueue');
      if (typeof fifo === 'boolean') say('fifo', fifo, at(place, 'fifoQueue'), 'FIFO or standard');
      // SQS spells these in seconds.
      for (const [binding, field, what] of SQS_SECONDS) {
        const seconds = own(queue, binding);
        if (typeof seconds === 'number') say(field, seconds * 1000, at(place, binding), what);
      }
      redriveSettings(queue, place);
    };
    for (const c of channels) {
      const sns = binding(c.bindings, c.bindingsPlace, 'sns');
      const ordering = sns ? own(sns.value, 'ordering') : undefined;
      const type = isObj(ordering) ? own(ordering, 'type') : undefined;
      if (sns && (type === 'FIFO' || type === 'standard'))
        say('fifo', type === 'FIFO', at(sns.place, 'ordering', 'type'), 'FIFO or standard');
      const sqs = binding(c.bindings, c.bindingsPlace, 'sqs');
      const queue = sqs ? own(sqs.value, 'queue') : undefined;
      if (sqs && isObj(queue)) queueSettings(queue, at(sqs.place, 'queue'));
    }
    for (const op of ops) {
      const sqs = binding(op.bindings, op.bindingsPlace, 'sqs');
      const queues = sqs ? own(sqs.value, 'queues') : undefined;
      if (!sqs || !Array.isArray(queues)) continue;
      queues.forEach((q, i) => {
        if (!isObj(q)) return;
        if (op.action === 'receive' && typeof q.name === 'string')
          queueOwner.set(q.name, op.service);
        queueSettings(q, at(sqs.place, 'queues', i));
      });
    }
    for (const op of ops) {
      const sns = binding(op.bindings, op.bindingsPlace, 'sns');
      const consumers = sns ? own(sns.value, 'consumers') : undefined;
      if (!sns || !Array.isArray(consumers)) continue;
      consumers.forEach((consumer, i) => {
        if (!isObj(consumer)) return;
        const place = at(sns.place, 'consumers', i);
        redriveSettings(consumer, place);
        const policy = own(consumer, 'filterPolicy');
        if (!isObj(policy)) return;
        const endpoint = own(consumer, 'endpoint');
        const name =
          isObj(endpoint) && typeof endpoint.name === 'string' ? endpoint.name : undefined;
        const owner =
          name === undefined
            ? undefined
            : (queueOwner.get(name) ??
              (world.apps.has(name.replace(/-queue$/, ''))
                ? name.replace(/-queue$/, '')
                : undefined));
        if (owner === undefined) {
          r.note(
            `The filter policy at ${place.pointer} in ${place.doc.label} names a queue no receiving service uses (${shown(name ?? 'no name')}): it is left out.`,
          );
          return;
        }
        const accepted: Record<string, string[]> = {};
        for (const [attribute, values] of Object.entries(policy)) {
          if (attribute.startsWith('x-')) continue;
          if (typeof values === 'string') accepted[attribute] = [values];
          else if (Array.isArray(values) && values.every((v) => typeof v === 'string'))
            accepted[attribute] = values as string[];
          else
            r.note(
              `The filter policy of ${owner} on ${attribute} uses a condition Fanout does not simulate (only lists of exact values): it is left out.`,
            );
        }
        if (Object.keys(accepted).length > 0 && !out.policies.has(owner))
          out.policies.set(owner, { value: accepted, place: at(place, 'filterPolicy') });
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------
// Putting it together

/** Read AsyncAPI documents (one file, several files, or YAML streams) as one scenario. */
export function importAsyncApi(sources: readonly SourceText[]): AsyncApiImportResult {
  const r = new Reading();
  const world = new World();
  const documents: ReadDocument[] = [];
  for (const source of sources) {
    const read = readDocuments(source);
    r.problems.push(...read.problems);
    documents.push(...read.documents);
  }
  for (const doc of documents) readDocument(r, doc, world);
  // With problems in the documents' structure, the scenario is still put together as far
  // as it goes, to list the problems of Fanout's own settings too (not what would only
  // follow from the first problems).
  const structural = r.problems.length;
  const labels = [...new Set([...r.problems.map((p) => p.file), ...documents.map((d) => d.label)])];
  const sorted = (problems: AsyncApiProblem[]) =>
    problems
      .map((p, i) => ({ p, i }))
      .sort(
        (a, b) =>
          labels.indexOf(a.p.file) - labels.indexOf(b.p.file) ||
          (a.p.line ?? 0) - (b.p.line ?? 0) ||
          a.i - b.i,
      )
      .map((x) => x.p)
      // One value can stand for two parts of the scenario (a service id and the entry): say it once.
      .filter(
        (p, i, all) =>
          all.findIndex(
            (q) => q.file === p.file && q.pointer === p.pointer && q.message === p.message,
          ) === i,
      );
  const failed = (): AsyncApiImportResult => ({
    ok: false,
    problems: sorted(structural > 0 ? r.problems.slice(0, structural) : r.problems),
  });
  const firstDoc = world.docs[0];
  if (!firstDoc) {
    if (structural > 0) return failed();
    return {
      ok: false,
      problems: [
        {
          file: sources[0]?.name ?? 'The input',
          pointer: '',
          message: 'holds no AsyncAPI document',
        },
      ],
    };
  }
  const root: Place = { doc: firstDoc.doc, pointer: '' };
  const map = new SourceMap(root);

  // Operations to their services.
  for (const d of world.docs) {
    for (const op of d.operations) {
      const app = world.app(op.service, op.servicePlace);
      (op.action === 'send' ? app.sends : app.receives).push(op);
    }
  }
  const scenarioXf = world.docs.find((d) => d.xf.scenario)?.xf.scenario;
  for (const d of world.docs) {
    const other = d.xf.scenario;
    if (
      other &&
      scenarioXf &&
      other !== scenarioXf &&
      JSON.stringify(other.value) !== JSON.stringify(scenarioXf.value)
    )
      r.note(
        `${d.doc.label} has scenario settings of its own (x-fanout.scenario); those of ${scenarioXf.place.doc.label} are used.`,
      );
  }
  const order = world.docs.find((d) => d.xf.order)?.xf.order?.value ?? [];
  const apps = [...world.apps.values()].sort((a, b) => {
    const ia = order.indexOf(a.id);
    const ib = order.indexOf(b.id);
    return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
  });
  if (apps.length === 0) {
    r.problem(
      root,
      'describes no application: give the document a title and operations (send and receive)',
    );
    return failed();
  }
  const xs = scenarioXf?.value ?? {};
  const xsHas = (key: string) => Object.hasOwn(xs, key);
  const nameOf = (app: App) => {
    const n = app.settings ? own(app.settings.value, 'name') : undefined;
    return typeof n === 'string' ? n : (app.title?.value ?? nameFrom(app.id));
  };

  // The entry: named, or the one application that sends without receiving.
  let entry: string;
  if (xsHas('entry') && typeof xs.entry === 'string') entry = xs.entry;
  else {
    const senders = apps.filter((a) => a.sends.length > 0 && a.receives.length === 0);
    const quiet = apps.filter((a) => a.receives.length === 0);
    let chosen = senders[0] ?? quiet[0];
    // A document for one application that sends and receives: whoever sends what it
    // receives is outside the documents. They become the entry, said in a note.
    const sent = new Set(apps.flatMap((a) => a.sends.map((op) => op.channel.event)));
    const outside = [
      ...new Set(
        apps
          .flatMap((a) => a.receives.map((op) => op.channel.event))
          .filter((e) => !isPattern(e) && !sent.has(e)),
      ),
    ];
    if (!chosen && outside.length > 0) {
      let id = 'clients';
      for (let n = 2; world.apps.has(id); n++) id = `clients-${n}`;
      chosen = {
        id,
        place: root,
        title: { value: 'Clients', place: root },
        sends: [],
        receives: [],
      };
      for (const event of outside) {
        const op = apps.flatMap((a) => a.receives).find((o) => o.channel.event === event);
        if (op)
          chosen.sends.push({ ...op, action: 'send', key: `${id}_sends_${event}`, service: id });
      }
      apps.unshift(chosen);
      r.note(
        `No application in the documents sends without receiving, so Fanout adds Clients, the entry users call: it sends ${listOf(outside)}, which no application in them sends.`,
      );
    }
    if (!chosen) {
      r.problem(
        root,
        `has no entry: every application receives something (${listOf(apps.map((a) => a.id))}); Fanout needs one that sends without receiving, the one users call (or name it in x-fanout.scenario.entry)`,
      );
      return failed();
    }
    entry = chosen.id;
    const rest = senders.slice(1);
    if (rest.length > 0)
      r.note(
        `Several applications send without receiving (${listOf(senders.map(nameOf))}): the first, ${nameOf(chosen)}, is the entry users call; ${listOf(rest.map(nameOf))} ${rest.length === 1 ? 'is' : 'are'} never triggered in a run (name the entry in x-fanout.scenario.entry).`,
      );
    else if (senders.length === 0 && apps.length > 1 && outside.length === 0)
      r.note(`No application sends without receiving: ${nameOf(chosen)} is the entry users call.`);
    map.set(['entry'], chosen.place);
  }

  // Services.
  const noLatency: string[] = [];
  const noWorkers: string[] = [];
  const services = apps.map((app, i) => {
    const settings = app.settings?.value ?? {};
    const service: Obj = { id: app.id, name: nameOf(app) };
    map.set(['services', i], app.settings?.place ?? app.place, Boolean(app.settings));
    map.set(['services', i, 'id'], app.place);
    if (!(app.settings && Object.hasOwn(settings, 'name')))
      map.set(['services', i, 'name'], app.title?.place ?? app.place);
    for (const [key, value] of Object.entries(settings))
      if (!Object.hasOwn(FROM_OPERATIONS, key)) service[key] = value;
    if (
      typeof service.name === 'string' &&
      service.name.length > 60 &&
      !Object.hasOwn(settings, 'name')
    ) {
      service.name = `${service.name.slice(0, 59)}…`;
      r.note(
        `The title of service ${app.id} is longer than 60 characters: it is shortened on the canvas.`,
      );
    }
    if (!Object.hasOwn(settings, 'latency_ms')) {
      service.latency_ms =
        app.id === entry ? { ...IMPORT_DEFAULTS.entryLatency } : { ...IMPORT_DEFAULTS.latency };
      noLatency.push(app.id);
    }
    if (!Object.hasOwn(settings, 'concurrency') || !Object.hasOwn(settings, 'replicas'))
      noWorkers.push(String(service.name));
    service.emits = app.sends.map((op) => op.channel.event);
    service.subscribes = app.receives.map((op) => op.channel.event);
    app.sends.forEach((op, j) => {
      map.set(['services', i, 'emits', j], op.place);
    });
    app.receives.forEach((op, j) => {
      map.set(['services', i, 'subscribes', j], op.place);
    });
    if (app.sends.length > 0) map.set(['services', i, 'emits'], app.sends[0]?.place ?? app.place);
    if (app.receives.length > 0)
      map.set(['services', i, 'subscribes'], app.receives[0]?.place ?? app.place);
    return service;
  });
  const entryApp = apps.find((a) => a.id === entry);
  const entryName = entryApp ? nameOf(entryApp) : entry;

  // The broker: x-fanout's, exact, else what the bindings say.
  const said = brokerFromBindings(r, world);
  let broker: Obj;
  const xBroker = xs.broker;
  if (xsHas('broker') && isObj(xBroker)) {
    broker = xBroker;
    if (said.kind && said.kind.value !== xBroker.kind)
      r.note(
        `The ${said.kind.from} say ${KIND_LABEL[said.kind.value]}, but x-fanout.scenario.broker says ${shown(xBroker.kind)}: Fanout uses x-fanout's.`,
      );
    else {
      for (const [field, s] of said.fields) {
        if (
          Object.hasOwn(xBroker, field) &&
          JSON.stringify(xBroker[field]) !== JSON.stringify(s.value)
        )
          r.note(
            `A binding says ${field} ${String(s.value)} (${s.place.pointer} in ${s.place.doc.label}), but x-fanout.scenario.broker says ${String(xBroker[field])}: Fanout uses x-fanout's.`,
          );
      }
    }
  } else {
    const kind = said.kind?.value ?? 'queue';
    broker = { kind };
    if (said.kind) map.set(['broker', 'kind'], said.kind.place);
    for (const [field, s] of said.fields) {
      broker[field] = s.value;
      map.set(['broker', field], s.place);
    }
    if (said.policies.size > 0) {
      const policies: Obj = {};
      for (const [id, s] of said.policies) {
        policies[id] = s.value;
        map.set(['broker', 'filter_policies', id], s.place, true);
      }
      broker.filter_policies = policies;
    }
    const defaults: Record<Kind, [string, string][]> = {
      queue: [
        ['exchange', 'a direct exchange'],
        ['delivery_limit', 'a delivery limit of 20'],
        ['on_failure', 'failed messages retried after a backoff'],
      ],
      log: [
        ['partitions', '3 partitions'],
        ['retention_ms', 'retention 7 days'],
        [
          'commit',
          'offsets committed after processing (AsyncAPI does not say when a consumer commits)',
        ],
      ],
      'sns-sqs': [
        ['visibility_timeout_ms', 'a visibility timeout of 30 s'],
        ['max_receive_count', 'dead-lettered after 5 receives'],
        ['fifo', 'standard (not FIFO) queues'],
      ],
    };
    const used = defaults[kind]
      .filter(([field]) => !said.fields.has(field))
      .map(([, text]) => text);
    const from = said.kind
      ? `from the ${said.kind.from}`
      : 'no Kafka, AMQP, SNS or SQS server or binding says otherwise';
    r.note(
      `Broker: ${KIND_LABEL[kind]} (${from})${used.length > 0 ? `, with Fanout's defaults for ${listOf(used)}` : ''}.`,
    );
  }
  map.set(
    ['broker'],
    scenarioXf && xsHas('broker') ? at(scenarioXf.place, 'broker') : root,
    Boolean(scenarioXf && xsHas('broker')),
  );

  // Scenario settings: x-fanout's, else defaults the learner is told about.
  const titles = world.docs.map((d) => d.title?.value).filter((t): t is string => t !== undefined);
  const docApps = world.docs.filter((d) => d.app !== undefined).length;
  const scenarioName =
    docApps > 1 && world.docs.length > 1
      ? listOf([...new Set(titles)])
      : (firstDoc.title?.value ?? 'AsyncAPI import');
  const input: Obj = {
    version: 1,
    id: idFrom(scenarioName, 'asyncapi'),
    name: scenarioName.length > 100 ? `${scenarioName.slice(0, 99)}…` : scenarioName,
    description: summary(firstDoc.description ?? ''),
    seed: IMPORT_DEFAULTS.seed,
    duration_ms: IMPORT_DEFAULTS.durationMs,
    architecture: 'event',
    broker,
    entry,
    services,
    workload: { rate_per_s: IMPORT_DEFAULTS.ratePerS },
  };
  map.set(['name'], firstDoc.title?.place ?? root);
  map.set(['description'], at(root, 'info', 'description'));
  map.set(['id'], firstDoc.title?.place ?? root);
  if (!xsHas('workload') && said.policies.size > 0 && !xsHas('broker')) {
    // Orders carry the attributes the filter policies select on, and one value none
    // accepts, so that the filters have something to filter.
    const attributes: Record<string, string[]> = {};
    for (const s of said.policies.values())
      for (const [attribute, values] of Object.entries(s.value as Record<string, string[]>))
        attributes[attribute] = [...new Set([...(attributes[attribute] ?? []), ...values])];
    for (const [attribute, values] of Object.entries(attributes)) {
      let other = 'other';
      for (let n = 2; values.includes(other); n++) other = `other-${n}`;
      attributes[attribute] = [...values, other];
    }
    (input.workload as Obj).attributes = attributes;
    r.note(
      `Orders carry ${listOf(Object.entries(attributes).map(([a, v]) => `${a}: one of ${listOf(v)}`))}, picked at random: the values the filter policies select, and one they do not.`,
    );
  }
  if (scenarioXf) {
    for (const [key, value] of Object.entries(scenarioXf.value)) {
      if (Object.hasOwn(FROM_DOCUMENT, key)) continue;
      input[key] = value;
      map.set([key], at(scenarioXf.place, key), true);
    }
  }

  const missing = (key: string) => !xsHas(key);
  if (noLatency.length > 0) {
    const entryDefault = noLatency.includes(entry)
      ? [`${IMPORT_DEFAULTS.entryLatency.median_ms} ms for ${entryName}`]
      : [];
    const others = noLatency
      .filter((id) => id !== entry)
      .map((id) => services.find((s) => s.id === id)?.name as string);
    const parts = [
      ...entryDefault,
      ...(others.length > 0
        ? [`${IMPORT_DEFAULTS.latency.median_ms} ms for ${listOf(others)}`]
        : []),
    ];
    r.note(
      `Latency (AsyncAPI does not say how long work takes): a median of ${listOf(parts)}, with a long tail of slower calls.`,
    );
  }
  if (noWorkers.length > 0)
    r.note(
      `Workers: 4 at a time, on 1 replica, for ${listOf(noWorkers)} (AsyncAPI does not say how many).`,
    );
  if (missing('workload') || missing('duration_ms') || missing('seed')) {
    const w = isObj(input.workload) ? input.workload : {};
    r.note(
      `Workload: ${String(w.rate_per_s)} orders per second sent to ${entryName}, for ${Number(input.duration_ms) / 1000} s, seed ${String(input.seed)} (AsyncAPI does not describe traffic).`,
    );
  }
  if (missing('faults'))
    r.note(
      'Failures: none scheduled, every service healthy (AsyncAPI does not describe failure rates); switch services off or make them slow or flaky in the playground.',
    );
  if (missing('delivery'))
    r.note(
      'Retries: a message that fails is delivered up to 5 times in all, waiting 200 ms to 10 s (exponential backoff, full jitter) before each retry, then dead-lettered.',
    );
  if (missing('sync')) {
    const chain = [
      entry,
      ...services
        .filter((s) => s.id !== entry && Array.isArray(s.subscribes) && s.subscribes.length > 0)
        .map((s) => String(s.id)),
    ];
    r.note(
      `As a request chain: ${chain.length > 1 ? `${chain.join(' → ')} (the receiving services in document order)` : `${entry} alone`}, each call waiting at most 1 s, without retries.`,
    );
  }
  if (missing('network_ms')) r.note('Network: 5 ms for every hop.');

  // The scenario schema decides; its problems are put back in the documents.
  const toProblems = (problems: readonly ScenarioProblem[]) =>
    problems.map((p) => {
      const whole = p.path.startsWith('(');
      const { place, exact } = map.placeOf(whole ? '' : p.path);
      return {
        file: place.doc.label,
        pointer: place.pointer,
        line: place.doc.lineOf(place.pointer),
        // Where the place is only near the value (a default, a list), name the value too.
        message: whole || exact ? p.message : `${p.path}: ${p.message}`,
      };
    });
  const parsed = parseScenario(input);
  if (structural > 0) {
    const own = parsed.ok
      ? []
      : toProblems(parsed.problems).filter((p) =>
          /^\/(x-fanout|info)(\/|$)|\/x-fanout(\/|$)/.test(p.pointer),
        );
    return { ok: false, problems: sorted([...r.problems.slice(0, structural), ...own]) };
  }
  if (!parsed.ok) return { ok: false, problems: sorted(toProblems(parsed.problems)) };
  const unbuildable = checkScenarioBuilds(parsed.scenario);
  if (unbuildable.length > 0) return { ok: false, problems: sorted(toProblems(unbuildable)) };
  const warnings = toProblems(parsed.warnings ?? []).map(
    (w) =>
      `${w.file}: ${w.pointer}${w.line === undefined ? '' : ` (line ${w.line})`}: ${w.message}`,
  );
  return {
    ok: true,
    value: { scenario: parsed.scenario, notes: r.notes, warnings, documents: world.docs.length },
  };
}

/** The first paragraph of an AsyncAPI description, on one line, as the scenario's one-line description. */
function summary(text: string): string {
  const first = (text.trim().split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ').trim();
  return first.length > 200 ? `${first.slice(0, 199)}…` : first;
}
