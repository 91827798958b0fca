/**
 * `RunSession`: the runs of one playground, and the only place they are built.
 *
 * It owns one `Simulation` per visible side, the clock they share, how far this branch
 * of the run has gone (`head`), the old future kept as branch A after a fork, and the
 * learner's actions applied to every side they reach. Every way into a run goes through
 * `load(setup)` and `apply(intervention)`: buttons, keys, share links, setup files,
 * walkthroughs, time-travel forks.
 *
 * It is pure TypeScript over the engine: the browser runs it inside a Web Worker (see
 * worker.ts), tests and the challenge grader run it in-process. It is also the driver
 * lessons act through (`LearnDriver`): a walkthrough step reads exactly these runs.
 */
import {
  type Intervention,
  type InterventionBody,
  interventionSides,
  LESSON_VERBS,
  verbToInterventions,
} from '../core/interventions';
import { type RunLimits, RunLimitError } from '../core/limits';
import type { Scenario } from '../core/scenario';
import { Simulation } from '../core/simulation';
import { BROKER_FAULT_TARGET } from '../core/scenario';
import type { Action, EngineAction, PlaybackAction } from '../content/learnSchema';
import { playbackAction } from '../content/learnSchema';
import type { LearnDriver } from '../learn/driver';
import type { LearnWorld } from '../learn/evaluate';
import type { ResolvedSetup } from '../learn/setup';
import { DeadLetterLog } from '../time/deadLetterLog';
import type { DeadLetterMark } from '../time/markers';
import { previousEventTime } from '../time/previousEvent';
import { PLAYGROUND_LIMITS, REPLAY_EVENT_BUDGET } from './budgets';
import { explainStop } from './explain';
import { type Mode, type Side, sidesOf } from './modes';

/** Everything needed to rebuild the runs exactly: the same scenario, seed and actions give the same trace. */
export interface RunSetup {
  scenario: Scenario;
  seed: number;
  mode: Mode;
  /** The moment to open at: the runs are replayed up to it. */
  at: number;
  /** The learner's actions per side, with their moments. */
  interventions: Partial<Record<Side, readonly Intervention[]>>;
}

export interface LoadBudget {
  /** Most events a replay may process over all sides before it opens at an earlier moment. */
  maxEvents?: number;
  /** The host's wall-clock budget; asked every few thousand events. */
  shouldYield?: () => boolean;
}

export interface LoadResult {
  /** The moment reached: `setup.at`, or earlier when the budget ran out. */
  at: number;
  cut: boolean;
}

/** The old future, kept beside the new one after a fork; it follows the clock. */
export interface Branch {
  forkedAt: number;
  /** How far it had gone when it was set aside. */
  head: number;
  sims: Partial<Record<Side, Simulation>>;
}

/** How a change in the past treats the future that was there. */
export type ForkChoice = 'discard' | 'keep';

/** A run stopped by a limit: why, and the moment it is back at. */
export interface Stop {
  message: string;
  at: number;
}

/** Replay goes forward in slices of this much simulated time, checking the budget in between. */
const REPLAY_SLICE_MS = 1000;

export class RunSession {
  scenario: Scenario;
  seed: number;
  mode: Mode;
  sims: Partial<Record<Side, Simulation>> = {};
  /** Simulated time every side is at. */
  now = 0;
  /** The furthest moment this branch has reached: the end of the timeline. */
  head = 0;
  branch: Branch | null = null;
  /** Bumped whenever the runs are rebuilt (a new scenario, mode, setup or a fork kept as a branch). */
  build = 0;
  /** Why the run last stopped by itself, until read. */
  stop: Stop | null = null;
  /** Where dead letters appeared in this branch, per side (the timeline's markers). */
  private readonly deadLetterLogs = new Map<Side, DeadLetterLog>();
  /** Playback wishes of lessons (play, pause, speed), for the page to carry out. */
  readonly playbackRequests: PlaybackAction[] = [];
  private readonly limits: RunLimits;

  constructor(
    scenario: Scenario,
    options: { mode?: Mode; seed?: number; limits?: RunLimits } = {},
  ) {
    this.scenario = scenario;
    this.seed = options.seed ?? scenario.seed;
    this.mode = options.mode ?? 'compare';
    this.limits = options.limits ?? PLAYGROUND_LIMITS;
    this.rebuild({ scenario, seed: this.seed, mode: this.mode, at: 0, interventions: {} });
  }

