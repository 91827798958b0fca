/**
 * Challenges: the learner's knob settings become a scenario (this module); the grader
 * (src/run/grade.ts, in the engine's worker) runs it to the challenge's time and
 * compares each goal with the measured number. Deterministic: the same settings always
 * give the same numbers and the same verdict.
 */
import type { Challenge, Goal, Knob, KnobValue, Mode, Setup } from '../content/learnSchema';
import { BROKER_SETTINGS } from '../core/scenario';
import { findSetupBase, type ResolvedSetup, resolveSetup } from './setup';

export type Settings = Record<string, KnobValue>;

export interface GoalResult {
  label: string;
  unit: Goal['unit'];
  value: number | null;
  atLeast?: number;
  atMost?: number;
  passed: boolean;
}

export interface Grade {
  passed: boolean;
  goals: GoalResult[];
  mode: Mode;
  untilMs: number;
}

/** Which broker settings each flavour has (a setting of another flavour is left out). */
const BROKER_FIELDS: Record<string, readonly string[]> = BROKER_SETTINGS;

export function defaultSettings(challenge: Challenge): Settings {
  return Object.fromEntries(challenge.knobs.map((k) => [k.id, k.default]));
}

/** A value the knob accepts, or the knob's default. */
export function knobValue(knob: Knob, value: KnobValue | undefined): KnobValue {
  if (value === undefined) return knob.default;
  switch (knob.kind) {
    case 'toggle':
      return typeof value === 'boolean' ? value : knob.default;
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n)) return knob.default;
      return Math.min(knob.max, Math.max(knob.min, n));
    }
    default:
      return knob.options.some((o) => o.value === value) ? value : knob.default;
  }
}

/** The setup a challenge runs with these settings. */
export function challengeSetup(challenge: Challenge, settings: Settings): Setup {
  const setup: Setup = structuredClone(challenge.setup);
  const patch = setup.patch ?? {};
  setup.patch = patch;
  let kind = setup.broker;
  const brokerFields: Record<string, unknown> = {};
  /** Per service: the two halves of its `idempotency`, put together after the loop. */
  const idempotency = new Map<string, { key?: string; record?: string }>();
  for (const knob of challenge.knobs) {
    const value = knobValue(knob, settings[knob.id]);
    const t = knob.target;
    if ('architecture' in t) setup.mode = value as Mode;
    else if (
      'service' in t &&
      (t.field === 'idempotency_key' || t.field === 'idempotency_record')
    ) {
      const parts = idempotency.get(t.service) ?? {};
      parts[t.field === 'idempotency_key' ? 'key' : 'record'] = String(value);
      idempotency.set(t.service, parts);
    } else if ('service' in t) {
      patch.services ??= {};
      const fieldValue =
        t.field === 'subscribes' ? String(value).split(',').filter(Boolean) : value;
      patch.services[t.service] = { ...patch.services[t.service], [t.field]: fieldValue };
    } else if ('delivery' in t) patch.delivery = { ...patch.delivery, [t.delivery]: value };
    else if ('sync' in t) patch.sync = { ...patch.sync, [t.sync]: value };
    else if ('workload' in t) patch.workload = { ...patch.workload, [t.workload]: value };
    else if (t.broker === 'kind') kind = value as Setup['broker'];
    else brokerFields[t.broker] = value;
  }
  for (const service of Object.values(patch.services ?? {})) {
    // What to do with a refused publish is a question only "save, then publish" asks: the
    // outbox's relay keeps the event for later, and "publish, then save" saves nothing
    // when the publish is refused. The scenario refuses the pair, so a knob left on "fail"
    // or "retry" is left out, as a setting of another broker flavour is.
    if (service?.publish !== undefined && service.publish !== 'after-commit')
      delete service.publish_failure;
  }
  for (const [service, { key, record }] of idempotency) {
    // No key knob: the scenario's own setting stays.
    if (key === undefined) continue;
    patch.services ??= {};
    patch.services[service] = {
      ...patch.services[service],
      // `off`: the service does not deduplicate at all, whatever the scenario had.
      idempotency: key === 'off' ? undefined : { key, ...(record !== undefined ? { record } : {}) },
    };
  }
  if (kind !== setup.broker || Object.keys(brokerFields).length > 0) {
    // Start from the broker the setup already has: its patch, its kind, or the built-in's.
    const current: Record<string, unknown> = patch.broker
      ? { ...patch.broker }
      : {
          ...(findSetupBase(setup)?.broker ?? { kind: 'queue' }),
          ...(setup.broker ? { kind: setup.broker } : {}),
        };
    const broker: Record<string, unknown> = kind && current.kind !== kind ? { kind } : current;
    if (setup.broker && !patch.broker && broker.kind === setup.broker) {
      // A bare kind: its defaults, not the built-in's other flavour's settings.
      for (const key of Object.keys(broker)) if (key !== 'kind') delete broker[key];
    }
    const allowed = BROKER_FIELDS[String(broker.kind)] ?? [];
    for (const [key, value] of Object.entries(brokerFields))
      if (allowed.includes(key)) broker[key] = value;
    patch.broker = broker;
    setup.broker = undefined;
  }
  setup.paused = true;
  return setup;
}

export function resolveChallenge(challenge: Challenge, settings: Settings): ResolvedSetup {
  const r = resolveSetup(challengeSetup(challenge, settings));
  if (!r.ok) throw new Error(`Challenge ${challenge.id}: ${r.problem}`);
  return r.setup;
}
