/**
 * Reading the engine for lessons: measures (numbers) and checks (true / false) over the
 * simulations on screen. The same code reads the playground store's simulations in the
 * browser and the headless ones in tests and in the challenge grader, so what a lesson
 * asks is exactly what the tests prove can happen.
 */
import type { Report } from '../core/reportTypes';
import type { Simulation } from '../core/simulation';
import type { TraceRecord } from '../core/trace';
import type { Check, Measure, Mode, Side } from '../content/learnSchema';
import { SIDES } from '../run/modes';

/** What a lesson can see: the simulations on screen and the clock. */
export interface LearnWorld {
  mode: Mode;
  now: number;
  sims: Partial<Record<Side, Simulation>>;
  /** The base arrival rate, orders per second. */
  rate: number;
}

/**
 * Look up a dotted path (`queues.email.max_depth`) in the report; a number or null. A
 * yes/no of the report reads as 1 or 0 (`broker.down`), so a check can ask for it.
 */
export function reportValue(report: Report, path: string): number | null {
  let cur: unknown = report;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  if (typeof cur === 'boolean') return cur ? 1 : 0;
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}

/**
 * One evaluation pass over a world. Reports are built at most once per side per pass:
 * a report walks every queue and hashes the trace, so a pass that reads ten numbers
 * should not build ten reports.
 */
export class Evaluator {
  private readonly reports = new Map<Side, Report>();

  constructor(readonly world: LearnWorld) {}

  private readonly trails = new Map<string, TraceRecord[]>();

  /** Every record of one order so far (re-created by the engine: cached for this pass). */
  orderRecords(side: Side, corr: number): TraceRecord[] {
    const key = `${side}:${corr}`;
    let records = this.trails.get(key);
    if (!records) {
      records = this.world.sims[side]?.orderRecords(corr) ?? [];
      this.trails.set(key, records);
    }
    return records;
  }

  /** Visible sides, in drawing order. */
  get sides(): Side[] {
    return SIDES.filter((s) => this.world.sims[s] !== undefined);
  }

  private report(side: Side): Report | null {
    const sim = this.world.sims[side];
    if (!sim) return null;
    let r = this.reports.get(side);
    if (!r) {
      r = sim.report();
      this.reports.set(side, r);
    }
    return r;
  }

  /** The side a measure reads when it names none: the only one shown, else the event side. */
  private sideFor(side: Side | undefined, prefer: Side = 'event'): Side | null {
    if (side) return this.world.sims[side] ? side : null;
    const visible = this.sides;
    if (visible.length === 1) return visible[0] as Side;
    return visible.includes(prefer) ? prefer : (visible[0] ?? null);
  }

  private serviceIndex(sim: Simulation, id: string): number {
    return sim.model.services.findIndex((s) => s.id === id);
  }

  private queueIndex(sim: Simulation, id: string): number {
    return sim.model.queues.findIndex((q) => q.id === id);
  }

  /** A number, or null when it cannot be read (side not shown, no such queue, not yet). */
  measure(m: Measure): number | null {
    if ('time' in m) return this.world.now;
    const side = this.sideFor(
      m.side,
      'metric' in m && /^requests\./.test(m.metric) ? 'chain' : 'event',
    );
    if (!side) return null;
    const sim = this.world.sims[side] as Simulation;
    if ('metric' in m) {
      const r = this.report(side);
      return r ? reportValue(r, m.metric) : null;
    }
    if ('availability' in m) {
      if (m.availability === 'measured') {
        const r = this.report(side);
        if (!r) return null;
        const answered = r.requests.succeeded + r.requests.failed;
        return answered === 0 ? null : r.requests.succeeded / answered;
      }
      return formulaAvailability(sim);
    }
    if ('oldestAge' in m) {
      const qi = this.queueIndex(sim, m.oldestAge);
      return qi < 0 ? null : sim.queue(qi).oldestAgeMs;
    }
    if ('viewLag' in m) {
      const [from, to] = m.viewLag;
      const a = this.serviceIndex(sim, from);
      const b = this.serviceIndex(sim, to);
      if (a < 0 || b < 0) return null;
      const done = (i: number) => {
        const v = sim.service(i);
        return v.processed - v.duplicates;
      };
      return Math.max(0, done(a) - done(b));
    }
    if ('drainMs' in m) {
      const qi = this.queueIndex(sim, m.drainMs);
      if (qi < 0) return null;
      const series = sim.series();
      const t = series.column('t');
      const waiting = series.column(`${m.drainMs}.waiting`);
      for (let k = 0; k < t.length; k++) {
        const at = t[k] as number;
        if (at > m.afterMs && waiting[k] === 0) return at - m.afterMs;
      }
      return null;
    }
    if ('unfinished' in m) {
      const r = this.report(side);
      return r ? r.requests.sent - r.orders.completed : null;
    }
    if ('busy' in m) {
      const i = this.serviceIndex(sim, m.busy);
      return i < 0 ? null : sim.service(i).busy;
    }
    if ('retrying' in m) {
      const qi = this.queueIndex(sim, m.retrying);
      return qi < 0 ? null : sim.queue(qi).retrying;
    }
    if ('orderSpan' in m || 'orderServices' in m) {
      const records = this.orderRecords(side, 'orderSpan' in m ? m.orderSpan : m.orderServices);
      if (records.length === 0) return null;
      if ('orderSpan' in m) return (records.at(-1)?.t ?? 0) - (records[0]?.t ?? 0);
      const services = new Set<number>();
      for (const r of records) {
        for (const node of [r.from, r.to])
          if (sim.model.nodes[node]?.kind === 'service') services.add(node);
      }
      return services.size;
    }
    if ('workers' in m || 'replicas' in m) {
      const which = 'workers' in m ? m.workers : m.replicas;
      let total = 0;
      for (let i = 0; i < sim.model.services.length; i++) {
        const v = sim.service(i);
        if (which !== '*' && v.id !== which) continue;
        total += 'workers' in m ? v.workers : v.replicas;
      }
      return which !== '*' && this.serviceIndex(sim, which) < 0 ? null : total;
    }
    return null;
  }

