/** The playground as a learner drives it: opening, the clock, compare mode, reset, views and scenarios. */
import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import { toggleOutage } from './actions';
import { MAX_FRAME_MS } from './playback';
import { type PlaygroundOptions, SPIKE_MIN_RATE } from './playground';
import { createHeadlessPlayground } from './headless';

const paused = (options: Partial<PlaygroundOptions> = {}) =>
  createHeadlessPlayground({ playing: false, ...options });

describe('opening the playground', () => {
  it('opens checkout in compare mode, playing at 1x, with one run per side', () => {
    const s = createHeadlessPlayground().getState();
    expect(s.scenario.id).toBe('checkout');
    expect(s.mode).toBe('compare');
    expect(s.playing).toBe(true);
    expect(s.speed).toBe(1);
    expect(s.runs.chain?.architecture).toBe('chain');
    expect(s.runs.event?.architecture).toBe('event');
    expect(s.now).toBe(0);
    expect(s.error).toBeNull();
  });

  it('uses the requested scenario, seed, mode and speed', () => {
    const s = createHeadlessPlayground({
      scenarioId: 'email-outage',
      seed: 7,
      mode: 'chain',
      speed: 5,
    }).getState();
    expect(s.scenario.id).toBe('email-outage');
    expect(s.seed).toBe(7);
    expect(s.runs.chain?.seed).toBe(7);
    expect(s.runs.event).toBeUndefined();
    expect(s.speed).toBe(5);
  });

  it('falls back to checkout with a message for an unknown scenario', () => {
    const s = createHeadlessPlayground({ scenarioId: 'nope' }).getState();
    expect(s.scenario.id).toBe('checkout');
    expect(s.error).toMatch(/"nope"/);
  });
});

describe('playback clock', () => {
  it('turns wall time x speed into simulated time, capped per frame', () => {
    const pg = createHeadlessPlayground({ speed: 2 });
    pg.playback.tick(16);
    expect(pg.getState().now).toBe(32);
    expect(pg.getState().runs.chain?.now).toBe(32);
    expect(pg.getState().runs.event?.now).toBe(32);
    pg.playback.tick(5000); // a tab that slept
    expect(pg.getState().now).toBe(32 + MAX_FRAME_MS * 2);
  });

  it('bumps version once per frame', () => {
    const pg = createHeadlessPlayground();
    const v = pg.getState().version;
    let notifications = 0;
    const off = pg.store.subscribe(() => notifications++);
    pg.playback.tick(16);
    off();
    expect(pg.getState().version).toBe(v + 1);
    expect(notifications).toBe(1);
  });

  it('pause freezes everything exactly', () => {
    const pg = createHeadlessPlayground();
    pg.playback.tick(50);
    pg.playback.pause();
    const before = {
      now: pg.getState().now,
      hash: pg.getState().runs.event?.traceHash,
      version: pg.getState().version,
    };
    pg.playback.tick(50);
    pg.playback.tick(50);
    expect(pg.getState().now).toBe(before.now);
    expect(pg.getState().runs.event?.traceHash).toBe(before.hash);
    expect(pg.getState().version).toBe(before.version);
  });

  it('toggle flips between playing and paused', () => {
    const pg = createHeadlessPlayground();
    pg.playback.toggle();
    expect(pg.getState().playing).toBe(false);
    pg.playback.toggle();
    expect(pg.getState().playing).toBe(true);
  });

  it('clamps speed to 0.1x..50x and ignores non-numbers', () => {
    const pg = paused();
    pg.playback.setSpeed(500);
    expect(pg.getState().speed).toBe(50);
    pg.playback.setSpeed(0);
    expect(pg.getState().speed).toBe(0.1);
    pg.playback.setSpeed(Number.NaN);
    expect(pg.getState().speed).toBe(0.1);
  });

  it('keeps orders coming after the scenario’s scripted duration, so the rate slider still works', async () => {
    const pg = createHeadlessPlayground({ speed: 50 });
    const duration = pg.getState().scenario.duration_ms;
    await pg.playback.advanceTo(duration + 5000);
    const sent = (side: 'chain' | 'event') => pg.getState().runs[side]?.report().requests.sent ?? 0;
    const before = sent('event');
    await pg.apply({ kind: 'rate', rate: 40 });
    await pg.playback.advanceTo(duration + 10_000);
    expect(pg.getState().playing).toBe(true);
    expect(pg.getState().ended).toBe(false);
    // About 200 more orders in 5 s at 40/s: the workload did not stop at duration_ms.
    expect(sent('event') - before).toBeGreaterThan(150);
    expect(sent('chain')).toBe(sent('event'));
  });
});

