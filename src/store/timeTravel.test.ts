/** Time travel as a learner uses it: seeking, stepping back, changing the past, following one order. */
import { describe, expect, it } from 'vitest';
import { Rec, Simulation } from '../core';
import { actionForKey, toggleOutage } from './actions';
import { createHeadlessPlayground } from './headless';

function setup(scenarioId = 'checkout', mode: 'chain' | 'event' | 'compare' = 'compare') {
  const pg = createHeadlessPlayground({ scenarioId, mode, playing: false });
  const run = (side: 'chain' | 'event') => {
    const r = pg.getState().runs[side];
    if (!r) throw new Error(`no ${side} side`);
    return r;
  };
  return { pg, run };
}

/** What a fresh run of one side with these actions gives at `t`. */
function fresh(pg: ReturnType<typeof setup>['pg'], side: 'chain' | 'event', t: number): Simulation {
  const s = pg.getState();
  const sim = new Simulation(s.scenario, {
    architecture: side,
    seed: s.seed,
    openEnded: true,
    interventions: s.runs[side]?.interventions,
  });
  sim.runUntil(t);
  return sim;
}

describe('seek', () => {
  it('goes back to the exact state and forward again to the same run', async () => {
    const { pg, run } = setup();
    await pg.playback.advanceTo(12_000);
    const chainAt12 = run('chain').traceHash;
    await pg.playback.advanceTo(20_000);
    const eventAt20 = run('event').traceHash;
    expect(pg.getState().head).toBe(20_000);

    await pg.timeTravel.seek(12_000);
    expect(pg.getState().now).toBe(12_000);
    expect(run('chain').now).toBe(12_000);
    expect(run('event').now).toBe(12_000);
    expect(run('chain').traceHash).toBe(chainAt12);
    // The timeline still reaches where the run had got to.
    expect(pg.getState().head).toBe(20_000);

    await pg.timeTravel.seek(20_000);
    expect(run('event').traceHash).toBe(eventAt20);
  });

  it('stays within the run so far and pauses playback', async () => {
    const { pg } = setup();
    await pg.playback.advanceTo(5000);
    pg.playback.play();
    await pg.timeTravel.seek(99_999);
    expect(pg.getState().now).toBe(5000);
    expect(pg.getState().playing).toBe(false);
    await pg.timeTravel.seek(-10);
    expect(pg.getState().now).toBe(0);
  });

  it('shows the rate of the moment on the workload slider', async () => {
    const { pg } = setup();
    await pg.playback.advanceTo(3000);
    await pg.apply({ kind: 'rate', rate: 40 });
    await pg.playback.advanceTo(6000);
    await pg.timeTravel.seek(2000);
    expect(pg.getState().rate).toBe(10);
    await pg.timeTravel.seek(5000);
    expect(pg.getState().rate).toBe(40);
  });

  it('a new run (reset, scenario) starts a new timeline', async () => {
    const { pg } = setup();
    await pg.playback.advanceTo(8000);
    await pg.playback.reset();
    expect(pg.getState().head).toBe(0);
    await pg.playback.advanceTo(1000);
    await pg.loadScenario('email-outage');
    expect(pg.getState().head).toBe(0);
  });
});

describe('step back', () => {
  it('goes back one recorded moment at a time, on both sides, and "," does it too', async () => {
    const { pg, run } = setup();
    await pg.playback.advanceTo(3000);
    const seen: number[] = [pg.getState().now];
    for (let i = 0; i < 3; i++) {
      await pg.timeTravel.stepBack();
      seen.push(pg.getState().now);
    }
    actionForKey({ key: ',' })?.perform(pg, { key: ',' });
    await Promise.resolve();
    seen.push(pg.getState().now);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThan(seen[i - 1] as number);
    // Each stop is a moment something was recorded on one of the sides.
    const now = pg.getState().now;
    const times = [run('chain'), run('event')].map((r) => r.traceTail(1)[0]?.t ?? -1);
    expect(Math.max(...times)).toBe(now);
    expect(run('chain').now).toBe(now);
    expect(run('event').now).toBe(now);
  });

  it('undoes one moment: stepping forward again lands where it was', async () => {
    const { pg, run } = setup('checkout', 'event');
    await pg.playback.advanceTo(2000);
    for (let i = 0; i < 3; i++) await pg.playback.step();
    const here = pg.getState().now;
    const hash = run('event').traceHash;
    await pg.timeTravel.stepBack();
    expect(pg.getState().now).toBeLessThan(here);
    await pg.playback.step();
    expect(pg.getState().now).toBe(here);
    expect(run('event').traceHash).toBe(hash);
  });

  it('stops at 0', async () => {
    const { pg } = setup();
    await pg.timeTravel.stepBack();
    expect(pg.getState().now).toBe(0);
  });
});

