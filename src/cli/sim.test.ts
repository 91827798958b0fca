/**
 * The CLI as a user runs it: a real process, real exit status and streams. Each spawn
 * costs about half a second of tsx start-up, so only what needs a process is here;
 * arguments and loading are tested in args.test.ts and loadScenario.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Report } from '../core/reportTypes';
import { builtInScenarios } from '../content/scenarios';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sim(...args: string[]) {
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/cli/sim.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run sim', () => {
  it('lists every built-in with its description', () => {
    const r = sim('--list');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(builtInScenarios.length);
    builtInScenarios.forEach((s, i) => {
      expect(lines[i]?.startsWith(s.id)).toBe(true);
      expect(lines[i]?.endsWith(s.description)).toBe(true);
    });
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

  it('refuses an unknown flag with exit status 2 and one line', () => {
    const r = sim('checkout', '--fast');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sim: unknown option --fast (see --help)\n');
  });

  it('names the file and its first problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-sim-'));
    try {
      const path = join(dir, 'scenario.json');
      writeFileSync(path, '{ "version": 1, "id": "x" ');
      const r = sim(path);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2); // one line and its newline
      expect(r.stderr).toMatch(new RegExp(`^${path}: is not valid JSON: `));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
