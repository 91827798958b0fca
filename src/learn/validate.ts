/**
 * Cross-checks of learning content against the scenarios it runs on: every scenario a
 * setup names exists and its changes validate; every service, queue, canvas node and
 * edge a step names exists where the step shows it; every report number a check reads
 * exists. The schema checks shapes; this checks that the names point at real things.
 */
import type { Model } from '../core/model';
import { Simulation } from '../core/simulation';
import type {
  Action,
  Challenge,
  Check,
  Demo,
  Highlight,
  Measure,
  Mode,
  Side,
  Step,
  Walkthrough,
} from '../content/learnSchema';
import { interventionSides, LESSON_VERBS } from '../core/interventions';
import { BROKER_FAULT_TARGET } from '../core/scenario';
import { sidesOf } from '../run/modes';
import { reportValue } from './evaluate';
import { type ResolvedSetup, resolveSetup } from './setup';
import { challengeSetup, defaultSettings } from './grade';

/** Canvas edge ids (`from->to`) of a model; injected so this module needs no view code. */
export type EdgeLister = (model: Model) => ReadonlySet<string>;

interface Context {
  where: string;
  setup: ResolvedSetup;
  models: Partial<Record<Side, Model>>;
  problems: string[];
  edges: EdgeLister;
}

function contextFor(
  where: string,
  setup: ResolvedSetup,
  problems: string[],
  edges: EdgeLister,
): Context {
  const models: Partial<Record<Side, Model>> = {};
  for (const side of sidesOf(setup.mode))
    models[side] = new Simulation(setup.scenario, { architecture: side }).model;
  return { where, setup, models, problems, edges };
}

const hasService = (ctx: Context, id: string) =>
  ctx.setup.scenario.services.some((s) => s.id === id);

function sidesFor(ctx: Context, side: Side | undefined): Side[] {
  const visible = sidesOf(ctx.setup.mode);
  if (side && !visible.includes(side)) {
    ctx.problems.push(
      `${ctx.where}: reads the ${side} side, but mode ${ctx.setup.mode} does not show it`,
    );
    return [];
  }
  return side ? [side] : visible;
}

function checkQueue(ctx: Context, id: string, side: Side | undefined): void {
  const sides = sidesFor(ctx, side).filter((s) => s !== 'chain');
  if (sides.length === 0 && !side) {
    ctx.problems.push(
      `${ctx.where}: queue "${id}" needs the event side, mode is ${ctx.setup.mode}`,
    );
    return;
  }
  for (const s of sides) {
    if (!ctx.models[s]?.queues.some((q) => q.id === id))
      ctx.problems.push(`${ctx.where}: no queue "${id}"`);
  }
}

function checkMeasure(ctx: Context, m: Measure): void {
  if ('time' in m) return;
  const named = (id: string) => {
    if (id !== '*' && !hasService(ctx, id)) ctx.problems.push(`${ctx.where}: no service "${id}"`);
  };
  if ('metric' in m) {
    for (const side of sidesFor(ctx, m.side)) {
      if (!m.side && ctx.setup.mode === 'compare') {
        ctx.problems.push(`${ctx.where}: metric "${m.metric}" must name its side in compare mode`);
        return;
      }
      const sim = new Simulation(ctx.setup.scenario, { architecture: side });
      if (reportValue(sim.report(), m.metric) === null)
        ctx.problems.push(`${ctx.where}: the ${side} report has no number "${m.metric}"`);
    }
  } else if ('oldestAge' in m) checkQueue(ctx, m.oldestAge, m.side);
  else if ('retrying' in m) checkQueue(ctx, m.retrying, m.side);
  else if ('drainMs' in m) checkQueue(ctx, m.drainMs, m.side);
  else if ('viewLag' in m) m.viewLag.forEach(named);
  else if ('busy' in m) named(m.busy);
  else if ('workers' in m) named(m.workers);
  else if ('replicas' in m) named(m.replicas);
  else sidesFor(ctx, m.side);
}

export function checkCheck(ctx: Context, c: Check): void {
  if ('all' in c || 'any' in c) {
    for (const x of 'all' in c ? c.all : c.any) checkCheck(ctx, x);
  } else if ('not' in c) checkCheck(ctx, c.not);
  else if ('measure' in c) checkMeasure(ctx, c.measure);
  else if ('metric' in c) checkMeasure(ctx, { metric: c.metric, side: c.side });
  else if ('service' in c) {
    if (!hasService(ctx, c.service)) ctx.problems.push(`${ctx.where}: no service "${c.service}"`);
    sidesFor(ctx, c.side);
  } else if ('queue' in c) checkQueue(ctx, c.queue, c.side);
}

