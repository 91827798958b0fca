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
 * three. It never throws and checks everything the engine would otherwise trip over.
 */
import {
  type FaultSettings,
  formatProblems,
  type Intervention,
  parseScenario,
  SCENARIO_VERSION,
  type Scenario,
} from '../core';
import { findScenario } from '../content/scenarios';
import { fail, ok, type Result, shown } from './result';

export type SetupMode = 'chain' | 'event' | 'compare';
export type SetupSide = 'chain' | 'event';

/** Version of the setup shape (file, link and saved session). Newer ones are refused. */
export const SETUP_FORMAT = 1;

export const MODES: readonly SetupMode[] = ['chain', 'event', 'compare'];
export const MIN_SPEED = 0.1;
export const MAX_SPEED = 50;
export const MAX_SEED = 0xffff_ffff;
/** Latest simulated moment a setup may ask for (30 days). Replay cost is bounded separately (see store/share.ts). */
export const MAX_AT_MS = 30 * 24 * 60 * 60 * 1000;
/** Most learner actions a setup may carry. */
export const MAX_INTERVENTIONS = 5000;

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

/** The sides a mode shows, top to bottom (the same rule as the store's). */
export function sidesOfMode(mode: SetupMode): SetupSide[] {
  return mode === 'compare' ? ['chain', 'event'] : [mode];
}

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
const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isNum = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

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

const SETUP_KEYS = [
  'fanout_setup',
  'about',
  'scenario',
  'seed',
  'view',
  'speed',
  'at_ms',
  'interventions',
  'interventions_by_side',
] as const;

/**
 * Validate a setup in its file shape (see `setupFile.ts`):
 * `{ fanout_setup, scenario, seed, view, speed, at_ms, interventions, interventions_by_side? }`.
 * `scenario` is a built-in id or a whole scenario (validated with the CLI's schema).
 * `subject` starts the sentences that refuse it as a whole ("This share link was made by
 * a newer version of Fanout..."); other problems are `path: problem` lines.
 */
