import { describe, expect, it } from 'vitest';
import { Simulation } from '../../core';
import { findScenario } from '../../content/scenarios';
import { buildCharts } from './chartData';

const scenario = findScenario('email-outage')!;

describe('chart data', () => {
  it('charts both sides on one time axis in compare mode', () => {
    const chain = new Simulation(scenario, { architecture: 'chain' });
    const event = new Simulation(scenario, { architecture: 'event' });
    chain.runUntil(20000);
    event.runUntil(20000);
    const charts = buildCharts({ chain, event });
    expect(charts.map((c) => c.id)).toEqual(['latency', 'throughput', 'depth', 'failures']);
    for (const c of charts) {
      expect(c.data.length).toBe(c.series.length + 1);
      for (const col of c.data) expect(col.length).toBe(c.data[0]!.length);
    }
    const xs = charts[0]!.data[0]!;
    expect(xs[0]).toBe(0.25);
    expect(xs[xs.length - 1]).toBe(19.75);
    expect(charts[0]!.series.map((s) => s.label)).toEqual([
      'p50 (chain)',
      'p99 (chain)',
      'p50 (fan-out)',
      'p99 (fan-out)',
    ]);
  });

  it('throughput is processed per window divided by the window length in seconds', () => {
    const event = new Simulation(scenario, { architecture: 'event' });
    event.runUntil(8000);
    const series = event.series();
    const throughput = buildCharts({ event }).find((c) => c.id === 'throughput')!;
    const i = throughput.series.findIndex((s) => s.label === 'Payment');
    const perWindow = series.column('payment.processed');
    expect(throughput.data[i + 1]).toEqual(perWindow.map((v) => v / (series.everyMs / 1000)));
  });

  it('queue depth follows the email queue while Email is down (10 s to 30 s) and back to 0 after', () => {
    const event = new Simulation(scenario, { architecture: 'event' });
    event.runUntil(45000);
    const depth = buildCharts({ event }).find((c) => c.id === 'depth')!;
    const i = depth.series.findIndex((s) => s.label === 'email queue');
    const xs = depth.data[0]!;
    const at = (sec: number) => depth.data[i + 1]![xs.indexOf(sec)];
    expect(at(29)).toBeGreaterThan(100);
    expect(at(44)).toBe(0);
  });

  it('has no queue chart for the chain alone, and uses null (a gap) where no answer came back', () => {
    const chain = new Simulation(scenario, { architecture: 'chain' });
    chain.runUntil(5000);
    const charts = buildCharts({ chain });
    expect(charts.map((c) => c.id)).toEqual(['latency', 'throughput', 'failures']);
    for (const col of charts[0]!.data.slice(1))
      for (const v of col) expect(v === null || Number.isFinite(v)).toBe(true);
  });
});
