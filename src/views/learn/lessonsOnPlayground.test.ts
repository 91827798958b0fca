/**
 * Lessons on the page's playground and lessons played headless (the tests and the
 * grader) must make the same runs: every walkthrough, played step by step through
 * `pg.learning` as a learner would (enter the step, "Do it for me", wait until the live
 * check the page shows holds, or reveal a prediction), ends each step with the same
 * moment, view and trace hashes as `HeadlessDriver`.
 */
import { describe, expect, it } from 'vitest';
import { type Step, stepSchema, type StepInput } from '../../content/learnSchema';
import { walkthroughs } from '../../content/lessons';
import {
  applySolution,
  CHECK_EVERY_MS,
  enterStep,
  playThrough,
  reveal,
  runUntilMet,
} from '../../learn/player';
import { HeadlessDriver } from '../../run/lessons';
import { SIDES, sidesOf } from '../../run/modes';
import { type Playground } from '../../store/playground';
import { createHeadlessPlayground } from '../../store/headless';

const WAIT = 'lesson-test';

/**
 * Wait as the page does: the step's check is watched (evaluated by the engine with each
 * frame) while the clock runs, looked at every `CHECK_EVERY_MS` for at most `withinMs`.
 */
async function waitOnPage(pg: Playground, step: Step): Promise<number | null> {
  const check = step.waitFor;
  if (!check) return pg.getState().now;
  pg.learning.watch(WAIT, { checks: [check], measures: [] });
  try {
    const start = pg.getState().now;
    for (let t = start; t <= start + step.withinMs; t += CHECK_EVERY_MS) {
      if (t > pg.getState().now) await pg.playback.advanceTo(t);
      if (pg.learning.read(WAIT, pg.getState().watch)?.checks[0]) return t;
    }
    return null;
  } finally {
    pg.learning.watch(WAIT, null);
  }
}

/** Both ends show the same moment, view and runs. */
function expectSameRuns(pg: Playground, headless: HeadlessDriver, where: string): void {
  const page = pg.getState();
  const world = headless.world();
  expect(page.now, `${where}: now`).toBe(world.now);
  expect(page.mode, `${where}: mode`).toBe(world.mode);
  for (const side of SIDES) {
    expect(page.runs[side]?.traceHash, `${where}: ${side}`).toBe(world.sims[side]?.traceHash);
  }
}

const step = (input: Omit<StepInput, 'id' | 'title' | 'say'>): Step =>
  stepSchema.parse({ id: 'test-step', title: 'A test step', say: ['For the test.'], ...input });

describe('lessons on a playground', () => {
  it.each(walkthroughs.map((w) => [w.id, w] as const))(
    '%s: step by step, the same runs as the headless driver',
    async (_id, w) => {
      const pg = createHeadlessPlayground({ playing: false });
      await pg.ready;
      const headless = new HeadlessDriver();
      for (const [i, s] of w.steps.entries()) {
        const where = `${w.id} step ${i + 1} (${s.id})`;
        enterStep(headless, s);
        await pg.learning.enterStep(s);
        expectSameRuns(pg, headless, `${where}, entered`);
        if (s.waitFor) {
          applySolution(headless, s);
          const wanted = runUntilMet(headless, s);
          await pg.learning.applySolution(s);
          // The page's live check holds at the same moment the headless one does.
          expect(await waitOnPage(pg, s), `${where}: met at`).toBe(wanted);
        } else if (s.predict) {
          const headlessReveal = reveal(headless, s.predict);
          expect(await pg.learning.reveal(s.predict), `${where}: reveal`).toEqual(headlessReveal);
        }
        expectSameRuns(pg, headless, `${where}, played`);
      }
      pg.dispose();
    },
  );

  it.each(walkthroughs.map((w) => [w.id, w] as const))(
    '%s: a learner coming back to the last step gets the runs of one who played every step',
    async (_id, w) => {
      const last = w.steps.length - 1;
      const played = new HeadlessDriver();
      for (const s of w.steps.slice(0, last)) {
        enterStep(played, s);
        playThrough(played, s);
      }
      enterStep(played, w.steps[last] as Step);
      const pg = createHeadlessPlayground({ playing: false });
      await pg.ready;
      await pg.playback.advanceTo(3000);
      await pg.learning.fastForward(w.steps, last);
      expectSameRuns(pg, played, w.id);
      pg.dispose();
    },
  );

  it("a step's setup shows on the page: scenario, view, speed, paused, t = 0, the rate slider", async () => {
    const pg = createHeadlessPlayground({ playing: true });
    await pg.ready;
    await pg.playback.advanceTo(5000);
    await pg.learning.enterStep(
      step({
        load: {
          scenario: 'traffic-spike',
          mode: 'event',
          speed: 5,
          paused: true,
          patch: { workload: { rate_per_s: 25 } },
        },
      }),
    );
    const s = pg.getState();
    expect(s.scenario.id).toBe('traffic-spike');
    expect(s.mode).toBe('event');
    expect(Object.keys(s.runs)).toEqual(['event']);
    expect(s.now).toBe(0);
    expect(s.speed).toBe(5);
    expect(s.playing).toBe(false);
    expect(s.rate).toBe(25);
  });

  it("a step's actions are learner actions: the controls and the timeline show them", async () => {
    const pg = createHeadlessPlayground({ playing: false });
    await pg.ready;
    await pg.playback.advanceTo(1000);
    await pg.learning.enterStep(
      step({
        actions: [
          { do: 'rate', perSecond: 40 },
          { do: 'outage', service: 'email', down: true },
          { do: 'scale', service: 'email', replicas: 3 },
        ],
      }),
    );
    const s = pg.getState();
    expect(s.rate).toBe(40);
    for (const side of sidesOf('compare')) {
      const run = s.runs[side];
      if (!run) throw new Error(`no ${side} side`);
      const email = run.service(run.model.services.findIndex((x) => x.id === 'email'));
      expect(email, side).toMatchObject({ down: true, replicas: 3, concurrency: 4 });
      expect(
        run.interventions.map((x) => [x.at, x.kind]),
        side,
      ).toEqual([
        [1000, 'rate'],
        [1000, 'fault'],
        [1000, 'scale'],
      ]);
    }
  });
});