  /** The visible sides, top to bottom, with their runs. */
  get visible(): Array<[Side, Simulation]> {
    return sidesOf(this.mode).flatMap((side) => {
      const sim = this.sims[side];
      return sim ? [[side, sim] as [Side, Simulation]] : [];
    });
  }

  /** An epoch per side that changes on a rebuild, a seek back or a fork. */
  epochOf(side: Side): number {
    return this.build * 1_000_000 + (this.sims[side]?.epoch ?? 0);
  }

  /** The setup that re-creates the runs as they are now. */
  setup(): RunSetup {
    const interventions: Partial<Record<Side, Intervention[]>> = {};
    for (const [side, sim] of this.visible) interventions[side] = [...sim.interventions];
    return {
      scenario: this.scenario,
      seed: this.seed,
      mode: this.mode,
      at: this.now,
      interventions,
    };
  }

  /** No more events anywhere, and the scenario's scripted time is over. */
  get ended(): boolean {
    return (
      this.now >= this.scenario.duration_ms &&
      this.visible.every(([, sim]) => sim.nextEventAt() === undefined)
    );
  }

  /** The base arrival rate on screen (the workload slider). */
  get rate(): number {
    return this.visible[0]?.[1].baseRate ?? this.scenario.workload.rate_per_s;
  }

  // ------------------------------------------------------------------------------
  // The doors: load and apply

  /**
   * Replace the runs with those of `setup`, replayed to its moment within `budget`. On
   * failure (the engine refused the setup) nothing changes and the reason is thrown.
   */
  load(setup: RunSetup, budget: LoadBudget = {}): LoadResult {
    const before = {
      sims: this.sims,
      scenario: this.scenario,
      seed: this.seed,
      mode: this.mode,
      now: this.now,
      head: this.head,
      branch: this.branch,
    };
    this.rebuild(setup);
    try {
      const result = this.replayTo(setup.at, budget);
      this.head = this.now;
      return result;
    } catch (error) {
      // A limit on the way (the run grows without bound): it opens at the last moment
      // replayed whole, paused there as a run stopped while playing would be, and says why.
      const opened = error instanceof RunLimitError && this.openAtLastGoodMoment(setup, error);
      if (opened) return opened;
      Object.assign(this, before);
      this.build++;
      throw error;
    }
  }

  /** After `error` stopped the replay of `setup`: the runs at the last whole slice, or null if there is none. */
  private openAtLastGoodMoment(setup: RunSetup, error: RunLimitError): LoadResult | null {
    const good = this.now;
    if (good <= 0) return null;
    const why = explainStop(
      error,
      this.visible.map(([, sim]) => sim),
    );
    if (!this.restoreAt(setup, good)) return null;
    this.stop = { message: why, at: this.now };
    return { at: this.now, cut: true };
  }

  /** The runs of `setup` rebuilt at `at`, a moment replayed whole before; false if the replay fails again. */
  private restoreAt(setup: RunSetup, at: number): boolean {
    this.rebuild({ ...setup, at });
    try {
      this.replayTo(at, {});
    } catch {
      return false;
    }
    this.head = this.now;
    return true;
  }

  private rebuild(setup: RunSetup): void {
    this.scenario = setup.scenario;
    this.seed = setup.seed;
    this.mode = setup.mode;
    const sims: Partial<Record<Side, Simulation>> = {};
    for (const side of sidesOf(setup.mode))
      sims[side] = this.createSim(side, setup.interventions[side] ?? []);
    this.sims = sims;
    this.now = 0;
    this.head = 0;
    this.branch = null;
    this.build++;
    for (const log of this.deadLetterLogs.values()) log.clear();
  }

  /** Dead letters seen in this branch, merged over the sides, oldest first, and a version that changes with them. */
  deadLetterMarks(): { version: number; marks: DeadLetterMark[] } {
    let version = 0;
    const marks: DeadLetterMark[] = [];
    for (const [side, sim] of this.visible) {
      let log = this.deadLetterLogs.get(side);
      if (!log) {
        log = new DeadLetterLog();
        this.deadLetterLogs.set(side, log);
      }
      log.collect(sim, this.head);
      version += log.version;
      marks.push(...log.list);
    }
    return { version: version * 8 + this.build, marks: marks.sort((a, b) => a.t - b.t) };
  }

