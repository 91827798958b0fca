import { describe, expect, it } from 'vitest';
import { cloneState } from './cloneState';
import { findScenario } from '../content/scenarios';
import { Simulation } from './simulation';

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
});
