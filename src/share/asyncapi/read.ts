/**
 * Reading AsyncAPI text: YAML or JSON (a JSON file is read by the same YAML parser, so
 * both get line numbers), one document or a stream of several separated by `---`. Each
 * document can tell the line of any JSON pointer in it, for problems a learner must find.
 *
 * Nothing here fetches anything: a document is the text it came with.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { AsyncApiProblem } from './problems';

/** One file given to the importer. */
export interface SourceText {
  /** The file name as the learner knows it (`billing.yaml`). */
  name: string;
  text: string;
}

/** One parsed document. */
export interface ReadDocument {
  /** The file name; `billing.yaml (document 2)` for the second document of a stream. */
  label: string;
  value: unknown;
  /** The line (1-based) where the value at `pointer` is written, or its nearest written parent's. */
  lineOf(pointer: string): number | undefined;
}

/** Aliases that expand past this are refused (a "billion laughs" document). */
const MAX_ALIAS_COUNT = 100;

/** `/channels/a~1b` -> `['channels', 'a/b']` */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `['channels', 'a/b']` -> `/channels/a~1b` */
export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The first line of a parser message, without the position it repeats. */
function parserMessage(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').trim();
}

/**
 * Parse a file into its documents. Problems (syntax, an empty file, aliases that expand
 * too far) are returned with their line; a file with a problem gives no documents.
 */
export function readDocuments(source: SourceText): {
  documents: ReadDocument[];
  problems: AsyncApiProblem[];
} {
  const problems: AsyncApiProblem[] = [];
  const text = source.text.replace(/^\uFEFF/, '');
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, logLevel: 'silent', prettyErrors: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  if (docs.length === 0 || text.trim() === '') {
    problems.push({ file: source.name, pointer: '', message: 'is empty' });
    return { documents: [], problems };
  }
  const documents: ReadDocument[] = [];
  docs.forEach((doc, i) => {
    const label = docs.length > 1 ? `${source.name} (document ${i + 1})` : source.name;
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        problems.push({
          file: label,
          pointer: '',
          line: error.linePos?.[0].line,
          message: `is not valid YAML or JSON: ${parserMessage(error.message)}`,
        });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      problems.push({
        file: label,
        pointer: '',
        message: `could not be read: ${parserMessage(error instanceof Error ? error.message : String(error))}`,
      });
      return;
    }
    const line = (offset: number | undefined) =>
      offset === undefined ? undefined : lineCounter.linePos(offset).line;
    documents.push({
      label,
      value,
      lineOf(pointer) {
        // Walk the YAML nodes along the pointer; a key's line is where its value is named.
        let node: unknown = doc.contents;
        let at: number | undefined = line((doc.contents as Node | null)?.range?.[0]);
        for (const segment of pointerSegments(pointer)) {
          if (isAlias(node)) node = node.resolve(doc);
          if (isMap(node)) {
            const pair = node.items.find(
              (p) => String(isScalar(p.key) ? p.key.value : p.key) === segment,
            );
            if (!pair) return at;
            at = line((pair.key as Node | null)?.range?.[0]) ?? at;
            node = pair.value;
          } else if (isSeq(node)) {
            const item = /^\d+$/.test(segment) ? node.items[Number(segment)] : undefined;
            if (item === undefined) return at;
            at = line((item as Node | null)?.range?.[0]) ?? at;
            node = item;
          } else return at;
        }
        return at;
      },
    });
  });
  return { documents, problems };
}
