/**
 * Lessons on the playground: a walkthrough step, its "Do it for me", a prediction's run,
 * an interview answer's demo and a challenge's grade are carried out by the engine (a
 * lesson reads exactly the runs on screen), and the live checks and numbers a step shows
 * come back with the frames. Progress (what the learner did and answered) is its own
 * store, `learn.ts`.
 */
import type { Challenge, Check, Demo, Measure, Predict, Step } from '../content/learnSchema';
import type { Grade, Settings } from '../learn/grade';
import type { Reveal } from '../learn/player';
import type { WatchResult } from '../run/frame';
import type { Kernel } from './kernel';

export interface LearningPart {
  /** Open a step: load its scenario (if it has one), then apply its actions. */
  enterStep(step: Step): Promise<void>;
  /** "Do it for me": what the step asks the learner to do. */
  applySolution(step: Step): Promise<void>;
  /** The world as it would be at the start of step `index` (a learner coming back). */
  fastForward(steps: readonly Step[], index: number): Promise<void>;
  /** Run a prediction and read what happened. */
  reveal(predict: Predict): Promise<Reveal>;
  /** "Show me": an interview answer's setup. */
  demo(demo: Demo): Promise<void>;
  /** Grade a challenge on runs of its own. */
  grade(challenge: Challenge, settings: Settings): Promise<Grade>;
  /**
   * Checks and measures a view shows live, evaluated on the runs with the detailed
   * frames; `null` stops. Several views can watch at once, each under its own key.
   */
  watch(key: string, watch: Watch | null): void;
  /** What a watcher's checks and measures came out as in the latest frame (null: not yet). */
  read(key: string, results: WatchResult | null): WatchResult | null;
}

export interface Watch {
  checks: readonly Check[];
  measures: readonly Measure[];
}

export function createLearning(k: Kernel): LearningPart {
  const watchers = new Map<string, Watch>();
  const slices = new Map<string, { checks: number; measures: number; nc: number; nm: number }>();
  const run = async (command: Parameters<Kernel['host']['send']>[0]) => {
    await k.host.send(command);
  };
  return {
    enterStep: (step) => run({ op: 'enterStep', step }),
    applySolution: (step) => run({ op: 'applySolution', step }),
    fastForward: (steps, index) => run({ op: 'fastForward', steps, index }),
    reveal: (predict) => k.host.send({ op: 'reveal', predict }),
    demo: (demo) => run({ op: 'demo', demo }),
    grade: (challenge, settings) => k.host.send({ op: 'grade', challenge, settings }),
    watch(key, watch) {
      const before = JSON.stringify([...watchers]);
      if (watch) watchers.set(key, watch);
      else watchers.delete(key);
      if (JSON.stringify([...watchers]) === before) return;
      // One merged list goes to the engine; each watcher reads its own slice back.
      const checks: Check[] = [];
      const measures: Measure[] = [];
      slices.clear();
      for (const [name, w] of watchers) {
        slices.set(name, {
          checks: checks.length,
          measures: measures.length,
          nc: w.checks.length,
          nm: w.measures.length,
        });
        checks.push(...w.checks);
        measures.push(...w.measures);
      }
      k.set({ watch: null });
      k.setInterests({ watch: watchers.size > 0 ? { checks, measures } : null });
    },
    read(key, results) {
      const slice = slices.get(key);
      if (!slice || !results) return null;
      return {
        checks: results.checks.slice(slice.checks, slice.checks + slice.nc),
        measures: results.measures.slice(slice.measures, slice.measures + slice.nm),
      };
    },
  };
}
