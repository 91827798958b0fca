/**
 * `npm run sim -- <scenario> --export <format> --out DIR`: every file of the format in a
 * new or empty folder, one "wrote" line each; a folder with anything in it, or one that
 * cannot be made, is refused with one line and nothing written.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from './args';
import { sim } from './simTestkit';

const root = mkdtempSync(join(tmpdir(), 'fanout-out-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sim --export <format> --out DIR', () => {
  it('writes the definitions and one amqplib example per service, and says what it wrote', () => {
    const dir = join(root, 'rabbit', 'nested');
    const { status, stdout, stderr } = sim('email-outage', '--export', 'rabbitmq', '--out', dir);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const names = ['definitions.json', 'orders.ts', 'payment.ts', 'email.ts', 'analytics.ts'];
    expect(readdirSync(dir).sort()).toEqual([...names].sort());
    expect(stdout).toBe(names.map((n) => `wrote ${join(dir, n)}\n`).join(''));
    // The main file is what --export prints without --out.
    expect(readFileSync(join(dir, 'definitions.json'), 'utf8')).toBe(
      sim('email-outage', '--export', 'rabbitmq').stdout,
    );
    const email = readFileSync(join(dir, 'email.ts'), 'utf8');
    expect(email).toContain('from scenario "email-outage"');
    expect(email).toContain('const QUEUE = "email-outage.email";');
    expect(email).toContain('await channel.prefetch(PREFETCH);');
  });

  it('writes an executable kafka-topics.sh and kafkajs examples', () => {
    const dir = join(root, 'kafka');
    const { status, stdout } = sim('checkout', '--export', 'kafka', '--out', dir);
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`wrote ${join(dir, 'kafka-topics.sh')}`);
    expect(statSync(join(dir, 'kafka-topics.sh')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(dir, 'orders.ts'), 'utf8')).toContain('acks: -1');
  });

  it('writes the CloudFormation template and AWS SDK examples for sns-sqs, and AsyncAPI documents one per file', () => {
    const cfn = join(root, 'cfn');
    expect(sim('checkout', '--export', 'sns-sqs', '--out', cfn).status).toBe(0);
    expect(readdirSync(cfn).sort()).toEqual([
      'analytics.ts',
      'cloudformation.yaml',
      'email.ts',
      'orders.ts',
      'payment.ts',
    ]);
    expect(readFileSync(join(cfn, 'email.ts'), 'utf8')).toContain('MAX_RECEIVE_COUNT = 5;');
    const docs = join(root, 'asyncapi');
    expect(sim('checkout', '--export', 'asyncapi', '--per-service', '--out', docs).status).toBe(0);
    expect(readdirSync(docs).sort()).toEqual(
      ['analytics', 'email', 'orders', 'payment'].map((s) => `${s}.asyncapi.yaml`),
    );
  });

  it('refuses a folder that is not empty, and writes nothing into it', () => {
    const dir = join(root, 'full');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const { status, stdout, stderr } = sim('checkout', '--export', 'kafka', '--out', dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `sim: --out ${dir}: the folder is not empty (1 entry); give a new or empty folder, nothing is overwritten\n`,
    );
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('refuses a folder that cannot be made', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const under = sim('checkout', '--export', 'rabbitmq', '--out', join(file, 'dir'));
    expect(under.status).toBe(2);
    expect(under.stderr).toMatch(/^sim: --out .*a-file\/dir: cannot be (read|written) \(.+\)\n$/);
    const itself = sim('checkout', '--export', 'rabbitmq', '--out', file);
    expect(itself.stderr).toBe(`sim: --out ${file}: exists and is not a folder\n`);
  });

  it('goes with --export only', () => {
    expect(parseArgs(['checkout', '--out', 'x'])).toEqual({
      ok: false,
      error: '--out goes with --export: it writes the exported files',
    });
    expect(parseArgs(['checkout', '--export', 'kafka', '--out='])).toEqual({
      ok: false,
      error: '--out needs a folder',
    });
  });
});
