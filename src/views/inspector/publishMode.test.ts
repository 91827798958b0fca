/** The inspector names how the entry service publishes, and what waits in its outbox. */
import { describe, expect, it } from 'vitest';
import { parseScenario, Simulation } from '../../core';
import { findScenario } from '../../content/scenarios';
import { inspectNode } from './inspect';

function dualWrite(publish: 'after-commit' | 'outbox') {
  const base = findScenario('dual-write');
  if (!base) throw new Error('dual-write is missing');
  const services = base.services.map((s) => (s.id === 'orders' ? { ...s, publish } : s));
  const r = parseScenario({ ...base, services, faults: [] });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

const row = (summary: Array<[string, string]>, label: string) =>
  summary.find(([l]) => l === label)?.[1];

describe('inspector: publish mode', () => {
  it('shows the entry service’s publish mode, and for an outbox the rows waiting for its relay', () => {
    const direct = new Simulation(dualWrite('after-commit'), { architecture: 'event' });
    direct.runUntil(1000);
    const d = inspectNode(direct, 'orders');
    expect(row(d?.summary ?? [], 'Publish mode')).toMatch(/^after-commit/);
    expect(row(d?.summary ?? [], 'Waiting in the outbox')).toBeUndefined();

    const outbox = new Simulation(dualWrite('outbox'), { architecture: 'event' });
    // Find a moment when rows wait for the relay's next poll.
    let waiting = 0;
    for (let t = 0; t < 5000 && waiting === 0; t += 7) {
      outbox.runUntil(t);
      waiting = outbox.report().events.in_outbox;
    }
    expect(waiting).toBeGreaterThan(0);
    const o = inspectNode(outbox, 'orders');
    expect(row(o?.summary ?? [], 'Publish mode')).toMatch(/^outbox: .* every 100 ms/);
    expect(row(o?.summary ?? [], 'Waiting in the outbox')).toBe(String(waiting));
    // Consumers and the request chain have no publish mode.
    expect(row(inspectNode(outbox, 'payment')?.summary ?? [], 'Publish mode')).toBeUndefined();
    const chain = new Simulation(dualWrite('outbox'), { architecture: 'chain' });
    chain.runUntil(500);
    expect(row(inspectNode(chain, 'orders')?.summary ?? [], 'Publish mode')).toBeUndefined();
  });
});

describe('inspector: the orchestrator', () => {
  it('names the orchestrator’s role, its steps in order and its sagas; a step shows the compensations it carried out', () => {
    const s = findScenario('orchestrated-checkout');
    if (!s) throw new Error('orchestrated-checkout is missing');
    const sim = new Simulation(s, { architecture: 'orchestration' });
    sim.runUntil(20_000);
    const o = inspectNode(sim, 'orders')?.summary ?? [];
    expect(row(o, 'Role')).toMatch(/^orchestrator/);
    expect(row(o, 'Steps, in order')).toBe('Inventory → Payment → Email + Analytics');
    const r = sim.report();
    expect(row(o, 'Sagas cancelled')).toBe(String(r.orders.cancelled));
    expect(Number(row(o, 'Sagas under way'))).toBe(sim.service(sim.model.entry).sagasRunning);
    const inventory = inspectNode(sim, 'inventory')?.summary ?? [];
    expect(row(inventory, 'Compensations carried out (undoing its work)')).toBe(
      String(r.services.inventory?.compensations),
    );
    // Not an orchestrator on the other sides.
    const events = new Simulation(s, { architecture: 'event' });
    events.runUntil(1000);
    expect(row(inspectNode(events, 'orders')?.summary ?? [], 'Role')).toBeUndefined();
  });
});
