/**
 * The playground store: one `Simulation` per visible side, the playback clock and the
 * UI state around them. A factory, not a singleton, so every test builds a fresh one.
 *
 * Time is injected: `tick(wallMs)` is what the requestAnimationFrame loop calls once per
 * frame (see `playback.ts`), and `advanceTo(simMs)` moves the simulated clock directly.
 * Tests call them instead of waiting.
 *
 * React side: `PlaygroundProvider`, `usePlayground(selector, equality?)` and
 * `usePlaygroundStore()` (for `subscribe` + a ref) in `context.tsx`. Keyboard actions in
 * `actions.ts`, URL parameters in `urlParams.ts`, the animation-frame loop in `playback.ts`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type FaultSettings, type Intervention, type Scenario, Simulation } from '../core';
import { builtInScenarios, findScenario } from '../content/scenarios';
import { holdForFork, timeTravelOf } from './timeTravel';

export type Side = 'chain' | 'event';
export type Mode = Side | 'compare';
export type PanelTab = 'inspector' | 'metrics' | 'broker' | 'trace' | 'walkthrough';

/** `nodeId` is `Model.nodes[i].id`. */
export interface Selection {
  side: Side;
  nodeId: string;
}

export const MIN_SPEED = 0.1;
export const MAX_SPEED = 50;
/** The stops of the speed slider. Any value between MIN and MAX is accepted by `setSpeed`. */
export const SPEED_STOPS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50] as const;
/** Wall time one frame may account for: a tab in the background must not jump minutes. */
export const MAX_FRAME_MS = 100;
/** Highest orders-per-second the workload slider offers (the scenario format allows more). */
export const MAX_RATE = 200;
/** A spike multiplies the base rate by this, with at least `SPIKE_MIN_RATE` orders/s. */
export const SPIKE_FACTOR = 8;
export const SPIKE_MIN_RATE = 60;
export const SPIKE_MS = 5000;

export const DEFAULT_SCENARIO = 'checkout';
/**
 * Compare by default: a newcomer sees both architectures handle the very same orders,
 * one above the other, without having to find a tab first.
 */
export const DEFAULT_MODE: Mode = 'compare';
export const DEFAULT_SPEED = 1;

export interface PlaygroundState {
  /** Current scenario (validated). */
  scenario: Scenario;
  seed: number;
  mode: Mode;
  /** 0.1 .. 50 */
  speed: number;
  playing: boolean;
  /**
   * One Simulation per visible side: mode 'chain' -> { chain }, 'event' -> { event },
   * 'compare' -> both. Mutable objects: read them, never mutate them outside store actions.
   */
  sims: Partial<Record<Side, Simulation>>;
  /** Simulated time of the frame being shown (ms). Changes every animation frame while playing. */
  now: number;
  /** Bumped after every change of any simulation (frame, step, outage...). Subscribe to it to re-read live data. */
  version: number;
  selection: Selection | null;
  /** From prefers-reduced-motion. */
  reducedMotion: boolean;
  /** A message to show (bad URL parameter, unknown scenario...). */
  error: string | null;

  // Beyond the contract ------------------------------------------------------------
  /** The base arrival rate (orders per second) the workload slider shows. */
  rate: number;
  /** The workload is over and nothing is left to happen on any side: playback stopped by itself. */
  ended: boolean;
  panelTab: PanelTab;
  shortcutsOpen: boolean;

  play(): void;
  pause(): void;
  togglePlay(): void;
  /** Advance to the next event (in compare: the earlier of both sides' next events, on both). */
  step(): void;
  /** Back to the previous moment something happened, on every side (time travel, `timeTravel.ts`). */
  stepBack(): void;
  /** Same scenario + seed, t = 0, interventions cleared. Keeps playing or paused as it was. */
  reset(): void;
  setSpeed(x: number): void;
  /** Keeps scenario and seed, restarts at t = 0. */
  setMode(m: Mode): void;
  /** A built-in scenario by id, with its own seed; an unknown id sets `error` and changes nothing. */
  loadScenario(id: string): void;
  /** Outage toggles and fault menu: applied to every visible side at the current moment. */
  toggleOutage(serviceId: string): void;
  setFault(serviceId: string, patch: Partial<FaultSettings>): void;
  setRate(perSecond: number): void;
  /** A burst: `SPIKE_FACTOR` x the base rate, at least `SPIKE_MIN_RATE`/s, for `SPIKE_MS`. */
  spike(): void;
  sendOrder(): void;
  scale(serviceId: string, replicas: number, concurrency: number): void;
  select(sel: Selection | null): void;

