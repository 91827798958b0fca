/**
 * The browser's driver (the playground store) and the headless one used by the tests
 * and the grader must make the same runs: every walkthrough played through both ends
 * with the same trace hashes on every side.
 */
import { describe, expect, it } from 'vitest';
import { walkthroughs } from '../../content/lessons';
import { HeadlessDriver } from '../../run/lessons';
import { enterStep, playThrough } from '../../learn/player';
import { mustResolve } from '../../learn/setup';
import { createPlaygroundStore } from '../../store/playground';
import { playgroundDriver } from './playgroundDriver';

describe('playground driver', () => {
  it.each(walkthroughs.map((w) => [w.id, w] as const))(
    '%s: the store makes the same runs as the headless driver',
    (_id, w) => {
      const store = createPlaygroundStore({ playing: false });
      const browser = playgroundDriver(store);
      const headless = new HeadlessDriver();
      for (const step of w.steps) {
        for (const driver of [browser, headless]) {
          enterStep(driver, step);
          playThrough(driver, step);
        }
        const a = browser.world();
        const b = headless.world();
        expect(a.now).toBe(b.now);
        expect(a.mode).toBe(b.mode);
        for (const side of ['chain', 'event'] as const)
          expect(a.sims[side]?.traceHash).toBe(b.sims[side]?.traceHash);
      }
    },
  );

  it('loading a setup shows it: scenario, mode, speed, paused, t = 0, and the rate slider', () => {
    const store = createPlaygroundStore({ playing: true });
    store.getState().advanceTo(5000);
    playgroundDriver(store).load(
      mustResolve({
        scenario: 'traffic-spike',
        mode: 'event',
        speed: 5,
        paused: true,
        patch: { workload: { rate_per_s: 25 } },
      }),
    );
    const s = store.getState();
    expect(s.scenario.id).toBe('traffic-spike');
    expect(s.mode).toBe('event');
    expect(Object.keys(s.runs)).toEqual(['event']);
    expect(s.now).toBe(0);
    expect(s.speed).toBe(5);
    expect(s.playing).toBe(false);
    expect(s.rate).toBe(25);
  });

  it('learner actions go through the store, so its controls show them', () => {
    const store = createPlaygroundStore({ playing: false });
    const driver = playgroundDriver(store);
    driver.act({ do: 'rate', perSecond: 40 });
    driver.act({ do: 'outage', service: 'email', down: true });
    driver.act({ do: 'scale', service: 'email', replicas: 3 });
    const s = store.getState();
    expect(s.rate).toBe(40);
    const event = s.runs.event;
    if (!event) throw new Error('no event side');
    const email = event.service(event.model.services.findIndex((x) => x.id === 'email'));
    expect(email).toMatchObject({ down: true, replicas: 3, concurrency: 4 });
  });
});
