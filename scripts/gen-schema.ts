/**
 * Writes `public/scenario.schema.json`, the JSON Schema of the scenario file, from the
 * zod schema in `src/core/scenario.ts`. Editors use it to complete and check scenario
 * files; `src/content/schemaFile.test.ts` fails when the committed file is out of date.
 *
 *   npm run schema
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCENARIO_VERSION, scenarioJsonSchema } from '../src/core/scenario';

/** Where the schema file lives, relative to the repository root. */
export const SCHEMA_FILE = 'public/scenario.schema.json';

/** The exact text of the schema file: pretty-printed, ending in a newline. */
export function scenarioSchemaText(): string {
  const { $schema, ...rest } = scenarioJsonSchema() as Record<string, unknown>;
  const document = {
    $schema,
    // A URN, so the id does not depend on where the app happens to be hosted.
    $id: `urn:fanout:scenario:v${SCENARIO_VERSION}`,
    title: `Fanout scenario, version ${SCENARIO_VERSION}`,
    description:
      'A system of services, its workload and its faults, run by Fanout as a request chain and as event fan-out. Times are in milliseconds.',
    ...rest,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = fileURLToPath(new URL(`../${SCHEMA_FILE}`, import.meta.url));
  writeFileSync(target, scenarioSchemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