export function readSetup(input: unknown, subject = 'This setup'): Result<Setup> {
  if (!isObject(input)) return fail(`${subject} is not a Fanout setup (expected a JSON object).`);
  const format = input.fanout_setup;
  if (typeof format === 'number' && format > SETUP_FORMAT) {
    return fail(
      `${subject} was made by a newer version of Fanout (setup format ${shown(format)}); this version reads format ${SETUP_FORMAT} only. Update Fanout to open it.`,
    );
  }
  const p = new Problems();
  if (format !== SETUP_FORMAT) p.add('fanout_setup', `must be ${SETUP_FORMAT}`);
  p.unknownKeys(input, '', SETUP_KEYS);

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
    if (parsed.ok) {
      scenario = parsed.scenario;
      builtIn = isBuiltIn(scenario);
      if (builtIn) scenario = findScenario(scenario.id) ?? scenario;
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

  const seed = input.seed;
  if (!isInt(seed, 0, MAX_SEED)) p.add('seed', `must be a whole number from 0 to ${MAX_SEED}`);
  const view = input.view;
  if (typeof view !== 'string' || !(MODES as readonly string[]).includes(view)) {
    p.add('view', 'must be one of chain, event, compare');
  }
  const speed = input.speed;
  if (!isNum(speed, MIN_SPEED, MAX_SPEED))
    p.add('speed', `must be a number from ${MIN_SPEED} to ${MAX_SPEED}`);
  const at = input.at_ms;
  if (!isInt(at, 0, MAX_AT_MS))
    p.add('at_ms', `must be a whole number of milliseconds from 0 to ${MAX_AT_MS}`);
  if (input.about !== undefined && typeof input.about !== 'string') p.add('about', 'must be text');

  if (!scenario || p.lines.length > 0) return failWith(p);

  const mode = view as SetupMode;
  const interventions: Partial<Record<SetupSide, Intervention[]>> = {};
  const shared = readInterventions(input.interventions, 'interventions', scenario, p);
  const bySide = input.interventions_by_side;
  if (bySide !== undefined) {
    if (!isObject(bySide))
      p.add('interventions_by_side', 'must be an object with chain and/or event');
    else {
      p.unknownKeys(bySide, 'interventions_by_side', ['chain', 'event']);
      for (const side of sidesOfMode(mode)) {
        if (bySide[side] !== undefined) {
          const list = readInterventions(
            bySide[side],
            `interventions_by_side.${side}`,
            scenario,
            p,
          );
          if (list) interventions[side] = list;
        }
      }
    }
  }
  for (const side of sidesOfMode(mode)) {
    if (!interventions[side] && shared) interventions[side] = shared;
  }
  if (p.lines.length > 0) return failWith(p);

  return ok({
    scenario,
    builtIn,
    seed: seed as number,
    mode,
    speed: speed as number,
    at: at as number,
    interventions,
  });
}

function failWith(p: Problems): Result<Setup> {
  const n = p.lines.length;
  return fail(
    `${p.lines[0] ?? 'it is not a Fanout setup'}${n > 1 ? ` (and ${n - 1} more)` : ''}`,
    p.lines,
  );
}

const FAULT_FIELDS = {
  down: (v: unknown) => typeof v === 'boolean' || 'must be true or false',
  slowFactor: (v: unknown) => isNum(v, 1, 100) || 'must be a number from 1 to 100',
  errorRate: (v: unknown) => isNum(v, 0, 1) || 'must be a number from 0 to 1',
  crashRate: (v: unknown) => isNum(v, 0, 1) || 'must be a number from 0 to 1',
} as const;

const KINDS = [
  'fault',
  'scale',
  'rate',
  'spike',
  'order',
  'subscribe',
  'reset-offsets',
  'redrive',
  'idempotent',
] as const;

/** One learner action list, checked key by key against the scenario it runs on. */
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
    const read = readIntervention(item, at, scenario, p);
    if (!read) return;
    if (read.at < previousAt)
      p.add(`${at}.at`, `must not be earlier than the action before it (${previousAt})`);
    previousAt = read.at;
    out.push(read);
  });
  return p.lines.length === before ? out : undefined;
}

