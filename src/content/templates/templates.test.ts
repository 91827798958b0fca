/**
 * Every template of the New gallery is a working scenario: it validates, builds as a
 * chain and as events, and plays some seconds in the engine with orders getting done.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkScenarioBuilds, Simulation } from '../../core';
import { builtInScenarios } from '../scenarios';
import { findTemplate, templates } from './index';

const dir = dirname(fileURLToPath(import.meta.url));
const jsonFiles = readdirSync(dir).filter((f) => f.endsWith('.json'));
const byId = templates.map((t) => [t.id, t] as const);

describe('templates', () => {
  it('are at least eight, from different domains, each file listed once', () => {
    expect(templates.length).toBeGreaterThanOrEqual(8);
    expect(new Set(templates.map((t) => t.domain)).size).toBe(templates.length);
    expect(templates.map((t) => `${t.id}.json`).sort()).toEqual([...jsonFiles].sort());
  });

  it('cover the gallery the issue asks for, blank canvas last', () => {
    expect(templates.map((t) => t.id)).toEqual([
      'shop-checkout',
      'ride-hailing',
      'food-delivery',
      'bank-transfer',
      'user-signup',
      'iot-telemetry',
      'video-upload',
      'blank',
    ]);
    expect(
      findTemplate('ride-hailing')?.scenario.services.find((s) => s.id === 'trips')?.emits,
    ).toEqual(['TripRequested']);
    expect(findTemplate('iot-telemetry')?.scenario.broker.kind).toBe('log');
    expect(findTemplate('bank-transfer')?.story).toMatch(/saga .* comes later/);
  });

  it('use ids of their own, not those of the built-in scenarios', () => {
    const builtIn = new Set(builtInScenarios.map((s) => s.id));
    for (const t of templates) expect(builtIn.has(t.id)).toBe(false);
  });

  it.each(byId)('%s has a one-line story and an experiment', (_id, t) => {
    expect(t.story.length).toBeGreaterThan(40);
    expect(t.story).not.toMatch(/\n/);
    expect(t.experiment.length).toBeGreaterThan(40);
    const json = JSON.parse(readFileSync(join(dir, `${t.id}.json`), 'utf8')) as {
      scenario: { id: string };
    };
    expect(json.scenario.id).toBe(t.id);
  });

  it.each(byId)('%s builds as a chain and as events', (_id, t) => {
    expect(checkScenarioBuilds(t.scenario)).toEqual([]);
  });

  it.each(byId)('%s plays five seconds in the engine, in both architectures', (_id, t) => {
    for (const architecture of ['chain', 'event'] as const) {
      const sim = new Simulation(t.scenario, { architecture });
      sim.runUntil(5000);
      const r = sim.report();
      expect(r.requests.sent, `${architecture}: orders sent`).toBeGreaterThan(0);
      // A chain through a slow service (video transcoding) is still waiting after 5 s.
      expect(
        r.requests.succeeded + r.requests.pending,
        `${architecture}: orders answered or in hand`,
      ).toBeGreaterThan(0);
      expect(r.requests.failed, `${architecture}: orders failed`).toBe(0);
      if (architecture === 'event' && t.scenario.services.some((s) => s.subscribes.length > 0))
        expect(r.events.published).toBeGreaterThan(0);
    }
  });
});
