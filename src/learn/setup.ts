/**
 * From a lesson's `Setup` (a built-in scenario plus changes) to the scenario the engine
 * runs. The changed scenario is validated with the scenario schema itself, so a lesson
 * can never hand the engine something a teacher's file could not contain.
 */
import { formatProblems, parseScenario, type Scenario } from '../core/scenario';
import { findScenario } from '../content/scenarios';
import type { Mode, ScenarioPatch, Setup } from '../content/learnSchema';

export interface ResolvedSetup {
  scenario: Scenario;
  mode: Mode;
  speed: number | undefined;
  playing: boolean;
}

export type SetupResult = { ok: true; setup: ResolvedSetup } | { ok: false; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The scenario as a plain JSON value with the patch applied (not validated yet). */
export function patchScenario(
  base: Scenario,
  patch: ScenarioPatch | undefined,
  brokerKind?: string,
): unknown {
  const out = structuredClone(base) as unknown as Record<string, unknown>;
  if (brokerKind) out.broker = { kind: brokerKind };
  if (!patch) return out;
  for (const key of [
    'name',
    'description',
    'seed',
    'duration_ms',
    'network_ms',
    'chain',
    'sync_services',
  ] as const) {
    if (patch[key] !== undefined) out[key] = structuredClone(patch[key]);
  }
  if (patch.broker) out.broker = structuredClone(patch.broker);
  for (const key of ['workload', 'delivery', 'sync'] as const) {
    const change = patch[key];
    if (change) out[key] = { ...(isObject(out[key]) ? out[key] : {}), ...structuredClone(change) };
  }
  if (patch.faults) out.faults = structuredClone(patch.faults);
  const services = (out.services as Record<string, unknown>[]).map((s) => ({ ...s }));
  for (const [serviceId, change] of Object.entries(patch.services ?? {})) {
    const target = services.find((s) => s.id === serviceId);
    // Unknown ids are refused by `resolveSetup` before this runs.
    if (target) Object.assign(target, structuredClone(change));
  }
  services.push(...structuredClone(patch.add_services ?? []));
  out.services = services;
  return out;
}

/**
 * The scenario a setup starts from: the template it carries (`base`, filled in when the
 * content naming a template loads), else the built-in scenario of that id.
 */
export function findSetupBase(setup: Pick<Setup, 'scenario' | 'base'>): Scenario | undefined {
  if (setup.base === undefined) return findScenario(setup.scenario);
  const parsed = parseScenario(setup.base);
  return parsed.ok && parsed.scenario.id === setup.scenario ? parsed.scenario : undefined;
}

/** Build the scenario of a setup; a problem names the setup's scenario and what is wrong. */
export function resolveSetup(setup: Setup): SetupResult {
  const base = findSetupBase(setup);
  if (!base) return { ok: false, problem: `no built-in scenario "${setup.scenario}"` };
  for (const serviceId of Object.keys(setup.patch?.services ?? {})) {
    if (!base.services.some((s) => s.id === serviceId))
      return {
        ok: false,
        problem: `${setup.scenario}: patch.services.${serviceId}: no such service`,
      };
  }
  const result = parseScenario(patchScenario(base, setup.patch, setup.broker));
  if (!result.ok)
    return { ok: false, problem: `${setup.scenario}: ${formatProblems(result.problems)}` };
  return {
    ok: true,
    setup: {
      scenario: result.scenario,
      mode: setup.mode,
      speed: setup.speed,
      playing: !setup.paused,
    },
  };
}

/** As `resolveSetup`, for content that the tests have already validated: a problem is a bug. */
export function mustResolve(setup: Setup): ResolvedSetup {
  const r = resolveSetup(setup);
  if (!r.ok) throw new Error(`Lesson setup is invalid: ${r.problem}`);
  return r.setup;
}
