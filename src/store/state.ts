/**
 * The playground's state: what the runs show (kept up to date by frames from the engine),
 * playback, time travel, and one slice for everything open or closed on screen.
 */
import type { InterventionBody } from '../core/interventions';
import type { Scenario } from '../core/scenario';
import type { BranchFrame, WatchResult } from '../run/frame';
import type { SideMirror } from '../run/mirror';
import type { Mode, Side } from '../run/modes';
import type { Setup } from '../share/setup';
import type { DeadLetterMark } from '../time/markers';
import type { HubSection } from './learn';

export type PanelTab = 'inspector' | 'metrics' | 'broker' | 'trace' | 'walkthrough';

/** `nodeId` is `Model.nodes[i].id`. */
export interface Selection {
  side: Side;
  nodeId: string;
}

/** A change made in the past, held until the learner says what happens to the old future. */
export interface PendingFork {
  /** The moment the future forks from. */
  at: number;
  /** Where the current future ends (what would be discarded is `at`..`head`). */
  head: number;
  body: InterventionBody;
}

export interface Notice {
  kind: 'restored' | 'opened' | 'imported' | 'kept-aside';
  text: string;
  /** What was on screen before (or the saved session a link replaced): one click brings it back. */
  previous: Setup | null;
  previousLabel?: string;
  /** A saved session that could not be opened, kept for download. */
  keptText?: string;
  /** Lines under the text: the defaults an imported AsyncAPI document did not say, notes. */
  details?: string[];
}

export interface ImportProblems {
  message: string;
  details: string[];
}

/** Everything open or closed on screen: one slice, made with the playground. */
export interface UiState {
  selection: Selection | null;
  panelTab: PanelTab;
  panelOpen: boolean;
  shortcutsOpen: boolean;
  shareOpen: boolean;
  /** The New gallery: templates to start from, and AsyncAPI import. */
  galleryOpen: boolean;
  presenter: boolean;
  /** Presenter mode's "freeze and annotate": paused, with a pen layer on top. */
  annotating: boolean;
  notice: Notice | null;
  importProblems: ImportProblems | null;
  /** A new version is installed and waiting; calling it reloads into that version. */
  update: (() => void) | null;
  /** A file is being dragged over the page. */
  dragging: boolean;
  /** The Learn dialog, and which of its sections shows. */
  learnHub: { open: boolean; section: HubSection };
}

export const CLOSED_UI: UiState = {
  selection: null,
  panelTab: 'inspector',
  panelOpen: true,
  shortcutsOpen: false,
  shareOpen: false,
  galleryOpen: false,
  presenter: false,
  annotating: false,
  notice: null,
  importProblems: null,
  update: null,
  dragging: false,
  learnHub: { open: false, section: 'walkthroughs' },
};

export interface PlaygroundState {
  /** What runs: the scenario, its seed and what is on screen. Set by frames. */
  scenario: Scenario;
  seed: number;
  mode: Mode;
  /** Each visible side's run as the page sees it. Mutable mirrors: read them, never change them. */
  runs: Partial<Record<Side, SideMirror>>;
  /** Simulated time shown (ms). */
  now: number;
  /** The furthest moment this branch has reached: the end of the timeline. */
  head: number;
  /** Nothing is left to happen: playback stopped by itself. */
  ended: boolean;
  /** The base arrival rate, orders per second (the workload slider). */
  rate: number;
  /** Bumped with every frame: subscribe to it to re-read live data. */
  version: number;
  /** Bumped when the runs are rebuilt. */
  build: number;
  /** The old future kept after a fork, at the same moment. */
  branch: BranchFrame | null;
  /** Where dead letters appeared in this branch (timeline markers). */
  deadLetterMarks: readonly DeadLetterMark[];
  /** A lesson's live checks and measures. */
  watch: WatchResult | null;
  /** Nothing has arrived from the engine yet. */
  loading: boolean;

  playing: boolean;
  /** Asked for: 0.1 .. 50. */
  speed: number;
  /** The speed the engine actually keeps up with, when lower than asked; null when it keeps up. */
  slowedTo: number | null;

  pendingFork: PendingFork | null;
  /** The order number followed on every side. */
  followed: number | null;

  /** From prefers-reduced-motion. */
  reducedMotion: boolean;
  /** A message to show (a bad link, a stopped run...). */
  error: string | null;
  ui: UiState;
}
