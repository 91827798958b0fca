/**
 * The scenario with the learner's changes written into it, as a file the CLI runs
 * (`npm run sim -- file.json`): the same schema, so it validates everywhere.
 *
 * What the format can say is written in its own terms:
 * - outages and slow / flaky / crashing services -> `faults` windows (the scenario's own
 *   faults and the learner's switches are merged into one timeline per service);
 * - spikes -> `workload.spikes`; single orders -> `workload.orders`;
 * - orders per second: at 0 -> `workload.rate_per_s`, later -> a spike lasting until the
 *   next change (the nearest thing the format has);
 * - scaling, idempotency and late subscribers at t = 0 -> the service's own settings;
 * - the seed and, outside Compare, the architecture.
 *
 * What it cannot say (scaling or subscribing later in the run, offset resets, redrive) is
 * listed in `leftOut`: the setup file keeps those. The file runs the same changes at the
 * same moments; for the bit-exact run (same trace hash) use the setup file or the link.
 */
import type { Intervention } from '../core/interventions';
import {
  BROKER_FAULT_TARGET,
  formatProblems,
  parseScenario,
  type Scenario,
} from '../core/scenario';
import type { FaultSettings } from '../core/simulation';
import { clockText } from '../core/format';
import { fail, ok, type Result } from './result';
import { type Setup, sidesOfMode } from './setup';
import { isCompare } from '../run/modes';

export interface ScenarioFile {
  /** The scenario to write (valid: it passed `parseScenario`). */
  scenario: Scenario;
  text: string;
  /** One line per change written into the scenario. */
  written: string[];
  /** One line per change the format cannot express. */
  leftOut: string[];
}

type Field = keyof FaultSettings;
type FaultSpec = Scenario['faults'][number];

const FIELDS: readonly Field[] = [
  'down',
  'slowFactor',
  'errorRate',
  'crashRate',
  'publishCrashRate',
];
const DEFAULTS: FaultSettings = {
  down: false,
  slowFactor: 1,
  errorRate: 0,
  crashRate: 0,
  publishCrashRate: 0,
};
/** The setting each mode switches (a leader change switches none: it is an event). */
const FIELD_OF_MODE: Record<Exclude<FaultSpec['mode'], 'leader-change'>, Field> = {
  down: 'down',
  slow: 'slowFactor',
  flaky: 'errorRate',
  'crash-before-ack': 'crashRate',
  'crash-before-publish': 'publishCrashRate',
};

function scenarioFaultValue(f: FaultSpec): FaultSettings[Field] {
  switch (f.mode) {
    case 'down':
      return true;
    case 'slow':
      return f.factor ?? 1;
    case 'flaky':
      return f.error_rate ?? 0;
    case 'crash-before-ack':
      return f.error_rate ?? 1;
    case 'crash-before-publish':
      return f.error_rate ?? 0;
    case 'leader-change':
      return true;
  }
}

function faultSpec(
  service: string,
  field: Field,
  value: FaultSettings[Field],
  at: number,
  end: number | undefined,
): FaultSpec {
  const duration = end === undefined ? {} : { duration_ms: end - at };
  switch (field) {
    case 'down':
      return { service, at_ms: at, ...duration, mode: 'down' };
    case 'slowFactor':
      return { service, at_ms: at, ...duration, mode: 'slow', factor: value as number };
    case 'errorRate':
      return { service, at_ms: at, ...duration, mode: 'flaky', error_rate: value as number };
    case 'crashRate':
      return {
        service,
        at_ms: at,
        ...duration,
        mode: 'crash-before-ack',
        error_rate: value as number,
      };
    case 'publishCrashRate':
      return {
        service,
        at_ms: at,
        ...duration,
        mode: 'crash-before-publish',
        error_rate: value as number,
      };
  }
}

/**
 * One service field's value over time, from the scenario's faults and the learner's
 * switches, as windows where it differs from normal. Scenario fault events at a moment
 * come first (in file order, as the engine schedules them); the learner's actions apply
 * after every event at their moment, as in the engine.
 */
