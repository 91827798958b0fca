/**
 * Command-line arguments of `npm run sim`, parsed by a pure function so every
 * mistake and its message can be unit tested without starting a process.
 */
import type { Architecture } from '../core/scenario';

export const USAGE = `Usage: npm run sim -- <scenario> [--arch chain|event|orchestration] [--seed N] [--until MS]
                          [--max-events N] [--json]
       npm run sim -- <asyncapi.yaml> [<asyncapi.yaml> ...] [options]
       npm run sim -- <scenario> --export asyncapi [--per-service] [--json]
       npm run sim -- <scenario> --export rabbitmq|kafka|sns-sqs [--out DIR]
       npm run sim -- --list

Runs a scenario without the browser and prints what happened.

  <scenario>          a built-in scenario or template id (see --list), or the path of a
                      scenario file, a setup file or an AsyncAPI 3.0/3.1 document (.yaml,
                      .yml or .json); several AsyncAPI documents (one per application)
                      run together as one system
  --arch chain|event|orchestration
                      run as a request chain, as event fan-out or as an
                      orchestrated saga (default: the scenario's "architecture")
  --seed N            random seed, a whole number from 0 to 4294967295
                      (default: the scenario's "seed")
  --until MS          simulated milliseconds to run (default: the scenario's "duration_ms")
  --max-events N      stop a run that processes more than N events (default: 20000000,
                      about 20 s of work); a stopped run exits with status 2
  --json              print the report as one JSON object instead of tables
  --export asyncapi   print the scenario as an AsyncAPI 3.0 document (YAML; JSON with
                      --json) instead of running it
  --export rabbitmq   print the scenario's topology as a RabbitMQ definitions file
                      (JSON for rabbitmqctl import_definitions)
  --export kafka      ... as a bash script of kafka-topics.sh commands, with its
                      consumer groups in a table
  --export sns-sqs    ... as an AWS CloudFormation template (YAML)
  --per-service       with --export asyncapi: one document per service, as a YAML stream
  --out DIR           with --export: write every file of the format into DIR (a new or
                      empty folder) instead of printing the main file: for rabbitmq,
                      kafka and sns-sqs, an example producer/consumer per service
                      (TypeScript for Node: amqplib, kafkajs, AWS SDK v3) beside
                      definitions.json / kafka-topics.sh / cloudformation.yaml; for
                      asyncapi, one file per document
  --list              list the built-in scenarios and the templates
  -h, --help          show this help

Exit status: 0 when the run finished; 2 when an argument or the scenario is wrong, or
the run was stopped by --max-events (one line on stderr says why); 1 for a bug in sim.`;

export interface RunOptions {
  command: 'run';
  /** A built-in id or a file path, as typed (the first of `inputs`). */
  scenario: string;
  /** Every input as typed: one scenario, or several AsyncAPI documents. */
  inputs: string[];
  /** Print the scenario as AsyncAPI instead of running it. */
  export?: 'asyncapi' | 'rabbitmq' | 'kafka' | 'sns-sqs';
  /** With `export`: one document per service. */
  perService: boolean;
  /** With `export`: write every file of the format into this folder instead of printing. */
  outDir?: string;
  architecture?: Architecture;
  seed?: number;
  untilMs?: number;
  /** Stop the run after this many events (default `DEFAULT_MAX_EVENTS`). */
  maxEvents?: number;
  json: boolean;
}

export type CliOptions = { command: 'help' } | { command: 'list' } | RunOptions;

export type ParsedArgs = { ok: true; options: CliOptions } | { ok: false; error: string };

/** The longest run the CLI accepts: one simulated day, as for `duration_ms`. */
export const MAX_UNTIL_MS = 24 * 60 * 60 * 1000;

/**
 * Events a run may process before the CLI stops it. The engine does about a million
 * events per second, so this is some 20 s of work: far beyond any lesson, and a bound
 * on a run that would otherwise never end or fill the memory.
 */
export const DEFAULT_MAX_EVENTS = 20_000_000;
/** The largest --max-events accepted: beyond it the limit would protect nothing. */
export const MAX_MAX_EVENTS = 1_000_000_000_000;

/** What `--export` can print. */
export const EXPORTS = ['asyncapi', 'rabbitmq', 'kafka', 'sns-sqs'] as const;

