/**
 * The CLI as a user runs it: exit status, what goes to stdout and to stderr. Every case
 * calls `main` in this process (a spawn costs about a second of tsx start-up, and under
 * load went past the default time-out); one smoke test spawns the real command.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { builtInScenarios, findScenario } from '../content/scenarios';
import { templates } from '../content/templates';
import { RunLimitError, Simulation } from '../core';
import type { Report } from '../core/reportTypes';
import { findHiddenCharacter } from '../core/text';
import { sim } from './simTestkit';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fanout-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});

const buildFails = vi.hoisted(() => ({ on: false }));
vi.mock('../core/runnable', async (original) => {
  const real = await original<typeof import('../core/runnable')>();
  return {
    ...real,
    checkScenarioBuilds: (s: Parameters<typeof real.checkScenarioBuilds>[0]) =>
      buildFails.on
        ? [{ path: '(scenario)', message: 'cannot be run: the model has no entry' }]
        : real.checkScenarioBuilds(s),
  };
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** One line and its newline: what every error path prints. */
function expectOneLine(stderr: string) {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.slice(0, -1)).not.toMatch(/[\n\r]/);
  expect(stderr).not.toMatch(/^\s+at /m);
}

type ServiceInput = { id: string; name: string; latency_ms: number; [key: string]: unknown };

/** Orders emit OrderCreated; the other services are the test's. */
function scenario(services: ServiceInput[], extra: Record<string, unknown> = {}) {
  return {
    version: 1,
    id: 'cli-test',
    name: 'CLI test',
    seed: 1,
    duration_ms: 10_000,
    network_ms: 0,
    entry: 'orders',
    services: [
      { id: 'orders', name: 'Order Service', latency_ms: 0, emits: ['OrderCreated'] },
      ...services,
    ],
    workload: { rate_per_s: 1 },
    ...extra,
  };
}
const reEmitter = (id: string, name: string, latency_ms = 0) => ({
  id,
  name,
  latency_ms,
  subscribes: ['OrderCreated'],
  emits: ['OrderCreated'],
});

describe('npm run sim', () => {
  it('lists every built-in with its description', () => {
    const r = sim('--list');
    expect(r.status).toBe(0);
    const [scenarios, gallery] = r.stdout.trimEnd().split('\n\n') as [string, string];
    const lines = scenarios.split('\n');
    expect(lines).toHaveLength(builtInScenarios.length);
    builtInScenarios.forEach((s, i) => {
      expect(lines[i]?.startsWith(s.id)).toBe(true);
      expect(lines[i]?.endsWith(s.description)).toBe(true);
    });
    // Then the templates of the New gallery, which run by id too.
    const [title, ...rest] = gallery.split('\n');
    expect(title).toBe('Templates (the New gallery):');
    expect(rest).toHaveLength(templates.length);
    templates.forEach((t, i) => {
      expect(rest[i]?.startsWith(t.id)).toBe(true);
    });
  });

  it('runs orchestrated-checkout as the saga it is written as, printing the sagas and the compensations per service', () => {
    const r = sim('orchestrated-checkout');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^orchestrated-checkout: orchestrated saga, seed 42/);
    const sagas = r.stdout.split('\n').find((l) => l.startsWith('Sagas'));
    expect(sagas).toMatch(/^Sagas {5}confirmed \d+, cancelled (\d+), compensations run \1 /);
    const header = r.stdout.split('\n').find((l) => l.startsWith('Service'));
    expect(header).toContain('compensations');
    const json = JSON.parse(sim('orchestrated-checkout', '--json').stdout) as Report;
    expect(json.architecture).toBe('orchestration');
    // Each declined card released one reservation of stock; nothing else was undone.
    expect(json.services.inventory?.compensations).toBe(json.orders.cancelled);
    expect(json.services.inventory?.compensations).toBe(json.services.payment?.declined);
    expect(json.services.payment?.compensations).toBe(0);
    const events = JSON.parse(
      sim('orchestrated-checkout', '--arch', 'event', '--json').stdout,
    ) as Report;
    expect(events.architecture).toBe('event');
    expect(events.services.inventory?.compensations).toBe(0);
  });

  it('shows the email outage failing orders in the chain and none with events', () => {
    const chain = sim('email-outage', '--arch', 'chain', '--json');
    const event = sim('email-outage', '--arch', 'event', '--json');
    expect(chain.stderr).toBe('');
    expect(event.stderr).toBe('');
    expect([chain.status, event.status]).toEqual([0, 0]);
    const c = JSON.parse(chain.stdout) as Report;
    const e = JSON.parse(event.stdout) as Report;
    expect(c).toMatchObject({
      scenario: 'email-outage',
      architecture: 'chain',
      seed: 42,
      until_ms: 60_000,
    });
    expect(e).toMatchObject({
      scenario: 'email-outage',
      architecture: 'event',
      seed: 42,
      until_ms: 60_000,
    });
    expect(c.requests.failed).toBeGreaterThan(0);
    expect(e.requests.failed).toBe(0);
    expect(e.requests.sent).toBe(c.requests.sent);
    expect(e.trace_hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('runs exactly the run the browser runs: slicing for --max-events changes no event', () => {
    const scenario = findScenario('traffic-spike');
    if (!scenario) throw new Error('traffic-spike is built in');
    const whole = new Simulation(scenario, { architecture: 'event' });
    whole.runUntil(scenario.duration_ms);
    const r = sim('traffic-spike', '--arch', 'event', '--json', '--max-events', '100000000');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as Report).trace_hash).toBe(whole.traceHash);
  });

  it('prints tables by default', () => {
    const r = sim('checkout');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^checkout: request chain, seed \d+/);
    expect(r.stdout).toMatch(/Trace hash [0-9a-f]{16}\n$/);
  });
});

