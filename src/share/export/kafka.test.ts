/**
 * The kafka export: for every built-in scenario (and a template on the log broker), a
 * bash script that passes `bash -n`, one topic per event type with the flavour's
 * partitions and retention, and a group per subscriber reading what the engine routes it.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { builtInScenarios } from '../../content/scenarios';
import { templates } from '../../content/templates';
import type { Scenario } from '../../core/scenario';
import { exportKafka, shellWord } from './kafka';

const bashParses = (script: string) =>
  execFileSync('bash', ['-n'], { input: script, encoding: 'utf8', stdio: 'pipe' });

const logTemplates = templates.map((t) => t.scenario).filter((s) => s.broker.kind === 'log');

describe('kafka export', () => {
  it.each([...builtInScenarios, ...logTemplates].map((s) => [s.id, s] as const))(
    '%s',
    (_id, s: Scenario) => {
      const k = exportKafka(s);
      expect(() => bashParses(k.script)).not.toThrow();
      expect(k.script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      expect(k.script).toContain(`scenario "${s.id}"`);
      const partitions = s.broker.kind === 'log' ? s.broker.partitions : 3;
      const events = [...new Set(s.services.flatMap((svc) => svc.emits))];
      for (const e of events) {
        const t = k.topics.find((x) => x.name === e);
        expect(t?.partitions).toBe(partitions);
        expect(k.script).toContain(`--topic '${e}' --partitions ${partitions}`);
      }
      for (const t of k.topics) expect(t.name).toMatch(/^[A-Za-z0-9._-]{1,249}$/);
      const subscribers = s.services.filter((svc) => svc.subscribes.length > 0);
      expect(k.groups.map((g) => g.service)).toEqual(subscribers.map((svc) => svc.id));
      for (const g of k.groups) expect(g.topics.length).toBeGreaterThan(0);
      if (s.broker.kind !== 'log') expect(k.notExpressed[0]).toContain('default settings');
    },
  );

  it('quotes anything for the shell', () => {
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(() => bashParses(`echo ${shellWord('a\'b"$(c)')}\n`)).not.toThrow();
  });
});
