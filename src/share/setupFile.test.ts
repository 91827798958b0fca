import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatProblems, parseScenarioText } from '../core';
import { readImportedText, setupFileText } from './setupFile';
import { readSetup, SETUP_FORMAT, setupToJson } from './setup';
import { checkout, learnerActions, sampleSetup } from './testSetups';

const importError = (text: string, name = 'lesson.json') => {
  const r = readImportedText(text, name);
  if (r.ok) throw new Error('expected a failure');
  return r;
};

describe('setup file', () => {
  it('round-trips, and carries the whole scenario so it opens anywhere', () => {
    const setup = sampleSetup();
    const text = setupFileText(setup);
    const json = JSON.parse(text);
    expect(json.fanout_setup).toBe(SETUP_FORMAT);
    expect(json.about).toMatch(/Fanout playground setup/);
    expect(json.scenario.id).toBe('checkout');
    expect(json.interventions).toEqual(learnerActions);
    expect(readImportedText(text)).toEqual({ ok: true, value: { kind: 'setup', setup } });
  });

  it('names every problem with its path', () => {
    const json = setupToJson(sampleSetup(), { inlineScenario: true }) as Record<string, unknown>;
    const scenario = {
      ...checkout(),
      services: checkout().services.map((s, i) => (i === 1 ? { ...s, latency_ms: -5 } : s)),
    };
    const broken = {
      ...json,
      scenario,
      view: 'sideways',
      interventions: [
        { at: 10, kind: 'fault', service: 'email', patch: { down: 'yes', colour: 'red' } },
      ],
    };
    const r = importError(JSON.stringify(broken), 'lesson.fanout-setup.json');
    expect(r.message).toMatch(
      /^lesson\.fanout-setup\.json was not opened: scenario\.services\[1\]\.latency_ms: /,
    );
    expect(r.message).toMatch(/Your current setup is unchanged\.$/);
    expect(r.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^view: must be one of chain, event, orchestration, compare/),
      ]),
    );
  });

  it('reports action problems against the scenario', () => {
    const json = setupToJson(sampleSetup()) as Record<string, unknown>;
    const r = importError(
      JSON.stringify({
        ...json,
        interventions: [
          { at: 10, kind: 'fault', service: 'email', patch: { down: 'yes', colour: 'red' } },
          { at: 5, kind: 'scale', service: 'ghost', replicas: 0, concurrency: 2 },
          { at: 6, kind: 'teleport' },
        ],
      }),
    );
    expect(r.details).toEqual([
      'interventions[0].patch.down: must be true or false',
      'interventions[0].patch.colour: is not a known key',
      'interventions[1].service: "ghost" is not a service of scenario "checkout"',
      'interventions[1].replicas: must be a whole number from 1 to 32',
      'interventions[2].kind: must be one of fault, scale, rate, spike, order, subscribe, reset-offsets, redrive, idempotent, leader-change',
    ]);
  });

  it('refuses a newer setup format as a whole', () => {
    const r = importError(JSON.stringify({ fanout_setup: 2, anything: true }), 'new.json');
    expect(r.message).toBe(
      'new.json was made by a newer version of Fanout (setup format 2); this version reads format 1 only. Update Fanout to open it. It was not opened; your current setup is unchanged.',
    );
  });
});

describe('scenario file import: the CLI schema, every error with its path', () => {
  it('opens a valid scenario file', () => {
    const r = readImportedText(JSON.stringify({ ...checkout(), id: 'mine', name: 'Mine' }));
    expect(r.ok && r.value.kind === 'scenario' && r.value.scenario.id).toBe('mine');
  });

  it('lists each problem as path: problem', () => {
    const bad = {
      ...checkout(),
      seed: 1.5,
      services: [{ ...checkout().services[0], latency_ms: -1 }],
      surprise: 1,
    };
    const text = JSON.stringify(bad);
    const r = importError(text);
    expect(r.details).toEqual([
      'seed: must be a whole number, not 1.5',
      'services[0].latency_ms: must be >= 0',
      'surprise: unknown key',
    ]);
    // Exactly what the CLI says about the same file.
    const cli = parseScenarioText(text);
    expect(!cli.ok && formatProblems(cli.problems).split('\n')).toEqual(r.details);
    expect(r.message).toBe(
      'lesson.json was not opened: seed: must be a whole number, not 1.5 (and 2 more). Your current setup is unchanged.',
    );
  });

  it('says when it is not JSON, not an object, or too big', () => {
    expect(importError('{ "version": 1,').message).toMatch(
      /^lesson\.json was not opened: \(file\): is not valid JSON/,
    );
    expect(importError('[1,2]').message).toMatch(/\(scenario\): must be a JSON object/);
    expect(importError(' '.repeat(2_000_001)).message).toMatch(/is 2000001 characters long/);
  });

  it('refuses a scenario for a newer Fanout with one message, not half-loaded', () => {
    const r = importError(JSON.stringify({ ...checkout(), version: 2 }));
    expect(r.message).toMatch(/newer version of Fanout \(scenario version 2\).*Update Fanout/);
  });

  it('fuzz: mutated and random files never throw', () => {
    const good = setupFileText(sampleSetup());
    const mutate = fc
      .tuple(fc.nat({ max: good.length - 1 }), fc.string({ maxLength: 5 }), fc.nat({ max: 8 }))
      .map(([at, insert, cut]) => good.slice(0, at) + insert + good.slice(at + cut));
    const objects = fc.jsonValue().map((v) => JSON.stringify(v));
    const nearScenario = fc
      .dictionary(
        fc.constantFrom(...Object.keys(checkout()), 'x', '__proto__', 'constructor'),
        fc.jsonValue(),
        { maxKeys: 8 },
      )
      .map((patch) => JSON.stringify({ ...checkout(), ...patch }));
    const nearSetup = fc
      .dictionary(
        fc.constantFrom(
          'fanout_setup',
          'scenario',
          'seed',
          'view',
          'speed',
          'at_ms',
          'interventions',
          'interventions_by_side',
          '__proto__',
        ),
        fc.jsonValue(),
        { maxKeys: 4 },
      )
      .map((patch) => JSON.stringify({ ...setupToJson(sampleSetup()), ...patch }));
    fc.assert(
      fc.property(fc.oneof(mutate, objects, nearScenario, nearSetup, fc.string()), (text) => {
        const r = readImportedText(text, 'f.json');
        if (!r.ok) expect(r.message).toMatch(/^f\.json /);
        else if (r.value.kind === 'setup')
          expect(readSetup(setupToJson(r.value.setup)).ok).toBe(true);
      }),
      { numRuns: 800 },
    );
  });
});
