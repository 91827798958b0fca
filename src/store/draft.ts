/**
 * A scenario being edited on the canvas (Edit mode): plain functions from one draft to
 * the next, so the editor's history is a list of drafts and every edit is unit-tested
 * without a page. A draft is scenario *input* (what a file may say): it can be invalid
 * for a while — a name emptied, the entry service deleted — and `checkDraft` says what is
 * wrong with the same schema files are read with (`parseScenario`), never a second one.
 */
import {
  BROKER_FAULT_TARGET,
  parseScenario,
  type Scenario,
  type ScenarioInput,
  type ScenarioProblem,
} from '../core/scenario';
import { bindingMatches } from '../core/topology';

export type Draft = ScenarioInput;
export type DraftService = Draft['services'][number];
export type BrokerKind = Scenario['broker']['kind'];
export type LatencyInput = DraftService['latency_ms'];
export type Point = { x: number; y: number };

/** A new service's settings: the schema's defaults, written out so the inspector shows them. */
const NEW_SERVICE = {
  latency_ms: 20,
  concurrency: 4,
  replicas: 1,
  emits: [] as string[],
  subscribes: [] as string[],
  idempotent: false,
  subscribed: true,
};

/** A draft to edit: a copy of a valid scenario (the run on screen). */
export function draftOf(scenario: Scenario): Draft {
  return structuredClone(scenario) as Draft;
}

const mapService = (d: Draft, id: string, f: (svc: DraftService) => DraftService): Draft => ({
  ...d,
  services: d.services.map((svc) => (svc.id === id ? f(svc) : svc)),
});

/** The first `service-N` / `Service N` pair not taken yet. */
function freshService(d: Draft): { id: string; name: string } {
  const ids = new Set(d.services.map((s) => s.id));
  const names = new Set(d.services.map((s) => s.name));
  for (let n = d.services.length + 1; ; n++) {
    if (!ids.has(`service-${n}`) && !names.has(`Service ${n}`))
      return { id: `service-${n}`, name: `Service ${n}` };
  }
}

/** Add a service (placed at `at` when given); returns the draft and the new service's id. */
export function addService(d: Draft, at?: Point): { draft: Draft; id: string } {
  const { id, name } = freshService(d);
  const service: DraftService = { id, name, ...structuredClone(NEW_SERVICE) };
  const next: Draft = { ...d, services: [...d.services, service] };
  // An explicit call order lists every service that takes calls: the new one joins its
  // end (before a parallel step, which must stay last).
  if (d.chain) {
    const last = d.chain[d.chain.length - 1];
    next.chain = Array.isArray(last) ? [...d.chain.slice(0, -1), id, last] : [...d.chain, id];
  }
  if (at) next.layout = { ...d.layout, [id]: at };
  return { draft: next, id };
}

/**
 * Rename a service. With `newId`, its id follows too (a service added in this edit, not yet
 * known to any link or file): everything that names it is updated.
 */
export function renameService(d: Draft, id: string, name: string, newId?: string): Draft {
  const renamed = mapService(d, id, (svc) => ({ ...svc, name }));
  return newId && newId !== id ? changeId(renamed, id, newId) : renamed;
}

/** `Mail Sender` -> `mail-sender`: an id from a name, or null when the name gives none. */
export function idFromName(name: string): string | null {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug === '' ? null : slug;
}

/** The id a new service's name gives, unless another service has it. */
export function freeIdFor(d: Draft, id: string, name: string): string | undefined {
  const wanted = idFromName(name);
  if (!wanted || wanted === id) return undefined;
  return d.services.some((svc) => svc.id === wanted) ? undefined : wanted;
}

