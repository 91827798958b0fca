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
