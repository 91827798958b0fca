/**
 * The kernel of the playground: its store, its engine host, the frames that keep the
 * store up to date, and the two doors every change goes through: `loadRun` (a new run:
 * a scenario, a link, a file, a lesson, a reset, another mode) and `apply` (a learner's
 * action now). The parts of the playground (playback, time travel, broker, sharing,
 * learning, UI) are built on it in playground.ts.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  type Intervention,
  type InterventionBody,
  interventionSchema,
  scenarioProblems,
} from '../core/interventions';
import type { Scenario } from '../core/scenario';
import type { Frame, Interests } from '../run/frame';
import type { EngineHost } from '../run/host';
import { SideMirror } from '../run/mirror';
import { type Mode, type Side, SIDES, sidesOf } from '../run/modes';
import { REPLAY_EVENT_BUDGET } from '../run/budgets';
import { secondsText } from '../core/format';
import { clampSpeed } from '../run/speeds';
import { MAX_INTERVENTIONS } from '../share/setup';
import { CLOSED_UI, type PlaygroundState } from './state';

/** Most learner actions one run may hold: what a link, a file or a saved session can carry. */
export const MAX_ACTIONS = MAX_INTERVENTIONS;
/** Wall time a replay may take before the setup opens at an earlier moment. */
export const LOAD_WALL_MS = 3000;

export interface LoadRequest {
  scenario: Scenario;
  seed?: number;
  mode?: Mode;
  /** The moment to open at (the runs are replayed to it). Default 0. */
  at?: number;
  interventions?: Partial<Record<Side, readonly Intervention[]>>;
  speed?: number;
  /** Default: playing when opened at t = 0, paused otherwise. */
  playing?: boolean;
  maxEvents?: number;
}

export type LoadOutcome = { ok: true; at: number; cut: boolean } | { ok: false; message: string };

export interface Kernel {
  readonly store: StoreApi<PlaygroundState>;
  readonly host: EngineHost;
  get(): PlaygroundState;
  set(patch: Partial<PlaygroundState>): void;
  /** Replace the runs. All or nothing: on failure the current runs stay. */
  loadRun(request: LoadRequest): Promise<LoadOutcome>;
  /** A learner's action, now, on every side it reaches; returns why it could not be done, or null. */
  apply(body: InterventionBody): Promise<string | null>;
  /** Tell the engine what the page wants with each frame (inspected node, followed order, lesson checks). */
  setInterests(patch: Partial<Interests>): void;
  /** Problems reported while the page runs (one message; the app keeps running). */
  report(message: string | null): void;
  dispose(): void;
}

export interface KernelInit {
  host: EngineHost;
  scenario: Scenario;
  seed: number;
  mode: Mode;
  speed: number;
  playing: boolean;
  reducedMotion: boolean;
  error: string | null;
}

/** Check an action against its schema and the scenario it is for; a problem, or null. */
export function actionProblem(body: InterventionBody, scenario: Scenario): string | null {
  const parsed = interventionSchema.safeParse({ ...body, at: 0 });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `This action is not valid: ${issue ? `${issue.path.join('.') || body.kind}: ${issue.message}` : body.kind}`;
  }
  const problems = scenarioProblems(body, scenario);
  return problems[0]
    ? `Scenario "${scenario.id}" has no service ${problems[0].message.split(' is not')[0]}.`
    : null;
}

