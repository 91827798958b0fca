/**
 * The example producers/consumers of the broker exports: for every built-in scenario
 * (and a template on each other broker), each format's files are written into one temp
 * folder and type-checked by the real compiler in ONE run (TypeScript 7 is a native
 * binary with no JS API; one process for all files keeps this test to a few seconds).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInScenarios } from '../../content/scenarios';
import { templates } from '../../content/templates';
import type { Scenario } from '../../core/scenario';
import { type BrokerExport, exportFiles } from './files';

const EXAMPLE_FORMATS: BrokerExport[] = ['rabbitmq', 'kafka', 'sns-sqs'];
const ROOT = resolve(import.meta.dirname, '../../..');

const others = (['log', 'sns-sqs'] as const).flatMap((kind) =>
  templates
    .map((t) => t.scenario)
    .filter((s) => s.broker.kind === kind)
    .slice(0, 1),
);
const scenarios: Scenario[] = [...builtInScenarios, ...others];

const dir = mkdtempSync(join(tmpdir(), 'fanout-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filesOf(s: Scenario, format: BrokerExport) {
  const files = exportFiles(s, format);
  if (!files.ok) throw new Error(files.message);
  return files.value;
}

describe('example producers and consumers', () => {
  it('one per service that publishes or subscribes, each saying where it came from and what it leaves out', () => {
    for (const format of EXAMPLE_FORMATS)
      for (const s of scenarios) {
        const [main, ...examples] = filesOf(s, format);
        expect(main?.name).toBe(
          {
            rabbitmq: 'definitions.json',
            kafka: 'kafka-topics.sh',
            'sns-sqs': 'cloudformation.yaml',
          }[format],
        );
        const services = s.services.filter((x) => x.emits.length > 0 || x.subscribes.length > 0);
        expect(examples.map((f) => f.name)).toEqual(services.map((x) => `${x.id}.ts`));
        for (const f of examples) {
          expect(f.text).toContain(`from scenario "${s.id}"`);
          expect(f.text).toContain('What it leaves out:');
          expect(f.text).toContain('cannot express');
        }
      }
  });

  it('type-check with strict TypeScript (module nodenext, Node types)', () => {
    let count = 0;
    for (const format of EXAMPLE_FORMATS)
      for (const s of scenarios) {
        const folder = join(dir, format, s.id);
        mkdirSync(folder, { recursive: true });
        for (const f of filesOf(s, format).slice(1)) {
          writeFileSync(join(folder, f.name), f.text);
          count++;
        }
      }
    // Each folder is a program of its own (the same names in each file): one tsconfig per
    // folder would mean a tsc run each, so every file is a module (they all import).
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          types: ['node'],
          noEmit: true,
          skipLibCheck: true,
        },
        include: ['**/*.ts'],
      }),
    );
    const tsc = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    expect(count).toBeGreaterThan(40);
  }, 60_000);
});
