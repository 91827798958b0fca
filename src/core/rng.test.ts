import { describe, expect, it } from 'vitest';
import { createStream, nextExponential, nextFloat, nextNormal, nextUint32 } from './rng';

const draw = (seed: number, name: string, n: number) => {
  const s = createStream(seed, name);
  return Array.from({ length: n }, () => nextUint32(s));
};

describe('seeded random streams', () => {
  it('gives the same numbers for the same seed and name', () => {
    expect(draw(42, 'arrivals', 20)).toEqual(draw(42, 'arrivals', 20));
  });

  it('gives different numbers for another seed or another stream name', () => {
    expect(draw(42, 'arrivals', 20)).not.toEqual(draw(43, 'arrivals', 20));
    expect(draw(42, 'arrivals', 20)).not.toEqual(draw(42, 'latency:email', 20));
  });

  it('keeps streams independent: drawing from one does not shift another', () => {
    const a1 = createStream(7, 'a');
    const b1 = createStream(7, 'b');
    const a2 = createStream(7, 'a');
    const b2 = createStream(7, 'b');
    for (let i = 0; i < 100; i++) nextUint32(a1); // heavy use of stream a in run 1 only
    expect(Array.from({ length: 10 }, () => nextUint32(b1))).toEqual(
      Array.from({ length: 10 }, () => nextUint32(b2)),
    );
    expect(nextUint32(a2)).not.toBe(undefined);
  });

  it('is uniform on [0, 1) and has the right exponential and normal moments', () => {
    const s = createStream(1, 'moments');
    const n = 100_000;
    let sum = 0;
    const bins = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      const u = nextFloat(s);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      bins[Math.floor(u * 10)]++;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(n / 100);
    let e = 0;
    for (let i = 0; i < n; i++) e += nextExponential(s, 100);
    expect(e / n).toBeGreaterThan(98);
    expect(e / n).toBeLessThan(102);
    let m = 0;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const z = nextNormal(s);
      m += z;
      v += z * z;
    }
    expect(Math.abs(m / n)).toBeLessThan(0.02);
    expect(v / n).toBeGreaterThan(0.97);
    expect(v / n).toBeLessThan(1.03);
  });
});