function changeId(d: Draft, from: string, to: string): Draft {
  const swap = (x: string) => (x === from ? to : x);
  const next: Draft = {
    ...d,
    entry: swap(d.entry),
    services: d.services.map((svc) => (svc.id === from ? { ...svc, id: to } : svc)),
  };
  if (d.chain)
    next.chain = d.chain.map((step) => (Array.isArray(step) ? step.map(swap) : swap(step)));
  if (d.faults) next.faults = d.faults.map((f) => ({ ...f, service: swap(f.service) }));
  if (d.layout && Object.hasOwn(d.layout, from)) {
    const { [from]: at, ...rest } = d.layout;
    next.layout = { ...rest, [to]: at as Point };
  }
  if (d.workload.poison)
    next.workload = {
      ...d.workload,
      poison: { ...d.workload.poison, services: d.workload.poison.services.map(swap) },
    };
  if (
    d.broker?.kind === 'sns-sqs' &&
    d.broker.filter_policies &&
    Object.hasOwn(d.broker.filter_policies, from)
  ) {
    const { [from]: policy, ...rest } = d.broker.filter_policies;
    next.broker = {
      ...d.broker,
      filter_policies: { ...rest, [to]: policy as Record<string, string[]> },
    };
  }
  return next;
}

/**
 * Delete a service and everything that names it: its place in the call order, its faults,
 * its layout hint, its filter policy, its poison share. Its subscriptions are part of it.
 * When it was the entry, `entry` keeps naming it: the draft is then invalid until the
 * learner picks another entry (see `entryMissing`), rather than the editor guessing one.
 */
export function deleteService(d: Draft, id: string): Draft {
  const next: Draft = { ...d, services: d.services.filter((svc) => svc.id !== id) };
  if (d.chain) next.chain = withoutInChain(d.chain, id);
  if (d.faults) next.faults = d.faults.filter((f) => f.service !== id);
  if (d.layout && Object.hasOwn(d.layout, id)) {
    const { [id]: _gone, ...rest } = d.layout;
    next.layout = rest;
  }
  const poison = d.workload.poison;
  if (poison?.services.includes(id)) {
    const services = poison.services.filter((x) => x !== id);
    const { poison: _p, ...workload } = d.workload;
    next.workload =
      services.length > 0 ? { ...d.workload, poison: { ...poison, services } } : workload;
  }
  if (
    d.broker?.kind === 'sns-sqs' &&
    d.broker.filter_policies &&
    Object.hasOwn(d.broker.filter_policies, id)
  ) {
    const { [id]: _f, ...filter_policies } = d.broker.filter_policies;
    next.broker = { ...d.broker, filter_policies };
  }
  return next;
}

/** The entry service was deleted (or never existed): the learner must choose one. */
export function entryMissing(d: Draft): boolean {
  return !d.services.some((svc) => svc.id === d.entry);
}

/** Make `id` the service users call; it leads the call order when there is one. */
export function setEntry(d: Draft, id: string): Draft {
  const next: Draft = { ...d, entry: id };
  if (d.chain) next.chain = [id, ...withoutInChain(d.chain, id)];
  return next;
}

type ChainSteps = NonNullable<Draft['chain']>;

/** Is `id` this step of the call order, or one of the services it calls at once? */
function stepHas(step: ChainSteps[number], id: string): boolean {
  return Array.isArray(step) ? step.includes(id) : step === id;
}

/** The call order without `id`; a parallel step left with one service becomes a plain step. */
function withoutInChain(chain: ChainSteps, id: string): ChainSteps {
  return chain.flatMap((step): ChainSteps => {
    if (!Array.isArray(step)) return step === id ? [] : [step];
    const rest = step.filter((x) => x !== id);
    return rest.length === 0 ? [] : rest.length === 1 ? [rest[0] as string] : [rest];
  });
}

const toggle = (list: readonly string[] | undefined, item: string, on: boolean): string[] => {
  const rest = (list ?? []).filter((x) => x !== item);
  return on ? [...rest, item] : rest;
};

/** Declare (or stop) that a service emits an event type. */
export function setEmits(d: Draft, id: string, type: string, on: boolean): Draft {
  return mapService(d, id, (svc) => ({ ...svc, emits: toggle(svc.emits, type, on) }));
}

