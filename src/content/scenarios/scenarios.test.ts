import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chainOf, formatProblems, parseScenario } from '../../core/scenario';
import { builtInChoices, builtInScenarios, findScenario } from './index';

const dir = dirname(fileURLToPath(import.meta.url));
const jsonFiles = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('built-in scenarios', () => {
  it.each(jsonFiles)('%s validates', (file) => {
    const result = parseScenario(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    expect(result.ok ? '' : formatProblems(result.problems)).toBe('');
  });

  it.each(jsonFiles)('%s has an id equal to its file name', (file) => {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { id: unknown };
    expect(json.id).toBe(file.replace(/\.json$/, ''));
  });

  it('lists every JSON file exactly once, with unique ids', () => {
    const ids = builtInScenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(jsonFiles.map((f) => f.replace(/\.json$/, '')).sort());
  });

  it('starts with the healthy baseline', () => {
    expect(builtInScenarios[0]?.id).toBe('checkout');
  });

  it.each(builtInScenarios.map((s) => [s.id, s] as const))(
    '%s can run as a chain and as events, for the picker',
    (_id, s) => {
      expect(s.description.length).toBeGreaterThan(20);
      expect(s.seed).toBe(42);
      // A chain needs more than the entry; events need someone listening.
      expect(chainOf(s).length).toBeGreaterThan(1);
      expect(s.services.some((svc) => svc.subscribes.length > 0)).toBe(true);
      // Every fault falls inside the run.
      for (const f of s.faults) expect(f.at_ms).toBeLessThan(s.duration_ms);
    },
  );

  it('finds a scenario by id', () => {
    expect(findScenario('email-outage')?.name).toMatch(/Email/);
    expect(findScenario('no-such-scenario')).toBeUndefined();
    // Validated once: the list and a lookup hand out the same object.
    expect(findScenario('checkout')).toBe(builtInScenarios[0]);
  });

  it("lists for the picker what each file's validation gives (read without validating)", () => {
    expect(builtInChoices).toEqual(
      builtInScenarios.map((s) => ({ id: s.id, name: s.name, description: s.description })),
    );
  });
});
