import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_EVENTS, parseArgs, USAGE } from './args';

const run = (...argv: string[]) => {
  const r = parseArgs(argv);
  if (!r.ok) throw new Error(`expected success, got: ${r.error}`);
  return r.options;
};
const error = (...argv: string[]) => {
  const r = parseArgs(argv);
  if (r.ok) throw new Error(`expected an error for ${argv.join(' ')}`);
  return r.error;
};

describe('sim arguments', () => {
  it('takes a scenario and leaves the rest to the scenario defaults', () => {
    expect(run('checkout')).toEqual({
      command: 'run',
      scenario: 'checkout',
      inputs: ['checkout'],
      json: false,
      perService: false,
    });
  });

  it('reads every option, in any order, with a space or an equals sign', () => {
    const expected = {
      command: 'run',
      scenario: 'my lesson.json',
      inputs: ['my lesson.json'],
      perService: false,
      architecture: 'chain',
      seed: 7,
      untilMs: 30_000,
      json: true,
    };
    expect(
      run('--json', '--arch', 'chain', 'my lesson.json', '--seed', '7', '--until', '30000'),
    ).toEqual(expected);
    expect(run('my lesson.json', '--arch=chain', '--seed=7', '--until=30000', '--json')).toEqual(
      expected,
    );
  });

  it('accepts the extremes of the seed range', () => {
    expect(run('x', '--seed', '0')).toMatchObject({ seed: 0 });
    expect(run('x', '--seed', '4294967295')).toMatchObject({ seed: 4294967295 });
  });

  it('lists and helps', () => {
    expect(run('--list')).toEqual({ command: 'list' });
    expect(run('--help')).toEqual({ command: 'help' });
    expect(run('-h')).toEqual({ command: 'help' });
    // Help wins over anything else on the line, even mistakes.
    expect(run('checkout', '--bogus', '--help')).toEqual({ command: 'help' });
  });

  it('takes a file name that starts with a dash after --', () => {
    expect(run('--', '-weird.json')).toMatchObject({ scenario: '-weird.json' });
  });

  it('names an unknown option', () => {
    expect(error('checkout', '--verbose')).toBe('unknown option --verbose (see --help)');
    expect(error('checkout', '-j')).toBe('unknown option -j (see --help)');
  });

  it('explains each bad value', () => {
    expect(error('checkout', '--arch', 'events')).toBe(
      '--arch must be "chain", "event" or "orchestration", not "events"',
    );
    expect(error('checkout', '--seed', '-1')).toMatch(
      /^--seed must be a whole number from 0 to 4294967295, not "-1"$/,
    );
    expect(error('checkout', '--seed', '1.5')).toMatch(/not "1.5"$/);
    expect(error('checkout', '--seed', '4294967296')).toMatch(/not "4294967296"$/);
    expect(error('checkout', '--until', '0')).toMatch(
      /^--until must be a whole number of milliseconds from 1 to 86400000, not "0"$/,
    );
    expect(error('checkout', '--until', '30s')).toMatch(/not "30s"$/);
  });

  it('takes a cap on the events of a run, and explains a bad one', () => {
    expect(run('x', '--max-events', '200000')).toMatchObject({ maxEvents: 200_000 });
    expect(run('x', '--max-events=1')).toMatchObject({ maxEvents: 1 });
    expect(run('x')).not.toHaveProperty('maxEvents');
    for (const bad of ['0', '-5', '2e6', '20,000,000', '1000000000001']) {
      expect(error('x', '--max-events', bad)).toBe(
        `--max-events must be a whole number from 1 to 1000000000000, not "${bad}"`,
      );
    }
  });

  it('documents --max-events and its default in the help', () => {
    expect(USAGE).toContain('--max-events N');
    expect(USAGE).toContain(`(default: ${DEFAULT_MAX_EVENTS}`);
  });

  it('notices a missing value', () => {
    expect(error('checkout', '--seed')).toBe('--seed needs a value');
    expect(error('checkout', '--until', '--json')).toBe('--until needs a value');
    expect(error('checkout', '--json=yes')).toBe('--json takes no value');
  });

  it('wants exactly one scenario', () => {
    expect(error()).toMatch(/^no scenario given/);
    expect(error('--json')).toMatch(/^no scenario given/);
    expect(error('checkout', 'signup')).toBe(
      'one scenario at a time; only AsyncAPI documents (.yaml, .yml or .json, one per application) run several together: got "checkout" among 2 inputs',
    );
    expect(error('gateway.yaml', 'checkout')).toMatch(/got "checkout" among 2 inputs$/);
  });

  it('refuses an option given twice rather than guessing which one counts', () => {
    expect(error('checkout', '--seed', '1', '--seed=2')).toBe('--seed is given twice');
  });

  it('keeps --list on its own', () => {
    expect(error('--list', 'checkout')).toBe('--list takes no scenario and no other option');
    expect(error('--list', '--json')).toBe('--list takes no scenario and no other option');
  });

  it('reports every error as a single line', () => {
    for (const argv of [['--nope'], ['x', '--arch'], ['x', '--seed', 'abc'], [], ['a', 'b']]) {
      const r = parseArgs(argv);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).not.toContain('\n');
    }
  });

  it('takes several AsyncAPI documents, one per application', () => {
    expect(run('gateway.yaml', 'billing.yml', 'notifier.json', '--json')).toMatchObject({
      scenario: 'gateway.yaml',
      inputs: ['gateway.yaml', 'billing.yml', 'notifier.json'],
      json: true,
    });
  });

  it('exports as AsyncAPI, one document or one per service', () => {
    expect(run('checkout', '--export', 'asyncapi')).toMatchObject({
      export: 'asyncapi',
      perService: false,
    });
    expect(run('checkout', '--export=asyncapi', '--per-service')).toMatchObject({
      export: 'asyncapi',
      perService: true,
    });
    expect(run('checkout', '--export', 'asyncapi', '--json', '--seed', '3')).toMatchObject({
      json: true,
      seed: 3,
    });
    expect(USAGE).toContain('--export asyncapi');
  });

  it('explains what does not go with --export', () => {
    expect(error('checkout', '--export', 'openapi')).toBe(
      '--export must be one of "asyncapi", "rabbitmq", "kafka", "sns-sqs", not "openapi"',
    );
    expect(error('checkout', '--per-service')).toBe('--per-service goes with --export asyncapi');
    expect(error('checkout', '--export', 'asyncapi', '--per-service', '--json')).toBe(
      '--per-service prints several documents as one YAML stream; --json prints one: choose one',
    );
    expect(error('checkout', '--export', 'asyncapi', '--until', '5000')).toBe(
      '--until does not apply with --export: it prints a document and runs nothing',
    );
  });
});