/** Subscribe (or unsubscribe) a service to an event type. */
export function setSubscribes(d: Draft, id: string, type: string, on: boolean): Draft {
  return mapService(d, id, (svc) => ({ ...svc, subscribes: toggle(svc.subscribes, type, on) }));
}

/**
 * A line drawn from one service to another on the canvas: `to` subscribes to the first
 * event `from` emits that it does not hear yet. Returns why not when there is none.
 */
export function connect(
  d: Draft,
  from: string,
  to: string,
): { draft: Draft; type: string } | { problem: string } {
  const source = d.services.find((s) => s.id === from);
  const target = d.services.find((s) => s.id === to);
  if (!source || !target || from === to) return { problem: 'Draw from one service to another.' };
  const emits = source.emits ?? [];
  if (emits.length === 0)
    return {
      problem: `${source.name || from} emits nothing yet: give it an event type first (New event type, in the side panel).`,
    };
  const type = emits.find((t) => !(target.subscribes ?? []).includes(t));
  if (!type)
    return {
      problem: `${target.name || to} already subscribes to everything ${source.name || from} emits.`,
    };
  return { draft: setSubscribes(d, to, type, true), type };
}

/** Settings of one service the inspector changes (name, id and lists have their own edits). */
export type ServicePatch = Partial<
  Pick<
    DraftService,
    | 'latency_ms'
    | 'concurrency'
    | 'replicas'
    | 'idempotent'
    | 'subscribed'
    | 'publish'
    | 'outbox_poll_ms'
  >
>;

/** Change settings of a service; a key set to undefined is removed (the schema's default applies). */
export function updateService(d: Draft, id: string, patch: ServicePatch): Draft {
  return mapService(d, id, (svc) => {
    const next: Record<string, unknown> = { ...svc, ...patch };
    for (const [key, value] of Object.entries(patch)) if (value === undefined) delete next[key];
    // The relay's poll interval belongs to an outbox only.
    if ('publish' in patch && patch.publish !== 'outbox') delete next.outbox_poll_ms;
    return next as DraftService;
  });
}

/**
 * Move a service one place earlier (-1) or later (+1) in the synchronous call order.
 * The first edit writes the order out (`chain`), starting from the one the run uses.
 */
export function moveInChain(d: Draft, id: string, by: -1 | 1): Draft {
  const order: ChainSteps = [...(d.chain ?? implicitChain(d))];
  const i = order.findIndex((step) => stepHas(step, id));
  const j = i + by;
  // The entry answers the user: it always calls first. A parallel step stays last.
  if (i <= 0 || j <= 0 || j >= order.length) return d;
  if (Array.isArray(order[i]) || Array.isArray(order[j])) return d;
  [order[i], order[j]] = [order[j] as string, order[i] as string];
  return { ...d, chain: order };
}

/**
 * Put a service into the parallel step of the call order, or take it out. The format allows
 * one parallel step, the last (its services are called at once, each by the step before):
 * a service joins it — or, with none yet, forms it with the last plain step after the entry
 * — and one taken out is called just before it. A step left with one service is plain again.
 */
export function setParallel(d: Draft, id: string, on: boolean): Draft {
  const order: ChainSteps = d.chain ?? implicitChain(d);
  const i = order.findIndex((step) => stepHas(step, id));
  if (i <= 0 || Array.isArray(order[i]) === on) return d;
  const rest = withoutInChain(order, id);
  const last = rest[rest.length - 1];
  if (on) {
    // The entry answers the user and always calls first: it cannot be called in parallel.
    if (last === undefined || rest.length < 2) return d;
    const group = Array.isArray(last) ? [...last, id] : [last, id];
    return { ...d, chain: [...rest.slice(0, -1), group] };
  }
  // Out of the group: called just before the services left in it.
  return { ...d, chain: [...rest.slice(0, -1), id, ...(last === undefined ? [] : [last])] };
}