function readIntervention(
  item: unknown,
  path: string,
  scenario: Scenario,
  p: Problems,
): Intervention | undefined {
  if (!isObject(item)) {
    p.add(path, 'must be an object like { "at": 1200, "kind": "fault", ... }');
    return undefined;
  }
  const before = p.lines.length;
  const at = item.at;
  if (!isInt(at, 0, MAX_AT_MS))
    p.add(`${path}.at`, `must be a whole number of milliseconds from 0 to ${MAX_AT_MS}`);
  const kind = item.kind;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    p.add(`${path}.kind`, `must be one of ${KINDS.join(', ')}`);
    return undefined;
  }
  const service = (): string => {
    const id = item.service;
    if (typeof id !== 'string' || !scenario.services.some((s) => s.id === id)) {
      p.add(`${path}.service`, `${shown(id)} is not a service of scenario "${scenario.id}"`);
      return '';
    }
    return id;
  };
  const keys = (...allowed: string[]) => p.unknownKeys(item, path, ['at', 'kind', ...allowed]);
  let result: Intervention | undefined;
  switch (kind as (typeof KINDS)[number]) {
    case 'fault': {
      keys('service', 'patch');
      const svc = service();
      const patch = item.patch;
      if (!isObject(patch) || Object.keys(patch).length === 0) {
        p.add(
          `${path}.patch`,
          'must be an object with down, slowFactor, errorRate and/or crashRate',
        );
        break;
      }
      const clean: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(patch)) {
        if (!Object.hasOwn(FAULT_FIELDS, key)) {
          p.add(`${path}.patch.${key}`, 'is not a known key');
          continue;
        }
        const verdict = FAULT_FIELDS[key as keyof typeof FAULT_FIELDS](v);
        if (verdict !== true) p.add(`${path}.patch.${key}`, verdict);
        else clean[key] = v;
      }
      result = {
        at: at as number,
        kind: 'fault',
        service: svc,
        patch: clean as Partial<FaultSettings>,
      };
      break;
    }
    case 'scale': {
      keys('service', 'replicas', 'concurrency');
      const svc = service();
      if (!isInt(item.replicas, 1, 32))
        p.add(`${path}.replicas`, 'must be a whole number from 1 to 32');
      if (!isInt(item.concurrency, 1, 256))
        p.add(`${path}.concurrency`, 'must be a whole number from 1 to 256');
      result = {
        at: at as number,
        kind: 'scale',
        service: svc,
        replicas: item.replicas as number,
        concurrency: item.concurrency as number,
      };
      break;
    }
    case 'rate':
      keys('rate');
      if (!isNum(item.rate, 0, 5000))
        p.add(`${path}.rate`, 'must be a number of orders per second from 0 to 5000');
      result = { at: at as number, kind: 'rate', rate: item.rate as number };
      break;
    case 'spike':
      keys('rate', 'durationMs');
      if (!isNum(item.rate, 0, 5000))
        p.add(`${path}.rate`, 'must be a number of orders per second from 0 to 5000');
      if (!isInt(item.durationMs, 1, MAX_AT_MS))
        p.add(`${path}.durationMs`, `must be a whole number from 1 to ${MAX_AT_MS}`);
      result = {
        at: at as number,
        kind: 'spike',
        rate: item.rate as number,
        durationMs: item.durationMs as number,
      };
      break;
    case 'order':
      keys();
      result = { at: at as number, kind: 'order' };
      break;
    case 'subscribe': {
      keys('service', 'from');
      const svc = service();
      if (item.from !== 'earliest' && item.from !== 'latest')
        p.add(`${path}.from`, 'must be "earliest" or "latest"');
      result = {
        at: at as number,
        kind: 'subscribe',
        service: svc,
        from: item.from as 'earliest' | 'latest',
      };
      break;
    }
    case 'reset-offsets': {
      keys('service', 'target');
      const svc = service();
      const target = item.target;
      if (!isObject(target)) {
        p.add(
          `${path}.target`,
          'must be { "to": "earliest" }, { "to": "offset", "offset": n } or { "to": "time", "at": ms }',
        );
        break;
      }
      if (target.to === 'earliest') {
        p.unknownKeys(target, `${path}.target`, ['to']);
        result = {
          at: at as number,
          kind: 'reset-offsets',
          service: svc,
          target: { to: 'earliest' },
        };
      } else if (target.to === 'offset') {
        p.unknownKeys(target, `${path}.target`, ['to', 'offset']);
        if (!isInt(target.offset, 0, Number.MAX_SAFE_INTEGER))
          p.add(`${path}.target.offset`, 'must be a whole number >= 0');
        result = {
          at: at as number,
          kind: 'reset-offsets',
          service: svc,
          target: { to: 'offset', offset: target.offset as number },
        };
      } else if (target.to === 'time') {
        p.unknownKeys(target, `${path}.target`, ['to', 'at']);
        if (!isInt(target.at, 0, MAX_AT_MS))
          p.add(`${path}.target.at`, `must be a whole number from 0 to ${MAX_AT_MS}`);
        result = {
          at: at as number,
          kind: 'reset-offsets',
          service: svc,
          target: { to: 'time', at: target.at as number },
        };
      } else {
        p.add(`${path}.target.to`, 'must be "earliest", "offset" or "time"');
      }
      break;
    }
    case 'redrive':
      keys();
      result = { at: at as number, kind: 'redrive' };
      break;
    case 'idempotent': {
      keys('service', 'on');
      const svc = service();
      if (typeof item.on !== 'boolean') p.add(`${path}.on`, 'must be true or false');
      result = { at: at as number, kind: 'idempotent', service: svc, on: item.on as boolean };
      break;
    }
  }
  return p.lines.length === before ? result : undefined;
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