  /** One animation frame: `wallMs` of wall time (capped at `MAX_FRAME_MS`) x speed. No-op when paused. */
  tick(wallMs: number): void;
  /** Run every visible side to simulated time `simMs` (playing or not). */
  advanceTo(simMs: number): void;
  setError(message: string | null): void;
  setPanelTab(tab: PanelTab): void;
  setShortcutsOpen(open: boolean): void;
  setReducedMotion(reduced: boolean): void;
}

export interface PlaygroundInit {
  scenarioId: string;
  seed: number;
  mode: Mode;
  speed: number;
  /** Start playing (default true: the page opens with orders already flowing). */
  playing: boolean;
  reducedMotion: boolean;
  /** A message to show from the start (e.g. a bad URL parameter). */
  error: string | null;
}

/** The sides a mode shows, top to bottom. */
export function sidesOf(mode: Mode): Side[] {
  return mode === 'compare' ? ['chain', 'event'] : [mode];
}

export const MODE_LABELS: Record<Mode, string> = {
  chain: 'Request chain',
  event: 'Event fan-out',
  compare: 'Compare',
};

export function clampSpeed(x: number): number {
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, x));
}

/**
 * One side's simulation as the playground runs it. Share links and saved sessions
 * (`share.ts`) replay the learner's `interventions` through this too, so a reopened
 * setup is the very same run.
 */
export function createSideSim(
  scenario: Scenario,
  seed: number,
  side: Side,
  interventions?: readonly Intervention[],
): Simulation {
  // openEnded: orders keep coming after the scenario's scripted minute, so the learner
  // can go on experimenting (the rate slider and Spike keep working).
  return new Simulation(scenario, { architecture: side, seed, openEnded: true, interventions });
}

function buildSims(
  scenario: Scenario,
  seed: number,
  mode: Mode,
): Partial<Record<Side, Simulation>> {
  const sims: Partial<Record<Side, Simulation>> = {};
  for (const side of sidesOf(mode)) sims[side] = createSideSim(scenario, seed, side);
  return sims;
}

function visibleSims(sims: Partial<Record<Side, Simulation>>): Simulation[] {
  const out: Simulation[] = [];
  if (sims.chain) out.push(sims.chain);
  if (sims.event) out.push(sims.event);
  return out;
}

function isEnded(scenario: Scenario, sims: Simulation[], now: number): boolean {
  return now >= scenario.duration_ms && sims.every((sim) => sim.nextEventAt() === undefined);
}

const FALLBACK_SCENARIO = (): Scenario => {
  const first = builtInScenarios[0];
  if (!first) throw new Error('no built-in scenarios');
  return first;
};