/** The call order as the editor lists it: each service, whether it can move earlier or later, whether it is called in parallel, and whether it can join the parallel step. */
export function chainRows(d: Draft): {
  id: string;
  earlier: boolean;
  later: boolean;
  parallel: boolean;
  canJoin: boolean;
}[] {
  return implicitChain(d).map((id) => {
    const parallel = d.chain?.some((step) => Array.isArray(step) && step.includes(id)) ?? false;
    return {
      id,
      earlier: moveInChain(d, id, -1) !== d,
      later: moveInChain(d, id, 1) !== d,
      parallel,
      canJoin: !parallel && setParallel(d, id, true) !== d,
    };
  });
}

/** The call order a draft runs with when it sets none (`chainOf`, read on the draft). */
export function implicitChain(d: Draft): string[] {
  // A parallel step is listed by its services, in order.
  if (d.chain) return d.chain.flat();
  // chainOf's rule, read on a draft whose lists may be unset.
  return [
    d.entry,
    ...d.services
      .filter((s) => s.id !== d.entry && (s.subscribes?.length ?? 0) > 0 && s.subscribed !== false)
      .map((s) => s.id),
  ];
}

export type DraftFault = NonNullable<Draft['faults']>[number];
export type FaultMode = DraftFault['mode'];

/** Each fault mode's own setting, with the value a new fault of that mode starts with. */
const FAULT_SETTINGS: Record<FaultMode, Partial<Pick<DraftFault, 'factor' | 'error_rate'>>> = {
  down: {},
  slow: { factor: 5 },
  flaky: { error_rate: 0.3 },
  'crash-before-ack': {},
  'crash-before-publish': { error_rate: 0.3 },
  'leader-change': {},
};

/** Schedule a fault: `service` goes down 10 s into the run, for 10 s. */
export function addFault(d: Draft, service: string): Draft {
  const fault: DraftFault = { service, at_ms: 10_000, duration_ms: 10_000, mode: 'down' };
  return { ...d, faults: [...(d.faults ?? []), fault] };
}

/**
 * Change a scheduled fault; a key set to undefined is removed. A new mode takes that
 * mode's own setting (a slow factor, an error rate) and drops the other's.
 */
export function updateFault(d: Draft, index: number, patch: Partial<DraftFault>): Draft {
  const faults = [...(d.faults ?? [])];
  const old = faults[index];
  if (!old) return d;
  const next: Record<string, unknown> = { ...old, ...patch };
  if (patch.mode && patch.mode !== old.mode) {
    delete next.factor;
    delete next.error_rate;
    delete next.queue;
    delete next.partition;
    Object.assign(next, FAULT_SETTINGS[patch.mode]);
    // A leader change is the broker's, and lasts as long as its election.
    if (patch.mode === 'leader-change') {
      next.service = BROKER_FAULT_TARGET;
      next.duration_ms ??= 5_000;
    }
  }
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete next[key];
  faults[index] = next as DraftFault;
  return { ...d, faults };
}

export function removeFault(d: Draft, index: number): Draft {
  return { ...d, faults: (d.faults ?? []).filter((_, i) => i !== index) };
}

export function setRate(d: Draft, rate: number): Draft {
  return { ...d, workload: { ...d.workload, rate_per_s: rate } };
}

export function setScenarioName(d: Draft, name: string): Draft {
  return { ...d, name };
}

/** Another broker flavour, with its own defaults (as switching it on the Broker tab does). */
export function setBroker(d: Draft, kind: BrokerKind): Draft {
  if (d.broker?.kind === kind) return d;
  return { ...d, broker: { kind } };
}

/** The settings objects Edit mode changes key by key: the broker's, consumer delivery, the request chain's and its circuit breaker. */
export type SettingsSection = 'broker' | 'delivery' | 'sync' | 'circuit_breaker';
export type SettingValue = number | string | boolean | undefined;

/**
 * Change one setting of the broker, of `delivery` or of `sync`; undefined removes it (the
 * schema's default applies). The value is checked with the rest of the draft.
 */
