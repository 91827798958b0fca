/**
 * What the page asks of the engine, and what it answers. The same commands go to the
 * worker (workerHost.ts) and, in tests and tools, to an in-process endpoint (host.ts).
 */
import type { InterventionBody } from '../core/interventions';
import type { TraceRecord } from '../core/trace';
import type { Challenge, Demo, Predict, Step } from '../content/learnSchema';
import type { Grade, Settings } from '../learn/grade';
import type { Reveal } from '../learn/player';
import type { Frame, Interests } from './frame';
import type { Side } from './modes';
import type { ForkChoice, LoadResult, RunSetup } from './session';

export type Command =
  /** Replace the runs with a setup's, replayed to its moment (within a budget). */
  | { op: 'load'; setup: RunSetup; maxEvents?: number; wallMs?: number }
  /** A learner's action, now; in the past it forks (`fork` says what happens to the old future). */
  | { op: 'apply'; body: InterventionBody; fork?: ForkChoice }
  /** Run to simulated time `to`, for at most `wallMs` of work (then the clock stops early). */
  | { op: 'advance'; to: number; wallMs?: number }
  | { op: 'seek'; to: number }
  | { op: 'step' }
  | { op: 'stepBack' }
  | { op: 'closeBranch' }
  | { op: 'interests'; interests: Interests }
  /** Every record of one order so far (re-created from a checkpoint). */
  | { op: 'orderRecords'; side: Side; corr: number }
  /** Every record of the run so far (export). */
  | { op: 'allRecords'; side: Side }
  | { op: 'enterStep'; step: Step }
  | { op: 'applySolution'; step: Step }
  | { op: 'fastForward'; steps: readonly Step[]; index: number }
  | { op: 'reveal'; predict: Predict }
  | { op: 'demo'; demo: Demo }
  /** Grade a challenge on runs of its own (the playground's runs are not touched). */
  | { op: 'grade'; challenge: Challenge; settings: Settings };

export interface Replies {
  load: LoadResult;
  apply: { problem: string | null };
  advance: { reached: number };
  seek: Record<string, never>;
  step: Record<string, never>;
  stepBack: Record<string, never>;
  closeBranch: Record<string, never>;
  interests: Record<string, never>;
  orderRecords: { records: TraceRecord[] };
  allRecords: { records: TraceRecord[] };
  enterStep: Record<string, never>;
  applySolution: Record<string, never>;
  fastForward: Record<string, never>;
  reveal: Reveal;
  demo: Record<string, never>;
  grade: Grade;
}

export type Op = Command['op'];
export type CommandOf<O extends Op> = Extract<Command, { op: O }>;
export type ReplyOf<O extends Op> = Replies[O];

/** A command handled: its reply, and the frame after it (when anything may have changed). */
export interface Handled<O extends Op = Op> {
  reply: ReplyOf<O>;
  frame: Frame | null;
}

/** Messages the worker posts. */
export type WorkerMessage =
  | { id: number; ok: true; reply: unknown; frame: Frame | null }
  | { id: number; ok: false; error: string };

/** How long the page waits for an answer before it stops the engine (watchdog), per command. */
export const ANSWER_WITHIN_MS: Record<Op, number> = {
  load: 15_000,
  apply: 5_000,
  advance: 5_000,
  seek: 8_000,
  step: 5_000,
  stepBack: 8_000,
  closeBranch: 5_000,
  interests: 5_000,
  orderRecords: 10_000,
  allRecords: 20_000,
  enterStep: 10_000,
  applySolution: 10_000,
  fastForward: 20_000,
  reveal: 10_000,
  demo: 10_000,
  grade: 20_000,
};
