import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, scenarioSchemaText } from '../../scripts/gen-schema';

describe('public/scenario.schema.json', () => {
  it('is what `npm run schema` generates from src/core/scenario.ts', () => {
    const committed = readFileSync(
      fileURLToPath(new URL(`../../${SCHEMA_FILE}`, import.meta.url)),
      'utf8',
    );
    // When this fails, run `npm run schema` and commit the result.
    expect(committed).toBe(scenarioSchemaText());
  });

  it('names itself and forbids unknown keys', () => {
    const schema = JSON.parse(scenarioSchemaText()) as Record<string, unknown>;
    expect(schema.$id).toBe('urn:fanout:scenario:v1');
    expect(schema.title).toMatch(/Fanout scenario/);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'id', 'services']));
  });
});