export function setSetting(
  d: Draft,
  section: SettingsSection,
  key: string,
  value: SettingValue,
): Draft {
  if (key === 'kind') return d;
  if (section === 'circuit_breaker') {
    // Setting one of its values switches the breaker on.
    const breaker: Record<string, unknown> = { ...d.sync?.circuit_breaker };
    if (value === undefined) delete breaker[key];
    else breaker[key] = value;
    return { ...d, sync: { ...d.sync, circuit_breaker: breaker } };
  }
  const current: Record<string, unknown> =
    section === 'broker' ? { kind: 'queue', ...d.broker } : { ...d[section] };
  if (value === undefined) delete current[key];
  else current[key] = value;
  // One settings object as a file would write it; parseScenario says what is wrong with it.
  return { ...d, [section]: current } as Draft;
}

/** Put a circuit breaker on every service-to-service call (its defaults), or take it off. */
export function setCircuitBreaker(d: Draft, on: boolean): Draft {
  const { circuit_breaker: old, ...sync } = d.sync ?? {};
  if (on === (old !== undefined)) return d;
  return { ...d, sync: on ? { ...sync, circuit_breaker: {} } : sync };
}

/**
 * SNS + SQS: the subscription filter policy of a service, one attribute at a time: it gets
 * only orders whose `attribute` is one of `values` (undefined: the attribute is not
 * filtered on). A service left with no filtered attribute gets every order.
 */
export function setFilterPolicy(
  d: Draft,
  service: string,
  attribute: string,
  values: string[] | undefined,
): Draft {
  if (d.broker?.kind !== 'sns-sqs') return d;
  const policies = { ...d.broker.filter_policies };
  const { [attribute]: _old, ...policy } = policies[service] ?? {};
  if (values !== undefined) policy[attribute] = values;
  if (Object.keys(policy).length > 0) policies[service] = policy;
  else delete policies[service];
  return { ...d, broker: { ...d.broker, filter_policies: policies } };
}

export type DraftSpike = NonNullable<Draft['workload']['spikes']>[number];

/** A burst of orders: 20 s in, for 5 s, at five times the usual rate (at least 50/s). */
export function addSpike(d: Draft): Draft {
  const rate = Number.isFinite(d.workload.rate_per_s) ? d.workload.rate_per_s : 0;
  const spike: DraftSpike = {
    at_ms: 20_000,
    duration_ms: 5_000,
    rate_per_s: Math.max(50, rate * 5),
  };
  return { ...d, workload: { ...d.workload, spikes: [...(d.workload.spikes ?? []), spike] } };
}

export function updateSpike(d: Draft, index: number, patch: Partial<DraftSpike>): Draft {
  const spikes = [...(d.workload.spikes ?? [])];
  const old = spikes[index];
  if (!old) return d;
  spikes[index] = { ...old, ...patch } as DraftSpike;
  return { ...d, workload: { ...d.workload, spikes } };
}

export function removeSpike(d: Draft, index: number): Draft {
  const spikes = (d.workload.spikes ?? []).filter((_, i) => i !== index);
  return { ...d, workload: { ...d.workload, spikes } };
}

/** How many keys (customers) orders carry: the partition key and FIFO message group. Undefined: the default. */
export function setKeys(d: Draft, keys: number | undefined): Draft {
  const { keys: _old, ...rest } = d.workload;
  return { ...d, workload: keys === undefined ? rest : { ...rest, keys } };
}

/**
 * Poison orders: a share of orders the chosen services can never process (every attempt
 * fails). `null` turns them off; a patch turns them on (5% for no service yet) or changes them.
 */
export function setPoison(d: Draft, patch: { rate?: number; services?: string[] } | null): Draft {
  const { poison: old, ...workload } = d.workload;
  if (patch === null) return old ? { ...d, workload } : d;
  const poison = { rate: 0.05, services: [] as string[], ...old, ...patch };
  return { ...d, workload: { ...workload, poison } };
}

