import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import checkout from '../content/scenarios/checkout.json';
import { setupFileText } from '../share/setupFile';
import { sampleSetup } from '../share/testSetups';
import { Simulation } from '../core';
import { loadScenario } from './loadScenario';
import { main } from './sim';

const dir = mkdtempSync(join(tmpdir(), 'fanout-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// biome-ignore lint/suspicious/noExplicitAny: the tests break a scenario on purpose.
type Editable = Record<string, any>;

const error = (arg: string) => {
  const r = loadScenario(arg);
  if (r.ok) throw new Error(`expected ${arg} to be refused`);
  return r.error;
};

describe('loading the scenario argument', () => {
  it('finds a built-in by id', () => {
    const r = loadScenario('email-outage');
    expect(r.ok && r.scenario.faults[0]?.service).toBe('email');
  });

  it('reads a scenario file, with a byte-order mark or without', () => {
    const path = file('mine.json', JSON.stringify({ ...checkout, id: 'mine' }));
    expect(loadScenario(path)).toMatchObject({ ok: true, scenario: { id: 'mine' } });
    const bom = file('bom.json', `\uFEFF${JSON.stringify(checkout)}`);
    expect(loadScenario(bom).ok).toBe(true);
  });

  it('names the file and the first problem, and counts the others', () => {
    const broken = structuredClone(checkout) as Editable;
    broken.services[2].latency_ms = -1;
    const one = file('scenario.json', JSON.stringify(broken));
    expect(error(one)).toBe(`${one}: services[2].latency_ms: must be >= 0`);
    broken.seed = 'x';
    broken.colour = 'red';
    const three = file('three.json', JSON.stringify(broken));
    expect(error(three)).toMatch(new RegExp(`^${three}: \\S+: .+ \\(and 2 more\\)$`));
  });

  it('says when a file is not JSON or not an object', () => {
    const bad = file('bad.json', '{ "version": 1,');
    expect(error(bad)).toMatch(new RegExp(`^${bad}: is not valid JSON: `));
    const list = file('list.json', '[]');
    expect(error(list)).toBe(`${list}: must be a JSON object, not a list`);
  });

  it('says why a file cannot be read', () => {
    const missing = join(dir, 'missing.json');
    expect(error(missing)).toBe(`${missing}: cannot read it: no such file`);
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    expect(error(folder)).toBe(`${folder}: is a directory, not a file`);
  });

  it('treats a bare word as an id and suggests a close one', () => {
    expect(error('email')).toBe(
      'sim: unknown scenario "email" (did you mean "email-outage"?): give a built-in id (see --list) or a path to a .json or .yaml file',
    );
    expect(error('emial-outage')).toMatch(
      /^sim: unknown scenario "emial-outage" \(did you mean "email-outage"\?\)/,
    );
    expect(error('zzz')).toMatch(/^sim: unknown scenario "zzz": /);
  });
});

describe('a playground setup file (Share > Export)', () => {
  it('replays the learner’s actions to the saved moment: the CLI prints the browser’s trace hash', () => {
    const setup = sampleSetup();
    const dir = mkdtempSync(join(tmpdir(), 'fanout-setup-'));
    const path = join(dir, 'checkout.fanout-setup.json');
    writeFileSync(path, setupFileText(setup));
    try {
      for (const side of ['chain', 'event'] as const) {
        // The playground's run of this side: open-ended, the learner's actions replayed.
        const browser = new Simulation(setup.scenario, {
          architecture: side,
          seed: setup.seed,
          openEnded: true,
          interventions: setup.interventions[side],
        });
        browser.runUntil(setup.at);
        let out = '';
        const code = main(
          [path, '--arch', side, '--json'],
          (t) => {
            out += t;
          },
          () => {},
        );
        expect(code).toBe(0);
        const report = JSON.parse(out);
        expect(report.until_ms).toBe(setup.at);
        expect(report.trace_hash).toBe(browser.traceHash);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
