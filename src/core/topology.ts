/**
 * The event graph of a scenario and the loops in it. An event type leads to every
 * subscriber whose bindings select it, and each subscriber leads to the events it
 * emits; a loop in that graph means an order's events go round and round.
 *
 * - A loop whose every hop can take 0 ms makes endless events at one simulated moment:
 *   the run never advances (refused).
 * - A group of loops where some event leads back more than once (two subscribers both
 *   re-emitting it, a subscriber emitting two events that both come back) doubles the
 *   copies of an order at every round (refused).
 * - One simple loop with a delay keeps one event per order circulating forever: the
 *   run is bounded, but never settles (a warning).
 *
 * Validation (`parseScenario`) and the CLI use the same sentences, so a run stopped by
 * a limit can say why in the words the teacher saw.
 */
/**
 * What the analysis reads of a scenario: its shape, not the schema (scenario.ts validates
 * with this module, so it cannot depend on scenario.ts).
 */
export type LatencySpec =
  | number
  | {
      dist: 'fixed' | 'exponential' | 'lognormal' | 'uniform';
      mean_ms?: number;
      median_ms?: number;
      sigma?: number;
      min_ms?: number;
      max_ms?: number;
    };

export interface TopologyInput {
  entry: string;
  network_ms: number;
  broker: { kind: string; exchange?: string };
  services: readonly {
    id: string;
    name: string;
    latency_ms: LatencySpec;
    emits: readonly string[];
    subscribes: readonly string[];
    on_failure_emits?: readonly string[];
  }[];
}

type Scenario = TopologyInput;

/**
 * The event types of a scenario, in the order their numbers are given: what services emit,
 * then the failure events of sagas (`on_failure_emits`) that nothing emits otherwise.
 */
export function eventTypesOf(s: Pick<TopologyInput, 'services'>): string[] {
  return [
    ...new Set([
      ...s.services.flatMap((svc) => svc.emits),
      ...s.services.flatMap((svc) => svc.on_failure_emits ?? []),
    ]),
  ];
}

/**
 * Does a binding select an event? Plain names must be equal. With a topic exchange,
 * patterns match dot-separated words: `*` is exactly one word, `#` zero or more.
 */
export function bindingMatches(binding: string, routingKey: string, topic: boolean): boolean {
  if (!topic || (!binding.includes('*') && !binding.includes('#'))) return binding === routingKey;
  const pattern = binding.split('.');
  const words = routingKey.split('.');
  // Memoised match of pattern[i..] against words[j..].
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const k = i * (words.length + 1) + j;
    const known = memo.get(k);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === pattern.length) result = j === words.length;
    else if (pattern[i] === '#') result = match(i + 1, j) || (j < words.length && match(i, j + 1));
    else
      result =
        j < words.length && (pattern[i] === '*' || pattern[i] === words[j]) && match(i + 1, j + 1);
    memo.set(k, result);
    return result;
  };
  return match(0, 0);
}

/** One hop of the event graph: `service` receives `from` and publishes `to`. */
export interface EventHop {
  from: string;
  to: string;
  /** Index in `scenario.services`. */
  service: number;
  /** Index in that service's `subscribes`: the binding that selects `from`. */
  binding: number;
  /** Index in that service's `emits`: a type listed twice is two hops (two copies). */
  emit: number;
  /** A saga's failure hop: `emit` indexes `on_failure_emits` (published when the copy fails for good). */
  onFailure?: true;
  /** Can this hop take 0 ms (no network time, a latency that can be 0)? */
  instant: boolean;
}

export type LoopKind = 'instant' | 'multiplying' | 'circulating';

/** A loop in the event graph and what it does to a run. */
export interface EventLoop {
  kind: LoopKind;
  /** Event types on the loop, in the order they follow each other. */
  events: string[];
  /** Ids of the services that pass them on. */
  services: string[];
  /** Where to change the file: `services[1].subscribes[0]`. */
  path: string;
  /**
   * What the loop does, in words a teacher reads: `each OrderCreated makes two more`,
   * `every order's OrderCreated circulates forever through Payment Service`.
   */
  reason: string;
  /** The whole sentence shown at `path`. */
  message: string;
}

/** What `analyseTopology` finds. */
export interface TopologyAnalysis {
  /** Every hop: event type -> subscriber -> emitted event type. */
  hops: EventHop[];
  /** Loops reachable from the entry service's events, worst first. */
  loops: EventLoop[];
  /** Loops that make a scenario unrunnable (`instant`, `multiplying`). */
  problems: { path: string; message: string }[];
  /** Loops a run survives but never settles from (`circulating`). */
  warnings: { path: string; message: string }[];
}

