/**
 * Opening a file the learner picked or dropped: a scenario file or a setup file. All or
 * nothing: on any problem the current setup stays and the problems are listed.
 */
import { clockText } from '../../core/format';
import { MAX_IMPORT_BYTES, readImportedText } from '../../share/setupFile';
import type { Playground } from '../../store/playground';
import { setupFromState } from '../../store/share';

export async function importFile(pg: Playground, file: File): Promise<boolean> {
  const name = file.name || 'The file';
  const refuse = (message: string, details: string[] = []) => {
    pg.ui.showImportProblems({ message, details });
    return false;
  };
  if (file.size > MAX_IMPORT_BYTES) {
    return refuse(
      `${name} was not opened: it is ${file.size.toLocaleString('en-US')} bytes; a scenario or setup file is at most ${MAX_IMPORT_BYTES.toLocaleString('en-US')}. Your current setup is unchanged.`,
    );
  }
  let text: string;
  try {
    text = await file.text();
  } catch {
    return refuse(`${name} could not be read. Your current setup is unchanged.`);
  }
  const read = readImportedText(text, name);
  if (!read.ok) return refuse(read.message, read.details ?? []);
  const previous = setupFromState(pg.getState());
  const applied =
    read.value.kind === 'setup' ? await pg.sharing.open(read.value.setup) : await pg.sharing.openScenario(read.value.scenario);
  if (!applied.ok) return refuse(applied.message);
  const what =
    read.value.kind === 'setup'
      ? `Opened ${name}: ${read.value.setup.scenario.name} at t = ${clockText(pg.getState().now)}.`
      : `Opened ${name}: scenario “${read.value.scenario.name}”, from t = 0.${read.value.warnings.map((w) => ` Note: ${w}.`).join('')}`;
  pg.ui.showImportProblems(null);
  pg.ui.notify({ kind: 'imported', text: applied.value ? `${what} ${applied.value}` : what, previous, previousLabel: 'Undo' });
  return true;
}
