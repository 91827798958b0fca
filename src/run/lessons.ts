/**
 * Lessons without a screen: a `RunSession` behind the `LearnDriver` interface, made on
 * the first `load`. The challenge grader, the tests that play every walkthrough and the
 * page's worker all act through this, so a step the tests can finish is a step a learner
 * can finish.
 */
import type { Action } from '../content/learnSchema';
import type { LearnDriver } from '../learn/driver';
import type { LearnWorld } from '../learn/evaluate';
import type { ResolvedSetup } from '../learn/setup';
import { RunSession } from './session';

export class HeadlessDriver implements LearnDriver {
  session: RunSession | null;

  constructor(session: RunSession | null = null) {
    this.session = session;
  }

  load(setup: ResolvedSetup): void {
    this.session ??= new RunSession(setup.scenario, { mode: setup.mode });
    this.session.loadLesson(setup);
  }

  act(action: Action): void {
    this.session?.act(action);
  }

  advanceTo(t: number): void {
    if (this.session && t > this.session.now) this.session.advanceTo(t);
  }

  /** Simulated time on screen. */
  get now(): number {
    return this.session?.now ?? 0;
  }

  world(): LearnWorld {
    return this.session?.world() ?? { mode: 'compare', now: 0, sims: {}, rate: 0 };
  }
}
