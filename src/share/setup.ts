/**
 * A playground setup: everything needed to put the playground back in exactly the state
 * a learner had: the scenario (a built-in, or a whole custom one), seed, view, speed,
 * the learner's actions with their simulated moments, and the moment shown.
 *
 * Re-running the scenario with the same seed and the same actions up to `at` gives the
 * same trace (the engine is deterministic), so the same trace hash on every side.
 *
 * The share link, the setup file and the saved session all carry this one shape (the
 * link in a compact spelling, see `link.ts`); `readSetup` is the one validator for all
 * three. It never throws and, given the engine's `BuildCheck`, checks everything the
 * engine would otherwise trip over.
 */
import { type z, z as zod } from 'zod';
import {
  type Intervention,
  INTERVENTION_KINDS,
  interventionSchema,
  KIND_NAMES,
  MAX_AT_MS,
} from '../core/interventions';
import {
  formatProblems,
  parseScenario,
  SCENARIO_VERSION,
  type Scenario,
  type ScenarioProblem,
} from '../core/scenario';
import { MAX_SPEED, MIN_SPEED } from '../run/speeds';
import { MODES, type Mode, type Side, sidesOf } from '../run/modes';
import { findScenario } from '../content/scenarios';
import { fail, ok, type Result, shown } from './result';

export type SetupMode = Mode;
export type SetupSide = Side;

/** Version of the setup shape (file, link and saved session). Newer ones are refused. */
export const SETUP_FORMAT = 1;

export const MAX_SEED = 0xffff_ffff;
/** Most learner actions a setup may carry (the playground refuses more when they happen). */
export const MAX_INTERVENTIONS = 5000;

/**
 * The last check on a custom scenario: build its run (`checkScenarioBuilds` in
 * core/runnable.ts). Passed in by whoever reads a setup, not imported here: it needs the
 * whole engine, which the page loads only when it has a setup to read (a link, a saved
 * session, a file), not for its first screen.
 */
export type BuildCheck = (scenario: Scenario) => ScenarioProblem[];
export { MAX_AT_MS } from '../core/interventions';

export interface Setup {
  scenario: Scenario;
  /** The scenario is exactly the built-in one with its id (links then carry only the id). */
  builtIn: boolean;
  seed: number;
  mode: SetupMode;
  speed: number;
  /** The simulated moment shown, whole milliseconds. */
  at: number;
  /** The learner's actions, for each side the mode shows. */
  interventions: Partial<Record<SetupSide, Intervention[]>>;
}

/** The sides a mode shows, top to bottom (src/run/modes.ts). */
export const sidesOfMode = sidesOf;

/** Is `scenario` exactly the built-in scenario with its id? */
export function isBuiltIn(scenario: Scenario): boolean {
  const builtIn = findScenario(scenario.id);
  return builtIn !== undefined && (builtIn === scenario || sameJson(builtIn, scenario));
}

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------
// Validation

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Collects `path: problem` lines; the first few are what a person needs. */
class Problems {
  readonly lines: string[] = [];
  add(path: string, problem: string): void {
    this.lines.push(`${path}: ${problem}`);
  }
  unknownKeys(value: Obj, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.add(path ? `${path}.${key}` : key, 'is not a known key');
    }
  }
}

/**
 * The setup file's shape (its scenario and actions are checked by their own schemas:
 * `parseScenario` and the registry of learner actions).
 */
const setupFileSchema = zod.strictObject({
  fanout_setup: zod.literal(SETUP_FORMAT),
  about: zod.string().max(2000).optional(),
  scenario: zod.unknown(),
  seed: zod.number().int().min(0).max(MAX_SEED),
  view: zod.enum(MODES as [Mode, ...Mode[]]),
  speed: zod.number().min(MIN_SPEED).max(MAX_SPEED),
  at_ms: zod.number().int().min(0).max(MAX_AT_MS),
  interventions: zod.unknown().optional(),
  interventions_by_side: zod
    .strictObject({
      chain: zod.unknown().optional(),
      event: zod.unknown().optional(),
      orchestration: zod.unknown().optional(),
    })
    .optional(),
});

/**
 * Validate a setup in its file shape (see `setupFile.ts`):
 * `{ fanout_setup, scenario, seed, view, speed, at_ms, interventions, interventions_by_side? }`.
 * `scenario` is a built-in id or a whole scenario (validated with the CLI's schema, and
 * built with `builds` when given).
 * `subject` starts the sentences that refuse it as a whole ("This share link was made by
 * a newer version of Fanout..."); other problems are `path: problem` lines.
 */
