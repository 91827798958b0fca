/**
 * `npm run sim -- <scenario> [--arch chain|event] [--seed N] [--until MS] [--max-events N] [--json]`
 * `npm run sim -- gateway.yaml billing.yaml notifier.yaml` (AsyncAPI documents, one system)
 * `npm run sim -- <scenario> --export asyncapi [--per-service] [--json]`
 * `npm run sim -- <scenario> --export rabbitmq|kafka|sns-sqs [--out DIR]`
 *
 * Runs a scenario on the same engine as the browser, with no browser, and prints the
 * report (or, with --export, the scenario as AsyncAPI). Exit status 0 on success; 2 for a
 * wrong argument or scenario, or a run stopped by --max-events; 1 for a bug in sim. Every
 * failure is one line on stderr, never a stack.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtInScenarios } from '../content/scenarios';
import { templates } from '../content/templates';
import {
  analyseTopology,
  checkScenarioBuilds,
  RunLimitError,
  runArchitecture,
  type Scenario,
  secondsText,
  Simulation,
  stripHidden,
} from '../core';
import { documentText, exportAsyncApi, streamText } from '../share/asyncapi';
import { type ExportFile, exportFiles, mainFile } from '../share/export/files';
import { DEFAULT_MAX_EVENTS, parseArgs, type RunOptions, USAGE } from './args';
import { formatReport } from './formatReport';
import { firstProblem, loadScenario } from './loadScenario';
import { isCompare } from '../run/modes';

/**
 * One line of terminal text from anything that may hold input: line breaks become
 * spaces, and control and direction-changing characters (an escape sequence, a
 * right-to-left override in a file name) are removed.
 */
export function oneLine(text: string): string {
  return stripHidden(text.replace(/\s*[\r\n\u2028\u2029]\s*|\t/g, ' ')).trim();
}

function listScenarios(): string {
  const all = [...builtInScenarios, ...templates.map((t) => t.scenario)];
  const width = Math.max(...all.map((s) => s.id.length));
  const line = (s: Scenario) => `${s.id.padEnd(width)}  ${oneLine(s.description)}`;
  return `${builtInScenarios.map(line).join('\n')}\n\nTemplates (the New gallery):\n${templates.map((t) => line(t.scenario)).join('\n')}\n`;
}

/** The scenario as AsyncAPI: one system document, or a YAML stream of one per service. */
function exportDocuments(scenario: Scenario, options: RunOptions): string {
  const s: Scenario = {
    ...scenario,
    seed: options.seed ?? scenario.seed,
    architecture: options.architecture ?? scenario.architecture,
  };
  if (options.perService)
    return streamText(exportAsyncApi(s, 'per-service').map((d) => d.document));
  const [system] = exportAsyncApi(s, 'system');
  return documentText(system?.document, options.json ? 'json' : 'yaml');
}

/** The AsyncAPI documents as files: one for the system, or one per service. */
function asyncApiFiles(scenario: Scenario, options: RunOptions): ExportFile[] {
  const s: Scenario = {
    ...scenario,
    seed: options.seed ?? scenario.seed,
    architecture: options.architecture ?? scenario.architecture,
  };
  return exportAsyncApi(s, options.perService ? 'per-service' : 'system').map((d) => ({
    name: options.json ? d.fileName.replace(/\.yaml$/, '.json') : d.fileName,
    text: documentText(d.document, options.json ? 'json' : 'yaml'),
  }));
}

/**
 * `--out DIR`: every file into a new or empty folder, one `wrote` line each. Refuses a
 * folder that holds anything (nothing of the learner's is overwritten) or cannot be made.
 */
function writeFolder(
  dir: string,
  files: readonly ExportFile[],
  out: (text: string) => void,
  fail: (line: string) => number,
): number {
  let existing: string[] | undefined;
  try {
    if (!statSync(dir).isDirectory()) return fail(`sim: --out ${dir}: exists and is not a folder`);
    existing = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      return fail(`sim: --out ${dir}: cannot be read (${(error as Error).message})`);
  }
  if (existing && existing.length > 0)
    return fail(
      `sim: --out ${dir}: the folder is not empty (${existing.length} entr${existing.length === 1 ? 'y' : 'ies'}); give a new or empty folder, nothing is overwritten`,
    );
  try {
    mkdirSync(dir, { recursive: true });
    // The topics script is meant to be run: executable, as a shell script is.
    for (const f of files)
      writeFileSync(join(dir, f.name), f.text, { mode: f.name.endsWith('.sh') ? 0o755 : 0o644 });
  } catch (error) {
    return fail(`sim: --out ${dir}: cannot be written (${(error as Error).message})`);
  }
  for (const f of files) out(`wrote ${oneLine(join(dir, f.name))}\n`);
  return 0;
}

