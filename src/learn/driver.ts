/**
 * A driver is what lessons act through: load a setup, apply an action, read the world.
 * Every driver is a `RunSession` underneath (src/run/lessons.ts): in the page's worker,
 * in the challenge grader and in the tests that play every walkthrough. An action
 * reaches every visible side at the current moment, so all of them produce the same runs.
 */
import type { Action } from '../content/learnSchema';
import type { LearnWorld } from './evaluate';
import type { ResolvedSetup } from './setup';

export interface LearnDriver {
  load(setup: ResolvedSetup): void;
  act(action: Action): void;
  /** Run every visible side to simulated time `t` (never backwards here). */
  advanceTo(t: number): void;
  world(): LearnWorld;
}