export function readSetup(
  input: unknown,
  subject = 'This setup',
  builds?: BuildCheck,
): Result<Setup> {
  if (!isObject(input)) return fail(`${subject} is not a Fanout setup (expected a JSON object).`);
  const format = input.fanout_setup;
  if (typeof format === 'number' && format > SETUP_FORMAT) {
    return fail(
      `${subject} was made by a newer version of Fanout (setup format ${shown(format)}); this version reads format ${SETUP_FORMAT} only. Update Fanout to open it.`,
    );
  }
  const p = new Problems();
  const shape = setupFileSchema.safeParse(input);

  // The scenario first: the actions are checked against its services.
  let scenario: Scenario | undefined;
  let builtIn = false;
  const rawScenario = input.scenario;
  if (typeof rawScenario === 'string') {
    scenario = findScenario(rawScenario);
    builtIn = scenario !== undefined;
    if (!scenario) p.add('scenario', `${shown(rawScenario)} is not a built-in scenario`);
  } else if (isObject(rawScenario)) {
    const parsed = parseScenario(rawScenario);
    const unbuildable = parsed.ok && builds ? builds(parsed.scenario) : [];
    if (parsed.ok && unbuildable.length === 0) {
      scenario = parsed.scenario;
      builtIn = isBuiltIn(scenario);
      if (builtIn) scenario = findScenario(scenario.id) ?? scenario;
    } else if (parsed.ok) {
      for (const line of formatProblems(unbuildable).split('\n')) p.lines.push(`scenario.${line}`);
    } else {
      const version = rawScenario.version;
      if (typeof version === 'number' && version > SCENARIO_VERSION) {
        return fail(
          `${subject} holds a scenario written for a newer version of Fanout (scenario version ${shown(version)}); this version reads scenario version ${SCENARIO_VERSION} only. Update Fanout to open it.`,
        );
      }
      for (const line of formatProblems(parsed.problems).split('\n'))
        p.lines.push(`scenario.${line}`);
    }
  } else {
    p.add('scenario', 'must be a built-in scenario id or a scenario object');
  }
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      const [where, problem] = schemaProblem(issue, setupFileSchema);
      p.add(where.replace(/^\./, ''), problem);
    }
  }

  if (!scenario || !shape.success || p.lines.length > 0) return failWith(p);
  const { view, seed, speed, at_ms: at } = shape.data;
  const bySide = shape.data.interventions_by_side;

  const mode = view;
  const interventions: Partial<Record<SetupSide, Intervention[]>> = {};
  const shared = readInterventions(input.interventions, 'interventions', scenario, p);
  if (bySide !== undefined) {
    for (const side of sidesOfMode(mode)) {
      if (bySide[side] === undefined) continue;
      const list = readInterventions(bySide[side], `interventions_by_side.${side}`, scenario, p);
      if (list) interventions[side] = list;
    }
  }
  for (const side of sidesOfMode(mode)) {
    if (!interventions[side] && shared) interventions[side] = shared;
  }
  if (p.lines.length > 0) return failWith(p);

  return ok({ scenario, builtIn, seed, mode, speed, at, interventions });
}

function failWith(p: Problems): Result<Setup> {
  const n = p.lines.length;
  return fail(
    `${p.lines[0] ?? 'it is not a Fanout setup'}${n > 1 ? ` (and ${n - 1} more)` : ''}`,
    p.lines,
  );
}

/** The schema of one field, found along `path` from `root` (for the bounds a message names). */
function fieldSchema(
  root: z.ZodType | undefined,
  path: readonly PropertyKey[],
): z.ZodType | undefined {
  let cur: z.ZodType | undefined = root;
  for (const key of path) {
    while (cur && (cur instanceof zod.ZodOptional || cur instanceof zod.ZodDefault))
      cur = cur.unwrap() as z.ZodType;
    cur =
      cur instanceof zod.ZodObject
        ? (cur.shape as Record<string, z.ZodType>)[String(key)]
        : undefined;
  }
  while (cur && (cur instanceof zod.ZodOptional || cur instanceof zod.ZodDefault))
    cur = cur.unwrap() as z.ZodType;
  return cur;
}