export function createKernel(init: KernelInit): Kernel {
  const { host } = init;
  const store = createStore<PlaygroundState>()(() => ({
    scenario: init.scenario,
    seed: init.seed,
    mode: init.mode,
    runs: {},
    now: 0,
    head: 0,
    ended: false,
    rate: init.scenario.workload.rate_per_s,
    version: 0,
    build: 0,
    branch: null,
    deadLetterMarks: [],
    watch: null,
    loading: true,
    playing: init.playing,
    speed: clampSpeed(init.speed),
    slowedTo: null,
    pendingFork: null,
    followed: null,
    reducedMotion: init.reducedMotion,
    error: init.error,
    ui: CLOSED_UI,
  }));
  const get = store.getState;
  const set = (patch: Partial<PlaygroundState>) => store.setState(patch);
  let interests: Interests = { inspect: null, follow: null, watch: null };

  const intake = (frame: Frame) => {
    const s = get();
    let runs = s.runs;
    const own = () => {
      if (runs === s.runs) runs = { ...runs };
      return runs;
    };
    for (const sf of frame.sides) {
      let mirror = runs[sf.side];
      if (sf.build) {
        mirror = new SideMirror(sf.side, sf.build);
        own()[sf.side] = mirror;
      }
      mirror?.apply(sf);
    }
    for (const side of SIDES)
      if (runs[side] && !frame.sides.some((x) => x.side === side)) delete own()[side];

    const patch: Partial<PlaygroundState> = {
      runs,
      mode: frame.mode,
      now: frame.now,
      head: frame.head,
      ended: frame.ended,
      rate: frame.rate,
      build: frame.build,
      version: s.version + 1,
      loading: false,
    };
    const built = frame.sides.find((x) => x.build)?.build;
    if (built) {
      patch.scenario = built.scenario;
      patch.seed = built.seed;
    }
    // Branch A's figures come with the detailed frames; in between, keep the last ones.
    patch.branch =
      frame.branch && Object.keys(frame.branch.reports).length === 0 && s.branch
        ? { ...frame.branch, reports: s.branch.reports }
        : frame.branch;
    if (frame.deadLetterMarks) patch.deadLetterMarks = frame.deadLetterMarks;
    if (frame.watch) patch.watch = frame.watch;
    if (frame.build !== s.build) {
      // A selection on a node the new run does not have is dropped.
      const sel = s.ui.selection;
      const mirror = sel ? runs[sel.side] : undefined;
      if (sel && !mirror?.model.nodes.some((n) => n.id === sel.nodeId))
        patch.ui = { ...s.ui, selection: null };
    }
    for (const p of frame.playback ?? []) {
      if (p.do === 'play') patch.playing = true;
      else if (p.do === 'pause') patch.playing = false;
      else if (p.do === 'speed') patch.speed = clampSpeed(p.speed);
    }
    if (frame.ended) patch.playing = false;
    if (frame.stop) {
      patch.playing = false;
      patch.error = `${frame.stop.message} Paused at t = ${secondsText(frame.stop.at, 1)}.`;
    }
    set(patch);
  };

  const offFrames = host.onFrame(intake);
  const offRestarts = host.onRestart((why) => {
    // The engine was stopped and started empty: bring back what was on screen, paused.
    const s = get();
    set({
      playing: false,
      error: `${why} Your setup is kept; it is paused at t = ${secondsText(s.now, 1)}.`,
    });
    void kernel.loadRun({ ...setupOf(s), playing: false }).then((r) => {
      if (!r.ok)
        void kernel.loadRun({ scenario: s.scenario, seed: s.seed, mode: s.mode, playing: false });
    });
    host.send({ op: 'interests', interests }).catch(() => {});
  });

  const kernel: Kernel = {
    store,
    host,
    get,
    set,
    async loadRun(request) {
      const s = get();
      const setup = {
        scenario: request.scenario,
        seed: request.seed ?? request.scenario.seed,
        mode: request.mode ?? s.mode,
        at: Math.max(0, Math.floor(request.at ?? 0)),
        interventions: request.interventions ?? {},
      };
      const before = { playing: s.playing, speed: s.speed, loading: s.loading };
      // Playback is what the request says from now on; the clock waits for the new run's frame.
      set({
        loading: true,
        playing: request.playing ?? setup.at === 0,
        speed: request.speed === undefined ? s.speed : clampSpeed(request.speed),
        pendingFork: null,
        slowedTo: null,
      });
      try {
        const r = await host.send({
          op: 'load',
          setup,
          maxEvents: request.maxEvents ?? REPLAY_EVENT_BUDGET,
          wallMs: LOAD_WALL_MS,
        });
        // Opened earlier than asked (the replay budget): it waits, paused, where it got to.
        if ((r.cut && request.playing === undefined) || get().ended) set({ playing: false });
        return { ok: true, at: r.at, cut: r.cut };
      } catch (error) {
        set(before);
        return {
          ok: false,
          message: `This setup could not be opened (${messageOf(error)}). Nothing was changed.`,
        };
      }
    },
    async apply(body) {
      const s = get();
      const problem = actionProblem(body, s.scenario);
      if (problem) return problem;
      const actions = Math.max(
        0,
        ...Object.values(s.runs).map((m) => m?.interventions.length ?? 0),
      );
      if (actions >= MAX_ACTIONS)
        return `This run already holds ${MAX_ACTIONS.toLocaleString('en-US')} actions, the most a link or a saved session can carry. Reset to start a new run.`;
      if (s.pendingFork) return 'Answer the question about the future first.';
      if (s.now < s.head) {
        // In the past, a change forks the future: ask first (time travel).
        set({ pendingFork: { at: s.now, head: s.head, body }, playing: false });
        return null;
      }
      try {
        return (await host.send({ op: 'apply', body })).problem;
      } catch (error) {
        return messageOf(error);
      }
    },
    setInterests(patch) {
      interests = { ...interests, ...patch };
      host.send({ op: 'interests', interests }).catch(() => {});
    },
    report(message) {
      set({ error: message });
    },
    dispose() {
      offFrames();
      offRestarts();
      host.dispose();
    },
  };
  return kernel;
}

/** What re-creates the runs on screen exactly (for a restarted engine, links, saving). */
export function setupOf(
  s: PlaygroundState,
): LoadRequest & { at: number; interventions: Partial<Record<Side, Intervention[]>> } {
  const interventions: Partial<Record<Side, Intervention[]>> = {};
  for (const side of sidesOf(s.mode))
    interventions[side] = [...(s.runs[side]?.interventions ?? [])];
  return {
    scenario: s.scenario,
    seed: s.seed,
    mode: s.mode,
    at: Math.max(0, Math.floor(s.now)),
    interventions,
    speed: s.speed,
  };
}

export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 200);
}