  private createSim(side: Side, interventions: readonly Intervention[]): Simulation {
    // openEnded: orders keep coming after the scenario's scripted minute, so the learner
    // can go on experimenting (the rate slider and Spike keep working).
    return new Simulation(this.scenario, {
      architecture: side,
      seed: this.seed,
      openEnded: true,
      interventions,
      limits: this.limits,
    });
  }

  private replayTo(at: number, budget: LoadBudget): LoadResult {
    const maxEvents = budget.maxEvents ?? REPLAY_EVENT_BUDGET;
    const sims = this.visible.map(([, sim]) => sim);
    const events = () => sims.reduce((n, sim) => n + sim.eventsProcessed, 0);
    const shouldYield = () => events() > maxEvents || (budget.shouldYield?.() ?? false);
    // Slices of simulated time, the budget checked in between; the last one also applies
    // what happens at `at` itself (actions at t = 0 included).
    let t = 0;
    do {
      const next = Math.min(at, t + REPLAY_SLICE_MS);
      const reached = this.runAllTo(next, shouldYield);
      t = reached;
      this.now = reached;
      if (reached < next || (events() > maxEvents && t < at)) return { at: t, cut: true };
    } while (t < at);
    return { at, cut: false };
  }

  /**
   * Run every side to `target`; when one stops early (yield), the others are brought to
   * the same moment so both sides always show one clock.
   */
  private runAllTo(target: number, shouldYield?: () => boolean): number {
    let reached = target;
    const done: Simulation[] = [];
    for (const [, sim] of this.visible) {
      const r = sim.runUntil(reached, {
        shouldYield: reached === target ? shouldYield : undefined,
      });
      if (r < reached) {
        reached = r;
        // The sides already run went past it: exact, by seeking back.
        for (const other of done) if (other.now > reached) other.runUntil(reached);
      }
      done.push(sim);
    }
    return reached;
  }

  /**
   * Apply a learner's action now, to every visible side it reaches. In the past (now <
   * head) it forks the future: `fork` says whether the old future is kept as branch A.
   * Returns why it could not be done anywhere, or null.
   */
  apply(body: InterventionBody, fork: ForkChoice = 'discard'): string | null {
    const targets = this.visible.filter(
      ([side]) => interventionSides(body.kind) === 'all' || side !== 'chain',
    );
    if (targets.length === 0) return 'a request chain has no broker: show Event fan-out or Compare';
    const problems = targets.map(([, sim]) => sim.problemWith(body));
    const firstOk = problems.indexOf(null);
    if (firstOk < 0) return problems[0] ?? null;
    if (this.now < this.head) {
      if (fork === 'keep') this.branch = this.buildBranch();
      // The future after now is gone; the dead-letter logs see it by the head (and the
      // runs' new epoch) and drop its marks.
      this.head = this.now;
    }
    return this.guard(
      () => {
        targets.forEach(([, sim], i) => {
          if (problems[i] === null) sim.intervene(body);
        });
        return null;
      },
      () => this.stop?.message ?? null,
    );
  }

  /** The old future as its own runs (every action, those ahead of the clock included), at `now`. */
  private buildBranch(): Branch {
    const sims: Partial<Record<Side, Simulation>> = {};
    for (const [side, sim] of this.visible) {
      const copy = this.createSim(side, sim.interventions);
      copy.runUntil(this.now);
      sims[side] = copy;
    }
    return { forkedAt: this.now, head: this.head, sims };
  }

  closeBranch(): void {
    this.branch = null;
  }

  // ------------------------------------------------------------------------------
  // The clock

  /** Run every side to `t` (backwards is a seek); may stop early when `shouldYield` says so. */
  advanceTo(t: number, shouldYield?: () => boolean): number {
    if (!Number.isFinite(t)) return this.now;
    const target = Math.max(0, Math.floor(t));
    if (target < this.now) {
      this.seek(target);
      return this.now;
    }
    return this.guard(
      () => {
        const reached = this.runAllTo(target, shouldYield);
        this.now = reached;
        if (reached > this.head) this.head = reached;
        this.followBranch();
        return reached;
      },
      () => this.now,
    );
  }