/** "must be a whole number from 1 to 32": what a number field accepts, from its schema. */
function numberRange(schema: z.ZodType | undefined): string | null {
  if (!(schema instanceof zod.ZodNumber)) return null;
  const whole = schema.format === 'safeint' || schema.isInt;
  const min = schema.minValue;
  const max = schema.maxValue;
  const what = whole ? 'a whole number' : 'a number';
  if (
    min !== null &&
    max !== null &&
    Number.isFinite(min) &&
    Math.abs(max) < Number.MAX_SAFE_INTEGER
  )
    return `must be ${what} from ${min} to ${max}`;
  if (min !== null && Number.isFinite(min)) return `must be ${what} >= ${min}`;
  return `must be ${what}`;
}

/** One schema problem, in the `path: problem` words the rest of the setup uses. */
function schemaProblem(issue: z.core.$ZodIssue, root: z.ZodType | undefined): [string, string] {
  const where = issue.path
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
    .join('');
  switch (issue.code) {
    case 'unrecognized_keys':
      return [`${where}.${issue.keys[0] ?? ''}`, 'is not a known key'];
    case 'invalid_type':
      if (issue.expected === 'boolean') return [where, 'must be true or false'];
      return [where, numberRange(fieldSchema(root, issue.path)) ?? `must be a ${issue.expected}`];
    case 'too_small':
    case 'too_big':
      return [where, numberRange(fieldSchema(root, issue.path)) ?? issue.message];
    case 'invalid_value':
      return [
        where,
        issue.values.length > 2
          ? `must be one of ${issue.values.join(', ')}`
          : `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`,
      ];
    case 'invalid_union':
      // zod puts the discriminator in the path already.
      return 'discriminator' in issue && issue.discriminator
        ? [
            where.endsWith(`.${String(issue.discriminator)}`)
              ? where
              : `${where}.${String(issue.discriminator)}`,
            `must be one of ${KIND_NAMES.join(', ')}`,
          ]
        : [where, 'is not a valid value'];
    default:
      return [where, issue.message];
  }
}

/**
 * One learner action list, checked against the registry's schemas (src/core/interventions)
 * and the scenario it runs on: its services must exist, its moments must not go back.
 */
function readInterventions(
  value: unknown,
  path: string,
  scenario: Scenario,
  p: Problems,
): Intervention[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    p.add(path, 'must be a list of actions');
    return undefined;
  }
  if (value.length > MAX_INTERVENTIONS) {
    p.add(path, `has ${value.length} actions; at most ${MAX_INTERVENTIONS} are allowed`);
    return undefined;
  }
  const before = p.lines.length;
  const out: Intervention[] = [];
  let previousAt = 0;
  value.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(item)) {
      p.add(at, 'must be an object like { "at": 1200, "kind": "fault", ... }');
      return;
    }
    // A service that is not the scenario's is named as such, whatever else is wrong.
    const unknownService =
      'service' in item && !scenario.services.some((svc) => svc.id === item.service);
    if (unknownService)
      p.add(
        `${at}.service`,
        `${shown(item.service)} is not a service of scenario "${scenario.id}"`,
      );
    const parsed = interventionSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (unknownService && issue.path[0] === 'service') continue;
        const [where, problem] = schemaProblem(
          issue,
          INTERVENTION_KINDS.find((k) => k.kind === item.kind)?.schema,
        );
        p.add(`${at}${where}`, problem);
      }
      return;
    }
    if (unknownService) return;
    const read = parsed.data;
    if (read.at < previousAt)
      p.add(`${at}.at`, `must not be earlier than the action before it (${previousAt})`);
    previousAt = read.at;
    out.push(read);
  });
  return p.lines.length === before ? out : undefined;
}

// ---------------------------------------------------------------------------------
// Writing

/** The setup in its file shape: readable JSON that `readSetup` reads back. */
export function setupToJson(setup: Setup, options: { inlineScenario?: boolean } = {}): Obj {
  const sides = sidesOfMode(setup.mode);
  const lists = sides.map((side) => setup.interventions[side] ?? []);
  const first = lists[0] ?? [];
  const same = lists.every((list) => sameJson(list, first));
  const out: Obj = {
    fanout_setup: SETUP_FORMAT,
    scenario: setup.builtIn && !options.inlineScenario ? setup.scenario.id : setup.scenario,
    seed: setup.seed,
    view: setup.mode,
    speed: setup.speed,
    at_ms: setup.at,
    interventions: same ? first : [],
  };
  if (!same) {
    const bySide: Obj = {};
    sides.forEach((side, i) => {
      bySide[side] = lists[i];
    });
    out.interventions_by_side = bySide;
  }
  return out;
}