/** `20,000,000`, the same on every machine (no locale). */
function grouped(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The one line for a run stopped by --max-events, with the scenario's loops as the reason. */
function stoppedLine(scenario: Scenario, stopped: RunLimitError): string {
  if (stopped.kind !== 'events') {
    const loop = analyseTopology(scenario).loops[0];
    return `sim: ${stopped.message}${loop ? `; ${loop.reason}` : ''}`;
  }
  const head = `sim: stopped at t = ${secondsText(stopped.at)} after ${grouped(stopped.events)} events (--max-events)`;
  const loop = analyseTopology(scenario).loops[0];
  if (!loop) return `${head}; give a larger --max-events or a shorter --until to run it to the end`;
  const why =
    loop.kind === 'circulating' ? 'this run never settles' : 'this run grows without bound';
  return `${head}; ${why}: ${loop.reason}`;
}

function run(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
  fail: (line: string) => number,
): number {
  const parsed = parseArgs(argv);
  if (!parsed.ok) return fail(`sim: ${parsed.error}`);
  const { options } = parsed;
  if (options.command === 'help') {
    out(`${USAGE}\n`);
    return 0;
  }
  if (options.command === 'list') {
    out(listScenarios());
    return 0;
  }

  const loaded = loadScenario(options.scenario, ...options.inputs.slice(1));
  if (!loaded.ok) return fail(loaded.error);
  const { scenario, setup } = loaded;
  // What the AsyncAPI documents did not say, and Fanout filled in: one line each.
  for (const note of loaded.notes ?? []) err(`${oneLine(`sim: note: ${note}`)}\n`);
  const where = /\.(json|ya?ml)$|[/\\]/i.test(options.scenario)
    ? `${options.scenario}: `
    : `sim: ${options.scenario}: `;
  if (options.export) {
    if (setup) {
      const n = Object.values(setup.interventions).reduce(
        (most, list) => Math.max(most, list?.length ?? 0),
        0,
      );
      if (n > 0)
        err(
          `${oneLine(`sim: note: ${options.scenario} is a setup file: the document describes its scenario, without the learner's ${n} action${n === 1 ? '' : 's'}`)}\n`,
        );
    }
    if (options.export === 'asyncapi') {
      if (options.outDir !== undefined)
        return writeFolder(options.outDir, asyncApiFiles(scenario, options), out, fail);
      out(exportDocuments(scenario, options));
      return 0;
    }
    if (options.outDir !== undefined) {
      const files = exportFiles(scenario, options.export);
      if (!files.ok) return fail(`${where}${files.message}`);
      return writeFolder(options.outDir, files.value, out, fail);
    }
    const main = mainFile(scenario, options.export);
    if (!main.ok) return fail(`${where}${main.message}`);
    out(main.value.text);
    return 0;
  }
  const unbuildable = checkScenarioBuilds(scenario);
  if (unbuildable.length > 0) return fail(`${where}${firstProblem(unbuildable)}`);

  // A playground setup file replays the learner's actions, open-ended like the
  // playground, to the moment it was saved: the same trace hash as in the browser.
  const setupArch = setup && !isCompare(setup.mode) ? setup.mode : undefined;
  const architecture = options.architecture ?? setupArch ?? runArchitecture(scenario);
  // The engine checks its limits every few thousand events: --max-events, and the
  // memory and same-moment limits every run has.
  const sim = new Simulation(scenario, {
    architecture,
    seed: options.seed ?? setup?.seed ?? scenario.seed,
    openEnded: setup !== undefined,
    interventions: setup?.interventions[architecture] ?? [],
    limits: { maxEvents: options.maxEvents ?? DEFAULT_MAX_EVENTS },
  });
  const until = options.untilMs ?? setup?.at ?? scenario.duration_ms;
  try {
    sim.runUntil(until);
  } catch (error) {
    if (error instanceof RunLimitError) return fail(stoppedLine(scenario, error));
    throw error;
  }
  const report = sim.report();
  // A run that finished may still deserve a second look; an error path stays one line.
  for (const w of loaded.warnings ?? analyseTopology(scenario).warnings) {
    err(`${oneLine(`sim: warning: ${w.path}: ${w.message}`)}\n`);
  }

  if (options.json) out(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const names = new Map(sim.model.services.map((s) => [s.id, oneLine(s.name)]));
    out(formatReport(report, names));
  }
  return 0;
}

/**
 * Run the CLI; returns the exit status. Output goes to the given streams. Never
 * throws: a bug becomes `sim: internal error: <one line>` and status 1.
 */
export function main(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): number {
  const fail = (line: string) => {
    err(`${oneLine(line)}\n`);
    return 2;
  };
  try {
    return run(argv, out, err, fail);
  } catch (error) {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    err(`sim: internal error: ${oneLine(what)}\n`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `npm run sim -- ... | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  // exitCode rather than process.exit(): a large report piped to another program is
  // written in full before Node exits.
  process.exitCode = main(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  );
}
