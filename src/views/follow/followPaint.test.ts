import { describe, expect, it } from 'vitest';
import { findScenario } from '../../content/scenarios';
import { Simulation } from '../../core';
import { layoutModel } from '../canvas/layout';
import {
  placeTokens,
  TokenFrame,
  TokenRecords,
  type TokenView,
  tokenShape,
} from '../canvas/tokens';
import { fillTokenRecords, orderAt, orderPath } from './followPaint';

const view = (sim: Simulation): TokenView => ({
  now: sim.now,
  speed: 1,
  reducedMotion: false,
  networkMs: sim.scenario.network_ms,
  pxToFlow: 1,
});

describe('following on the canvas', () => {
  it("the path is every node and edge the order's records touched", () => {
    const sim = new Simulation(findScenario('poison-message')!, { architecture: 'event' });
    sim.runUntil(5000);
    const layout = layoutModel(sim.model);
    const path = orderPath(sim.orderRecords(36), layout);
    const ids = layout.nodes.filter((n) => path.nodes.has(n.index)).map((n) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining(['orders', 'broker', 'analytics-queue', 'analytics', 'dead-letter']),
    );
    // A healthy order never reaches the dead-letter queue.
    const healthy = orderPath(sim.orderRecords(5), layout);
    expect(healthy.nodes.has(sim.model.dlqNode)).toBe(false);
    expect(healthy.routes.size).toBeGreaterThan(3);
  });

  it('clicking where a token is drawn picks its order; empty space picks nothing', () => {
    const sim = new Simulation(findScenario('checkout')!, { architecture: 'chain' });
    sim.runUntil(3000);
    const layout = layoutModel(sim.model);
    // Find one token on screen and its order, the way the token layer draws it.
    const tail = sim.traceTail(200).filter((r) => r.corr > 0);
    let hit: { x: number; y: number; corr: number } | null = null;
    const one = new TokenRecords();
    const frame = new TokenFrame();
    for (let i = tail.length - 1; i >= 0 && !hit; i--) {
      const r = tail[i]!;
      fillTokenRecords([r], one);
      placeTokens(one, layout, view(sim), frame);
      if (frame.count === 1)
        hit = { x: frame.x[0] as number, y: frame.y[0] as number, corr: r.corr };
    }
    expect(hit).not.toBeNull();
    if (!hit) return;
    expect(orderAt(sim, layout, view(sim), hit.x + 2, hit.y - 2, 12)).toBe(hit.corr);
    const far = layout.bounds.x + layout.bounds.width + 500;
    expect(orderAt(sim, layout, view(sim), far, far, 12)).toBeNull();
  });

  it('fills the token buffer with trip records only, growing it when needed', () => {
    const sim = new Simulation(findScenario('poison-message')!, { architecture: 'event' });
    sim.runUntil(8000);
    const records = sim.orderRecords(36);
    const into = new TokenRecords();
    const many = Array.from({ length: 80 }, () => records).flat();
    fillTokenRecords(many, into);
    const trips = records.filter((r) => tokenShape(r.kind, r.code, r.from, r.to) >= 0).length;
    expect(trips).toBeLessThan(records.length);
    expect(into.size).toBe(trips * 80);
    expect(into.size).toBeGreaterThan(1024);
    expect(into.capacity).toBeGreaterThanOrEqual(into.size);
    for (let i = 1; i < into.size; i++) expect(into.t[i]).not.toBeNaN();
  });
});
