/**
 * Time travel and following one order, beside the playground store.
 *
 * The engine makes going back exact (`Simulation.seek` restores a checkpoint and re-runs;
 * interventions ahead of the clock are replayed). This module adds what a learner
 * needs around it:
 *  - `head`: how far this branch of the run has gone, the end of the timeline;
 *  - `seek(t)` / `stepBack()` on every visible side at once;
 *  - forks: a change made in the past (`now < head`) is held until the learner answers
 *    the question "discard the old future, or keep it as branch A?" (`pendingFork`);
 *  - branch A: the old future, re-created as its own simulations that follow the clock,
 *    so both outcomes can be compared at the same moment;
 *  - the followed order (one order number, followed on every side) and its records;
 *  - dead letters seen so far, for the timeline's markers.
 *
 * It is a companion store attached to one playground store (`timeTravelOf(store)`), so
 * the playground store stays small and each test still builds fresh ones.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Simulation, TraceRecord } from '../core';
import { DeadLetterLog } from '../time/deadLetterLog';
import type { DeadLetterMark } from '../time/markers';
import { OrderTrail } from '../time/orderTrail';
import { previousEventTime } from '../time/previousEvent';
import { createSideSim, type PlaygroundState, type Side } from './playground';

export type ForkChoice = 'discard' | 'keep';

/** A change made in the past, waiting for the learner's answer. */
export interface PendingFork {
  /** The moment the future forks from. */
  at: number;
  /** Where the current future ends (what would be discarded is `at`..`head`). */
  head: number;
}

/** The old future, kept to compare with. Its simulations follow the clock. */
export interface BranchA {
  forkedAt: number;
  /** How far it had gone when it was set aside. */
  head: number;
  sims: Partial<Record<Side, Simulation>>;
}

export interface TimeTravelState {
  /** The furthest simulated time this branch has reached: the end of the timeline. */
  head: number;
  pendingFork: PendingFork | null;
  branchA: BranchA | null;
  /** The order number followed on every side, or null. */
  followed: number | null;
  /** Bumped when the dead-letter marks change. */
  deadLetterVersion: number;

  /** Show the exact state at `t` (0..head) on every side; pauses playback. */
  seek(t: number): void;
  /** Back to the previous moment something happened (see `previousEventTime`); pauses. */
  stepBack(): void;
  /** Answer the fork question: apply the held change, discarding or keeping the old future. */
  confirmFork(choice: ForkChoice): void;
  /** Drop the held change; nothing happens. */
  cancelFork(): void;
  /** Stop comparing with branch A. */
  closeBranch(): void;
  /** Follow an order number on every side (null: stop following). */
  follow(corr: number | null): void;
}

export interface TimeTravel {
  store: StoreApi<TimeTravelState>;
  playground: StoreApi<PlaygroundState>;
  /** Dead letters seen in this branch, merged over the sides, oldest first. */
  deadLetters(): DeadLetterMark[];
  /** The followed order's records on one side, up to now (empty when none is followed). */
  followedRecords(side: Side): readonly TraceRecord[];
}

/** Identifies the learner's interventions so far on the first side: a change means a fork or a new action. */
function logKey(s: PlaygroundState): string {
  const sim = visible(s.sims)[0]?.[1];
  if (!sim) return '';
  const log = sim.interventions;
  return `${log.length}:${JSON.stringify(log[log.length - 1] ?? null)}`;
}

const registry = new WeakMap<StoreApi<PlaygroundState>, TimeTravel>();

function visible(sims: PlaygroundState['sims']): Array<[Side, Simulation]> {
  const out: Array<[Side, Simulation]> = [];
  if (sims.chain) out.push(['chain', sims.chain]);
  if (sims.event) out.push(['event', sims.event]);
  return out;
}

/**
 * Branch A: a fresh simulation per side with the old interventions (those ahead of the
 * clock included), run to `now`. Built like the playground's own (`createSideSim`), so it
 * re-creates the old future exactly.
 */
function buildBranch(s: PlaygroundState, head: number): BranchA {
  const sims: Partial<Record<Side, Simulation>> = {};
  for (const [side, sim] of visible(s.sims)) {
    const copy = createSideSim(s.scenario, s.seed, side, [...sim.interventions]);
    copy.runUntil(s.now);
    sims[side] = copy;
  }
  return { forkedAt: s.now, head, sims };
}