describe('step', () => {
  it('advances both sides to the earlier of their next events, and pauses', async () => {
    const pg = createHeadlessPlayground();
    await pg.playback.advanceTo(1000);
    const { chain, event } = pg.getState().runs;
    const expected = Math.min(chain?.nextEventAt() ?? Infinity, event?.nextEventAt() ?? Infinity);
    await pg.playback.step();
    const s = pg.getState();
    expect(s.playing).toBe(false);
    expect(s.now).toBe(expected);
    expect(s.runs.chain?.now).toBe(expected);
    expect(s.runs.event?.now).toBe(expected);
  });

  it('moves time forward, never back, when repeated', async () => {
    const pg = paused({ mode: 'event' });
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      await pg.playback.step();
      times.push(pg.getState().now);
    }
    expect(times.at(-1)).toBeGreaterThan(0);
    for (let i = 1; i < times.length; i++)
      expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] as number);
  });
});

describe('compare mode', () => {
  it('runs the same orders through both sides', async () => {
    const pg = paused();
    await pg.playback.advanceTo(5000);
    const { chain, event } = pg.getState().runs;
    expect(chain?.report().requests.sent).toBeGreaterThan(0);
    expect(chain?.report().requests.sent).toBe(event?.report().requests.sent);
  });

  it('an outage applies to both sides at the current moment, and toggles back', async () => {
    const pg = paused();
    await pg.playback.advanceTo(2000);
    await toggleOutage(pg, 'email');
    const email = (side: 'chain' | 'event') => {
      const run = pg.getState().runs[side];
      return run?.service(run.model.services.findIndex((s) => s.id === 'email'));
    };
    expect(email('chain')?.down).toBe(true);
    expect(email('event')?.down).toBe(true);
    for (const side of ['chain', 'event'] as const)
      expect(pg.getState().runs[side]?.interventions.at(-1)).toMatchObject({
        at: 2000,
        kind: 'fault',
        service: 'email',
      });

    await pg.playback.advanceTo(12_000);
    const mid = pg.getState();
    expect(mid.runs.chain?.report().requests.failed).toBeGreaterThan(0);
    expect(mid.runs.event?.report().requests.failed).toBe(0);
    expect(mid.runs.event?.report().queues.email?.waiting).toBeGreaterThan(0);

    await toggleOutage(pg, 'email');
    expect(email('chain')?.down).toBe(false);
    await pg.playback.advanceTo(40_000);
    expect(pg.getState().runs.event?.report().queues.email?.waiting).toBe(0);
    expect(pg.getState().runs.event?.report().events.lost).toBe(0);
  });

  it('an unknown service is reported, not thrown', async () => {
    const pg = paused();
    await toggleOutage(pg, 'nope');
    expect(pg.getState().error).toMatch(/"nope"/);
  });

  it('workload controls reach both sides', async () => {
    const pg = paused();
    await pg.playback.advanceTo(1000);
    await pg.apply({ kind: 'rate', rate: 25 });
    expect(pg.getState().rate).toBe(25);
    expect(pg.getState().runs.chain?.baseRate).toBe(25);
    expect(pg.getState().runs.event?.baseRate).toBe(25);
    await pg.apply({ kind: 'spike', rate: Math.max(SPIKE_MIN_RATE, 8 * 25), durationMs: 5000 });
    expect(pg.getState().runs.chain?.currentRate).toBe(200);
    expect(pg.getState().runs.event?.currentRate).toBe(200);
    await pg.apply({ kind: 'order' });
    expect(pg.getState().runs.chain?.interventions.at(-1)).toMatchObject({
      kind: 'order',
      at: 1000,
    });
    await pg.apply({ kind: 'scale', service: 'email', replicas: 2, concurrency: 6 });
    const ev = pg.getState().runs.event;
    expect(ev?.service(ev.model.services.findIndex((s) => s.id === 'email'))).toMatchObject({
      replicas: 2,
      concurrency: 6,
    });
    await pg.apply({ kind: 'fault', service: 'payment', patch: { slowFactor: 4 } });
    const ch = pg.getState().runs.chain;
    expect(ch?.service(ch.model.services.findIndex((s) => s.id === 'payment')).slowFactor).toBe(4);
  });

  it('an action on the broker reaches the event side only', async () => {
    const pg = paused({ scenarioId: 'poison-message' });
    await pg.playback.advanceTo(20_000);
    expect(await pg.apply({ kind: 'redrive' })).toBeNull();
    expect(pg.getState().runs.event?.interventions.at(-1)).toMatchObject({ kind: 'redrive' });
    expect(pg.getState().runs.chain?.interventions.some((i) => i.kind === 'redrive')).toBe(false);
  });

  it('refuses an action the registry does not know, or one out of range, with one message', async () => {
    const pg = paused();
    expect(await pg.apply({ kind: 'rate', rate: -4 })).toMatch(/rate/);
    expect(
      await pg.apply({ kind: 'scale', service: 'email', replicas: 0, concurrency: 1 }),
    ).toMatch(/replicas/);
    expect(pg.getState().runs.event?.interventions).toEqual([]);
  });

  it('is deterministic: the same actions give the same traces', async () => {
    const run = async () => {
      const pg = paused({ scenarioId: 'email-outage', seed: 3 });
      await pg.playback.advanceTo(3000);
      await toggleOutage(pg, 'payment');
      await pg.playback.advanceTo(8000);
      return [pg.getState().runs.chain?.traceHash, pg.getState().runs.event?.traceHash];
    };
    expect(await run()).toEqual(await run());
  });
});