/** A single order at an exact moment, on top of the random arrivals (10 s in when none is given). */
export function addOrder(d: Draft, at_ms = 10_000): Draft {
  return { ...d, workload: { ...d.workload, orders: [...(d.workload.orders ?? []), { at_ms }] } };
}

export function updateOrder(d: Draft, index: number, at_ms: number): Draft {
  const orders = [...(d.workload.orders ?? [])];
  if (!orders[index]) return d;
  orders[index] = { at_ms };
  return { ...d, workload: { ...d.workload, orders } };
}

export function removeOrder(d: Draft, index: number): Draft {
  const orders = (d.workload.orders ?? []).filter((_, i) => i !== index);
  return { ...d, workload: { ...d.workload, orders } };
}

/**
 * An attribute every order carries, one of `values` picked per order (what SNS filter
 * policies match); undefined removes it.
 */
export function setAttribute(d: Draft, name: string, values: string[] | undefined): Draft {
  const { [name]: _old, ...rest } = d.workload.attributes ?? {};
  const attributes = values === undefined ? rest : { ...d.workload.attributes, [name]: values };
  return { ...d, workload: { ...d.workload, attributes } };
}

/** Keep where the learner put a service on the canvas (a drawing hint; no run reads it). */
export function moveService(d: Draft, id: string, at: Point): Draft {
  return { ...d, layout: { ...d.layout, [id]: { x: Math.round(at.x), y: Math.round(at.y) } } };
}

/** Forget every dragged position: the editor places all services again, in columns. */
export function autoLayout(d: Draft): Draft {
  if (!d.layout) return d;
  const { layout: _layout, ...rest } = d;
  return rest;
}

/** A topic pattern (`order.*`, `#.eu`) rather than one event's name. */
export const isPattern = (binding: string) => binding.includes('*') || binding.includes('#');

/** Every event type the draft names (emitted or subscribed to by name), sorted. */
export function eventTypes(d: Draft): string[] {
  const all = new Set<string>();
  for (const svc of d.services) {
    for (const t of svc.emits ?? []) all.add(t);
    for (const t of svc.subscribes ?? []) if (!isPattern(t)) all.add(t);
  }
  return [...all].sort();
}

/** Every topic pattern a service subscribes with, sorted. */
export function patterns(d: Draft): string[] {
  const all = new Set<string>();
  for (const svc of d.services) for (const t of svc.subscribes ?? []) if (isPattern(t)) all.add(t);
  return [...all].sort();
}

/** The draft's topic exchange, if it has one: only there do patterns match several events. */
export const topicExchange = (d: Draft) =>
  d.broker?.kind === 'queue' && d.broker.exchange === 'topic';

/** A node on the editor's canvas that stands for an event type or a topic pattern. */
export const eventNodeId = (binding: string) =>
  isPattern(binding) ? `pattern:${binding}` : `event:${binding}`;

/** The event type or pattern an event node stands for, or null for a service's node. */
export function bindingOfNode(nodeId: string): string | null {
  const m = /^(?:event|pattern):(.+)$/.exec(nodeId);
  return m ? (m[1] as string) : null;
}

/**
 * A line drawn on the canvas when events are shown as nodes: from a service to an event it
 * now emits, from an event or pattern to a service that now subscribes to it, or from one
 * service to another (`connect`). Returns why not for any other line.
 */
