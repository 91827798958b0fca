import { describe, expect, it } from 'vitest';
import { Rec } from '../core';
import { actionForKey } from './actions';
import { createPlaygroundStore, createSideSim } from './playground';
import { timeTravelOf } from './timeTravel';

function setup(scenarioId = 'checkout', mode: 'chain' | 'event' | 'compare' = 'compare') {
  const store = createPlaygroundStore({ scenarioId, mode, playing: false });
  const tt = timeTravelOf(store);
  return { store, tt, time: () => tt.store.getState() };
}

describe('seek', () => {
  it('goes back to the exact state and forward again to the same run', () => {
    const { store, time } = setup();
    store.getState().advanceTo(12_000);
    const chainAt12 = store.getState().sims.chain?.traceHash;
    store.getState().advanceTo(20_000);
    const eventAt20 = store.getState().sims.event?.traceHash;
    expect(time().head).toBe(20_000);

    time().seek(12_000);
    expect(store.getState().now).toBe(12_000);
    expect(store.getState().sims.chain?.now).toBe(12_000);
    expect(store.getState().sims.event?.now).toBe(12_000);
    expect(store.getState().sims.chain?.traceHash).toBe(chainAt12);
    // The timeline still reaches where the run had got to.
    expect(time().head).toBe(20_000);

    time().seek(20_000);
    expect(store.getState().sims.event?.traceHash).toBe(eventAt20);
  });

  it('stays within the run so far and pauses playback', () => {
    const { store, time } = setup();
    store.getState().advanceTo(5000);
    store.getState().play();
    time().seek(99_999);
    expect(store.getState().now).toBe(5000);
    expect(store.getState().playing).toBe(false);
    time().seek(-10);
    expect(store.getState().now).toBe(0);
  });

  it('shows the rate of the moment on the workload slider', () => {
    const { store, time } = setup();
    store.getState().advanceTo(3000);
    store.getState().setRate(40);
    store.getState().advanceTo(6000);
    time().seek(2000);
    expect(store.getState().rate).toBe(10);
    time().seek(5000);
    expect(store.getState().rate).toBe(40);
  });

  it('a new run (reset, scenario) starts a new timeline', () => {
    const { store, time } = setup();
    store.getState().advanceTo(8000);
    store.getState().reset();
    expect(time().head).toBe(0);
    store.getState().advanceTo(1000);
    store.getState().loadScenario('email-outage');
    expect(time().head).toBe(0);
  });
});

describe('step back', () => {
  it('goes back one recorded moment at a time, on both sides, and "," does it too', () => {
    const { store } = setup();
    store.getState().advanceTo(3000);
    const seen: number[] = [store.getState().now];
    for (let i = 0; i < 3; i++) {
      store.getState().stepBack();
      seen.push(store.getState().now);
    }
    actionForKey({ key: ',' })?.perform(store.getState(), { key: ',' });
    seen.push(store.getState().now);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThan(seen[i - 1] as number);
    // Each stop is a moment something was recorded on one of the sides.
    const now = store.getState().now;
    const times = [store.getState().sims.chain, store.getState().sims.event].map(
      (sim) => sim?.traceTail(1)[0]?.t ?? -1,
    );
    expect(Math.max(...times)).toBe(now);
    expect(store.getState().sims.chain?.now).toBe(now);
    expect(store.getState().sims.event?.now).toBe(now);
  });

  it('undoes one moment: stepping forward again lands where it was', () => {
    const { store } = setup('checkout', 'event');
    store.getState().advanceTo(2000);
    for (let i = 0; i < 3; i++) store.getState().step();
    const here = store.getState().now;
    const hash = store.getState().sims.event?.traceHash;
    store.getState().stepBack();
    expect(store.getState().now).toBeLessThan(here);
    store.getState().step();
    expect(store.getState().now).toBe(here);
    expect(store.getState().sims.event?.traceHash).toBe(hash);
  });

  it('stops at 0', () => {
    const { store } = setup();
    store.getState().stepBack();
    expect(store.getState().now).toBe(0);
  });
});