  /** Does the world show this now? */
  check(c: Check): boolean {
    if ('all' in c) return c.all.every((x) => this.check(x));
    if ('any' in c) return c.any.some((x) => this.check(x));
    if ('not' in c) return !this.check(c.not);
    if ('time' in c) return this.world.now >= c.time;
    if ('mode' in c) return this.world.mode === c.mode;
    if ('broker' in c)
      return this.sides.some((s) => this.world.sims[s]?.scenario.broker.kind === c.broker);
    if ('rateAtMost' in c) return this.world.rate <= c.rateAtMost;
    if ('rateAtLeast' in c) return this.world.rate >= c.rateAtLeast;
    if ('measure' in c) return within(this.measure(c.measure), c.atLeast, c.atMost);
    if ('metric' in c)
      return within(this.measure({ metric: c.metric, side: c.side }), c.atLeast, c.atMost);
    if ('service' in c) {
      const sides = c.side ? [c.side] : this.sides;
      return sides.some((side) => {
        const sim = this.world.sims[side];
        const i = sim ? this.serviceIndex(sim, c.service) : -1;
        if (!sim || i < 0) return false;
        const v = sim.service(i);
        return (
          (c.down === undefined || v.down === c.down) &&
          (c.idempotent === undefined || v.idempotent === c.idempotent) &&
          (c.subscribed === undefined || v.subscribed === c.subscribed) &&
          (c.replicasAtLeast === undefined || v.replicas >= c.replicasAtLeast) &&
          (c.busyAtLeast === undefined || v.busy >= c.busyAtLeast) &&
          (c.workersAtLeast === undefined || v.workers >= c.workersAtLeast) &&
          (c.errorRateAtLeast === undefined || v.errorRate >= c.errorRateAtLeast) &&
          (c.slowFactorAtLeast === undefined || v.slowFactor >= c.slowFactorAtLeast) &&
          (c.crashRateAtLeast === undefined || v.crashRate >= c.crashRateAtLeast)
        );
      });
    }
    if ('queue' in c) {
      const sides = c.side ? [c.side] : this.sides;
      return sides.some((side) => {
        const sim = this.world.sims[side];
        const qi = sim ? this.queueIndex(sim, c.queue) : -1;
        if (!sim || qi < 0) return false;
        const q = sim.queue(qi);
        return (
          (c.waitingAtLeast === undefined || q.waiting >= c.waitingAtLeast) &&
          (c.waitingAtMost === undefined || q.waiting <= c.waitingAtMost) &&
          (c.deadLetteredAtLeast === undefined || q.deadLettered >= c.deadLetteredAtLeast) &&
          (c.processedAtLeast === undefined || q.processed >= c.processedAtLeast)
        );
      });
    }
    return false;
  }
}

function within(
  value: number | null,
  atLeast: number | undefined,
  atMost: number | undefined,
): boolean {
  if (value === null) return false;
  return (atLeast === undefined || value >= atLeast) && (atMost === undefined || value <= atMost);
}

/**
 * Availability the product rule predicts for the path a user waits on: every hop of a
 * chain must answer, so their chances multiply; with events the user waits on the entry
 * service alone.
 */
export function formulaAvailability(sim: Simulation): number {
  const hops = sim.architecture === 'chain' ? sim.model.chain : [sim.model.entry];
  let p = 1;
  for (const i of hops) {
    const v = sim.service(i);
    p *= v.down ? 0 : 1 - v.errorRate;
  }
  return p;
}

/** Convenience for one-off reads. */
export function evaluate(world: LearnWorld, c: Check): boolean {
  return new Evaluator(world).check(c);
}
