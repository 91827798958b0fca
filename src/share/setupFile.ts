/**
 * Files a learner or teacher exports and imports:
 *
 * - a **scenario file** (`<id>.json`): the scenario format the CLI reads, validated by the
 *   same schema (`parseScenario`); see `scenarioWithChanges` for how the learner's changes
 *   are written into it;
 * - a **setup file** (`<id>.fanout-setup.json`): `{ "fanout_setup": 1, "scenario": {...},
 *   "seed", "view", "speed", "at_ms", "interventions": [...] }`, the exact state (same
 *   trace hash), because the scenario format has no place for a learner's actions.
 *
 * `readImportedText` takes either; every problem is reported as `path: problem`.
 */
import { formatProblems, parseScenario, SCENARIO_VERSION, type Scenario } from '../core/scenario';
import { fail, ok, type Result } from './result';
import { type BuildCheck, readSetup, type Setup, setupToJson } from './setup';

/** Larger files are refused before parsing (a scenario is a few kilobytes). */
export const MAX_IMPORT_BYTES = 2_000_000;

export const SETUP_FILE_ABOUT =
  "Fanout playground setup: a scenario, the seed, the view, and the learner's actions with the simulated moment of each (at, in ms). Open it in Fanout (Share > Import) to see this exact moment again.";

export type Imported =
  | { kind: 'setup'; setup: Setup }
  /** `warnings`: what runs but deserves a second look (an event that circulates forever). */
  | { kind: 'scenario'; scenario: Scenario; warnings: string[] };

/** The setup file's text. */
export function setupFileText(setup: Setup): string {
  const json = setupToJson(setup, { inlineScenario: true });
  return `${JSON.stringify({ fanout_setup: json.fanout_setup, about: SETUP_FILE_ABOUT, ...json }, null, 2)}\n`;
}

/** A file name made from a scenario id: `checkout.json`, `checkout.fanout-setup.json`. */
export function exportFileName(scenarioId: string, kind: 'scenario' | 'setup'): string {
  const base = /^[a-z][a-z0-9-]{0,39}$/.test(scenarioId) ? scenarioId : 'scenario';
  return kind === 'setup' ? `${base}.fanout-setup.json` : `${base}.json`;
}

/**
 * Read an imported file: a setup file or a scenario file. Never throws. On failure the
 * message says the file was not opened, and `details` lists each `path: problem`.
 * `builds` is the engine's last check on a custom scenario (see `BuildCheck`).
 */
export function readImportedText(
  text: string,
  fileName = 'The file',
  builds?: BuildCheck,
): Result<Imported> {
  const name = fileName.length > 60 ? `${fileName.slice(0, 57)}…` : fileName;
  const notOpened = (lines: string[]) =>
    fail<Imported>(
      `${name} was not opened: ${lines[0] ?? 'it is not a scenario'}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}. Your current setup is unchanged.`,
      lines,
    );
  try {
    if (text.length > MAX_IMPORT_BYTES) {
      return notOpened([
        `(file): is ${text.length} characters long; a scenario or setup file is at most ${MAX_IMPORT_BYTES}`,
      ]);
    }
    let value: unknown;
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      return notOpened([
        `(file): is not valid JSON: ${error instanceof Error ? error.message : 'syntax error'}`,
      ]);
    }
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      'fanout_setup' in value
    ) {
      const setup = readSetup(value, name, builds);
      if (setup.ok) return ok({ kind: 'setup', setup: setup.value });
      if (!setup.details)
        return fail(`${setup.message} It was not opened; your current setup is unchanged.`);
      return notOpened(setup.details);
    }
    const parsed = parseScenario(value);
    if (parsed.ok) {
      // Valid, and buildable: anything that would break while building the run has its place too.
      const unbuildable = builds?.(parsed.scenario) ?? [];
      if (unbuildable.length > 0) return notOpened(formatProblems(unbuildable).split('\n'));
      const warnings = (parsed.warnings ?? []).map((w) => `${w.path}: ${w.message}`);
      return ok({ kind: 'scenario', scenario: parsed.scenario, warnings });
    }
    const version = (value as { version?: unknown } | null)?.version;
    if (typeof version === 'number' && version > SCENARIO_VERSION) {
      return fail(
        `${name} was not opened: it is written for a newer version of Fanout (scenario version ${version}); this version reads scenario version ${SCENARIO_VERSION} only. Update Fanout to open it. Your current setup is unchanged.`,
        formatProblems(parsed.problems).split('\n'),
      );
    }
    return notOpened(formatProblems(parsed.problems).split('\n'));
  } catch (error) {
    return notOpened([
      `(file): could not be read (${error instanceof Error ? error.message.slice(0, 80) : 'unknown error'})`,
    ]);
  }
}