/** The time-travel companion of a playground store, created on first use. */
export function timeTravelOf(playground: StoreApi<PlaygroundState>): TimeTravel {
  const known = registry.get(playground);
  if (known) return known;

  let held: (() => void) | null = null;
  let lastLog = logKey(playground.getState());
  const deadLogs: Partial<Record<Side, DeadLetterLog>> = {};
  const trails: Partial<Record<Side, OrderTrail>> = {};
  const logOf = (side: Side) => {
    deadLogs[side] ??= new DeadLetterLog();
    return deadLogs[side];
  };

  /** The workload slider shows the rate of the moment on screen. */
  const syncRate = () => {
    const first = visible(playground.getState().sims)[0];
    if (first && playground.getState().rate !== first[1].baseRate)
      playground.setState({ rate: first[1].baseRate });
  };

  const collectDeadLetters = (s: PlaygroundState) => {
    let changed = false;
    for (const [side, sim] of visible(s.sims)) {
      const log = logOf(side);
      const before = log.version;
      log.collect(sim);
      if (log.version !== before) changed = true;
    }
    if (changed) store.setState((t) => ({ deadLetterVersion: t.deadLetterVersion + 1 }));
  };

  const store = createStore<TimeTravelState>()((set, get) => ({
    head: playground.getState().now,
    pendingFork: null,
    branchA: null,
    followed: null,
    deadLetterVersion: 0,

    seek(t) {
      if (!Number.isFinite(t)) return;
      const pg = playground.getState();
      const target = Math.min(get().head, Math.max(0, Math.round(t)));
      if (pg.playing) pg.pause();
      playground.getState().advanceTo(target);
      syncRate();
    },
    stepBack() {
      const pg = playground.getState();
      if (pg.playing) pg.pause();
      const sims = visible(pg.sims).map(([, sim]) => sim);
      get().seek(previousEventTime(sims, pg.now));
    },
    confirmFork(choice) {
      const pending = get().pendingFork;
      const run = held;
      held = null;
      if (!pending || !run) {
        set({ pendingFork: null });
        return;
      }
      const s = playground.getState();
      const branchA = choice === 'keep' ? buildBranch(s, pending.head) : get().branchA;
      for (const [side, sim] of visible(s.sims)) logOf(side).forkAt(sim);
      set((t) => ({
        pendingFork: null,
        head: s.now,
        branchA,
        deadLetterVersion: t.deadLetterVersion + 1,
      }));
      // Now at the head of the new branch: the held change goes through.
      run();
    },
    cancelFork() {
      held = null;
      set({ pendingFork: null });
      syncRate();
    },
    closeBranch() {
      set({ branchA: null });
    },
    follow(corr) {
      const valid = corr !== null && Number.isInteger(corr) && corr > 0 ? corr : null;
      set({ followed: valid });
    },
  }));

  playground.subscribe((s, prev) => {
    if (s.sims !== prev.sims) {
      // A new run (reset, another scenario or mode): a new timeline.
      held = null;
      lastLog = logKey(s);
      for (const log of Object.values(deadLogs)) log?.clear();
      for (const trail of Object.values(trails)) trail?.clear();
      store.setState((t) => ({
        head: s.now,
        pendingFork: null,
        branchA: null,
        followed: s.scenario === prev.scenario ? t.followed : null,
        deadLetterVersion: t.deadLetterVersion + 1,
      }));
      return;
    }
    if (s.now === prev.now && s.version === prev.version) return;
    const tt = store.getState();
    const log = logKey(s);
    if (log !== lastLog) {
      lastLog = log;
      // A change that did not ask first (an action outside `intervene`) still forked the
      // future in the engine: the timeline ends here now.
      if (s.now < tt.head) {
        for (const [side, sim] of visible(s.sims)) logOf(side).forkAt(sim);
        store.setState((t) => ({ head: s.now, deadLetterVersion: t.deadLetterVersion + 1 }));
      }
    }
    if (s.now > store.getState().head) store.setState({ head: s.now });
    collectDeadLetters(s);
    // Branch A shows the same moment as the current branch.
    const branch = tt.branchA;
    if (branch)
      for (const sim of Object.values(branch.sims))
        if (sim && sim.now !== Math.floor(s.now)) sim.runUntil(s.now);
  });

  const tt: TimeTravel = {
    store,
    playground,
    deadLetters() {
      const all: DeadLetterMark[] = [];
      for (const log of Object.values(deadLogs)) if (log) all.push(...log.list);
      return all.sort((a, b) => a.t - b.t);
    },
    followedRecords(side) {
      const corr = store.getState().followed;
      const sim = playground.getState().sims[side];
      if (corr === null || !sim) return [];
      trails[side] ??= new OrderTrail();
      return trails[side].read(sim, corr);
    },
  };

  registry.set(playground, tt);
  // Internal hook for `holdForFork`.
  forkHooks.set(playground, (run) => {
    const s = playground.getState();
    const t = store.getState();
    if (!(s.now < t.head)) return false;
    // A question is already open: a second change is dropped; the learner answers the first.
    if (t.pendingFork) return true;
    if (s.playing) s.pause();
    held = run;
    store.setState({ pendingFork: { at: s.now, head: t.head } });
    return true;
  });
  return tt;
}

const forkHooks = new WeakMap<StoreApi<PlaygroundState>, (run: () => void) => boolean>();

/**
 * Called by the playground store before it applies a change (outage toggle, rate,
 * scaling...). In the past, the change would fork the future: it is held (and `true`
 * returned) until the learner answers; `run` applies it then. Without a time-travel
 * companion, or at the head of the run, it returns false and the change goes through.
 */
export function holdForFork(playground: StoreApi<PlaygroundState>, run: () => void): boolean {
  return forkHooks.get(playground)?.(run) ?? false;
}
