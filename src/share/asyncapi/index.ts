/**
 * AsyncAPI in and out. This module loads the YAML parser: the page imports it only when
 * a learner opens or exports an AsyncAPI document (`import('../share/asyncapi')`).
 */
import { stringify } from 'yaml';

export { type AsyncApiDocument, type ExportShape, exportAsyncApi } from './exporter';
export {
  type AsyncApiImport,
  type AsyncApiImportResult,
  IMPORT_DEFAULTS,
  importAsyncApi,
} from './importer';
export { type AsyncApiProblem, formatAsyncApiProblem } from './problems';
export type { SourceText } from './read';

export type TextFormat = 'yaml' | 'json';

/**
 * A document as text. YAML without anchors and aliases (every object written out where
 * it is used), long lines kept whole; JSON indented by two spaces.
 */
export function documentText(document: unknown, format: TextFormat = 'yaml'): string {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  return stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/** Several documents as one YAML stream (`---` between them), which the importer reads back. */
export function streamText(documents: readonly unknown[]): string {
  return documents.map((d) => documentText(d, 'yaml')).join('---\n');
}