describe('changing the past', () => {
  it('at the head of the run, a change goes straight through', async () => {
    const { pg, run } = setup();
    await pg.playback.advanceTo(4000);
    await toggleOutage(pg, 'email');
    expect(pg.getState().pendingFork).toBeNull();
    expect(run('event').interventions).toHaveLength(1);
  });

  it('in the past, a change waits for the answer; Cancel changes nothing', async () => {
    const { pg, run } = setup();
    await pg.playback.advanceTo(20_000);
    await pg.timeTravel.seek(12_400);
    pg.playback.play();
    await toggleOutage(pg, 'email');
    expect(pg.getState().pendingFork).toMatchObject({ at: 12_400, head: 20_000 });
    expect(pg.getState().playing).toBe(false);
    expect(run('event').interventions).toEqual([]);
    // A second change while the question is open is refused, not queued.
    expect(await pg.apply({ kind: 'rate', rate: 80 })).toMatch(/question/);
    expect(run('event').interventions).toEqual([]);
    pg.timeTravel.cancelFork();
    expect(pg.getState().pendingFork).toBeNull();
    expect(pg.getState().rate).toBe(10);
    expect(pg.getState().head).toBe(20_000);
    expect(run('event').interventions).toEqual([]);
  });

  it('Discard: the change applies at that moment and the old future is gone', async () => {
    const { pg, run } = setup('email-outage');
    await pg.playback.advanceTo(3000);
    await pg.apply({ kind: 'order' });
    await pg.playback.advanceTo(15_000);
    await pg.apply({ kind: 'order' });
    await pg.playback.advanceTo(20_000);
    await pg.timeTravel.seek(12_000);
    await toggleOutage(pg, 'payment');
    await pg.timeTravel.confirmFork('discard');
    expect(run('chain').interventions.map((i) => [i.kind, i.at])).toEqual([
      ['order', 3000],
      ['fault', 12_000],
    ]);
    expect(pg.getState().head).toBe(12_000);
    expect(pg.getState().branch).toBeNull();
    // The new future is a fresh run with those actions.
    await pg.playback.advanceTo(18_000);
    expect(run('chain').traceHash).toBe(fresh(pg, 'chain', 18_000).traceHash);
    expect(pg.getState().head).toBe(18_000);
  });

  it('Keep as branch A: the old future runs beside the new one, at the same moment', async () => {
    const { pg, run } = setup('checkout');
    await pg.playback.advanceTo(20_000);
    const oldHash = run('chain').traceHash;
    const oldFailed = run('chain').report().requests.failed;
    await pg.timeTravel.seek(5000);
    await toggleOutage(pg, 'email');
    await pg.timeTravel.confirmFork('keep');
    const branch = () => pg.getState().branch;
    expect(branch()?.forkedAt).toBe(5000);
    expect(branch()?.head).toBe(20_000);
    expect(branch()?.reports.chain?.until_ms).toBe(5000);
    await pg.playback.advanceTo(20_000);
    // Branch A is the old run exactly; the new one failed orders while Email was down.
    expect(branch()?.reports.chain?.trace_hash).toBe(oldHash);
    expect(branch()?.reports.chain?.requests.failed).toBe(oldFailed);
    expect(run('chain').report().requests.failed).toBeGreaterThan(oldFailed);
    // Going back moves both branches.
    await pg.timeTravel.seek(10_000);
    expect(branch()?.reports.event?.until_ms).toBe(10_000);
    await pg.timeTravel.closeBranch();
    expect(branch()).toBeNull();
  });

  it('every way to act asks first: a redrive in the past holds too', async () => {
    const { pg, run } = setup('poison-message', 'event');
    await pg.playback.advanceTo(20_000);
    await pg.timeTravel.seek(6000);
    await pg.apply({ kind: 'redrive' });
    expect(pg.getState().pendingFork?.body).toEqual({ kind: 'redrive' });
    expect(run('event').interventions).toEqual([]);
    await pg.timeTravel.confirmFork('discard');
    expect(pg.getState().head).toBe(6000);
    expect(pg.getState().deadLetterMarks.every((m) => m.t <= 6000)).toBe(true);
  });
});

describe('following an order', () => {
  it('keeps its records exact through playing, seeking back and forking', async () => {
    const { pg, run } = setup('poison-message', 'event');
    await pg.playback.advanceTo(3500);
    pg.timeTravel.follow(36);
    const same = async () => {
      const exact = fresh(pg, 'event', pg.getState().now).orderRecords(36);
      expect(run('event').followed.corr).toBe(36);
      expect(run('event').followed.records).toEqual(exact);
      expect(await pg.timeTravel.orderRecords('event', 36)).toEqual(exact);
    };
    await pg.playback.advanceTo(3500);
    await same();
    for (const t of [3600, 4000, 4500, 6000]) {
      await pg.playback.advanceTo(t);
      await same();
    }
    await pg.timeTravel.seek(4100);
    await same();
    await pg.playback.advanceTo(5000);
    await same();
    await pg.playback.advanceTo(6000);
    await pg.apply({ kind: 'redrive' });
    await pg.playback.advanceTo(7000);
    await same();
    await pg.timeTravel.seek(4200);
    await toggleOutage(pg, 'email');
    await pg.timeTravel.confirmFork('discard');
    await pg.playback.advanceTo(9000);
    await same();
    expect(run('event').followed.records.some((r) => r.kind === Rec.DeadLettered)).toBe(true);
  });

  it('rejects what is not an order number', () => {
    const { pg } = setup();
    pg.timeTravel.follow(-3);
    expect(pg.getState().followed).toBeNull();
    pg.timeTravel.follow(2.5);
    expect(pg.getState().followed).toBeNull();
    pg.timeTravel.follow(7);
    expect(pg.getState().followed).toBe(7);
  });
});

describe('dead-letter marks', () => {
  it('notes when dead letters appeared, keeps them when going back, drops them on a fork', async () => {
    const { pg, run } = setup('poison-message', 'event');
    await pg.playback.advanceTo(30_000);
    const marks = pg.getState().deadLetterMarks;
    const total = marks.reduce((n, m) => n + m.count, 0);
    expect(total).toBe(run('event').report().events.dead_lettered);
    expect(marks[0]?.t).toBeGreaterThan(4000);
    await pg.timeTravel.seek(5000);
    expect(pg.getState().deadLetterMarks).toEqual(marks);
    await pg.apply({ kind: 'rate', rate: 0 });
    await pg.timeTravel.confirmFork('discard');
    expect(pg.getState().deadLetterMarks.every((m) => m.t <= 5000)).toBe(true);
    expect(pg.getState().deadLetterMarks.length).toBeLessThan(marks.length);
  });
});