const VALUE_FLAGS = ['--arch', '--seed', '--until', '--max-events', '--export', '--out'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const SWITCHES = ['--json', '--list', '--per-service', '--help', '-h'] as const;

/** Only documents can be given several at a time: a path ending in .yaml, .yml or .json. */
const DOCUMENT_PATH = /\.(ya?ml|json)$/i;

function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/**
 * Parse `argv` (without `node` and the script). Never throws; an error is one line
 * that names the argument at fault.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h'))
    return { ok: true, options: { command: 'help' } };

  const values = new Map<ValueFlag, string>();
  const seen = new Set<string>();
  const inputs: string[] = [];
  let json = false;
  let list = false;
  let perService = false;
  let onlyPositionals = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      inputs.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (seen.has(flag)) return { ok: false, error: `${flag} is given twice` };
    seen.add(flag);

    if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      let value: string | undefined;
      if (eq > 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        if (value === undefined || value.startsWith('--'))
          return { ok: false, error: `${flag} needs a value` };
        i++;
      }
      values.set(flag as ValueFlag, value);
    } else if ((SWITCHES as readonly string[]).includes(flag)) {
      if (eq > 0) return { ok: false, error: `${flag} takes no value` };
      if (flag === '--json') json = true;
      else if (flag === '--per-service') perService = true;
      else list = true;
    } else {
      return { ok: false, error: `unknown option ${flag} (see --help)` };
    }
  }

  const scenario = inputs[0];
  if (list) {
    if (scenario !== undefined || values.size > 0 || json || perService) {
      return { ok: false, error: '--list takes no scenario and no other option' };
    }
    return { ok: true, options: { command: 'list' } };
  }
  if (scenario === undefined) {
    return { ok: false, error: 'no scenario given: name a built-in (see --list) or a .json file' };
  }

  if (inputs.length > 1) {
    const other = inputs.find((i) => !DOCUMENT_PATH.test(i));
    if (other !== undefined)
      return {
        ok: false,
        error: `one scenario at a time; only AsyncAPI documents (.yaml, .yml or .json, one per application) run several together: got "${other}" among ${inputs.length} inputs`,
      };
  }

  const options: RunOptions = { command: 'run', scenario, inputs, json, perService };
  const exported = values.get('--export');
  if (exported !== undefined) {
    if (!EXPORTS.includes(exported as (typeof EXPORTS)[number]))
      return {
        ok: false,
        error: `--export must be one of ${EXPORTS.map((e) => `"${e}"`).join(', ')}, not "${exported}"`,
      };
    options.export = exported as (typeof EXPORTS)[number];
    for (const flag of ['--until', '--max-events'] as const) {
      if (values.has(flag))
        return {
          ok: false,
          error: `${flag} does not apply with --export: it prints a document and runs nothing`,
        };
    }
    if (exported !== 'asyncapi' && (perService || json))
      return {
        ok: false,
        error: `${perService ? '--per-service' : '--json'} goes with --export asyncapi, not --export ${exported}`,
      };
    const out = values.get('--out');
    if (out !== undefined) {
      if (out === '') return { ok: false, error: '--out needs a folder' };
      options.outDir = out;
    }
    if (perService && json)
      return {
        ok: false,
        error:
          '--per-service prints several documents as one YAML stream; --json prints one: choose one',
      };
  } else if (perService) return { ok: false, error: '--per-service goes with --export asyncapi' };
  else if (values.has('--out'))
    return { ok: false, error: '--out goes with --export: it writes the exported files' };
  const arch = values.get('--arch');
  if (arch !== undefined) {
    if (arch !== 'chain' && arch !== 'event' && arch !== 'orchestration') {
      return {
        ok: false,
        error: `--arch must be "chain", "event" or "orchestration", not "${arch}"`,
      };
    }
    options.architecture = arch;
  }
  const seed = values.get('--seed');
  if (seed !== undefined) {
    const n = wholeNumber(seed, 0, 0xffff_ffff);
    if (n === undefined)
      return {
        ok: false,
        error: `--seed must be a whole number from 0 to 4294967295, not "${seed}"`,
      };
    options.seed = n;
  }
  const until = values.get('--until');
  if (until !== undefined) {
    const n = wholeNumber(until, 1, MAX_UNTIL_MS);
    if (n === undefined) {
      return {
        ok: false,
        error: `--until must be a whole number of milliseconds from 1 to ${MAX_UNTIL_MS}, not "${until}"`,
      };
    }
    options.untilMs = n;
  }
  const maxEvents = values.get('--max-events');
  if (maxEvents !== undefined) {
    const n = wholeNumber(maxEvents, 1, MAX_MAX_EVENTS);
    if (n === undefined) {
      return {
        ok: false,
        error: `--max-events must be a whole number from 1 to ${MAX_MAX_EVENTS}, not "${maxEvents}"`,
      };
    }
    options.maxEvents = n;
  }
  return { ok: true, options };
}
