import { describe, expect, it } from 'vitest';
import { cloneSimState, cloneState } from './cloneState';
import { findScenario } from '../content/scenarios';
import { Simulation } from './simulation';
import { dequeAt, Ev, type Job, type Message } from './state';
import { makeScenario } from './testkit';

describe('cloneState', () => {
  it('copies deeply and keeps shared references shared, like structuredClone', () => {
    const order = { corr: 1, attrs: ['eu'] };
    const a = { order, n: 1 };
    const b = { order, n: 2 };
    const state = {
      list: [a, b, undefined],
      byId: new Map([[1, a]]),
      seen: new Set([order]),
      column: new Int32Array([1, 2, 3]),
      cycle: null as unknown,
    };
    state.cycle = state;
    const copy = cloneState(state);
    expect(copy).toEqual(structuredClone(state));
    expect(copy.list[0]).not.toBe(a);
    expect(copy.list[0]?.order).toBe(copy.list[1]?.order);
    expect(copy.byId.get(1)).toBe(copy.list[0]);
    expect([...copy.seen][0]).toBe(copy.list[0]?.order);
    expect(copy.cycle).toBe(copy);
    copy.column[0] = 9;
    expect(state.column[0]).toBe(1);
    expect(copy.column).toBeInstanceOf(Int32Array);
  });

  it('keeps a key named __proto__ as data and a null prototype as it was', () => {
    const record = JSON.parse('{"__proto__": ["eu"], "tier": ["gold"]}');
    const bare = Object.assign(Object.create(null), { x: 1 });
    const copy = cloneState({ record, bare });
    expect(Object.keys(copy.record)).toEqual(['__proto__', 'tier']);
    expect(Object.getPrototypeOf(copy.record)).toBe(Object.prototype);
    expect(Object.hasOwn(copy.record, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copy.bare)).toBeNull();
  });

  it('refuses what is not plain data', () => {
    expect(() => cloneState({ f: () => 1 })).toThrow(/function/);
    expect(() => cloneState({ d: new (class Thing {})() })).toThrow(/Thing/);
  });

  it("equals structuredClone on a busy run's whole state", () => {
    const scenario = findScenario('checkout');
    if (!scenario) throw new Error('no checkout');
    const sim = new Simulation(scenario, {
      architecture: 'event',
      openEnded: true,
      interventions: [{ at: 0, kind: 'rate', rate: 300 }],
    });
    sim.runUntil(20_000);
    const state = sim.snapshotState();
    expect(cloneState(state)).toEqual(structuredClone(state));
  });

  it('copies a checkpoint of every broker, and of the request chain, as structuredClone does', () => {
    const busy = {
      workload: { rate_per_s: 200 },
      faults: [
        { service: 'email', at_ms: 0, mode: 'flaky' as const, error_rate: 0.3 },
        { service: 'payment', at_ms: 0, mode: 'crash-before-ack' as const, error_rate: 0.1 },
      ],
      delivery: { max_attempts: 3, backoff: 'exponential' as const, base_ms: 50, cap_ms: 500 },
    };
    const runs: Simulation[] = [
      new Simulation(makeScenario(busy), { architecture: 'event' }),
      new Simulation(makeScenario({ ...busy, broker: { kind: 'queue', message_ttl_ms: 300 } }), {
        architecture: 'event',
      }),
      new Simulation(makeScenario({ ...busy, broker: { kind: 'log', partitions: 3 } }), {
        architecture: 'event',
      }),
      new Simulation(makeScenario({ ...busy, broker: { kind: 'sns-sqs' } }), {
        architecture: 'event',
      }),
      new Simulation(makeScenario(busy), { architecture: 'chain' }),
    ];
    for (const sim of runs) {
      sim.runUntil(3_000);
      const state = sim.snapshotState() as Parameters<typeof cloneSimState>[0];
      expect(state.heap.length).toBeGreaterThan(0);
      const copy = cloneSimState(state);
      expect(copy).toEqual(structuredClone(state));
      // Shared references stay shared: an event and what it carries point at each other.
      for (const ev of copy.heap) {
        if (ev.kind === Ev.DeliveryDone) expect(ev.ref.done).toBe(ev);
        if (ev.kind === Ev.RetryReady) expect(ev.ref.retry).toBe(ev);
      }
      // ... and so do the waiting lines' (copied by type): a job and its call share an
      // order, a caller's job lists the call it made, every copy of a message its order.
      for (const svc of copy.services)
        for (let i = 0; i < svc.accept.size; i++) {
          const job = dequeAt(svc.accept, i) as Job;
          expect(job.call.order).toBe(job.order);
          if (job.call.callerJob) expect(job.call.callerJob.downstream).toContain(job.call);
        }
      const orders = new Map<number, unknown>();
      for (const q of copy.queues)
        for (let i = 0; i < q.ready.size; i++) {
          const m = dequeAt(q.ready, i) as Message;
          if (!orders.has(m.order.corr)) orders.set(m.order.corr, m.order);
          expect(m.order).toBe(orders.get(m.order.corr));
        }
    }
  });

  it('copies a backlog: a chain whose services cannot keep up, and queues with no consumer', () => {
    const slow = makeScenario({
      workload: { rate_per_s: 400 },
      faults: [{ service: 'email', at_ms: 0, mode: 'down' as const }],
    });
    const waiting = (st: Parameters<typeof cloneSimState>[0]) =>
      st.services.reduce((n, s) => n + s.accept.size, 0) +
      st.queues.reduce((n, q) => n + q.ready.size, 0);
    for (const architecture of ['chain', 'event'] as const) {
      const sim = new Simulation(slow, { architecture });
      sim.runUntil(5_000);
      const state = sim.snapshotState() as Parameters<typeof cloneSimState>[0];
      expect(waiting(state)).toBeGreaterThan(100);
      expect(cloneSimState(state)).toEqual(structuredClone(state));
    }
  });
});
