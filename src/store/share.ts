/**
 * Setups and the playground store: read the current setup out of a store, put a setup
 * (from a link, a file or the saved session) into one, decide at start-up which setup
 * to open, and save the session as the learner works.
 *
 * Like `broker.ts`, these act on the store from the outside (`getState` / `setState`).
 * Putting a setup in is all or nothing: the runs are rebuilt and replayed on the side,
 * and only when that worked do they replace the current ones. A setup that cannot be
 * opened leaves the learner's current work exactly as it was.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Intervention, Scenario, Simulation } from '../core';
import { fail, ok, type Result } from '../share/result';
import { isBuiltIn, type Setup } from '../share/setup';
import { readSetupHash } from '../share/link';
import { readSession, SESSION_KEY, sessionText } from '../share/storedState';
import { clampSpeed, createSideSim, type PlaygroundState, type Side, sidesOf } from './playground';

type Store = StoreApi<PlaygroundState>;

/**
 * Most simulated events a replay may process before the setup opens at an earlier moment
 * instead (a few seconds of work in a browser). Keeps a hostile link or a very long
 * session from freezing the page.
 */
export const REPLAY_EVENT_BUDGET = 8_000_000;
/** Replay goes forward in slices of this much simulated time, checking the budget. */
const REPLAY_SLICE_MS = 1000;

// Built-in detection stringifies the scenario: do it once per scenario object.
const builtInCache = new WeakMap<Scenario, boolean>();
function builtIn(scenario: Scenario): boolean {
  let known = builtInCache.get(scenario);
  if (known === undefined) {
    known = isBuiltIn(scenario);
    builtInCache.set(scenario, known);
  }
  return known;
}

/** The current setup of a store: what a link, a file or the saved session carries. */
export function setupFromState(s: PlaygroundState): Setup {
  const interventions: Partial<Record<Side, Intervention[]>> = {};
  for (const side of sidesOf(s.mode))
    interventions[side] = [...(s.sims[side]?.interventions ?? [])];
  return {
    scenario: s.scenario,
    builtIn: builtIn(s.scenario),
    seed: s.seed,
    mode: s.mode,
    speed: s.speed,
    at: Math.max(0, Math.floor(s.now)),
    interventions,
  };
}

/** The trace hash of each visible side: equal fingerprints mean the very same run. */
export function runFingerprints(s: PlaygroundState): Partial<Record<Side, string>> {
  const out: Partial<Record<Side, string>> = {};
  for (const side of sidesOf(s.mode)) {
    const sim = s.sims[side];
    if (sim) out[side] = sim.traceHash;
  }
  return out;
}

export interface Replayed {
  sims: Partial<Record<Side, Simulation>>;
  /** The moment reached: `setup.at`, or earlier when the budget ran out. */
  at: number;
  /** True when the budget stopped the replay before `setup.at`. */
  cut: boolean;
}

/**
 * Rebuild the runs of a setup and replay them to its moment, on the side (nothing in any
 * store changes). Never throws: an engine error becomes a message.
 */
export function replaySetup(setup: Setup, budget = REPLAY_EVENT_BUDGET): Result<Replayed> {
  try {
    const sims: Partial<Record<Side, Simulation>> = {};
    const list: Simulation[] = [];
    for (const side of sidesOf(setup.mode)) {
      const sim = createSideSim(setup.scenario, setup.seed, side, setup.interventions[side] ?? []);
      sims[side] = sim;
      list.push(sim);
    }
    let t = 0;
    while (t < setup.at) {
      const next = Math.min(setup.at, t + REPLAY_SLICE_MS);
      for (const sim of list) sim.runUntil(next);
      t = next;
      const events = list.reduce((n, sim) => n + sim.eventsProcessed, 0);
      if (events > budget && t < setup.at) return ok({ sims, at: t, cut: true });
    }
    return ok({ sims, at: setup.at, cut: false });
  } catch (error) {
    return fail(
      `This setup could not be replayed (${error instanceof Error ? error.message.slice(0, 120) : 'unknown error'}). Nothing was changed.`,
    );
  }
}

/** The base rate the workload slider shows after the learner's actions up to `at`. */
export function rateAt(
  scenario: Scenario,
  interventions: readonly Intervention[],
  at: number,
): number {
  let rate = scenario.workload.rate_per_s;
  for (const i of interventions) if (i.kind === 'rate' && i.at <= at) rate = i.rate;
  return rate;
}

export interface ApplyOptions {
  /** Keep playing after opening (default: paused when the setup is past t = 0). */
  playing?: boolean;
  budget?: number;
}

/**
 * Put `setup` into the store: all or nothing. Returns a note when the setup opened at an
 * earlier moment than it asked for (replay budget), else null; on failure nothing changed.
 */
export function applySetup(
  store: Store,
  setup: Setup,
  options: ApplyOptions = {},
): Result<string | null> {
  const replayed = replaySetup(setup, options.budget);
  if (!replayed.ok) return replayed;
  const { sims, at, cut } = replayed.value;
  const s = store.getState();
  const first = sims[sidesOf(setup.mode)[0] as Side];
  const list = Object.values(sims) as Simulation[];
  const ended =
    at >= setup.scenario.duration_ms && list.every((sim) => sim.nextEventAt() === undefined);
  store.setState({
    scenario: setup.scenario,
    seed: setup.seed,
    mode: setup.mode,
    speed: clampSpeed(setup.speed),
    sims,
    now: at,
    version: s.version + 1,
    rate: rateAt(setup.scenario, first?.interventions ?? [], at),
    ended,
    playing: (options.playing ?? at === 0) && !ended,
    selection: null,
  });
  if (cut) {
    return ok(
      `Opened at t = ${clock(at)} instead of t = ${clock(setup.at)}: replaying that far would take too long here. Press Play to go on from there.`,
    );
  }
  return ok(null);
}

