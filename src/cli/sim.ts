/**
 * `npm run sim -- <scenario> [--arch chain|event] [--seed N] [--until MS] [--json]`
 *
 * Runs a scenario on the same engine as the browser, with no browser, and prints the
 * report. Exit status 0 on success, 2 for a wrong argument or scenario (one line on
 * stderr saying what is wrong).
 */
import { fileURLToPath } from 'node:url';
import { builtInScenarios } from '../content/scenarios';
import { Simulation } from '../core';
import { parseArgs, USAGE } from './args';
import { formatReport } from './formatReport';
import { loadScenario } from './loadScenario';

function listScenarios(): string {
  const width = Math.max(...builtInScenarios.map((s) => s.id.length));
  return `${builtInScenarios.map((s) => `${s.id.padEnd(width)}  ${s.description}`).join('\n')}\n`;
}

/** Run the CLI; returns the exit status. Output goes to the given streams. */
export function main(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): number {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    err(`sim: ${parsed.error}\n`);
    return 2;
  }
  const { options } = parsed;
  if (options.command === 'help') {
    out(`${USAGE}\n`);
    return 0;
  }
  if (options.command === 'list') {
    out(listScenarios());
    return 0;
  }

  const loaded = loadScenario(options.scenario);
  if (!loaded.ok) {
    err(`${loaded.error}\n`);
    return 2;
  }
  const { scenario, setup } = loaded;
  // A playground setup file replays the learner's actions, open-ended like the
  // playground, to the moment it was saved: the same trace hash as in the browser.
  const setupArch = setup && setup.mode !== 'compare' ? setup.mode : undefined;
  const architecture = options.architecture ?? setupArch ?? scenario.architecture;
  const sim = new Simulation(scenario, {
    architecture,
    seed: options.seed ?? setup?.seed ?? scenario.seed,
    openEnded: setup !== undefined,
    interventions: setup?.interventions[architecture] ?? [],
  });
  sim.runUntil(options.untilMs ?? setup?.at ?? scenario.duration_ms);
  const report = sim.report();

  if (options.json) out(`${JSON.stringify(report, null, 2)}\n`);
  else out(formatReport(report, new Map(sim.model.services.map((s) => [s.id, s.name]))));
  return 0;
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