function faultWindows(
  base: Scenario,
  service: string,
  field: Field,
  actions: readonly Intervention[],
): FaultSpec[] {
  type Change = { at: number; group: number; order: number; value: FaultSettings[Field] };
  const changes: Change[] = [];
  base.faults.forEach((f, i) => {
    if (f.service !== service || f.mode === 'leader-change' || FIELD_OF_MODE[f.mode] !== field)
      return;
    changes.push({ at: f.at_ms, group: 0, order: 2 * i, value: scenarioFaultValue(f) });
    if (f.duration_ms !== undefined)
      changes.push({
        at: f.at_ms + f.duration_ms,
        group: 0,
        order: 2 * i + 1,
        value: DEFAULTS[field],
      });
  });
  actions.forEach((a, i) => {
    if (a.kind === 'fault' && a.service === service && a.patch[field] !== undefined) {
      changes.push({ at: a.at, group: 1, order: i, value: a.patch[field] as FaultSettings[Field] });
    }
  });
  changes.sort((a, b) => a.at - b.at || a.group - b.group || a.order - b.order);
  const windows: FaultSpec[] = [];
  let value: FaultSettings[Field] = DEFAULTS[field];
  let since = 0;
  const close = (at: number) => {
    if (value !== DEFAULTS[field] && at > since)
      windows.push(faultSpec(service, field, value, since, at));
  };
  for (const c of changes) {
    if (c.value === value) continue;
    close(c.at);
    value = c.value;
    since = c.at;
  }
  if (value !== DEFAULTS[field]) windows.push(faultSpec(service, field, value, since, undefined));
  return windows;
}

