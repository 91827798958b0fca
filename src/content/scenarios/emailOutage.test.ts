/** The headline lesson, measured: Email goes down from 10 s to 30 s of a 60 s run. */
import { describe, expect, it } from 'vitest';
import { Rec, Simulation, type TraceRecord } from '../../core';
import { findScenario } from './index';

const scenario = findScenario('email-outage');
if (!scenario) throw new Error('email-outage is missing');
const fault = scenario.faults[0];
const start = fault?.at_ms ?? 0;
const end = start + (fault?.duration_ms ?? 0);

describe('email-outage', () => {
  it('fails, in the chain, exactly the requests that met Email while it was down', () => {
    const sim = new Simulation(scenario, { architecture: 'chain', keepTrace: true });
    sim.runUntil(scenario.duration_ms);
    const received = new Map<number, number>();
    for (const r of sim.fullTrace) if (r.kind === Rec.OrderReceived) received.set(r.corr, r.t);
    const failed = sim.fullTrace.filter((r) => r.kind === Rec.OrderFailed);
    expect(failed.length).toBeGreaterThan(100);
    // Every failure belongs to an order that reached Email during the outage (it gets
    // there a few hundred ms after arriving), and every order that arrived well inside
    // the outage failed.
    for (const f of failed) {
      const t = received.get(f.corr) as number;
      expect(t).toBeGreaterThan(start - 1000);
      expect(t).toBeLessThan(end);
    }
    const failedSet = new Set(failed.map((f) => f.corr));
    for (const [corr, t] of received)
      if (t > start + 50 && t < end - 1000) expect(failedSet.has(corr)).toBe(true);
  });

  it('fails none with events: Email’s queue peaks during the outage, then is back to 0, nothing lost', () => {
    const sim = new Simulation(scenario, { architecture: 'event', keepTrace: true });
    const email = sim.model.services.find((s) => s.id === 'email')?.queue as number;
    let peak = 0;
    let peakAt = 0;
    for (let t = 0; t <= scenario.duration_ms; t += 100) {
      sim.runUntil(t);
      const w = sim.queue(email).waiting;
      if (w > peak) {
        peak = w;
        peakAt = t;
      }
    }
    expect(peak).toBeGreaterThan(150);
    expect(peakAt).toBeGreaterThanOrEqual(end - 500);
    expect(peakAt).toBeLessThanOrEqual(end + 500);
    // Let the last orders of the run finish.
    sim.runUntil(scenario.duration_ms + 2000);
    const r = sim.report();
    expect(r.requests.failed).toBe(0);
    expect(r.queues.email).toMatchObject({
      waiting: 0,
      in_flight: 0,
      dead_lettered: 0,
      dropped: 0,
      expired: 0,
    });
    expect(r.queues.email?.processed).toBe(r.queues.email?.copies);
    // Every order made while Email was down still got its email.
    const emailed = new Set(
      sim.fullTrace
        .filter((x: TraceRecord) => x.kind === Rec.Acked && x.to === sim.model.queues[email]?.node)
        .map((x) => x.corr),
    );
    expect(emailed.size).toBe(r.requests.sent);
  });
});
