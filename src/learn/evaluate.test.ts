/** Measures and checks read the engine the way a learner reads the screen. */
import { describe, expect, it } from 'vitest';
import { HeadlessDriver } from '../run/lessons';
import { Evaluator, formulaAvailability } from './evaluate';
import { mustResolve } from './setup';

function world(
  setup: Parameters<typeof mustResolve>[0],
  until: number,
  act?: (d: HeadlessDriver) => void,
) {
  const d = new HeadlessDriver();
  d.load(mustResolve(setup));
  act?.(d);
  d.advanceTo(until);
  return d;
}

describe('measures', () => {
  it('availability: the product of the chain hops, and the share of orders that succeeded', () => {
    const d = world(
      {
        scenario: 'checkout',
        mode: 'compare',
        paused: false,
        patch: {
          faults: [
            { service: 'payment', at_ms: 0, mode: 'flaky', error_rate: 0.2 },
            { service: 'email', at_ms: 0, mode: 'flaky', error_rate: 0.5 },
          ],
        },
      },
      30_000,
    );
    const ev = new Evaluator(d.world());
    expect(ev.measure({ availability: 'formula', side: 'chain' })).toBeCloseTo(0.4, 10);
    // The event side's user waits on the Order Service only.
    expect(
      formulaAvailability(
        d.world().sims.event as NonNullable<ReturnType<typeof d.world>['sims']['event']>,
      ),
    ).toBe(1);
    const measured = ev.measure({ availability: 'measured', side: 'chain' }) ?? 0;
    expect(measured).toBeGreaterThan(0.3);
    expect(measured).toBeLessThan(0.5);
    d.act({ do: 'outage', service: 'analytics', down: true });
    expect(new Evaluator(d.world()).measure({ availability: 'formula', side: 'chain' })).toBe(0);
  });

  it('a view lags while its consumer is down, then catches up; the oldest message ages meanwhile', () => {
    const d = world({ scenario: 'checkout', mode: 'event', paused: false }, 2000, (x) =>
      x.act({ do: 'outage', service: 'analytics', down: true }),
    );
    d.advanceTo(7000);
    let ev = new Evaluator(d.world());
    expect(ev.measure({ viewLag: ['orders', 'analytics'] })).toBeGreaterThan(40);
    expect(ev.measure({ oldestAge: 'analytics' })).toBeGreaterThan(6000);
    d.act({ do: 'outage', service: 'analytics', down: false });
    d.advanceTo(12_000);
    ev = new Evaluator(d.world());
    expect(ev.measure({ viewLag: ['orders', 'analytics'] })).toBeLessThan(3);
    expect(ev.measure({ oldestAge: 'analytics' })).toBeLessThan(500);
  });

  it('drain time is unknown until the queue has been empty, then measured from the given moment', () => {
    const d = world({ scenario: 'checkout', mode: 'event', paused: false }, 1000, (x) =>
      x.act({ do: 'outage', service: 'email', down: true }),
    );
    d.advanceTo(11_000);
    expect(new Evaluator(d.world()).measure({ drainMs: 'email', afterMs: 1000 })).toBeNull();
    d.act({ do: 'outage', service: 'email', down: false });
    d.advanceTo(30_000);
    const drained = new Evaluator(d.world()).measure({ drainMs: 'email', afterMs: 1000 }) ?? 0;
    expect(drained).toBeGreaterThan(10_000);
    expect(drained).toBeLessThan(29_000);
  });

  it('unfinished orders: sent minus fully handled', () => {
    const d = world({ scenario: 'checkout', mode: 'chain', paused: false }, 10_000, (x) =>
      x.act({ do: 'outage', service: 'email', down: true }),
    );
    const ev = new Evaluator(d.world());
    const failed = ev.measure({ metric: 'requests.failed' }) ?? 0;
    expect(failed).toBeGreaterThan(50);
    expect(ev.measure({ unfinished: true })).toBeGreaterThanOrEqual(failed);
  });

  it('one order: how long its work took and how many services it touched', () => {
    const d = world({ scenario: 'checkout', mode: 'event', paused: false }, 10_000);
    const ev = new Evaluator(d.world());
    expect(ev.measure({ orderServices: 42 })).toBe(4);
    expect(ev.measure({ orderSpan: 42 })).toBeGreaterThan(100);
    expect(ev.measure({ orderSpan: 100_000 })).toBeNull();
  });

  it('what cannot be read is null, never a made-up number', () => {
    const d = world({ scenario: 'checkout', mode: 'chain', paused: false }, 1000);
    const ev = new Evaluator(d.world());
    expect(ev.measure({ metric: 'queues.email.waiting' })).toBeNull();
    expect(ev.measure({ metric: 'requests.failed', side: 'event' })).toBeNull();
    expect(ev.measure({ oldestAge: 'email' })).toBeNull();
    expect(ev.measure({ workers: 'billing' })).toBeNull();
    expect(ev.measure({ workers: '*' })).toBe(8 + 8 + 4 + 4);
  });

  it("a yes/no of the report reads as 1 or 0: the broker's outage, switched by a lesson action", () => {
    const d = world({ scenario: 'broker-outage', mode: 'event', paused: false }, 1000, (x) =>
      x.act({ do: 'outage', service: 'broker', down: true }),
    );
    expect(new Evaluator(d.world()).measure({ metric: 'broker.down' })).toBe(1);
    expect(new Evaluator(d.world()).measure({ metric: 'events.refused' })).toBeGreaterThan(0);
    d.act({ do: 'outage', service: 'broker', down: false });
    expect(new Evaluator(d.world()).measure({ metric: 'broker.down' })).toBe(0);
  });
});

describe('checks', () => {
  it('a service check holds on any visible side unless a side is named', () => {
    const d = world({ scenario: 'checkout', mode: 'compare', paused: false }, 1000, (x) =>
      x.act({ do: 'outage', service: 'email', down: true }),
    );
    const ev = new Evaluator(d.world());
    expect(ev.check({ service: 'email', down: true })).toBe(true);
    expect(ev.check({ service: 'email', down: true, side: 'chain' })).toBe(true);
    expect(ev.check({ service: 'email', down: false })).toBe(false);
    expect(ev.check({ service: 'nobody', down: true })).toBe(false);
  });

  it('queue checks read the event side; all / any / not combine them', () => {
    const d = world({ scenario: 'checkout', mode: 'compare', paused: false }, 1000, (x) =>
      x.act({ do: 'outage', service: 'email', down: true }),
    );
    d.advanceTo(6000);
    const ev = new Evaluator(d.world());
    expect(ev.check({ queue: 'email', waitingAtLeast: 30 })).toBe(true);
    expect(ev.check({ queue: 'email', waitingAtLeast: 30, side: 'chain' })).toBe(false);
    expect(
      ev.check({
        all: [
          { queue: 'email', waitingAtLeast: 30 },
          { queue: 'payment', waitingAtMost: 5 },
        ],
      }),
    ).toBe(true);
    expect(ev.check({ any: [{ queue: 'payment', waitingAtLeast: 30 }, { time: 6000 }] })).toBe(
      true,
    );
    expect(ev.check({ not: { time: 6000 } })).toBe(false);
    expect(ev.check({ metric: 'requests.failed', side: 'chain', atLeast: 1 })).toBe(true);
    expect(ev.check({ metric: 'requests.failed', side: 'event', atMost: 0 })).toBe(true);
    expect(ev.check({ mode: 'compare' })).toBe(true);
    expect(ev.check({ broker: 'log' })).toBe(false);
  });
});