describe('changing the past', () => {
  it('at the head of the run, a change goes straight through', () => {
    const { store, time } = setup();
    store.getState().advanceTo(4000);
    store.getState().toggleOutage('email');
    expect(time().pendingFork).toBeNull();
    expect(store.getState().sims.event?.interventions).toHaveLength(1);
  });

  it('in the past, a change waits for the answer; Cancel changes nothing', () => {
    const { store, time } = setup();
    store.getState().advanceTo(20_000);
    time().seek(12_400);
    store.getState().play();
    store.getState().toggleOutage('email');
    expect(time().pendingFork).toEqual({ at: 12_400, head: 20_000 });
    expect(store.getState().playing).toBe(false);
    expect(store.getState().sims.event?.interventions).toEqual([]);
    // A second change while the question is open is not applied either.
    store.getState().setRate(80);
    expect(store.getState().sims.event?.interventions).toEqual([]);
    time().cancelFork();
    expect(time().pendingFork).toBeNull();
    expect(store.getState().rate).toBe(10);
    expect(time().head).toBe(20_000);
    expect(store.getState().sims.event?.interventions).toEqual([]);
  });

  it('Discard: the change applies at that moment and the old future is gone', () => {
    const { store, time } = setup('email-outage');
    store.getState().advanceTo(3000);
    store.getState().sendOrder();
    store.getState().advanceTo(15_000);
    store.getState().sendOrder();
    store.getState().advanceTo(20_000);
    time().seek(12_000);
    store.getState().toggleOutage('payment');
    time().confirmFork('discard');
    const chain = store.getState().sims.chain;
    expect(chain?.interventions.map((i) => [i.kind, i.at])).toEqual([
      ['order', 3000],
      ['fault', 12_000],
    ]);
    expect(time().head).toBe(12_000);
    expect(time().branchA).toBeNull();
    // The new future is a fresh run with those interventions.
    store.getState().advanceTo(18_000);
    const fresh = createSideSim(
      store.getState().scenario,
      store.getState().seed,
      'chain',
      chain?.interventions,
    );
    fresh.runUntil(18_000);
    expect(chain?.traceHash).toBe(fresh.traceHash);
    expect(time().head).toBe(18_000);
  });

  it('Keep as branch A: the old future runs beside the new one, at the same moment', () => {
    const { store, time } = setup('checkout');
    store.getState().advanceTo(20_000);
    const oldHash = store.getState().sims.chain?.traceHash;
    const oldFailed = store.getState().sims.chain?.report().requests.failed;
    time().seek(5000);
    store.getState().toggleOutage('email');
    time().confirmFork('keep');
    const branch = time().branchA;
    expect(branch?.forkedAt).toBe(5000);
    expect(branch?.head).toBe(20_000);
    expect(branch?.sims.chain?.now).toBe(5000);
    store.getState().advanceTo(20_000);
    // Branch A is the old run exactly; the new one failed orders while Email was down.
    expect(branch?.sims.chain?.traceHash).toBe(oldHash);
    expect(branch?.sims.chain?.report().requests.failed).toBe(oldFailed);
    expect(store.getState().sims.chain?.report().requests.failed).toBeGreaterThan(oldFailed ?? 0);
    // Going back moves both branches.
    time().seek(10_000);
    expect(branch?.sims.event?.now).toBe(10_000);
    time().closeBranch();
    expect(time().branchA).toBeNull();
  });
});

describe('a change that does not ask first', () => {
  it('(an action acting on the simulation directly) still ends the timeline at the fork', () => {
    const { store, tt, time } = setup('poison-message', 'event');
    store.getState().advanceTo(20_000);
    time().seek(6000);
    // As the broker panel's redrive does: on the simulation, then a version bump.
    store.getState().sims.event?.intervene({ kind: 'redrive' });
    store.setState((s) => ({ version: s.version + 1 }));
    expect(time().head).toBe(6000);
    expect(tt.deadLetters().every((m) => m.t <= 6000)).toBe(true);
    expect(time().pendingFork).toBeNull();
  });
});

describe('following an order', () => {
  it('keeps its records exact through playing, seeking back and forking', () => {
    const { store, tt, time } = setup('poison-message', 'event');
    store.getState().advanceTo(3500);
    time().follow(36);
    const sim = () => store.getState().sims.event!;
    const same = () => expect(tt.followedRecords('event')).toEqual(sim().orderRecords(36));
    same();
    for (const t of [3600, 4000, 4500, 6000]) {
      store.getState().advanceTo(t);
      same();
    }
    time().seek(4100);
    same();
    store.getState().advanceTo(5000);
    same();
    store.getState().advanceTo(6000);
    sim().intervene({ kind: 'redrive' });
    store.getState().advanceTo(7000);
    same();
    time().seek(4200);
    store.getState().toggleOutage('email');
    time().confirmFork('discard');
    store.getState().advanceTo(9000);
    same();
    expect(tt.followedRecords('event').some((r) => r.kind === Rec.DeadLettered)).toBe(true);
  });

  it('rejects what is not an order number', () => {
    const { time } = setup();
    time().follow(-3);
    expect(time().followed).toBeNull();
    time().follow(2.5);
    expect(time().followed).toBeNull();
    time().follow(7);
    expect(time().followed).toBe(7);
  });
});

describe('dead-letter marks', () => {
  it('notes when dead letters appeared, keeps them when going back, drops them on a fork', () => {
    const { store, tt, time } = setup('poison-message', 'event');
    store.getState().advanceTo(30_000);
    const marks = tt.deadLetters();
    const total = marks.reduce((n, m) => n + m.count, 0);
    expect(total).toBe(store.getState().sims.event?.report().events.dead_lettered);
    expect(marks[0]?.t).toBeGreaterThan(4000);
    time().seek(5000);
    expect(tt.deadLetters()).toEqual(marks);
    store.getState().setRate(0);
    time().confirmFork('discard');
    expect(tt.deadLetters().every((m) => m.t <= 5000)).toBe(true);
    expect(tt.deadLetters().length).toBeLessThan(marks.length);
  });
});
