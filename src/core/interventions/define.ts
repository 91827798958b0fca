/**
 * The shape of one kind of learner action. Each kind lives in its own file in this
 * folder and says everything about itself: its fields, how it changes a run, how a
 * share link spells it, the label the timeline and sentences use, and the verbs
 * walkthroughs write. Store actions, link encoding, setup validation, markers and the
 * lesson vocabulary are all derived from the list in `index.ts`, so adding a kind is one
 * new file (plus its tests).
 */
import { z } from 'zod';
import type { EngineOps } from '../engineOps';
import type { Model } from '../model';
import type { Scenario } from '../scenario';
import type { RunContext, SimState } from '../state';

/**
 * What an intervention may touch when it applies: the run's context and state, at
 * `state.now`, and the engine's operations. These come with the run rather than by import,
 * so a kind's file loads no engine code (engineOps.ts says why).
 */
export interface EngineAccess {
  ctx: RunContext;
  state: SimState;
  ops: EngineOps;
  /** Index of a service by id; the id was checked against the scenario before. */
  service(id: string): number;
}

/**
 * What a kind may read to say whether it can be done now. A `Simulation` has this shape,
 * and so does the page's mirror of a run, so both ask the same question the same way.
 */
export interface RunFacts {
  readonly scenario: Scenario;
  readonly model: Model;
  service(index: number): { down: boolean; subscribed: boolean };
}

/** Index of a service by id in a run's model, or -1. */
export function serviceIndexIn(facts: RunFacts, id: string): number {
  return facts.model.services.findIndex((s) => s.id === id);
}

/** How the timeline draws an action. */
export type MarkerKind = 'fault' | 'spike' | 'action';

export interface MarkerSpec {
  kind: MarkerKind;
  /** One line in the learner's voice, e.g. "You took Email Service down". */
  label: string;
  /** For actions that last (a spike): how long, ms. */
  durationMs?: number;
}

/** What a lesson's verb may read to turn itself into interventions. */
export interface VerbContext {
  /** A service's current workers per replica. */
  concurrency(serviceId: string): number;
}

/**
 * A verb walkthroughs write (`{ "do": "outage", "service": "email", "down": true }`): its
 * fields, and the interventions it stands for.
 */
export interface LessonVerb<B> {
  do: string;
  fields: z.ZodRawShape;
  /** The interventions (bodies, without `at`) this verb performs now. */
  toBodies(verb: Record<string, unknown>, context: VerbContext): B[];
}

/** Services an intervention names: checked against the scenario on every way in. */
export type ServiceRefs<B> = (body: B) => string[];

export interface InterventionSpec<K extends string, Shape extends z.ZodRawShape> {
  kind: K;
  /** The fields beyond `at` and `kind`, as setup files write them. */
  fields: Shape;
  /**
   * Which sides it reaches: `all` visible sides, or only the `event` side (an action on
   * the broker itself: a request chain has none).
   */
  sides: 'all' | 'event';
  /** Services it names, for the scenario check. */
  services?: ServiceRefs<z.output<z.ZodObject<Shape>>>;
  /** Why it cannot be done now (e.g. Kafka resets offsets of stopped groups only), or null. */
  problem?(run: RunFacts, body: z.output<z.ZodObject<Shape>>): string | null;
  /** Change the run now. */
  apply(run: EngineAccess, body: z.output<z.ZodObject<Shape>>): void;
  /** Its spelling in a share link: one letter, then positional values (services by index). */
  link: {
    code: string;
    encode(body: z.output<z.ZodObject<Shape>>, serviceIndex: (id: string) => number): unknown[];
    /** Back to the setup-file shape (validated by `fields` afterwards). */
    decode(
      args: unknown[],
      serviceId: (index: unknown) => unknown,
    ): Record<string, unknown> | string;
  };
  /** The timeline marker and sentence; `name` turns a service id into its name. */
  marker(body: z.output<z.ZodObject<Shape>>, name: (serviceId: string) => string): MarkerSpec;
  /** Verbs lessons use for it (content is data: these keep old lessons valid). */
  verbs: LessonVerb<z.output<z.ZodObject<Shape>>>[];
}

/** The fields of a stored intervention: `{ at, kind, ...fields }`. */
export type StoredShape<K extends string, Shape extends z.ZodRawShape> = {
  at: typeof atSchema;
  kind: z.ZodLiteral<K>;
} & Shape;

export type InterventionKind<
  K extends string = string,
  Shape extends z.ZodRawShape = z.ZodRawShape,
> = InterventionSpec<K, Shape> & {
  /** The whole intervention as stored: `{ at, kind, ...fields }`. */
  schema: z.ZodObject<StoredShape<K, Shape>, z.core.$strict>;
};

/** Whole milliseconds of simulated time, from 0 to 30 days (the longest moment a setup may ask for). */
export const MAX_AT_MS = 30 * 24 * 60 * 60 * 1000;
export const atSchema = z.number().int().min(0).max(MAX_AT_MS);
/** A service id as scenarios write it. */
export const serviceIdSchema = z.string().min(1).max(40);

/** Declare one kind. */
export function defineIntervention<K extends string, Shape extends z.ZodRawShape>(
  spec: InterventionSpec<K, Shape>,
): InterventionKind<K, Shape> {
  return {
    ...spec,
    schema: z.strictObject({
      at: atSchema,
      kind: z.literal(spec.kind),
      ...spec.fields,
    }) as unknown as z.ZodObject<StoredShape<K, Shape>, z.core.$strict>,
  };
}

/** `1` / `0` in links for booleans. */
export const bit = (on: boolean): number => (on ? 1 : 0);
export const fromBit = (v: unknown): unknown => (v === 1 ? true : v === 0 ? false : v);
