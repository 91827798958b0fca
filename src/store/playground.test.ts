import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import { MAX_FRAME_MS, createPlaygroundStore, SPIKE_MIN_RATE } from './playground';

const paused = (init: Parameters<typeof createPlaygroundStore>[0] = {}) =>
  createPlaygroundStore({ playing: false, ...init });

describe('opening the playground', () => {
  it('opens checkout in compare mode, playing at 1x, with one simulation per side', () => {
    const s = createPlaygroundStore().getState();
    expect(s.scenario.id).toBe('checkout');
    expect(s.mode).toBe('compare');
    expect(s.playing).toBe(true);
    expect(s.speed).toBe(1);
    expect(s.sims.chain?.architecture).toBe('chain');
    expect(s.sims.event?.architecture).toBe('event');
    expect(s.now).toBe(0);
    expect(s.error).toBeNull();
  });

  it('uses the requested scenario, seed, mode and speed', () => {
    const s = createPlaygroundStore({
      scenarioId: 'email-outage',
      seed: 7,
      mode: 'chain',
      speed: 5,
    }).getState();
    expect(s.scenario.id).toBe('email-outage');
    expect(s.seed).toBe(7);
    expect(s.sims.chain?.seed).toBe(7);
    expect(s.sims.event).toBeUndefined();
    expect(s.speed).toBe(5);
  });

  it('falls back to checkout with a message for an unknown scenario', () => {
    const s = createPlaygroundStore({ scenarioId: 'nope' }).getState();
    expect(s.scenario.id).toBe('checkout');
    expect(s.error).toMatch(/"nope"/);
  });
});

describe('playback clock', () => {
  it('turns wall time x speed into simulated time, capped per frame', () => {
    const store = createPlaygroundStore({ speed: 2 });
    store.getState().tick(16);
    expect(store.getState().now).toBe(32);
    expect(store.getState().sims.chain?.now).toBe(32);
    expect(store.getState().sims.event?.now).toBe(32);
    store.getState().tick(5000); // a tab that slept
    expect(store.getState().now).toBe(32 + MAX_FRAME_MS * 2);
  });

  it('bumps version once per frame', () => {
    const store = createPlaygroundStore();
    const v = store.getState().version;
    let notifications = 0;
    const off = store.subscribe(() => notifications++);
    store.getState().tick(16);
    off();
    expect(store.getState().version).toBe(v + 1);
    expect(notifications).toBe(1);
  });

  it('pause freezes everything exactly', () => {
    const store = createPlaygroundStore();
    store.getState().tick(50);
    store.getState().pause();
    const before = {
      now: store.getState().now,
      hash: store.getState().sims.event?.traceHash,
      version: store.getState().version,
    };
    store.getState().tick(50);
    store.getState().tick(50);
    expect(store.getState().now).toBe(before.now);
    expect(store.getState().sims.event?.traceHash).toBe(before.hash);
    expect(store.getState().version).toBe(before.version);
  });

  it('togglePlay flips between playing and paused', () => {
    const store = createPlaygroundStore();
    store.getState().togglePlay();
    expect(store.getState().playing).toBe(false);
    store.getState().togglePlay();
    expect(store.getState().playing).toBe(true);
  });

  it('clamps speed to 0.1x..50x and ignores non-numbers', () => {
    const store = paused();
    store.getState().setSpeed(500);
    expect(store.getState().speed).toBe(50);
    store.getState().setSpeed(0);
    expect(store.getState().speed).toBe(0.1);
    store.getState().setSpeed(Number.NaN);
    expect(store.getState().speed).toBe(0.1);
  });

  it('keeps orders coming after the scenario’s scripted duration, so the rate slider still works', () => {
    const store = createPlaygroundStore({ speed: 50 });
    const duration = store.getState().scenario.duration_ms;
    store.getState().advanceTo(duration + 5000);
    const sent = (side: 'chain' | 'event') => store.getState().sims[side]?.report().requests.sent ?? 0;
    const before = sent('event');
    store.getState().setRate(40);
    store.getState().advanceTo(duration + 10_000);
    expect(store.getState().playing).toBe(true);
    expect(store.getState().ended).toBe(false);
    // About 200 more orders in 5 s at 40/s: the workload did not stop at duration_ms.
    expect(sent('event') - before).toBeGreaterThan(150);
    expect(sent('chain')).toBe(sent('event'));
  });
});

describe('step', () => {
  it('advances both sides to the earlier of their next events, and pauses', () => {
    const store = createPlaygroundStore();
    store.getState().advanceTo(1000);
    const { chain, event } = store.getState().sims;
    const expected = Math.min(chain?.nextEventAt() ?? Infinity, event?.nextEventAt() ?? Infinity);
    store.getState().step();
    const s = store.getState();
    expect(s.playing).toBe(false);
    expect(s.now).toBe(expected);
    expect(s.sims.chain?.now).toBe(expected);
    expect(s.sims.event?.now).toBe(expected);
  });

  it('moves time forward when repeated', () => {
    const store = paused({ mode: 'event' });
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      store.getState().step();
      times.push(store.getState().now);
    }
    expect(times.at(-1)).toBeGreaterThan(0);
    for (let i = 1; i < times.length; i++)
      expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] as number);
  });
});