export function createPlaygroundStore(
  init: Partial<PlaygroundInit> = {},
): StoreApi<PlaygroundState> {
  const problems: string[] = [];
  if (init.error) problems.push(init.error);
  let scenario = findScenario(init.scenarioId ?? DEFAULT_SCENARIO);
  if (!scenario) {
    problems.push(
      `There is no built-in scenario "${init.scenarioId}"; showing "${DEFAULT_SCENARIO}" instead.`,
    );
    scenario = findScenario(DEFAULT_SCENARIO) ?? FALLBACK_SCENARIO();
  }
  const seed = init.seed ?? scenario.seed;
  const mode = init.mode ?? DEFAULT_MODE;
  const speed = clampSpeed(init.speed ?? DEFAULT_SPEED);

  return createStore<PlaygroundState>()((set, get, api) => {
    /** Apply the same intervention to every visible side, at the current moment. */
    const intervene = (apply: (sim: Simulation) => void) => {
      // In the past, a change forks the future: time travel asks the learner first.
      if (holdForFork(api, () => intervene(apply))) return;
      const s = get();
      const sims = visibleSims(s.sims);
      for (const sim of sims) apply(sim);
      set({ version: s.version + 1, ended: isEnded(s.scenario, sims, s.now) });
    };

    /** Runs `apply` only if the service exists in the scenario; otherwise says so. */
    const withService = (serviceId: string, apply: (sim: Simulation) => void) => {
      const s = get();
      if (!s.scenario.services.some((svc) => svc.id === serviceId)) {
        set({ error: `Scenario "${s.scenario.id}" has no service "${serviceId}".` });
        return;
      }
      intervene(apply);
    };

    /** Fresh simulations at t = 0 for this scenario, seed and mode. */
    const restart = (patch: Partial<PlaygroundState> = {}) => {
      const s = get();
      const next = { scenario: s.scenario, seed: s.seed, mode: s.mode, ...patch };
      const sims = buildSims(next.scenario, next.seed, next.mode);
      const visible = sidesOf(next.mode);
      const selection =
        s.selection && visible.includes(s.selection.side) && next.scenario === s.scenario
          ? s.selection
          : null;
      set({
        ...next,
        sims,
        now: 0,
        version: s.version + 1,
        rate: next.scenario.workload.rate_per_s,
        ended: false,
        selection,
      });
    };

    const advanceTo = (simMs: number) => {
      const s = get();
      if (!Number.isFinite(simMs)) return;
      const target = Math.max(0, simMs);
      const sims = visibleSims(s.sims);
      for (const sim of sims) sim.runUntil(target);
      const ended = isEnded(s.scenario, sims, target);
      set({ now: target, version: s.version + 1, ended, playing: s.playing && !ended });
    };

    return {
      scenario,
      seed,
      mode,
      speed,
      playing: init.playing ?? true,
      sims: buildSims(scenario, seed, mode),
      now: 0,
      version: 0,
      selection: null,
      reducedMotion: init.reducedMotion ?? false,
      error: problems.length > 0 ? problems.join(' ') : null,
      rate: scenario.workload.rate_per_s,
      ended: false,
      panelTab: 'inspector',
      shortcutsOpen: false,

      play() {
        // Play after the end starts the run again, like a video player.
        if (get().ended) restart({ playing: true });
        else set({ playing: true });
      },
      pause() {
        set({ playing: false });
      },
      togglePlay() {
        if (get().playing) get().pause();
        else get().play();
      },
      step() {
        const s = get();
        let next = Number.POSITIVE_INFINITY;
        for (const sim of visibleSims(s.sims))
          next = Math.min(next, sim.nextEventAt() ?? Number.POSITIVE_INFINITY);
        set({ playing: false });
        if (Number.isFinite(next)) advanceTo(Math.max(next, Math.floor(s.now)));
      },
      stepBack() {
        timeTravelOf(api).store.getState().stepBack();
      },
      reset() {
        restart();
      },
      setSpeed(x) {
        if (!Number.isFinite(x)) return;
        set({ speed: clampSpeed(x) });
      },
      setMode(m) {
        if (m === get().mode) return;
        restart({ mode: m });
      },
      loadScenario(id) {
        const found = findScenario(id);
        if (!found) {
          set({ error: `There is no built-in scenario "${id}".` });
          return;
        }
        restart({ scenario: found, seed: found.seed });
      },
      toggleOutage(serviceId) {
        const s = get();
        const first = visibleSims(s.sims)[0];
        if (!first) return;
        const index = first.model.services.findIndex((svc) => svc.id === serviceId);
        const down = index >= 0 ? !first.service(index).down : true;
        withService(serviceId, (sim) => sim.setDown(serviceId, down));
      },
      setFault(serviceId, patch) {
        withService(serviceId, (sim) => sim.setFault(serviceId, patch));
      },
      setRate(perSecond) {
        if (!Number.isFinite(perSecond)) return;
        const rate = Math.min(MAX_RATE, Math.max(0, perSecond));
        intervene((sim) => sim.setRate(rate));
        set({ rate });
      },
      spike() {
        const rate = Math.max(SPIKE_MIN_RATE, SPIKE_FACTOR * get().rate);
        intervene((sim) => sim.spike(rate, SPIKE_MS));
      },
      sendOrder() {
        intervene((sim) => sim.sendOrder());
      },
      scale(serviceId, replicas, concurrency) {
        if (!(replicas >= 1 && concurrency >= 1)) return;
        withService(serviceId, (sim) =>
          sim.scale(serviceId, Math.round(replicas), Math.round(concurrency)),
        );
      },
      select(sel) {
        set(sel ? { selection: sel, panelTab: 'inspector' } : { selection: null });
      },

      tick(wallMs) {
        const s = get();
        if (!s.playing || !(wallMs > 0)) return;
        advanceTo(s.now + Math.min(wallMs, MAX_FRAME_MS) * s.speed);
      },
      advanceTo,
      setError(message) {
        set({ error: message });
      },
      setPanelTab(tab) {
        set({ panelTab: tab });
      },
      setShortcutsOpen(open) {
        set({ shortcutsOpen: open });
      },
      setReducedMotion(reduced) {
        set({ reducedMotion: reduced });
      },
    };
  });
}

/** The built-in scenarios for the picker: id, name and its one-line description. */
export const scenarioChoices: ReadonlyArray<{ id: string; name: string; description: string }> =
  builtInScenarios.map((s) => ({ id: s.id, name: s.name, description: s.description }));
