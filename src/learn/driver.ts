/**
 * A driver is what lessons act through: load a setup, apply an action, read the world.
 * The browser drives the playground store (src/views/learn/playgroundDriver.ts); tests
 * and the challenge grader drive plain simulations (`HeadlessDriver`). Both apply an
 * action to every visible side at the current moment, so they produce the same runs.
 */
import { Simulation } from '../core';
import type { Action, Mode, Side } from '../content/learnSchema';
import type { LearnWorld } from './evaluate';
import type { ResolvedSetup } from './setup';

export interface LearnDriver {
  load(setup: ResolvedSetup): void;
  act(action: Action): void;
  /** Run every visible side to simulated time `t` (never backwards here). */
  advanceTo(t: number): void;
  world(): LearnWorld;
}

export function sidesOf(mode: Mode): Side[] {
  return mode === 'compare' ? ['chain', 'event'] : [mode];
}

/** Apply an engine action to one simulation (what the store does per visible side). */
export function applyToSim(sim: Simulation, action: Action): void {
  const has = (id: string) => sim.model.services.some((s) => s.id === id);
  switch (action.do) {
    case 'outage':
      if (has(action.service)) sim.setDown(action.service, action.down);
      return;
    case 'fault': {
      if (!has(action.service)) return;
      const { do: _, service, ...patch } = action;
      sim.setFault(service, patch);
      return;
    }
    case 'scale': {
      if (!has(action.service)) return;
      const current = sim.service(sim.serviceIndex(action.service));
      sim.scale(action.service, action.replicas, action.concurrency ?? current.concurrency);
      return;
    }
    case 'rate':
      sim.setRate(action.perSecond);
      return;
    case 'spike':
      sim.spike(action.perSecond, action.durationMs);
      return;
    case 'order':
      for (let i = 0; i < action.count; i++) sim.sendOrder();
      return;
    case 'subscribe':
      // Subscriptions exist only where there is a broker.
      if (sim.architecture === 'event' && has(action.service) && !sim.isSubscribed(action.service))
        sim.subscribe(action.service, action.from);
      return;
    case 'idempotent':
      if (has(action.service)) sim.setIdempotent(action.service, action.on);
      return;
    case 'redrive':
      if (sim.architecture === 'event' && sim.scenario.broker.kind !== 'log') sim.redrive();
      return;
    case 'reset-offsets':
      if (sim.architecture === 'event' && has(action.service))
        sim.resetOffsets(action.service, { to: 'earliest' });
      return;
    default:
      return;
  }
}

/** Simulations without a screen: the same runs the playground would show. */
export class HeadlessDriver implements LearnDriver {
  mode: Mode = 'compare';
  now = 0;
  rate = 0;
  speed = 1;
  playing = false;
  sims: Partial<Record<Side, Simulation>> = {};
  private scenario: ResolvedSetup['scenario'] | null = null;

  load(setup: ResolvedSetup): void {
    this.scenario = setup.scenario;
    this.mode = setup.mode;
    this.speed = setup.speed ?? this.speed;
    this.playing = setup.playing;
    this.restart();
  }

  private restart(): void {
    const scenario = this.scenario;
    if (!scenario) return;
    this.sims = {};
    // openEnded, as in the playground: orders keep coming after the scripted minute.
    for (const side of sidesOf(this.mode))
      this.sims[side] = new Simulation(scenario, { architecture: side, openEnded: true });
    this.now = 0;
    this.rate = scenario.workload.rate_per_s;
  }

  act(action: Action): void {
    switch (action.do) {
      case 'mode':
        if (action.mode !== this.mode) {
          this.mode = action.mode;
          this.restart();
        }
        return;
      case 'speed':
        this.speed = action.speed;
        return;
      case 'play':
        this.playing = true;
        return;
      case 'pause':
        this.playing = false;
        return;
      case 'run':
        this.advanceTo(Math.max(this.now, action.untilMs));
        return;
      case 'rate':
        this.rate = action.perSecond;
        break;
      default:
        break;
    }
    for (const sim of Object.values(this.sims)) if (sim) applyToSim(sim, action);
  }

  advanceTo(t: number): void {
    for (const sim of Object.values(this.sims)) sim?.runUntil(t);
    this.now = t;
  }

  world(): LearnWorld {
    return { mode: this.mode, now: this.now, sims: this.sims, rate: this.rate };
  }
}