describe('compare mode', () => {
  it('runs the same orders through both sides', () => {
    const store = paused();
    store.getState().advanceTo(5000);
    const { chain, event } = store.getState().sims;
    expect(chain?.report().requests.sent).toBeGreaterThan(0);
    expect(chain?.report().requests.sent).toBe(event?.report().requests.sent);
  });

  it('an outage applies to both sides at the current moment, and toggles back', () => {
    const store = paused();
    store.getState().advanceTo(2000);
    store.getState().toggleOutage('email');
    const { chain, event } = store.getState().sims;
    const email = (sim: typeof chain) => sim?.service(sim.serviceIndex('email'));
    expect(email(chain)?.down).toBe(true);
    expect(email(event)?.down).toBe(true);
    expect(chain?.interventions.at(-1)).toMatchObject({
      at: 2000,
      kind: 'fault',
      service: 'email',
    });
    expect(event?.interventions.at(-1)).toMatchObject({
      at: 2000,
      kind: 'fault',
      service: 'email',
    });

    store.getState().advanceTo(12_000);
    const mid = store.getState();
    expect(mid.sims.chain?.report().requests.failed).toBeGreaterThan(0);
    expect(mid.sims.event?.report().requests.failed).toBe(0);
    const eventSim = mid.sims.event;
    const emailQueue = eventSim?.model.queues.findIndex((q) => q.id === 'email') ?? -1;
    expect(eventSim?.queue(emailQueue).waiting).toBeGreaterThan(0);

    store.getState().toggleOutage('email');
    expect(email(store.getState().sims.chain)?.down).toBe(false);
    store.getState().advanceTo(40_000);
    expect(store.getState().sims.event?.queue(emailQueue).waiting).toBe(0);
    expect(store.getState().sims.event?.report().events.dropped).toBe(0);
  });

  it('an unknown service is reported, not thrown', () => {
    const store = paused();
    store.getState().toggleOutage('nope');
    expect(store.getState().error).toMatch(/"nope"/);
  });

  it('workload controls reach both sides', () => {
    const store = paused();
    store.getState().advanceTo(1000);
    store.getState().setRate(25);
    expect(store.getState().rate).toBe(25);
    expect(store.getState().sims.chain?.baseRate).toBe(25);
    expect(store.getState().sims.event?.baseRate).toBe(25);
    store.getState().spike();
    expect(store.getState().sims.chain?.currentRate).toBe(Math.max(SPIKE_MIN_RATE, 8 * 25));
    expect(store.getState().sims.event?.currentRate).toBe(Math.max(SPIKE_MIN_RATE, 8 * 25));
    store.getState().sendOrder();
    expect(store.getState().sims.chain?.interventions.at(-1)).toMatchObject({
      kind: 'order',
      at: 1000,
    });
    store.getState().scale('email', 2, 6);
    const ev = store.getState().sims.event;
    expect(ev?.service(ev.serviceIndex('email'))).toMatchObject({ replicas: 2, concurrency: 6 });
    store.getState().setFault('payment', { slowFactor: 4 });
    const ch = store.getState().sims.chain;
    expect(ch?.service(ch.serviceIndex('payment')).slowFactor).toBe(4);
  });

  it('is deterministic: the same actions give the same traces', () => {
    const run = () => {
      const store = paused({ scenarioId: 'email-outage', seed: 3 });
      store.getState().advanceTo(3000);
      store.getState().toggleOutage('payment');
      store.getState().advanceTo(8000);
      return [store.getState().sims.chain?.traceHash, store.getState().sims.event?.traceHash];
    };
    expect(run()).toEqual(run());
  });
});

describe('reset, mode and scenario', () => {
  it('reset returns to t = 0 with interventions cleared, keeping play state', () => {
    const store = createPlaygroundStore();
    store.getState().advanceTo(3000);
    store.getState().toggleOutage('email');
    const oldEvent = store.getState().sims.event;
    store.getState().reset();
    const s = store.getState();
    expect(s.now).toBe(0);
    expect(s.playing).toBe(true);
    expect(s.sims.event).not.toBe(oldEvent);
    expect(s.sims.event?.interventions).toEqual([]);
    expect(s.sims.event?.now).toBe(0);
  });

  it('setMode keeps scenario and seed and restarts', () => {
    const store = paused({ scenarioId: 'slow-payment', seed: 9 });
    store.getState().advanceTo(3000);
    store.getState().setMode('event');
    const s = store.getState();
    expect(Object.keys(s.sims)).toEqual(['event']);
    expect(s.sims.event?.seed).toBe(9);
    expect(s.scenario.id).toBe('slow-payment');
    expect(s.now).toBe(0);
  });

  it('setMode drops a selection on a side that is no longer shown', () => {
    const store = paused();
    store.getState().select({ side: 'chain', nodeId: 'email' });
    store.getState().setMode('event');
    expect(store.getState().selection).toBeNull();
  });

  it('loadScenario switches to that scenario and its seed', () => {
    const store = paused({ seed: 5 });
    store.getState().loadScenario('traffic-spike');
    const s = store.getState();
    expect(s.scenario.id).toBe('traffic-spike');
    expect(s.seed).toBe(findScenario('traffic-spike')?.seed);
    expect(s.rate).toBe(findScenario('traffic-spike')?.workload.rate_per_s);
  });

  it('loadScenario with an unknown id keeps the current run and says why', () => {
    const store = paused();
    store.getState().advanceTo(1000);
    store.getState().loadScenario('bogus');
    expect(store.getState().scenario.id).toBe('checkout');
    expect(store.getState().now).toBe(1000);
    expect(store.getState().error).toMatch(/bogus/);
  });

  it('select opens the inspector tab', () => {
    const store = paused();
    store.getState().setPanelTab('metrics');
    store.getState().select({ side: 'event', nodeId: 'email-queue' });
    expect(store.getState().panelTab).toBe('inspector');
    expect(store.getState().selection).toEqual({ side: 'event', nodeId: 'email-queue' });
  });
});