export function link(d: Draft, from: string, to: string): { draft: Draft } | { problem: string } {
  const fromBinding = bindingOfNode(from);
  const toBinding = bindingOfNode(to);
  const service = (id: string) => d.services.find((s) => s.id === id);
  if (fromBinding === null && toBinding === null) return connect(d, from, to);
  if (fromBinding === null && toBinding !== null) {
    const svc = service(from);
    if (!svc) return { problem: 'Draw from a service to an event it emits.' };
    if (isPattern(toBinding))
      return {
        problem: `${toBinding} is a pattern, not an event: a service emits events by name. Draw from the pattern to a service to subscribe it.`,
      };
    if ((svc.emits ?? []).includes(toBinding))
      return { problem: `${svc.name || from} already emits ${toBinding}.` };
    return { draft: setEmits(d, from, toBinding, true) };
  }
  if (fromBinding !== null && toBinding === null) {
    const svc = service(to);
    if (!svc) return { problem: 'Draw from an event to a service that subscribes to it.' };
    if ((svc.subscribes ?? []).includes(fromBinding))
      return { problem: `${svc.name || to} already subscribes to ${fromBinding}.` };
    return { draft: setSubscribes(d, to, fromBinding, true) };
  }
  return {
    problem:
      'Draw from a service to an event it emits, or from an event to a service that subscribes to it.',
  };
}

/** Service -> event, event -> subscriber, event -> matching pattern, pattern -> subscriber: the lines of the events view. */
export function eventNodeLinks(
  d: Draft,
): { from: string; to: string; kind: 'emits' | 'subscribes' | 'matches' }[] {
  const out: { from: string; to: string; kind: 'emits' | 'subscribes' | 'matches' }[] = [];
  for (const svc of d.services) {
    for (const t of svc.emits ?? []) out.push({ from: svc.id, to: eventNodeId(t), kind: 'emits' });
    for (const b of svc.subscribes ?? [])
      out.push({ from: eventNodeId(b), to: svc.id, kind: 'subscribes' });
  }
  const topic = topicExchange(d);
  for (const p of patterns(d))
    for (const t of eventTypes(d))
      if (bindingMatches(p, t, topic))
        out.push({ from: eventNodeId(t), to: eventNodeId(p), kind: 'matches' });
  return out;
}

/** Emitter -> subscriber pairs, one per event type a subscription matches. */
export function eventLinks(d: Draft): { from: string; to: string; type: string }[] {
  const topic = d.broker?.kind === 'queue' && d.broker.exchange === 'topic';
  const out: { from: string; to: string; type: string }[] = [];
  for (const emitter of d.services)
    for (const type of emitter.emits ?? [])
      for (const sub of d.services)
        if ((sub.subscribes ?? []).some((b) => bindingMatches(b, type, topic)))
          out.push({ from: emitter.id, to: sub.id, type });
  return out;
}

// ---------------------------------------------------------------------------------
// Validation

export type DraftCheck =
  | { ok: true; scenario: Scenario; problems: [] }
  | { ok: false; scenario: null; problems: ScenarioProblem[] };

/** Validate a draft exactly as a scenario file is validated. */
export function checkDraft(d: Draft): DraftCheck {
  const r = parseScenario(d);
  return r.ok
    ? { ok: true, scenario: r.scenario, problems: [] }
    : { ok: false, scenario: null, problems: r.problems };
}

/** A problem shown where it belongs: on a service (with the field it concerns) or on the system. */
export interface PlacedProblem {
  /** The service it concerns, or null for the system (entry, broker, workload...). */
  service: string | null;
  /** The field under the service (`latency_ms`, `subscribes[0]`) or the scenario path. */
  field: string;
  /** The sentence a learner reads: what is wrong, naming the field. */
  text: string;
  path: string;
}

const FIELD_LABELS: Record<string, string> = {
  id: 'Id',
  name: 'Name',
  latency_ms: 'Latency',
  concurrency: 'Workers',
  replicas: 'Replicas',
  emits: 'Emits',
  subscribes: 'Subscribes to',
  idempotent: 'Idempotent',
  publish: 'Publish mode',
  outbox_poll_ms: 'Outbox poll',
  entry: 'Entry service',
  faults: 'Fault',
  chain: 'Call order',
  workload: 'Workload',
  broker: 'Broker',
  delivery: 'Delivery',
  sync: 'Request chain',
};

