/**
 * The CLI and AsyncAPI, run in-process like the other CLI tests: documents run like a
 * scenario file (one, or several together as one system), any scenario prints as an
 * AsyncAPI document, and a bad document is one line naming the place.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { findScenario } from '../content/scenarios';
import { Simulation } from '../core';
import type { Report } from '../core/reportTypes';
import { importAsyncApi } from '../share/asyncapi';
import { FIXTURES, fixture } from '../share/asyncapi/testFiles';
import { sim } from './simTestkit';

const dir = mkdtempSync(join(tmpdir(), 'fanout-asyncapi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shop = ['gateway.yaml', 'billing.yaml', 'notifier.yaml'].map((f) =>
  join(FIXTURES, 'shop', f),
);

describe('npm run sim -- <AsyncAPI documents>', () => {
  it('runs several documents, one per application, as one system', () => {
    const r = sim(...shop, '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.scenario).toBe('gateway-billing-service-and-notifier');
    expect(Object.keys(report.services)).toEqual(['gateway', 'billing', 'notifier']);
    expect(report.requests.sent).toBeGreaterThan(500);
    // The same run as the importer's scenario on the engine.
    const imported = importAsyncApi(
      ['shop/gateway.yaml', 'shop/billing.yaml', 'shop/notifier.yaml'].map(fixture),
    );
    if (!imported.ok) throw new Error('fixture does not import');
    const engine = new Simulation(imported.value.scenario, { architecture: 'event' });
    engine.runUntil(imported.value.scenario.duration_ms);
    expect(report.trace_hash).toBe(engine.traceHash);
  });

  it('says on stderr which defaults it used, one line each, and keeps stdout the report', () => {
    const r = sim(...shop, '--until', '1000');
    expect(r.status).toBe(0);
    const notes = r.stderr.trimEnd().split('\n');
    expect(notes.every((n) => n.startsWith('sim: note: '))).toBe(true);
    expect(notes).toContain('sim: note: Network: 5 ms for every hop.');
    expect(r.stdout).toMatch(
      /^gateway-billing-service-and-notifier: event fan-out, seed 42, 1000 ms simulated/,
    );
  });

  it('runs one document, YAML or JSON, and takes --arch and --seed', () => {
    const yaml = sim(
      join(FIXTURES, 'warehouse-amqp.yaml'),
      '--arch',
      'chain',
      '--seed',
      '7',
      '--json',
    );
    expect(yaml.status).toBe(0);
    expect(JSON.parse(yaml.stdout)).toMatchObject({ architecture: 'chain', seed: 7 });
    const json = sim(
      join(FIXTURES, 'signup', 'accounts.yaml'),
      join(FIXTURES, 'signup', 'welcome.json'),
      '--json',
    );
    expect(json.status).toBe(0);
  });

  it('refuses a bad document with one line naming the file, the place and the line', () => {
    const path = join(dir, 'billing.yaml');
    writeFileSync(path, fixture('shop/billing.yaml').text.replace('action: send', 'action: sned'));
    const r = sim(shop[0] as string, path);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `${path}: /operations/announcePayment/action (line 31): must be "send" or "receive", not "sned"\n`,
    );
  });

  it('counts the other problems of a document in the same line', () => {
    const path = join(dir, 'orders.yaml');
    writeFileSync(
      path,
      'asyncapi: 3.0.0\ninfo: { title: Orders, version: "1" }\noperations:\n  a: { action: send }\n  b: { action: take }\n',
    );
    const r = sim(path);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${path}: /operations/a/channel (line 4): is required: a reference to a channel, such as { $ref: "#/channels/orderCreated" } (and 1 more)\n`,
    );
  });

  it('refuses to mix a document with something that is not one', () => {
    const notDoc = join(dir, 'lesson.json');
    writeFileSync(notDoc, JSON.stringify(findScenario('checkout')));
    const r = sim(shop[0] as string, notDoc);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${notDoc}: is not an AsyncAPI document; only AsyncAPI documents (one per application) run together\n`,
    );
  });
});

describe('npm run sim -- <scenario> --export asyncapi', () => {
  it('prints the system document as YAML, which runs back to the same trace hash', () => {
    const r = sim('ride-hailing', '--export', 'asyncapi');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const doc = parse(r.stdout) as { asyncapi: string; info: { title: string } };
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info.title).toBe('Ride hailing');
    const path = join(dir, 'ride-hailing.asyncapi.yaml');
    writeFileSync(path, r.stdout);
    const direct = JSON.parse(sim('ride-hailing', '--json').stdout) as Report;
    const back = sim(path, '--json');
    expect(back.stderr).toBe('');
    expect((JSON.parse(back.stdout) as Report).trace_hash).toBe(direct.trace_hash);
  });

  it('prints JSON with --json, and one document per service with --per-service', () => {
    const json = sim('checkout', '--export', 'asyncapi', '--json');
    expect((JSON.parse(json.stdout) as { asyncapi: string }).asyncapi).toBe('3.0.0');
    const stream = sim('checkout', '--export', 'asyncapi', '--per-service');
    const docs = parseAllDocuments(stream.stdout);
    expect(
      Array.isArray(docs) && docs.map((d) => (d.toJS() as { info: { title: string } }).info.title),
    ).toEqual(['Order Service', 'Payment Service', 'Email Service', 'Analytics Service']);
    const path = join(dir, 'checkout-services.yaml');
    writeFileSync(path, stream.stdout);
    const back = JSON.parse(sim(path, '--json').stdout) as Report;
    expect(back.trace_hash).toBe(
      (JSON.parse(sim('checkout', '--json').stdout) as Report).trace_hash,
    );
  });

  it('writes --seed and --arch into the document', () => {
    const r = sim('checkout', '--export', 'asyncapi', '--seed', '9', '--arch', 'event', '--json');
    expect(JSON.parse(r.stdout)['x-fanout'].scenario).toMatchObject({
      seed: 9,
      architecture: 'event',
    });
  });
});