/** A scenario file opened on its own: t = 0, its own seed, the current view and speed. */
export function applyScenario(store: Store, scenario: Scenario): Result<string | null> {
  const s = store.getState();
  return applySetup(
    store,
    {
      scenario,
      builtIn: builtIn(scenario),
      seed: scenario.seed,
      mode: s.mode,
      speed: s.speed,
      at: 0,
      interventions: {},
    },
    { playing: true },
  );
}

function clock(ms: number): string {
  const total = Math.floor(ms);
  const m = Math.floor(total / 60_000);
  const sec = Math.floor((total % 60_000) / 1000);
  return `${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}.${String(total % 1000).padStart(3, '0')}`;
}

// ---------------------------------------------------------------------------------
// Start-up

/** The part of `localStorage` this needs (tests pass a Map-backed one). */
export interface SessionStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface BootInput {
  /** `location.hash`, e.g. `#setup=...` */
  hash: string;
  /** `location.search` */
  search: string;
  /** The saved session's text (`null` when none, or storage is unavailable). */
  saved: string | null;
  /** Embedded in another page: a link is opened, the saved session is neither read nor written. */
  embed: boolean;
}

export interface BootPlan {
  /** The setup to open, and where it came from. */
  open: { setup: Setup; from: 'link' | 'session'; savedAt: number | null } | null;
  /** Messages about a broken link or an unreadable saved session. */
  problems: string[];
  /** The fragment held a setup (good or bad): it should be removed from the address bar once read. */
  hadLink: boolean;
  /** When a link opens over a saved session: that session, so the learner can go back to it. */
  previous: Setup | null;
}

/**
 * What to open at start-up: a link's setup first; else the saved session, unless the
 * address asks for another scenario explicitly. A broken link is named, and the saved
 * session (the learner's previous setup) is opened as if the link had not been there.
 */
export function planBoot(input: BootInput): BootPlan {
  const problems: string[] = [];
  const link = readSetupHash(input.hash);
  const hadLink = link !== null;
  if (input.embed) {
    if (link && !link.ok) problems.push(link.message);
    const open = link?.ok ? { setup: link.value, from: 'link' as const, savedAt: null } : null;
    return { open, problems, hadLink, previous: null };
  }
  const session = readSession(input.saved);
  const saved = session?.ok ? session.value : null;
  if (link?.ok)
    return {
      open: { setup: link.value, from: 'link', savedAt: null },
      problems,
      hadLink,
      previous: saved?.setup ?? null,
    };
  if (link && !link.ok) problems.push(link.message);
  if (session && !session.ok) problems.push(session.message);
  if (saved) {
    const asked = new URLSearchParams(input.search).get('scenario');
    if (asked === null || asked === saved.setup.scenario.id) {
      return {
        open: { setup: saved.setup, from: 'session', savedAt: saved.savedAt },
        problems,
        hadLink,
        previous: null,
      };
    }
  }
  return { open: null, problems, hadLink, previous: null };
}

// ---------------------------------------------------------------------------------
// Saving as the learner works

export interface AutosaveOptions {
  storage: SessionStorage;
  /** Wall clock for `saved_at` (injected: tests pass their own). */
  now: () => number;
  /** Schedules the next save; returns a cancel function. */
  later?: (run: () => void, ms: number) => () => void;
  /** At most one save per this many milliseconds while the learner works. */
  everyMs?: number;
}

const defaultLater = (run: () => void, ms: number) => {
  const id = setTimeout(run, ms);
  return () => clearTimeout(id);
};

/** Save the current setup now. Storage that is full or switched off is not an error worth a message. */
export function saveSession(store: Store, storage: SessionStorage, savedAt: number): boolean {
  try {
    storage.setItem(SESSION_KEY, sessionText(setupFromState(store.getState()), savedAt));
    return true;
  } catch {
    return false;
  }
}

export function clearSession(storage: SessionStorage): void {
  try {
    storage.removeItem(SESSION_KEY);
  } catch {
    // Nothing saved, or storage switched off: nothing to clear.
  }
}

/**
 * Keep the saved session up to date: after a change, at most once per `everyMs`.
 * Returns `{ flush, stop }`: flush saves at once (page hidden or closing).
 */
export function startAutosave(
  store: Store,
  options: AutosaveOptions,
): { flush(): void; stop(): void } {
  const later = options.later ?? defaultLater;
  const everyMs = options.everyMs ?? 1000;
  let cancel: (() => void) | null = null;
  let dirty = false;
  const flush = () => {
    cancel?.();
    cancel = null;
    dirty = false;
    saveSession(store, options.storage, options.now());
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (
      s.version === prev.version &&
      s.scenario === prev.scenario &&
      s.seed === prev.seed &&
      s.mode === prev.mode &&
      s.speed === prev.speed &&
      s.now === prev.now
    )
      return;
    dirty = true;
    if (!cancel) {
      cancel = later(() => {
        cancel = null;
        if (dirty) flush();
      }, everyMs);
    }
  });
  return {
    flush,
    stop() {
      unsubscribe();
      cancel?.();
      cancel = null;
    },
  };
}