describe('every error is one line on stderr and exit status 2', () => {
  it('refuses an unknown flag', () => {
    const r = sim('checkout', '--fast');
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: 'sim: unknown option --fast (see --help)\n',
    });
  });

  it('names the file and its JSON syntax error', () => {
    const path = file('broken.json', '{ "version": 1, "id": "x" ');
    const r = sim(path);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(new RegExp(`^${path}: is not valid JSON: `));
  });

  it('names the file and the first schema problem', () => {
    const path = file('schema.json', scenario([], { seed: -1 }));
    const r = sim(path);
    expect(r).toEqual({ status: 2, stdout: '', stderr: `${path}: seed: must be >= 0\n` });
  });

  it('refuses a loop that would never let time advance, instead of running forever', () => {
    const path = file('hang.json', scenario([reEmitter('payment', 'Payment Service')]));
    const r = sim(path, '--json');
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: `${path}: services[1].subscribes[0]: Payment Service re-emits OrderCreated, which it subscribes to, with no delay: the run would never advance (set network_ms above 0, or give it a latency that is never 0)\n`,
    });
  });

  it('refuses two subscribers that both re-emit what they receive', () => {
    const path = file(
      'double.json',
      scenario(
        [reEmitter('payment', 'Payment Service', 10), reEmitter('audit', 'Audit Service', 10)],
        {
          network_ms: 5,
        },
      ),
    );
    const r = sim(path);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toBe(
      `${path}: services[2].subscribes[0]: each OrderCreated makes two more (Payment Service and Audit Service both re-emit it): the copies of every order would multiply at every round, without end\n`,
    );
  });

  it('refuses a filter policy on toString or constructor with the usual message, not a stack', () => {
    for (const name of ['toString', 'constructor']) {
      const path = file(
        `${name}.json`,
        scenario(
          [{ id: 'email', name: 'Email Service', latency_ms: 5, subscribes: ['OrderCreated'] }],
          {
            network_ms: 5,
            broker: { kind: 'sns-sqs', filter_policies: { email: { [name]: ['x'] } } },
          },
        ),
      );
      const r = sim(path, '--json');
      expect(r).toEqual({
        status: 2,
        stdout: '',
        stderr: `${path}: broker.filter_policies.email.${name}: orders carry no attribute "${name}" (declare it in workload.attributes)\n`,
      });
    }
  });

  it('reports a scenario that cannot be built as a problem of the scenario', () => {
    buildFails.on = true;
    try {
      const r = sim('checkout');
      expect(r).toEqual({
        status: 2,
        stdout: '',
        stderr: 'sim: checkout: cannot be run: the model has no entry\n',
      });
    } finally {
      buildFails.on = false;
    }
  });

  it('strips control and direction characters from what it prints of the input', () => {
    const path = file('pay\u202Emen\u001B[2Jt.json', '{ "name": "\u202E" ');
    const r = sim(path);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr);
    expect(findHiddenCharacter(r.stderr.slice(0, -1))).toBeUndefined();
    expect(r.stderr).toContain('paymen[2Jt.json: is not valid JSON');

    const unknown = sim('emial\u2067-outage');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(
      'sim: unknown scenario "emial-outage": give a built-in id (see --list) or a path to a .json or .yaml file\n',
    );
  });
});

