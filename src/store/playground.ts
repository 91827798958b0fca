/**
 * `createPlayground()`: the one owner of a playground (the shape of tldraw's `Editor`).
 *
 * It builds its parts explicitly on one kernel — the runs and their two doors (`loadRun`,
 * `apply`), playback, time travel, broker settings, sharing, learning, and the UI slice —
 * and disposes them together. Every entry point (buttons, keys, links, files, lessons,
 * time-travel forks) goes through `loadRun` or `apply`; views render and dispatch.
 *
 * The engine runs behind an `EngineHost`: the page passes a `WorkerHost` (the engine in
 * a Web Worker); tests and tools get a `LocalHost` (in-process, synchronous), so each
 * test builds a fresh playground and injects time with `playback.tick` / `advanceTo`.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { InterventionBody } from '../core/interventions';
import type { Scenario } from '../core/scenario';
import { builtInChoices, findScenario } from '../content/scenarios';
import type { EngineHost } from '../run/host';
import type { Mode } from '../run/modes';
import { DEFAULT_SPEED } from '../run/speeds';
import { type BrokerPart, createBroker } from './broker';
import { createEditor, type DraftStorage, type EditorPart } from './editor';
import { createKernel, type LoadOutcome, type LoadRequest } from './kernel';
import { createLearnStore, type LearnState, type LearnStorage } from './learn';
import { createLearning, type LearningPart } from './learning';
import { createPlayback, type PlaybackPart } from './playback';
import { createSharing, type SharingPart } from './share';
import type { PlaygroundState } from './state';
import { createTimeTravel, type TimeTravelPart } from './timeTravel';
import { createUi, type UiPart } from './ui';

export type { PanelTab, PlaygroundState, Selection } from './state';
export type { LoadOutcome, LoadRequest } from './kernel';

export const DEFAULT_SCENARIO = 'checkout';
/**
 * Compare by default: a newcomer sees both architectures handle the very same orders,
 * one above the other, without having to find a tab first.
 */
export const DEFAULT_MODE: Mode = 'compare';
/** Highest orders-per-second the workload slider offers (the scenario format allows more). */
export const MAX_RATE = 200;
/** A spike multiplies the base rate by this, with at least `SPIKE_MIN_RATE` orders/s. */
export const SPIKE_FACTOR = 8;
export const SPIKE_MIN_RATE = 60;
export const SPIKE_MS = 5000;

export interface PlaygroundOptions {
  /**
   * Where the engine runs: the page passes a `WorkerHost`; tests and tools use
   * `createHeadlessPlayground` (headless.ts), which runs it in-process. The page's bundle
   * never contains the engine itself.
   */
  host: EngineHost;
  scenarioId?: string;
  seed?: number;
  mode?: Mode;
  speed?: number;
  /** Start playing (default true: the page opens with orders already flowing). */
  playing?: boolean;
  reducedMotion?: boolean;
  /** A message to show from the start (e.g. a bad URL parameter). */
  error?: string | null;
  /** Load the scenario right away (default true); boot code that opens a link or a session says false. */
  load?: boolean;
  /** Where learning progress is kept. Default: none (the page passes localStorage). */
  learnStorage?: LearnStorage | null;
  /** Where Edit mode saves the draft being edited. Default: none (the page passes localStorage). */
  draftStorage?: DraftStorage | null;
}

export interface Playground {
  readonly store: StoreApi<PlaygroundState>;
  readonly host: EngineHost;
  getState(): PlaygroundState;
  /** The door for a new run: a scenario, a link, a file, a lesson, a reset, another view. */
  loadRun(request: LoadRequest): Promise<LoadOutcome>;
  /** The door for a learner's action, now, on every side it reaches. */
  apply(body: InterventionBody): Promise<string | null>;
  /** A built-in scenario by id with its own seed, in the current view. */
  loadScenario(id: string): Promise<string | null>;
  /** Another view (chain, event, compare): same scenario and seed, from t = 0. */
  setMode(mode: Mode): Promise<void>;
  readonly playback: PlaybackPart;
  readonly timeTravel: TimeTravelPart;
  readonly broker: BrokerPart;
  readonly sharing: SharingPart;
  readonly learning: LearningPart;
  readonly ui: UiPart;
  /** Edit mode: the scenario as a draft, with undo/redo and live validation. */
  readonly editor: EditorPart;
  /** Walkthrough, challenge and interview progress. */
  readonly progress: StoreApi<LearnState>;
  /** Resolves when the first run is on screen (at once with an in-process engine). */
  readonly ready: Promise<void>;
  dispose(): void;
}

const fallbackScenario = (): Scenario => {
  const first = findScenario(DEFAULT_SCENARIO) ?? findScenario(builtInChoices[0]?.id ?? '');
  if (!first) throw new Error('no built-in scenarios');
  return first;
};

export function createPlayground(options: PlaygroundOptions): Playground {
  const problems: string[] = [];
  if (options.error) problems.push(options.error);
  let scenario = findScenario(options.scenarioId ?? DEFAULT_SCENARIO);
  if (!scenario) {
    problems.push(
      `There is no built-in scenario "${options.scenarioId}"; showing "${DEFAULT_SCENARIO}" instead.`,
    );
    scenario = fallbackScenario();
  }
  const seed = options.seed ?? scenario.seed;
  const mode = options.mode ?? DEFAULT_MODE;
  const kernel = createKernel({
    host: options.host,
    scenario,
    seed,
    mode,
    speed: options.speed ?? DEFAULT_SPEED,
    playing: options.playing ?? true,
    reducedMotion: options.reducedMotion ?? false,
    error: problems.length > 0 ? problems.join(' ') : null,
  });
  const playback = createPlayback(kernel);
  const progress = createLearnStore({ storage: options.learnStorage ?? null });
  const playing = options.playing ?? true;
  // Opening an activity (walkthrough, challenge, drill) closes the Learn dialog and shows
  // the side panel on it.
  progress.subscribe((s, prev) => {
    if (s.panelRequest === prev.panelRequest) return;
    const ui = kernel.get().ui;
    kernel.set({
      ui: {
        ...ui,
        learnHub: { ...ui.learnHub, open: false },
        panelOpen: true,
        panelTab: 'walkthrough',
      },
    });
  });
  const ready =
    options.load === false
      ? Promise.resolve()
      : kernel.loadRun({ scenario, seed, mode, playing }).then(() => undefined);

  const ui = createUi(kernel);
  const pg: Playground = {
    store: kernel.store,
    host: kernel.host,
    getState: kernel.get,
    loadRun: kernel.loadRun,
    apply: kernel.apply,
    async loadScenario(id) {
      const found = findScenario(id);
      if (!found) {
        const message = `There is no built-in scenario "${id}".`;
        kernel.report(message);
        return message;
      }
      const r = await kernel.loadRun({
        scenario: found,
        seed: found.seed,
        playing: kernel.get().playing,
      });
      return r.ok ? null : r.message;
    },
    async setMode(next) {
      const s = kernel.get();
      if (next === s.mode) return;
      await kernel.loadRun({ scenario: s.scenario, seed: s.seed, mode: next, playing: s.playing });
    },
    playback,
    timeTravel: createTimeTravel(kernel),
    broker: createBroker(kernel),
    sharing: createSharing(kernel),
    learning: createLearning(kernel),
    ui,
    editor: createEditor(kernel, playback, ui, options.draftStorage ?? null),
    progress,
    ready,
    dispose() {
      kernel.dispose();
    },
  };
  return pg;
}

/** The built-in scenarios for the picker: id, name and its one-line description. */
export const scenarioChoices = builtInChoices;