  /** Show the exact state at `t` (0..head) on every side. */
  seek(t: number): void {
    const target = Math.min(this.head, Math.max(0, Math.round(t)));
    this.guard(
      () => {
        for (const [, sim] of this.visible) sim.runUntil(target);
        this.now = target;
        this.followBranch();
      },
      () => undefined,
    );
  }

  /** To the next moment something happens on any side. */
  step(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const [, sim] of this.visible)
      next = Math.min(next, sim.nextEventAt() ?? Number.POSITIVE_INFINITY);
    if (Number.isFinite(next)) this.advanceTo(Math.max(next, this.now));
  }

  /** Back to the previous moment something happened, on every side. */
  stepBack(): void {
    this.seek(
      previousEventTime(
        this.visible.map(([, sim]) => sim),
        this.now,
      ),
    );
  }

  /** Branch A shows the same moment as the current branch. */
  private followBranch(): void {
    if (!this.branch) return;
    for (const sim of Object.values(this.branch.sims))
      if (sim && sim.now !== this.now) sim.runUntil(this.now);
  }

  /**
   * Run `work`; when a limit stops the engine, the runs are rebuilt at the last good
   * moment (the engine is deterministic: they are what they were), and `stop` says why.
   */
  private guard<T>(work: () => T, stopped: () => T): T {
    const before = this.now;
    try {
      return work();
    } catch (error) {
      if (!(error instanceof RunLimitError)) throw error;
      const why = explainStop(
        error,
        this.visible.map(([, sim]) => sim),
      );
      const setup = this.setup();
      if (!this.restoreAt(setup, before)) this.rebuild({ ...setup, at: 0 });
      this.stop = { message: why, at: this.now };
      return stopped();
    }
  }

  // ------------------------------------------------------------------------------
  // Lessons act through the same doors (LearnDriver)

  /** A lesson's setup: its scenario at t = 0, and how it wants playback. */
  loadLesson(setup: ResolvedSetup): void {
    this.load({
      scenario: setup.scenario,
      seed: setup.scenario.seed,
      mode: setup.mode,
      at: 0,
      interventions: {},
    });
    if (setup.speed !== undefined) this.playbackRequests.push({ do: 'speed', speed: setup.speed });
    this.playbackRequests.push({ do: setup.playing ? 'play' : 'pause' });
  }

  act(action: Action): void {
    const playback = playbackAction(action);
    if (playback) {
      switch (playback.do) {
        case 'mode':
          if (playback.mode !== this.mode)
            this.load({ ...this.setup(), mode: playback.mode, at: 0, interventions: {} });
          return;
        case 'run':
          if (playback.untilMs > this.now) this.advanceTo(playback.untilMs);
          return;
        default:
          this.playbackRequests.push(playback);
          return;
      }
    }
    const verb = action as EngineAction;
    const first = this.visible[0]?.[1];
    if (!first) return;
    // A service that is not in this run: nothing to do. "broker" (when no service has that
    // id) is the broker's own outage switch, which the fault kind handles.
    const onBroker =
      verb.service === BROKER_FAULT_TARGET && LESSON_VERBS.get(verb.do)?.kind === 'fault';
    if (
      verb.service !== undefined &&
      !this.scenario.services.some((s) => s.id === verb.service) &&
      !onBroker
    )
      return;
    const context = {
      concurrency: (id: string) => first.service(first.serviceIndex(id)).concurrency,
    };
    for (const body of verbToInterventions(verb, context)) this.apply(body);
  }

  world(): LearnWorld {
    return { mode: this.mode, now: this.now, sims: this.sims, rate: this.rate };
  }
}

/** Adapts a session to the lesson driver interface (`load` takes a lesson's setup). */
export function lessonDriver(session: RunSession): LearnDriver {
  return {
    load: (setup) => session.loadLesson(setup),
    act: (action) => session.act(action),
    advanceTo: (t) => {
      if (t > session.now) session.advanceTo(t);
    },
    world: () => session.world(),
  };
}