describe('reset, mode and scenario', () => {
  it('reset returns to t = 0 with actions cleared, keeping play state', async () => {
    const pg = createHeadlessPlayground();
    await pg.playback.advanceTo(3000);
    await toggleOutage(pg, 'email');
    const oldEvent = pg.getState().runs.event;
    await pg.playback.reset();
    const s = pg.getState();
    expect(s.now).toBe(0);
    expect(s.playing).toBe(true);
    expect(s.runs.event).not.toBe(oldEvent);
    expect(s.runs.event?.interventions).toEqual([]);
    expect(s.runs.event?.now).toBe(0);
  });

  it('setMode keeps scenario and seed and restarts', async () => {
    const pg = paused({ scenarioId: 'slow-payment', seed: 9 });
    await pg.playback.advanceTo(3000);
    await pg.setMode('event');
    const s = pg.getState();
    expect(Object.keys(s.runs)).toEqual(['event']);
    expect(s.runs.event?.seed).toBe(9);
    expect(s.scenario.id).toBe('slow-payment');
    expect(s.now).toBe(0);
  });

  it('setMode drops a selection on a side that is no longer shown', async () => {
    const pg = paused();
    pg.ui.select({ side: 'chain', nodeId: 'email' });
    await pg.setMode('event');
    expect(pg.getState().ui.selection).toBeNull();
  });

  it('loadScenario switches to that scenario and its seed', async () => {
    const pg = paused({ seed: 5 });
    await pg.loadScenario('traffic-spike');
    const s = pg.getState();
    expect(s.scenario.id).toBe('traffic-spike');
    expect(s.seed).toBe(findScenario('traffic-spike')?.seed);
    expect(s.rate).toBe(findScenario('traffic-spike')?.workload.rate_per_s);
  });

  it('loadScenario with an unknown id keeps the current run and says why', async () => {
    const pg = paused();
    await pg.playback.advanceTo(1000);
    await pg.loadScenario('bogus');
    expect(pg.getState().scenario.id).toBe('checkout');
    expect(pg.getState().now).toBe(1000);
    expect(pg.getState().error).toMatch(/bogus/);
  });

  it('select opens the inspector tab and the side panel', () => {
    const pg = paused();
    pg.ui.setPanelTab('metrics');
    pg.ui.setPanelOpen(false);
    pg.ui.select({ side: 'event', nodeId: 'email-queue' });
    expect(pg.getState().ui.panelTab).toBe('inspector');
    expect(pg.getState().ui.panelOpen).toBe(true);
    expect(pg.getState().ui.selection).toEqual({ side: 'event', nodeId: 'email-queue' });
  });
});

describe('the engine cannot keep up', () => {
  it('the clock slows and the playground says by how much', async () => {
    // A host whose engine answers later than the next frame: every frame it is busy counts as time not kept up with.
    const pg = createHeadlessPlayground({ speed: 50 });
    let busy = false;
    const host = pg.host;
    Object.defineProperty(host, 'pending', { get: () => (busy ? 1 : 0) });
    for (let i = 0; i < 200; i++) {
      busy = i % 4 !== 0; // the engine answers one frame in four
      pg.playback.tick(16);
      await Promise.resolve(); // the in-process engine's answer
    }
    const slowed = pg.getState().slowedTo;
    expect(slowed).not.toBeNull();
    expect(slowed).toBeGreaterThan(8);
    expect(slowed).toBeLessThan(20);
  });
});
