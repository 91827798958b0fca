/**
 * Every kind of learner action, in one list. Everything else is derived from it: the
 * `Intervention` type and its schema (setup files, saved sessions), the share link's
 * spelling, the timeline's markers and sentences, the verbs walkthroughs write, and how
 * the engine applies each one. To add a kind, add a file beside this one and list it here.
 */
import { z } from 'zod';
import type { Scenario } from '../scenario';
import type { EngineAccess, LessonVerb, MarkerSpec, RunFacts, VerbContext } from './define';
import { fault } from './fault';
import { idempotent } from './idempotent';
import { leaderChange } from './leaderChange';
import { order } from './order';
import { rate } from './rate';
import { redrive } from './redrive';
import { resetOffsets } from './resetOffsets';
import { scale } from './scale';
import { spike } from './spike';
import { subscribe } from './subscribe';

export type { EngineAccess, MarkerKind, MarkerSpec, RunFacts, VerbContext } from './define';
export { MAX_AT_MS } from './define';
export { describeFault } from './fault';
export type { OffsetTarget } from './resetOffsets';
export { MAX_RATE_PER_S } from './rate';
export { MAX_CONCURRENCY, MAX_REPLICAS } from './scale';

/** The registry, in the order the link format numbered its letters. */
export const INTERVENTION_KINDS = [
  fault,
  scale,
  rate,
  spike,
  order,
  subscribe,
  resetOffsets,
  redrive,
  idempotent,
  leaderChange,
] as const;

type Kinds = (typeof INTERVENTION_KINDS)[number];

/** Something the learner did, at a simulated moment. Replayed exactly on `seek`. */
export type Intervention = z.output<Kinds['schema']>;
export type InterventionKindName = Intervention['kind'];
/** An intervention without its moment: what a learner does now. */
export type InterventionBody = Intervention extends infer I
  ? I extends Intervention
    ? Omit<I, 'at'>
    : never
  : never;
/** The intervention of one kind. */
export type InterventionOf<K extends InterventionKindName> = Extract<Intervention, { kind: K }>;

/** Validates one stored intervention (shape and ranges; services are checked with `scenarioProblems`). */
export const interventionSchema = z.discriminatedUnion(
  'kind',
  INTERVENTION_KINDS.map((k) => k.schema) as unknown as [Kinds['schema'], ...Kinds['schema'][]],
);

// A kind is looked up by its name from untrusted input: own properties only.
const byKind = new Map<string, Kinds>(INTERVENTION_KINDS.map((k) => [k.kind, k]));
const byCode = new Map<string, Kinds>(INTERVENTION_KINDS.map((k) => [k.link.code, k]));

/** Names of every kind, for messages. */
export const KIND_NAMES: readonly string[] = INTERVENTION_KINDS.map((k) => k.kind);

/**
 * A kind seen through its name: each kind's functions are typed for its own body, and
 * the body handed to them here is one of that kind (checked by the schema on the way in).
 */
interface KindByName {
  kind: string;
  sides: 'all' | 'event';
  services?(body: unknown): string[];
  problem?(run: RunFacts, body: unknown): string | null;
  apply(run: EngineAccess, body: unknown): void;
  link: {
    code: string;
    encode(body: unknown, serviceIndex: (id: string) => number): unknown[];
    decode(
      args: unknown[],
      serviceId: (index: unknown) => unknown,
    ): Record<string, unknown> | string;
  };
  marker(body: unknown, name: (serviceId: string) => string): MarkerSpec;
  verbs: LessonVerb<unknown>[];
}
const kindOf = (kind: string): KindByName => {
  const k = byKind.get(kind);
  if (!k) throw new Error(`unknown intervention kind "${kind}"`);
  return k as unknown as KindByName;
};

/**
 * Which sides an intervention reaches: every visible one, or (`event`) only the sides with
 * a broker: event fan-out and orchestration.
 */
export function interventionSides(kind: InterventionKindName): 'all' | 'event' {
  return kindOf(kind).sides;
}

