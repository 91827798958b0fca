/**
 * Turn the scenario arguments of the CLI into a validated scenario: a built-in scenario
 * or template id, the path of a scenario or setup file, or the paths of AsyncAPI
 * documents (one or several, read as one system). Every failure is one line that names
 * the file or id, and for a document the place in it.
 */
import { readFileSync, statSync } from 'node:fs';
import { builtInScenarios, findScenario } from '../content/scenarios';
import { findTemplate, templates } from '../content/templates';
import { checkScenarioBuilds } from '../core/runnable';
import { parseScenarioText, type Scenario, type ScenarioProblem } from '../core/scenario';
import { formatAsyncApiProblem, importAsyncApi } from '../share/asyncapi';
import { looksLikeAsyncApi } from '../share/asyncapi/detect';
import { readSetup, type Setup } from '../share/setup';

/**
 * A scenario; from a playground setup file (Share > Export), also the learner's actions;
 * from AsyncAPI documents, the defaults used for what they do not say (`notes`).
 */
export type LoadResult =
  | {
      ok: true;
      scenario: Scenario;
      setup?: Setup;
      notes?: string[];
      /** A scenario file's warnings: what runs but deserves a second look. */
      warnings?: ScenarioProblem[];
    }
  | { ok: false; error: string };

/** Scenario files are small (at most 1,000 timed orders); anything bigger is a mistake. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

function looksLikePath(arg: string): boolean {
  return (
    /\.(json|ya?ml)$/i.test(arg) || arg.includes('/') || arg.includes('\\') || arg.startsWith('.')
  );
}

/** The built-in id a mistyped one was probably meant to be: a typo or a shortened id. */
function closestId(arg: string, ids: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        next[j] = Math.min(
          (row[j] ?? 0) + 1,
          (next[j - 1] ?? 0) + 1,
          (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
      }
      row = next;
    }
    return row[b.length] ?? 0;
  };
  const typo = ids.find((id) => distance(arg, id) <= 2);
  return typo ?? (arg.length >= 3 ? ids.find((id) => id.includes(arg)) : undefined);
}

/** `first problem (and N more)`; the `(file)`/`(scenario)` pseudo-paths are left out. */
export function firstProblem(problems: readonly ScenarioProblem[]): string {
  const first = problems[0];
  if (!first) return 'is not a valid scenario';
  const where = first.path.startsWith('(') ? '' : `${first.path}: `;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `${where}${first.message}${more}`;
}

/** A file's text, or the one line that says why it cannot be read. */
function readText(path: string): { ok: true; text: string } | { ok: false; error: string } {
  let text: string;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { ok: false, error: `${path}: ${FS_ERRORS.EISDIR}` };
    if (stat.size > MAX_FILE_BYTES) {
      return {
        ok: false,
        error: `${path}: is too large for a scenario (${stat.size} bytes; the limit is ${MAX_FILE_BYTES})`,
      };
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return {
      ok: false,
      error: `${path}: cannot read it: ${(Object.hasOwn(FS_ERRORS, code) ? FS_ERRORS[code] : undefined) ?? (error as Error).message}`,
    };
  }
  // A byte-order mark is invisible in editors; do not let it fail the JSON parse.
  return { ok: true, text: text.replace(/^\uFEFF/, '') };
}

function readScenarioFile(path: string): LoadResult {
  const read = readText(path);
  if (!read.ok) return read;
  const clean = read.text;
  if (looksLikeAsyncApi(path, clean)) return readAsyncApi([{ name: path, text: clean }]);
  const setup = readSetupFile(path, clean);
  if (setup) return setup;
  const result = parseScenarioText(clean);
  if (!result.ok) return { ok: false, error: `${path}: ${firstProblem(result.problems)}` };
  return { ok: true, scenario: result.scenario, warnings: result.warnings ?? [] };
}

/** A playground setup file (it has `fanout_setup`), or undefined for anything else. */
function readSetupFile(path: string, text: string): LoadResult | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // parseScenarioText reports the syntax error
  }
  if (value === null || typeof value !== 'object' || !('fanout_setup' in value)) return undefined;
  const setup = readSetup(value, path, checkScenarioBuilds);
  if (!setup.ok) return { ok: false, error: `${path}: ${setup.details?.[0] ?? setup.message}` };
  return { ok: true, scenario: setup.value.scenario, setup: setup.value };
}

/** AsyncAPI documents as one scenario; a problem is its file, place and line. */
function readAsyncApi(sources: { name: string; text: string }[]): LoadResult {
  const r = importAsyncApi(sources);
  if (!r.ok) {
    const [first] = r.problems;
    const more = r.problems.length > 1 ? ` (and ${r.problems.length - 1} more)` : '';
    return {
      ok: false,
      error: `${first ? formatAsyncApiProblem(first) : 'is not an AsyncAPI document'}${more}`,
    };
  }
  return { ok: true, scenario: r.value.scenario, notes: r.value.notes };
}

/** Several AsyncAPI documents, one per application, as one system. */
export function loadDocuments(paths: readonly string[]): LoadResult {
  const sources: { name: string; text: string }[] = [];
  for (const path of paths) {
    const read = readText(path);
    if (!read.ok) return read;
    if (!looksLikeAsyncApi(path, read.text)) {
      return {
        ok: false,
        error: `${path}: is not an AsyncAPI document; only AsyncAPI documents (one per application) run together`,
      };
    }
    sources.push({ name: path, text: read.text });
  }
  return readAsyncApi(sources);
}

/** A built-in scenario or template by id, else a file by path; several paths are AsyncAPI documents. */
export function loadScenario(arg: string, ...more: string[]): LoadResult {
  if (more.length > 0) return loadDocuments([arg, ...more]);
  const builtIn = findScenario(arg) ?? findTemplate(arg)?.scenario;
  if (builtIn) return { ok: true, scenario: builtIn };
  if (looksLikePath(arg)) return readScenarioFile(arg);
  let isFile = false;
  try {
    isFile = statSync(arg).isFile();
  } catch {
    // Not a file either: fall through to "unknown scenario".
  }
  if (isFile) return readScenarioFile(arg);
  const near = closestId(arg, [
    ...builtInScenarios.map((s) => s.id),
    ...templates.map((t) => t.id),
  ]);
  return {
    ok: false,
    error: `sim: unknown scenario "${arg}"${near ? ` (did you mean "${near}"?)` : ''}: give a built-in id (see --list) or a path to a .json or .yaml file`,
  };
}
