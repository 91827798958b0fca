import { describe, expect, it } from 'vitest';
import { createHistogram, histAdd, histPercentile, histSummary } from './histogram';

describe('latency histogram', () => {
  it('is exact below one second (nearest-rank percentiles)', () => {
    const h = createHistogram();
    for (let v = 1; v <= 100; v++) histAdd(h, v);
    expect(histSummary(h)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('is within 2% above one second and never above the max', () => {
    const h = createHistogram();
    const values = [1500, 2500, 10_000, 45_000, 123_456];
    for (const v of values) histAdd(h, v);
    expect(Math.abs(histPercentile(h, 20) - 1500) / 1500).toBeLessThan(0.02);
    expect(Math.abs(histPercentile(h, 60) - 10_000) / 10_000).toBeLessThan(0.02);
    expect(histPercentile(h, 100)).toBe(123_456);
  });

  it('reads 0 when empty', () => {
    expect(histSummary(createHistogram())).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
