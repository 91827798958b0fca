/**
 * Golden traces: each built-in scenario, seed fixed, in both architectures (and the
 * orchestrated one where the scenario is written for it), pinned to
 * its trace hash. A change here means the simulation behaves differently; say why in
 * the commit that updates a hash.
 */
import { describe, expect, it } from 'vitest';
import { type Architecture, Simulation } from '../../core';
import { findScenario } from './index';

const GOLDEN: [id: string, architecture: Architecture, hash: string][] = [
  ['checkout', 'chain', '8ea515c74e172be5'],
  ['checkout', 'event', 'f817d41bf7401cff'],
  ['signup', 'chain', '19d220592e84b4e2'],
  ['signup', 'event', '07eeee42a5ea04c2'],
  ['email-outage', 'chain', '6c6a5039c3f9564b'],
  ['email-outage', 'event', 'f18caacae02cbef1'],
  ['traffic-spike', 'chain', 'a32cdc8e4273f368'],
  ['traffic-spike', 'event', '5f5ea1a37923d28e'],
  ['slow-payment', 'chain', '504fbdaffa4a0aa2'],
  ['slow-payment', 'event', '7e3892219d37220d'],
  ['poison-message', 'chain', '55a60458a619567e'],
  ['poison-message', 'event', 'e42949597e5d70e8'],
  ['duplicate-delivery', 'chain', '4d030166cc61b05f'],
  ['duplicate-delivery', 'event', '8a1f8d18dac59bd2'],
  ['notes-crud', 'chain', '2bc8c411fff5389d'],
  ['notes-crud', 'event', 'ee7678c6142bfb9a'],
  ['dual-write', 'chain', '63caeb5d6004a405'],
  ['dual-write', 'event', 'b7f61ea6c2518cf2'],
  ['fair-chain', 'chain', 'f57d9dbbc26e8bce'],
  ['fair-chain', 'event', 'fac95a6a96d8ddcb'],
  ['payment-declined-saga', 'chain', '49e591f747f9210c'],
  ['payment-declined-saga', 'event', '323e6e70efc49dc1'],
  ['broker-outage', 'chain', '89cf7ed3879b51a5'],
  ['broker-outage', 'event', 'e6562d226232eac1'],
  ['orchestrated-checkout', 'chain', '6ab80bf31d3ae846'],
  ['orchestrated-checkout', 'event', 'c59a53a9da458384'],
  ['orchestrated-checkout', 'orchestration', '049dd4b05a0632b9'],
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
