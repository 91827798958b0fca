/**
 * Playing a walkthrough against a driver: entering a step (load its setup, apply its
 * actions), doing what the learner is asked to do, running until the engine shows it,
 * and revealing a prediction. The tests play every walkthrough with these functions; the
 * browser uses the same ones, so a step the tests can finish is a step a learner can.
 */
import type { Demo, Predict, Step } from '../content/learnSchema';
import type { LearnDriver } from './driver';
import { Evaluator, type LearnWorld } from './evaluate';
import { mustResolve } from './setup';

/** Simulated time between two looks at a step's check while running headless. */
export const CHECK_EVERY_MS = 250;

/** Open a step: load its scenario (if it has one), then apply its actions. */
export function enterStep(driver: LearnDriver, step: Step): void {
  if (step.load) driver.load(mustResolve(step.load));
  for (const action of step.actions) driver.act(action);
}

/** Apply what the learner is asked to do (the "Do it for me" button). */
export function applySolution(driver: LearnDriver, step: Step): void {
  for (const action of step.solution) driver.act(action);
}

/**
 * Run the clock forward until the step's check holds, looking every `CHECK_EVERY_MS`,
 * for at most `step.withinMs`. Returns the simulated time it held at, or null.
 */
export function runUntilMet(driver: LearnDriver, step: Step): number | null {
  const check = step.waitFor;
  if (!check) return driver.world().now;
  const start = driver.world().now;
  for (let t = start; t <= start + step.withinMs; t += CHECK_EVERY_MS) {
    if (t > driver.world().now) driver.advanceTo(t);
    if (new Evaluator(driver.world()).check(check)) return t;
  }
  return null;
}

export interface Reveal {
  /** Values of `predict.measured`, in order (null: could not be read). */
  measured: (number | null)[];
  /** Options whose check holds after the run (a well-made question has exactly one). */
  trueOptions: string[];
  /** For a number question: the value the learner's number is compared with. */
  actual: number | null;
}

/** Run a prediction's `run` actions and read what happened. */
export function reveal(driver: LearnDriver, predict: Predict): Reveal {
  for (const action of predict.run) driver.act(action);
  return readReveal(driver.world(), predict);
}

export function readReveal(world: LearnWorld, predict: Predict): Reveal {
  const ev = new Evaluator(world);
  return {
    measured: predict.measured.map((r) => ev.measure(r.measure)),
    trueOptions: (predict.options ?? []).filter((o) => ev.check(o.check)).map((o) => o.id),
    actual: predict.number ? ev.measure(predict.number.measure) : null,
  };
}

/** Is a number prediction close to the measured value? */
export function isClose(predicted: number, actual: number, tolerance: number): boolean {
  if (actual === 0) return Math.abs(predicted) <= tolerance;
  return Math.abs(predicted - actual) <= tolerance * Math.abs(actual);
}

/**
 * Bring the world to the state a learner would have at the start of step `index`: from
 * the last step at or before it that loads a scenario, play each step through as the
 * tests do, then enter step `index`. Used when a learner comes back after a reload.
 */
export function fastForward(driver: LearnDriver, steps: readonly Step[], index: number): void {
  let from = index;
  while (from > 0 && !steps[from]?.load) from--;
  for (let i = from; i < index; i++) {
    const step = steps[i] as Step;
    enterStep(driver, step);
    playThrough(driver, step);
  }
  const current = steps[index];
  if (current) enterStep(driver, current);
}

/** Do what a step asks, as a learner would: the solution and waiting, or the prediction's run. */
export function playThrough(driver: LearnDriver, step: Step): void {
  if (step.waitFor) {
    applySolution(driver, step);
    runUntilMet(driver, step);
  } else if (step.predict) {
    reveal(driver, step.predict);
  }
}

/** Set the simulator up for a demo ("Show me"): load its setup, then apply its actions. */
export function applyDemo(driver: LearnDriver, demo: Demo): void {
  driver.load(mustResolve(demo.setup));
  for (const action of demo.actions) driver.act(action);
}
