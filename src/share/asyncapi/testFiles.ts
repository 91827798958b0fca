/** Test helpers: the fixture documents beside this file, as the importer takes them. */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceText } from './read';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** `fixture('shop/gateway.yaml')` -> `{ name: 'gateway.yaml', text }` */
export function fixture(path: string): SourceText {
  return { name: basename(path), text: readFileSync(join(FIXTURES, path), 'utf8') };
}
