/**
 * Golden traces: each built-in scenario, seed fixed, in both architectures, pinned to
 * its trace hash. A change here means the simulation behaves differently; say why in
 * the commit that updates a hash.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../core';
import { findScenario } from './index';

const GOLDEN: [id: string, architecture: 'chain' | 'event', hash: string][] = [
  ['checkout', 'chain', '5c03f581ccfe6c56'],
  ['checkout', 'event', '13466e0112ac598f'],
  ['signup', 'chain', '159d796889e283f6'],
  ['signup', 'event', 'cc763d93c13844d6'],
  ['email-outage', 'chain', '436617d50a565e51'],
  ['email-outage', 'event', '1b7f340c03c5cf16'],
  ['traffic-spike', 'chain', '6ccf2994cfad9f8f'],
  ['traffic-spike', 'event', 'ae06b2938c91d979'],
  ['slow-payment', 'chain', '56707f2750c84941'],
  ['slow-payment', 'event', '6d5391514365d661'],
  ['poison-message', 'chain', '5f0a6894a0722e36'],
  ['poison-message', 'event', '33f9aa66e9bfbcb0'],
  ['duplicate-delivery', 'chain', '1e7cb720d62b8cbb'],
  ['duplicate-delivery', 'event', 'c74451e3c2ad6ab7'],
];

describe('golden traces of the built-in scenarios', () => {
  it.each(GOLDEN)('%s (%s) keeps its trace hash', (id, architecture, hash) => {
    const scenario = findScenario(id);
    if (!scenario) throw new Error(`no built-in scenario ${id}`);
    const sim = new Simulation(scenario, { architecture });
    sim.runUntil(scenario.duration_ms);
    expect(sim.traceHash).toBe(hash);
  });
});