describe('a run that grows without bound stops at --max-events', () => {
  const ring = () =>
    file(
      'ring.json',
      scenario([reEmitter('payment', 'Payment Service')], {
        network_ms: 1,
        workload: { rate_per_s: 50 },
      }),
    );

  it('stops and says why, in the words of the loop', () => {
    const r = sim(ring(), '--json', '--max-events', '50000');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(
      /^sim: stopped at t = \d+\.\d{3} s after \d{2},\d{3} events \(--max-events\); this run never settles: every order's OrderCreated circulates forever through Payment Service\n$/,
    );
    const events = Number(/after ([\d,]+) events/.exec(r.stderr)?.[1]?.replaceAll(',', ''));
    // It stops soon after the limit: within one slice of a few percent of it.
    expect(events).toBeGreaterThan(50_000);
    expect(events).toBeLessThan(60_000);
  });

  it('stops a large run with no loop and says how to run it to the end', () => {
    const r = sim('traffic-spike', '--max-events', '1000');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^sim: stopped at t = \d+\.\d{3} s after [\d,]+ events \(--max-events\); give a larger --max-events or a shorter --until to run it to the end\n$/,
    );
  });

  it('finishes a run with a circulating loop within the limit, with a warning on stderr', () => {
    const r = sim(ring(), '--json', '--until', '200');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as Report).until_ms).toBe(200);
    expect(r.stderr).toBe(
      "sim: warning: services[1].subscribes[0]: every order's OrderCreated circulates forever through Payment Service; the run never drains, and each new order adds to the traffic\n",
    );
  });

  it('warns about a setting the chosen broker ignores, and runs the file', () => {
    const path = file(
      'sqs-backoff.json',
      scenario(
        [{ id: 'email', name: 'Email Service', latency_ms: 5, subscribes: ['OrderCreated'] }],
        {
          broker: { kind: 'sns-sqs' },
          delivery: { max_attempts: 3 },
        },
      ),
    );
    const r = sim(path, '--until', '2000');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      'sim: warning: delivery.max_attempts: is ignored on the sns-sqs broker: SQS dead-letters after broker.max_receive_count receives\n',
    );
  });

  it('turns a limit the engine enforces itself into the same kind of line', () => {
    const limit = new RunLimitError('moment', 4, 1_000_001, 10, 1_000_000);
    vi.spyOn(Simulation.prototype, 'runUntil').mockImplementation(() => {
      throw limit;
    });
    const r = sim(ring());
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr:
        "sim: stopped at t = 0.004 s: more than 1,000,000 events at this one millisecond, so simulated time cannot advance; every order's OrderCreated circulates forever through Payment Service\n",
    });
  });
});

describe('a bug in sim', () => {
  it('is one line and exit status 1, never a stack trace', () => {
    vi.spyOn(Simulation.prototype, 'runUntil').mockImplementation(() => {
      throw new TypeError(
        'values.indexOf is not a function\n    at createContext (engine.ts:690:40)',
      );
    });
    const r = sim('checkout', '--json');
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'sim: internal error: TypeError: values.indexOf is not a function at createContext (engine.ts:690:40)\n',
    });
  });

  it('is caught even when it is not an Error', () => {
    vi.spyOn(Simulation.prototype, 'report').mockImplementation(() => {
      throw 'a string';
    });
    expect(sim('checkout')).toEqual({
      status: 1,
      stdout: '',
      stderr: 'sim: internal error: a string\n',
    });
  });
});

describe('the real command', () => {
  it('ends on the file that used to run forever: exit status 2 and one line', () => {
    const path = file('smoke-hang.json', scenario([reEmitter('payment', 'Payment Service')]));
    const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/cli/sim.ts', path, '--json'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(
      /^.*hang\.json: services\[1\]\.subscribes\[0\]: Payment Service re-emits OrderCreated/,
    );
  }, 60_000);
});
