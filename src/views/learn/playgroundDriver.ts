/**
 * Lessons act on the playground through this driver: the same `LearnDriver` the tests
 * and the grader use headless, mapped onto the playground store. Learner actions the
 * store has controls for go through its actions (so the sliders and switches show them);
 * the rest are applied to every visible simulation, then the store is told to redraw.
 * Loading a setup replaces the scenario and the simulations from outside the store, the
 * way the broker controls do (`src/store/broker.ts`).
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Action } from '../../content/learnSchema';
import { applyToSim, type LearnDriver, sidesOf } from '../../learn/driver';
import type { LearnWorld } from '../../learn/evaluate';
import type { ResolvedSetup } from '../../learn/setup';
import { clampSpeed, createSideSim, type PlaygroundState, type Side } from '../../store/playground';
import type { Simulation } from '../../core';

type Store = StoreApi<PlaygroundState>;

function visible(s: PlaygroundState): Simulation[] {
  return [s.sims.chain, s.sims.event].filter((x): x is Simulation => x !== undefined);
}

/** Apply an engine action to every visible side now, and redraw. */
function onEverySide(store: Store, action: Action): void {
  const s = store.getState();
  for (const sim of visible(s)) applyToSim(sim, action);
  store.setState({ version: s.version + 1 });
}

export function playgroundDriver(store: Store): LearnDriver {
  return {
    load(setup: ResolvedSetup) {
      const s = store.getState();
      const sims: Partial<Record<Side, Simulation>> = {};
      for (const side of sidesOf(setup.mode))
        sims[side] = createSideSim(setup.scenario, setup.scenario.seed, side);
      store.setState({
        scenario: setup.scenario,
        seed: setup.scenario.seed,
        mode: setup.mode,
        sims,
        now: 0,
        version: s.version + 1,
        rate: setup.scenario.workload.rate_per_s,
        ended: false,
        selection: null,
        playing: setup.playing,
        speed: setup.speed === undefined ? s.speed : clampSpeed(setup.speed),
      });
    },

    act(action: Action) {
      const s = store.getState();
      switch (action.do) {
        case 'outage':
          s.setFault(action.service, { down: action.down });
          return;
        case 'fault': {
          const { do: _, service, ...patch } = action;
          s.setFault(service, patch);
          return;
        }
        case 'scale': {
          const sim = visible(s)[0];
          const index = sim ? sim.model.services.findIndex((x) => x.id === action.service) : -1;
          const concurrency =
            action.concurrency ?? (sim && index >= 0 ? sim.service(index).concurrency : 1);
          s.scale(action.service, action.replicas, concurrency);
          return;
        }
        case 'rate':
          s.setRate(action.perSecond);
          return;
        case 'order':
          for (let i = 0; i < action.count; i++) store.getState().sendOrder();
          return;
        case 'mode':
          s.setMode(action.mode);
          return;
        case 'speed':
          s.setSpeed(action.speed);
          return;
        case 'play':
          s.play();
          return;
        case 'pause':
          s.pause();
          return;
        case 'run':
          if (action.untilMs > s.now) s.advanceTo(action.untilMs);
          return;
        default:
          // spike with an exact rate, subscribe, idempotency, redrive, replay.
          onEverySide(store, action);
      }
    },

    advanceTo(t: number) {
      if (t > store.getState().now) store.getState().advanceTo(t);
    },

    world(): LearnWorld {
      const s = store.getState();
      return { mode: s.mode, now: s.now, sims: s.sims, rate: s.rate };
    },
  };
}