/** The scenario of `setup` with the learner's changes written in (see the module comment). */
export function scenarioWithChanges(setup: Setup): Result<ScenarioFile> {
  try {
    const base = setup.scenario;
    const side = sidesOfMode(setup.mode)[0] ?? 'event';
    const actions = setup.interventions[side] ?? [];
    const name = (id: string) => base.services.find((s) => s.id === id)?.name ?? id;
    const written: string[] = [];
    const leftOut: string[] = [];
    const out: Scenario = structuredClone(base);
    out.seed = setup.seed;
    if (!isCompare(setup.mode)) out.architecture = setup.mode;

    // Faults: one merged timeline per service and setting.
    const faults: FaultSpec[] = [];
    for (const svc of base.services)
      for (const field of FIELDS) {
        // Only the entry service's work publishes for requests: elsewhere the rate does
        // nothing, and the format refuses crash-before-publish there.
        if (field === 'publishCrashRate' && (svc.id !== base.entry || svc.emits.length === 0))
          continue;
        faults.push(...faultWindows(base, svc.id, field, actions));
      }
    // The broker's own health (when no service is called "broker"), and its leader
    // changes: the file's and the learner's, each an election of a given length.
    if (!base.services.some((s) => s.id === BROKER_FAULT_TARGET)) {
      for (const field of ['down', 'slowFactor'] as const)
        faults.push(...faultWindows(base, BROKER_FAULT_TARGET, field, actions));
      faults.push(...base.faults.filter((f) => f.mode === 'leader-change'));
      for (const a of actions)
        if (a.kind === 'leader-change')
          faults.push({
            service: BROKER_FAULT_TARGET,
            at_ms: a.at,
            duration_ms: a.durationMs,
            mode: 'leader-change',
            ...(a.queue !== undefined ? { queue: a.queue } : { partition: a.partition ?? 0 }),
          });
    }
    faults.sort((a, b) => a.at_ms - b.at_ms);
    out.faults = faults;
    const faultActions = actions.filter((a) => a.kind === 'fault').length;
    if (faultActions > 0)
      written.push(
        `${faultActions} outage or fault switch${faultActions === 1 ? '' : 'es'} → faults`,
      );

    // Workload: rate, spikes and single orders.
    const rateChanges = actions.filter(
      (a): a is Extract<Intervention, { kind: 'rate' }> => a.kind === 'rate',
    );
    const spikes = [...base.workload.spikes];
    rateChanges.forEach((r, i) => {
      if (r.at === 0) {
        out.workload.rate_per_s = r.rate;
        written.push(`Orders per second ${r.rate} from the start → workload.rate_per_s`);
        return;
      }
      const next = rateChanges.slice(i + 1).find((n) => n.at > r.at);
      const end = next ? next.at : base.duration_ms;
      if (end <= r.at) {
        leftOut.push(
          `Orders per second set to ${r.rate} at ${clockText(r.at)}, after orders stopped arriving`,
        );
        return;
      }
      spikes.push({ at_ms: r.at, duration_ms: end - r.at, rate_per_s: r.rate });
      written.push(
        `Orders per second ${r.rate} at ${clockText(r.at)} → a spike until ${clockText(end)}`,
      );
    });
    for (const a of actions) {
      if (a.kind === 'spike') {
        spikes.push({ at_ms: a.at, duration_ms: a.durationMs, rate_per_s: a.rate });
        written.push(`Spike of ${a.rate}/s at ${clockText(a.at)} → workload.spikes`);
      }
    }
    out.workload.spikes = spikes.sort((a, b) => a.at_ms - b.at_ms);
    const orders = actions.filter((a) => a.kind === 'order').map((a) => ({ at_ms: a.at }));
    if (orders.length > 0) {
      out.workload.orders = [...base.workload.orders, ...orders].sort((a, b) => a.at_ms - b.at_ms);
      written.push(
        `${orders.length} single order${orders.length === 1 ? '' : 's'} → workload.orders`,
      );
    }

    // Service settings: only from the start can the format say them.
    for (const a of actions) {
      const svc = 'service' in a ? out.services.find((s) => s.id === a.service) : undefined;
      if (a.kind === 'scale') {
        if (a.at === 0 && svc) {
          svc.replicas = a.replicas;
          svc.concurrency = a.concurrency;
          written.push(
            `${name(a.service)} scaled to ${a.replicas} × ${a.concurrency} → its replicas and concurrency`,
          );
        } else
          leftOut.push(
            `${name(a.service)} scaled to ${a.replicas} × ${a.concurrency} at ${clockText(a.at)}`,
          );
      } else if (a.kind === 'idempotent') {
        if (a.at === 0 && svc) {
          svc.idempotent = a.on;
          written.push(
            `${name(a.service)} idempotent: ${a.on ? 'on' : 'off'} → its idempotent setting`,
          );
        } else
          leftOut.push(
            `${name(a.service)} idempotency switched ${a.on ? 'on' : 'off'} at ${clockText(a.at)}`,
          );
      } else if (a.kind === 'subscribe') {
        if (a.at === 0 && svc) {
          svc.subscribed = true;
          written.push(`${name(a.service)} subscribed from the start → its subscribed setting`);
        } else leftOut.push(`${name(a.service)} subscribed (from ${a.from}) at ${clockText(a.at)}`);
      } else if (a.kind === 'reset-offsets') {
        leftOut.push(`Offsets of ${name(a.service)} reset at ${clockText(a.at)}`);
      } else if (a.kind === 'redrive') {
        leftOut.push(`Dead letters redriven at ${clockText(a.at)}`);
      }
    }

    // The same schema as the CLI: what we write must read back.
    const check = parseScenario(JSON.parse(JSON.stringify(out)));
    if (!check.ok) {
      return fail(
        `These changes do not fit in a scenario file (${formatProblems(check.problems).split('\n')[0]}); download the setup file instead.`,
        formatProblems(check.problems).split('\n'),
      );
    }
    return ok({
      scenario: check.scenario,
      text: `${JSON.stringify(out, null, 2)}\n`,
      written,
      leftOut,
    });
  } catch (error) {
    return fail(
      `The scenario file could not be written (${error instanceof Error ? error.message : 'unknown error'}).`,
    );
  }
}