/** Apply an intervention to a run now (the caller has checked it). */
export function applyIntervention(run: EngineAccess, i: InterventionBody): void {
  kindOf(i.kind).apply(run, i);
}

/**
 * Why this cannot be done now on this run, or null: the services it names must exist,
 * an action on the broker needs one, and the kind's own rule must hold.
 */
export function interventionProblem(
  run: RunFacts & { readonly architecture: string },
  i: InterventionBody,
): string | null {
  for (const id of servicesNamed(i)) {
    if (!run.model.services.some((s) => s.id === id))
      return `there is no service "${id.slice(0, 40)}" here`;
  }
  if (kindOf(i.kind).sides === 'event' && run.architecture === 'chain')
    return 'a request chain has no broker';
  return kindOf(i.kind).problem?.(run, i) ?? null;
}

/** Services an intervention names. */
export function servicesNamed(i: InterventionBody): string[] {
  return kindOf(i.kind).services?.(i) ?? [];
}

/** The timeline marker and one-line sentence of an intervention. */
export function interventionMarker(
  i: InterventionBody,
  name: (serviceId: string) => string,
): MarkerSpec {
  return kindOf(i.kind).marker(i, name);
}

/** `"service" is not a service of scenario "x"` problems, one per named service that does not exist. */
export function scenarioProblems(
  i: InterventionBody,
  scenario: Scenario,
): { path: string; message: string }[] {
  const ids = new Set(scenario.services.map((s) => s.id));
  return servicesNamed(i)
    .filter((id) => !ids.has(id))
    .map((id) => ({
      path: 'service',
      message: `${JSON.stringify(id).slice(0, 42)} is not a service of scenario "${scenario.id}"`,
    }));
}

// ---------------------------------------------------------------------------------
// Share links: `[dt, code, ...values]`, services by their position in the scenario.

/** One intervention as a link tuple; `dt` is the time since the previous one. */
export function encodeIntervention(
  i: Intervention,
  dt: number,
  serviceIndex: (id: string) => number,
): unknown[] {
  return [dt, kindOf(i.kind).link.code, ...kindOf(i.kind).link.encode(i, serviceIndex)];
}

/**
 * A link tuple back to the setup-file shape (not yet validated), or a problem. `at` is
 * the moment the caller worked out from the time deltas.
 */
export function decodeIntervention(
  code: unknown,
  args: unknown[],
  at: number,
  serviceId: (index: unknown) => unknown,
): Record<string, unknown> | string {
  const k = typeof code === 'string' ? byCode.get(code) : undefined;
  if (!k) return 'unknown action';
  const body = (k as unknown as KindByName).link.decode(args, serviceId);
  return typeof body === 'string' ? body : { at, kind: k.kind, ...body };
}

// ---------------------------------------------------------------------------------
// Lessons: the verbs walkthroughs write, derived from each kind's own list.

export interface EngineVerb {
  kind: InterventionKindName;
  verb: LessonVerb<unknown>;
}

/** Every engine verb lessons may use, by `do`. */
export const LESSON_VERBS: ReadonlyMap<string, EngineVerb> = new Map(
  INTERVENTION_KINDS.flatMap((k) =>
    k.verbs.map((verb) => [verb.do, { kind: k.kind, verb: verb as LessonVerb<unknown> }] as const),
  ),
);

/** Schemas of the engine verbs (`{ do: 'outage', ... }`), for the lesson schema's union. */
export function lessonVerbSchemas(): z.ZodObject[] {
  return [...LESSON_VERBS.values()].map(({ verb }) =>
    z.strictObject({ do: z.literal(verb.do), ...verb.fields }),
  );
}

/** The interventions one lesson verb stands for, now. */
export function verbToInterventions(
  action: { do: string } & Record<string, unknown>,
  context: VerbContext,
): InterventionBody[] {
  const entry = LESSON_VERBS.get(action.do);
  if (!entry) return [];
  return entry.verb
    .toBodies(action, context)
    .map((body) => ({ kind: entry.kind, ...(body as object) }) as InterventionBody);
}
