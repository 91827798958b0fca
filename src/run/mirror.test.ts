/** The page's mirror of a run shows exactly what the engine computed, frame after frame. */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../core';
import { findScenario } from '../content/scenarios';
import type { Frame } from './frame';
import { LocalHost } from './localHost';
import { SideMirror } from './mirror';
import type { Side } from './modes';

const checkout = () => {
  const s = findScenario('checkout');
  if (!s) throw new Error('no checkout');
  return s;
};

/** Mirrors fed by a local host, as the store keeps them. */
function mirrored() {
  const host = new LocalHost();
  const mirrors = new Map<Side, SideMirror>();
  const frames: Frame[] = [];
  host.onFrame((f) => {
    frames.push(f);
    for (const sf of f.sides) {
      let m = mirrors.get(sf.side);
      if (sf.build) {
        m = new SideMirror(sf.side, sf.build);
        mirrors.set(sf.side, m);
      }
      m?.apply(sf);
    }
  });
  return { host, mirrors, frames };
}

describe('mirror of a run', () => {
  it('has the same trace hash, report and trace tail as a simulation run in place', async () => {
    const { host, mirrors } = mirrored();
    const scenario = checkout();
    await host.send({
      op: 'load',
      setup: { scenario, seed: scenario.seed, mode: 'compare', at: 0, interventions: {} },
    });
    for (const t of [250, 1000, 4000, 9000]) await host.send({ op: 'advance', to: t });
    await host.send({
      op: 'apply',
      body: { kind: 'fault', service: 'email', patch: { down: true } },
    });
    await host.send({ op: 'advance', to: 15_000 });
    for (const side of ['chain', 'event'] as const) {
      const direct = new Simulation(scenario, {
        architecture: side,
        openEnded: true,
        interventions: [{ at: 9000, kind: 'fault', service: 'email', patch: { down: true } }],
      });
      direct.runUntil(15_000);
      const m = mirrors.get(side) as SideMirror;
      expect(m.now).toBe(15_000);
      expect(m.traceHash).toBe(direct.traceHash);
      expect(m.report()).toEqual(direct.report());
      expect(m.traceTail(300)).toEqual(direct.traceTail(300));
      expect(m.series().column('in_queue')).toEqual(direct.series().column('in_queue'));
      expect(m.interventions).toEqual(direct.interventions);
    }
  });

  it('a reader of the mirror starts again after a seek back, and sees the restored past', async () => {
    const { host, mirrors } = mirrored();
    const scenario = checkout();
    await host.send({
      op: 'load',
      setup: { scenario, seed: scenario.seed, mode: 'event', at: 0, interventions: {} },
    });
    await host.send({ op: 'advance', to: 6000 });
    const m = mirrors.get('event') as SideMirror;
    let seen = 0;
    let read = m.readTrace(null, () => seen++);
    expect(read.reset).toBe(true);
    await host.send({ op: 'advance', to: 7000 });
    seen = 0;
    read = m.readTrace(read.cursor, () => seen++);
    expect(read.reset).toBe(false);
    expect(seen).toBeGreaterThan(0);
    await host.send({ op: 'seek', to: 3000 });
    const times: number[] = [];
    read = m.readTrace(read.cursor, (row) => times.push(row.t));
    expect(read.reset).toBe(true);
    expect(Math.max(...times)).toBeLessThanOrEqual(3000);
    const direct = new Simulation(scenario, { architecture: 'event', openEnded: true });
    direct.runUntil(3000);
    expect(m.traceHash).toBe(direct.traceHash);
  });
});