/** Can one run of this latency take 0 ms? Any distribution whose minimum is 0 can. */
export function latencyCanBeZero(latency: LatencySpec): boolean {
  if (typeof latency === 'number') return latency === 0;
  switch (latency.dist) {
    case 'fixed':
      return (latency.mean_ms ?? 0) === 0;
    case 'exponential':
      return true;
    case 'lognormal':
      return (latency.median_ms ?? 0) === 0;
    case 'uniform':
      return (latency.min_ms ?? 0) === 0;
  }
}

const NUMBER_WORDS = [
  'no',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];
const count = (n: number) => NUMBER_WORDS[n] ?? String(n);

/** `A`, `A and B`, `A, B and C` */
function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Every hop of the scenario's event graph, services that join later included. */
export function eventHops(s: Scenario): EventHop[] {
  const topic = s.broker.kind === 'queue' && s.broker.exchange === 'topic';
  const types = eventTypesOf(s);
  const hops: EventHop[] = [];
  s.services.forEach((svc, service) => {
    const instant = s.network_ms === 0 && latencyCanBeZero(svc.latency_ms);
    for (const from of types) {
      // One queue per subscriber: several bindings that select a type still make one copy.
      const binding = svc.subscribes.findIndex((b) => bindingMatches(b, from, topic));
      if (binding < 0) continue;
      svc.emits.forEach((to, emit) => {
        hops.push({ from, to, service, binding, emit, instant });
      });
      svc.on_failure_emits?.forEach((to, emit) => {
        hops.push({ from, to, service, binding, emit, instant, onFailure: true });
      });
    }
  });
  return hops;
}

/** Strongly connected groups of event types (Tarjan), each a list of types. */
function stronglyConnected(types: readonly string[], hops: readonly EventHop[]): string[][] {
  const next = new Map<string, string[]>(types.map((t) => [t, []]));
  for (const h of hops) next.get(h.from)?.push(h.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  // At most 256 event types (32 services x 8 emits): recursion depth is no concern.
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      groups.push(group.sort((a, b) => types.indexOf(a) - types.indexOf(b)));
    }
  };
  for (const t of types) if (!index.has(t)) visit(t);
  return groups;
}

/** The shortest loop from `start` back to itself using only `hops` (breadth first). */
function shortestLoop(start: string, hops: readonly EventHop[]): EventHop[] {
  const via = new Map<string, EventHop>();
  let frontier = [start];
  while (frontier.length > 0) {
    const nextFrontier: string[] = [];
    for (const v of frontier) {
      for (const h of hops) {
        if (h.from !== v) continue;
        if (h.to === start) {
          const loop = [h];
          for (let at = v; at !== start; ) {
            const back = via.get(at) as EventHop;
            loop.unshift(back);
            at = back.from;
          }
          return loop;
        }
        if (!via.has(h.to)) {
          via.set(h.to, h);
          nextFrontier.push(h.to);
        }
      }
    }
    frontier = nextFrontier;
  }
  return [];
}

const bindingPath = (h: EventHop) => `services[${h.service}].subscribes[${h.binding}]`;

/**
 * Find the loops of a validated scenario's event graph, whatever its `architecture`
 * (compare mode and `--arch event` run every file as event fan-out).
 */
