/**
 * The challenge grader: runs a challenge's setup with the learner's settings on runs of
 * its own, to the challenge's time, and measures every goal the way lessons do.
 */
import type { Challenge } from '../content/learnSchema';
import { Evaluator } from '../learn/evaluate';
import { type GoalResult, type Grade, resolveChallenge, type Settings } from '../learn/grade';
import { HeadlessDriver } from './lessons';

/** Run the challenge with these settings and grade every goal. */
export function gradeChallenge(challenge: Challenge, settings: Settings): Grade {
  const setup = resolveChallenge(challenge, settings);
  const driver = new HeadlessDriver();
  driver.load(setup);
  driver.advanceTo(challenge.untilMs);
  const ev = new Evaluator(driver.world());
  const goals = challenge.goals.map((g): GoalResult => {
    const value = ev.measure(g.measure);
    const passed =
      value !== null &&
      (g.atLeast === undefined || value >= g.atLeast) &&
      (g.atMost === undefined || value <= g.atMost);
    return { label: g.label, unit: g.unit, value, atLeast: g.atLeast, atMost: g.atMost, passed };
  });
  return {
    passed: goals.every((g) => g.passed),
    goals,
    mode: setup.mode,
    untilMs: challenge.untilMs,
  };
}