/** A scheduled fault's settings, as the inspector names them. */
const FAULT_LABELS: Record<string, string> = {
  service: 'service',
  at_ms: 'starts at',
  duration_ms: 'lasts',
  mode: 'kind',
  factor: 'slower by',
  error_rate: 'share failing',
};

/** A workload spike's settings, as the inspector names them. */
const SPIKE_LABELS: Record<string, string> = {
  at_ms: 'starts at',
  duration_ms: 'lasts',
  rate_per_s: 'orders per second',
};

/** The parts of a latency distribution, as the inspector names them. */
const LATENCY_LABELS: Record<string, string> = {
  dist: 'distribution',
  mean_ms: 'mean',
  median_ms: 'median',
  sigma: 'spread',
  min_ms: 'shortest',
  max_ms: 'longest',
};

/** `services[2].latency_ms.mean_ms` -> { index 2, field `latency_ms.mean_ms` }. */
const SERVICE_PATH = /^services\[(\d+)\](?:\.(.+))?$/;

/** Where each problem of `problems` belongs in `d`, with a sentence that names it. */
export function placeProblems(d: Draft, problems: readonly ScenarioProblem[]): PlacedProblem[] {
  return problems.map((p) => {
    const m = SERVICE_PATH.exec(p.path);
    if (m) {
      const svc = d.services[Number(m[1])];
      const field = m[2] ?? '';
      const head = field.split(/[.[]/)[0] ?? '';
      const list = /^(subscribes|emits)\[(\d+)\]/.exec(field);
      const item = list ? (svc?.[list[1] as 'subscribes' | 'emits']?.[Number(list[2])] ?? '') : '';
      const sub = head === 'latency_ms' ? LATENCY_LABELS[field.split('.')[1] ?? ''] : undefined;
      const label = `${FIELD_LABELS[head] ?? (head || 'Service')}${sub ? ` (${sub})` : ''}`;
      return {
        service: svc?.id ?? null,
        field,
        path: p.path,
        text: `${label}${item ? ` ${item}` : ''}: ${p.message}`,
      };
    }
    const head = p.path.split(/[.[]/)[0] ?? '';
    const fault = /^faults\[(\d+)\](?:\.(.+))?$/.exec(p.path);
    if (fault)
      return {
        service: null,
        field: p.path,
        path: p.path,
        text: `Fault ${Number(fault[1]) + 1}${fault[2] ? ` (${FAULT_LABELS[fault[2]] ?? fault[2]})` : ''}: ${p.message}`,
      };
    const policy = /^broker\.filter_policies\.([^.]+)(?:\.(.+))?$/.exec(p.path);
    const owner = policy ? d.services.find((s) => s.id === policy[1]) : undefined;
    if (policy && owner)
      return {
        service: owner.id,
        field: policy[2] ? `filter_policy.${policy[2]}` : 'filter_policy',
        path: p.path,
        text: `Filter policy${policy[2] ? ` (${policy[2]})` : ''}: ${p.message}`,
      };
    const spike = /^workload\.spikes\[(\d+)\](?:\.(.+))?$/.exec(p.path);
    if (spike)
      return {
        service: null,
        field: p.path,
        path: p.path,
        text: `Spike ${Number(spike[1]) + 1}${spike[2] ? ` (${SPIKE_LABELS[spike[2]] ?? spike[2]})` : ''}: ${p.message}`,
      };
    const attribute = /^workload\.attributes\.([^[]+)/.exec(p.path);
    if (attribute)
      return {
        service: null,
        field: p.path,
        path: p.path,
        text: `Order attribute ${attribute[1]}: ${p.message}`,
      };
    const label = head === 'name' ? 'Scenario name' : (FIELD_LABELS[head] ?? p.path);
    const text =
      head === 'entry' && entryMissing(d)
        ? 'Entry service: choose which service users call (the one it named was deleted)'
        : `${label}${head !== p.path && label !== p.path ? ` (${p.path})` : ''}: ${p.message}`;
    return { service: null, field: p.path, path: p.path, text };
  });
}
