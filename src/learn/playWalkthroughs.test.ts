/**
 * Plays every walkthrough with the engine, as a learner would: enter each step, do what
 * it asks (its `solution`), and run until its check holds; lock in a prediction and run
 * it. Fails if any step could not be completed, if a step's check would pass without the
 * learner doing anything, or if a prediction question does not have exactly one answer
 * the engine proves right.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../content/learnSchema';
import { walkthroughs } from '../content/lessons';
import { HeadlessDriver } from '../run/lessons';
import { Evaluator } from './evaluate';
import { enterStep, fastForward, playThrough, reveal, runUntilMet } from './player';

function playStep(driver: HeadlessDriver, step: Step, where: string): void {
  if (step.waitFor) {
    for (const action of step.solution) driver.act(action);
    const metAt = runUntilMet(driver, step);
    expect(metAt, `${where}: waitFor never met within ${step.withinMs} ms`).not.toBeNull();
  } else if (step.predict) {
    const result = reveal(driver, step.predict);
    if (step.predict.options)
      expect(result.trueOptions, `${where}: options the engine proves right`).toHaveLength(1);
    else expect(result.actual, `${where}: the number to compare with`).not.toBeNull();
    result.measured.forEach((value, k) => {
      expect(
        value,
        `${where}: measured[${k}] (${step.predict?.measured[k]?.label})`,
      ).not.toBeNull();
    });
  }
}

describe.each(walkthroughs.map((w) => [w.number, w.id, w] as const))(
  'walkthrough %i (%s) plays through',
  (_n, _id, w) => {
    it('every step can be completed by doing what it asks', () => {
      const driver = new HeadlessDriver();
      w.steps.forEach((step, i) => {
        const where = `${w.id} step ${i + 1} (${step.id})`;
        enterStep(driver, step);
        playStep(driver, step, where);
      });
    });

    it('no step that asks the learner to act is complete without the action', () => {
      w.steps.forEach((step, i) => {
        if (!step.waitFor || step.solution.length === 0) return;
        // Bring a fresh world to this step exactly as a returning learner's would be...
        const driver = new HeadlessDriver();
        fastForward(driver, w.steps, i);
        // ...then wait the step's whole allowance without acting.
        const start = driver.world().now;
        driver.advanceTo(start + step.withinMs);
        expect(
          new Evaluator(driver.world()).check(step.waitFor),
          `${w.id} step ${i + 1} (${step.id})`,
        ).toBe(false);
      });
    });

    it('fast-forwarding to the last step gives the same world as playing every step', () => {
      const played = new HeadlessDriver();
      w.steps.forEach((step, i) => {
        if (i === w.steps.length - 1) return;
        enterStep(played, step);
        playThrough(played, step);
      });
      enterStep(played, w.steps[w.steps.length - 1] as Step);
      const jumped = new HeadlessDriver();
      fastForward(jumped, w.steps, w.steps.length - 1);
      expect(jumped.now).toBe(played.now);
      expect(jumped.world().mode).toBe(played.world().mode);
      for (const side of ['chain', 'event'] as const) {
        expect(jumped.world().sims[side]?.traceHash).toBe(played.world().sims[side]?.traceHash);
      }
    });
  },
);
