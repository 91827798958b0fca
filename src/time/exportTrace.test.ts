import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import { Simulation } from '../core';
import { exportFileName, traceExport } from './exportTrace';

describe('trace export (JSON)', () => {
  it('has every record of the run, with kinds, nodes and reasons spelled out', () => {
    const sim = new Simulation(findScenario('poison-message')!, { architecture: 'event' });
    sim.runUntil(3000);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
    sim.runUntil(6000);
    const out = JSON.parse(JSON.stringify(traceExport(sim, sim.allRecords())));
    expect(out.format).toBe('fanout-trace');
    expect(out.until_ms).toBe(6000);
    expect(out.trace_hash).toBe(sim.traceHash);
    expect(out.records).toHaveLength(sim.traceCount);
    expect(out.interventions).toEqual([
      { at: 3000, kind: 'fault', service: 'email', patch: { down: true } },
    ]);
    expect(out.records[0].kind).toBe('order-received');
    const dead = out.records.find((r: { kind: string }) => r.kind === 'dead-lettered');
    expect(dead).toMatchObject({
      from: 'analytics-queue',
      to: 'dead-letter',
      order: 36,
      reason: 'poison message',
    });
    const published = out.records.find((r: { kind: string }) => r.kind === 'published');
    expect(published.event_type).toBe('OrderCreated');
    const fault = out.records.find((r: { kind: string }) => r.kind === 'fault-changed');
    expect(fault).toMatchObject({ t: 3000, to: 'email', fault: 'down', value: 1000 });
    for (let i = 1; i < out.records.length; i++)
      expect(out.records[i].t).toBeGreaterThanOrEqual(out.records[i - 1].t);
  });

  it('names the file after the scenario, side and moment', () => {
    const sim = new Simulation(findScenario('checkout')!, { architecture: 'chain' });
    sim.runUntil(62_400);
    expect(exportFileName(sim, 'trace')).toBe('fanout-checkout-chain-01m02s.trace.json');
    expect(exportFileName(sim, 'otel')).toBe('fanout-checkout-chain-01m02s.otel.json');
  });
});