export function analyseTopology(s: Scenario): TopologyAnalysis {
  const hops = eventHops(s);
  const name = (h: EventHop) => s.services[h.service]?.name ?? '';
  const types = eventTypesOf(s);

  // Only what the entry service's orders can reach runs; a loop nobody feeds is inert.
  const reached = new Set(s.services.find((svc) => svc.id === s.entry)?.emits ?? []);
  for (let grew = true; grew; ) {
    grew = false;
    for (const h of hops) {
      if (reached.has(h.from) && !reached.has(h.to)) {
        reached.add(h.to);
        grew = true;
      }
    }
  }
  const live = hops.filter((h) => reached.has(h.from));
  const loops: EventLoop[] = [];

  /** `Payment Service re-emits OrderCreated, which it subscribes to` or a longer ring. */
  const tell = (loop: readonly EventHop[]): string => {
    const [first] = loop;
    if (loop.length === 1 && first)
      return `${name(first)} re-emits ${first.from}, which it subscribes to`;
    return listOf(
      loop.map((h, i) =>
        i === loop.length - 1
          ? `${name(h)} turns ${h.from} back into ${h.to}`
          : `${name(h)} turns ${h.from} into ${h.to}`,
      ),
    );
  };

  // Loops whose every hop can take no time at all.
  const instantHops = live.filter((h) => h.instant);
  for (const group of stronglyConnected(types, instantHops)) {
    const inside = instantHops.filter((h) => group.includes(h.from) && group.includes(h.to));
    const start = group[0];
    if (inside.length === 0 || start === undefined) continue;
    const loop = shortestLoop(start, inside);
    const first = loop[0];
    if (!first) continue;
    const services = [...new Set(loop.map((h) => s.services[h.service]?.id ?? ''))];
    const reason = `${tell(loop)}, with no delay: the run would never advance`;
    loops.push({
      kind: 'instant',
      events: loop.map((h) => h.from),
      services,
      path: bindingPath(first),
      reason,
      message: `${reason} (set network_ms above 0, or give ${services.length === 1 ? 'it' : 'one of them'} a latency that is never 0)`,
    });
  }

  for (const group of stronglyConnected(types, live)) {
    const inside = live.filter((h) => group.includes(h.from) && group.includes(h.to));
    if (inside.length === 0) continue;
    // One way out of every event of the group: a single loop, one copy going round.
    // Anything more (an irreducible integer matrix with a spectral radius above 1)
    // multiplies the copies of an order at every round.
    const branching = group.find((t) => inside.filter((h) => h.from === t).length > 1);
    if (branching === undefined) {
      const loop = shortestLoop(group[0] as string, inside);
      const events = loop.map((h) => h.from);
      const names = [...new Set(loop.map(name))];
      const reason = `every order's ${listOf(events)} ${events.length === 1 ? 'circulates' : 'circulate'} forever through ${listOf(names)}`;
      loops.push({
        kind: 'circulating',
        events,
        services: [...new Set(loop.map((h) => s.services[h.service]?.id ?? ''))],
        path: bindingPath(loop[0] as EventHop),
        reason,
        message: `${reason}; the run never drains, and each new order adds to the traffic`,
      });
      continue;
    }
    const out = inside.filter((h) => h.from === branching);
    const selfOnly = out.every((h) => h.to === branching);
    const who = [...new Set(out.map((h) => h.service))];
    let how: string;
    if (selfOnly && who.length === out.length) {
      how = `${listOf(who.map((i) => s.services[i]?.name ?? ''))} ${who.length === 2 ? 'both' : 'all'} re-emit it`;
    } else {
      // Per service: `Payment Service emits PaymentCompleted twice`, `... and re-emits it`.
      how = listOf(
        who.map((i) => {
          const mine = out.filter((h) => h.service === i);
          const times = (item: string, k: number) =>
            k === 1 ? item : k === 2 ? `${item} twice` : `${item} ${count(k)} times`;
          const others = [...new Set(mine.filter((h) => h.to !== branching).map((h) => h.to))];
          const self = mine.filter((h) => h.to === branching).length;
          const parts = [
            ...(others.length > 0
              ? [
                  `emits ${listOf(others.map((t) => times(t, mine.filter((h) => h.to === t).length)))}`,
                ]
              : []),
            ...(self > 0 ? [times('re-emits it', self)] : []),
          ];
          return `${s.services[i]?.name} ${parts.join(' and ')}`;
        }),
      );
    }
    const reason = `each ${branching} ${selfOnly ? 'makes' : 'leads to'} ${count(out.length)} more`;
    // Point at the hop that adds the extra copy: the second way out.
    const [one, two] = out as [EventHop, EventHop];
    const path =
      two.service === one.service && two.binding === one.binding
        ? `services[${two.service}].${two.onFailure ? 'on_failure_emits' : 'emits'}[${two.emit}]`
        : bindingPath(two);
    loops.push({
      kind: 'multiplying',
      events: group,
      services: [...new Set(inside.map((h) => s.services[h.service]?.id ?? ''))],
      path,
      reason,
      message: `${reason} (${how}): the copies of every order would multiply at every round, without end`,
    });
  }

  const order: Record<LoopKind, number> = { instant: 0, multiplying: 1, circulating: 2 };
  loops.sort((a, b) => order[a.kind] - order[b.kind]);
  const problems = loops
    .filter((l) => l.kind !== 'circulating')
    .map((l) => ({ path: l.path, message: l.message }));
  const warnings = loops
    .filter((l) => l.kind === 'circulating')
    .map((l) => ({ path: l.path, message: l.message }));
  return { hops, loops, problems, warnings };
}

/**
 * Why a run that hit an event limit kept going, from the scenario's loops, or
 * undefined when its event graph has none (then it was simply a large run).
 */
export function runawayReason(s: Scenario): string | undefined {
  return analyseTopology(s).loops[0]?.reason;
}
