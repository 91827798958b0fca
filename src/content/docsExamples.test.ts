/** The scenario examples in the documentation must stay valid as the format changes. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblems, parseScenarioText } from '../core/scenario';

function jsonBlocks(relativePath: string): string[] {
  const text = readFileSync(
    fileURLToPath(new URL(`../../${relativePath}`, import.meta.url)),
    'utf8',
  );
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

describe.each(['docs/scenario-format.md', 'README.md'])('scenario examples in %s', (file) => {
  const blocks = jsonBlocks(file);

  it('has at least one', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((b, i) => [i, b] as const))('example %i validates', (_i, block) => {
    const result = parseScenarioText(block);
    expect(result.ok ? '' : formatProblems(result.problems)).toBe('');
  });
});