function checkActions(ctx: Context, actions: readonly Action[]): void {
  for (const a of actions) {
    const service = 'service' in a ? a.service : undefined;
    const kind = LESSON_VERBS.get(a.do)?.kind;
    // The broker's own outage switch: a fault on "broker" where no service has that id.
    const onBroker =
      kind === 'fault' && service === BROKER_FAULT_TARGET && !hasService(ctx, service);
    if (onBroker && !ctx.models.event && !ctx.models.orchestration)
      ctx.problems.push(`${ctx.where}: the broker's outage needs the event side`);
    else if (typeof service === 'string' && !onBroker && !hasService(ctx, service))
      ctx.problems.push(`${ctx.where}: action on unknown service "${service}"`);
    if (kind === 'reset-offsets' && ctx.setup.scenario.broker.kind !== 'log')
      ctx.problems.push(`${ctx.where}: reset-offsets needs a log broker`);
    if (
      kind &&
      interventionSides(kind) === 'event' &&
      !ctx.models.event &&
      !ctx.models.orchestration
    )
      ctx.problems.push(`${ctx.where}: ${a.do} needs the event side`);
  }
}

function checkHighlight(ctx: Context, h: Highlight | undefined): void {
  if (!h) return;
  const sides = sidesFor(ctx, h.side);
  for (const node of h.nodes) {
    if (!sides.some((s) => ctx.models[s]?.nodes.some((n) => n.id === node)))
      ctx.problems.push(`${ctx.where}: highlight names node "${node}", not on the canvas`);
  }
  for (const [from, to] of h.edges) {
    if (!sides.some((s) => ctx.edges(ctx.models[s] as Model).has(`${from}->${to}`)))
      ctx.problems.push(`${ctx.where}: highlight names edge ${from} -> ${to}, not on the canvas`);
  }
}

/** Problems of a walkthrough (empty: every name points at something real). */
export function validateWalkthrough(w: Walkthrough, edges: EdgeLister): string[] {
  const problems: string[] = [];
  let setup: ResolvedSetup | null = null;
  w.steps.forEach((step: Step, i) => {
    const where = `${w.id} step ${i + 1} (${step.id})`;
    if (step.load) {
      const r = resolveSetup(step.load);
      if (!r.ok) {
        problems.push(`${where}: ${r.problem}`);
        return;
      }
      setup = r.setup;
    }
    if (!setup) return;
    // Actions may switch the mode; follow them so later references are read correctly.
    for (const a of step.actions) if (a.do === 'mode') setup = { ...setup, mode: a.mode as Mode };
    const ctx = contextFor(where, setup, problems, edges);
    checkActions(ctx, step.actions);
    checkActions(ctx, step.solution);
    checkHighlight(ctx, step.highlight);
    for (const r of step.show) checkMeasure(ctx, r.measure);
    if (step.waitFor) checkCheck(ctx, step.waitFor);
    if (step.predict) {
      checkActions(ctx, step.predict.run);
      for (const r of step.predict.measured) checkMeasure(ctx, r.measure);
      for (const o of step.predict.options ?? []) checkCheck(ctx, o.check);
      if (step.predict.number) checkMeasure(ctx, step.predict.number.measure);
    }
    if (step.trail && !sidesOf(setup.mode).includes(step.trail.side))
      problems.push(`${where}: trail reads the ${step.trail.side} side, not shown`);
  });
  return problems;
}

export function validateChallenge(c: Challenge, edges: EdgeLister): string[] {
  const problems: string[] = [];
  for (const settings of [defaultSettings(c), { ...defaultSettings(c), ...c.solution }]) {
    const r = resolveSetup(challengeSetup(c, settings));
    if (!r.ok) {
      problems.push(`challenge ${c.id}: ${r.problem}`);
      continue;
    }
    const ctx = contextFor(`challenge ${c.id}`, r.setup, problems, edges);
    for (const g of c.goals) checkMeasure(ctx, g.measure);
  }
  for (const k of c.knobs) {
    const t = k.target;
    if ('service' in t && !findService(c, t.service))
      problems.push(`challenge ${c.id}: knob ${k.id} names unknown service "${t.service}"`);
    if (k.kind === 'number' && (k.default < k.min || k.default > k.max))
      problems.push(`challenge ${c.id}: knob ${k.id} default out of range`);
    if (k.kind === 'choice' && !k.options.some((o) => o.value === k.default))
      problems.push(`challenge ${c.id}: knob ${k.id} default is not an option`);
  }
  return problems;
}

function findService(c: Challenge, id: string): boolean {
  const r = resolveSetup(c.setup);
  return r.ok && r.setup.scenario.services.some((s) => s.id === id);
}

export function validateDemo(where: string, demo: Demo, edges: EdgeLister): string[] {
  const problems: string[] = [];
  const r = resolveSetup(demo.setup);
  if (!r.ok) return [`${where}: ${r.problem}`];
  const ctx = contextFor(where, r.setup, problems, edges);
  checkActions(ctx, demo.actions);
  checkHighlight(ctx, demo.highlight);
  return problems;
}
