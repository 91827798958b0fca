import { describe, expect, it } from 'vitest';
import { Simulation } from '../../core';
import { findScenario } from '../../content/scenarios';
import { formatMs, sideStats } from './sideStats';

const emailOutage = findScenario('email-outage')!;

describe('comparison strip numbers', () => {
  it('equal the engine report of each side', () => {
    for (const architecture of ['chain', 'event'] as const) {
      const sim = new Simulation(emailOutage, { architecture });
      sim.runUntil(20_000);
      const r = sim.report();
      const s = sideStats(sim);
      expect(s.succeeded).toBe(r.requests.succeeded);
      expect(s.failed).toBe(r.requests.failed);
      expect(s.p50).toBe(r.requests.latency_ms.p50);
      expect(s.p99).toBe(r.requests.latency_ms.p99);
      expect(s.completed).toBe(r.orders.completed);
      expect(s.lost).toBe(r.events.dropped + r.events.expired);
      expect(s.duplicates).toBe(r.events.duplicates);
    }
  });

  it('the strip’s Lost counts orders saved whose event was never published (dual-write)', () => {
    const sim = new Simulation(findScenario('dual-write')!, { architecture: 'event' });
    sim.runUntil(30_000);
    const r = sim.report();
    expect(r.events.never_published).toBeGreaterThan(0);
    // Nothing else is lost in that scenario: the strip's Lost is exactly those events.
    expect(sideStats(sim).lost).toBe(r.events.never_published);
  });

  it('during the email outage: the chain fails requests, fan-out fails none, loses none and queues', () => {
    const chain = new Simulation(emailOutage, { architecture: 'chain' });
    const event = new Simulation(emailOutage, { architecture: 'event' });
    chain.runUntil(20_000);
    event.runUntil(20_000);
    expect(sideStats(chain).failed).toBeGreaterThan(0);
    const e = sideStats(event);
    expect(e.failed).toBe(0);
    expect(e.lost).toBe(0);
    expect(e.waiting).toBeGreaterThan(0);
    expect(e.waiting).toBe(event.report().events.in_queue);
  });

  it('shows no response time before the first answer', () => {
    const sim = new Simulation(emailOutage, { architecture: 'chain' });
    expect(sideStats(sim).p50).toBeNull();
    expect(formatMs(null)).toBe('–');
    expect(formatMs(86.6)).toBe('87 ms');
    expect(formatMs(1420)).toBe('1.42 s');
  });
});
