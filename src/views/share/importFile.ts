/**
 * Opening files the learner picked or dropped: a scenario file, a setup file, or AsyncAPI
 * documents (one, or several together, one per application). All or nothing: on any
 * problem the current setup stays and the problems are listed, each with its place.
 *
 * The AsyncAPI reader (and its YAML parser) loads only when an AsyncAPI document is
 * opened, and the engine's check that a scenario builds only when a file is opened: the
 * page's first load carries neither.
 */
import { clockText } from '../../core/format';
import { looksLikeAsyncApi } from '../../share/asyncapi/detect';
import type { BuildCheck } from '../../share/setup';
import { MAX_IMPORT_BYTES, readImportedText } from '../../share/setupFile';
import type { Playground } from '../../store/playground';
import { setupFromState } from '../../store/share';

const UNCHANGED = 'Your current setup is unchanged.';

export async function importFile(pg: Playground, file: File): Promise<boolean> {
  return importFiles(pg, [file]);
}

/** Open one file, or several AsyncAPI documents as one system. */
export async function importFiles(pg: Playground, files: readonly File[]): Promise<boolean> {
  const first = files[0];
  if (!first) return false;
  const refuse = (message: string, details: string[] = []) => {
    pg.ui.showImportProblems({ message, details });
    return false;
  };
  const sources: { name: string; text: string }[] = [];
  for (const file of files) {
    const name = file.name || 'The file';
    if (file.size > MAX_IMPORT_BYTES) {
      return refuse(
        `${name} was not opened: it is ${file.size.toLocaleString('en-US')} bytes; a scenario, setup or AsyncAPI file is at most ${MAX_IMPORT_BYTES.toLocaleString('en-US')}. ${UNCHANGED}`,
      );
    }
    try {
      sources.push({ name, text: await file.text() });
    } catch {
      return refuse(`${name} could not be read. ${UNCHANGED}`);
    }
  }
  const [one] = sources;
  if (sources.length === 1 && one && !looksLikeAsyncApi(one.name, one.text))
    return openScenarioOrSetup(pg, one.name, one.text, refuse);
  const stranger = sources.find((s) => !looksLikeAsyncApi(s.name, s.text));
  if (stranger) {
    return refuse(
      `${stranger.name} is not an AsyncAPI document: several files open together only as AsyncAPI documents, one per application. ${UNCHANGED}`,
    );
  }
  return openAsyncApi(pg, sources, refuse);
}

async function openScenarioOrSetup(
  pg: Playground,
  name: string,
  text: string,
  refuse: (message: string, details?: string[]) => boolean,
): Promise<boolean> {
  let builds: BuildCheck;
  try {
    ({ checkScenarioBuilds: builds } = await import('../../core/runnable'));
  } catch {
    return refuse(
      `${name} could not be opened: the simulation did not load (offline before it was ever used?). ${UNCHANGED}`,
    );
  }
  const read = readImportedText(text, name, builds);
  if (!read.ok) return refuse(read.message, read.details ?? []);
  const previous = setupFromState(pg.getState());
  const applied =
    read.value.kind === 'setup'
      ? await pg.sharing.open(read.value.setup)
      : await pg.sharing.openScenario(read.value.scenario);
  if (!applied.ok) return refuse(applied.message);
  const what =
    read.value.kind === 'setup'
      ? `Opened ${name}: ${read.value.setup.scenario.name} at t = ${clockText(pg.getState().now)}.`
      : `Opened ${name}: scenario “${read.value.scenario.name}”, from t = 0.${read.value.warnings.map((w) => ` Note: ${w}.`).join('')}`;
  pg.ui.showImportProblems(null);
  pg.ui.notify({
    kind: 'imported',
    text: applied.value ? `${what} ${applied.value}` : what,
    previous,
    previousLabel: 'Undo',
  });
  return true;
}

async function openAsyncApi(
  pg: Playground,
  sources: { name: string; text: string }[],
  refuse: (message: string, details?: string[]) => boolean,
): Promise<boolean> {
  const label = sources.length === 1 ? (sources[0]?.name ?? 'The file') : `${sources.length} files`;
  let asyncapi: typeof import('../../share/asyncapi');
  try {
    asyncapi = await import('../../share/asyncapi');
  } catch {
    return refuse(
      `${label} could not be opened: the AsyncAPI reader did not load (offline before it was ever used?). ${UNCHANGED}`,
    );
  }
  const read = asyncapi.importAsyncApi(sources);
  if (!read.ok) {
    const lines = read.problems.map(asyncapi.formatAsyncApiProblem);
    const more = lines.length > 1 ? ` (and ${lines.length - 1} more)` : '';
    return refuse(
      `${label} ${sources.length === 1 ? 'was' : 'were'} not opened: ${lines[0] ?? 'not an AsyncAPI document'}${more}. ${UNCHANGED}`,
      lines,
    );
  }
  const { scenario, notes, warnings, documents } = read.value;
  const previous = setupFromState(pg.getState());
  const applied = await pg.sharing.openScenario(scenario);
  if (!applied.ok) return refuse(applied.message);
  pg.ui.showImportProblems(null);
  const services = scenario.services.length;
  const what = `Opened ${label} (AsyncAPI, ${documents} document${documents === 1 ? '' : 's'}): “${scenario.name}”, ${services} service${services === 1 ? '' : 's'}, from t = 0.`;
  pg.ui.notify({
    kind: 'imported',
    text: `${what}${notes.length > 0 ? ' What the document does not say, Fanout filled in:' : ''}${applied.value ? ` ${applied.value}` : ''}`,
    details: [...notes, ...warnings.map((w) => `Note: ${w}`)],
    previous,
    previousLabel: 'Undo',
  });
  return true;
}
