/**
 * Export: every built-in scenario and every template, as one AsyncAPI document for the
 * system and as one document per service, validates against the official AsyncAPI 3.0
 * JSON Schema (from @asyncapi/specs, not a copy), and reads back as the very same
 * scenario: the same trace hash, as a chain and as events.
 */
import specs from '@asyncapi/specs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { builtInScenarios } from '../../content/scenarios';
import { templates } from '../../content/templates';
import { type Scenario, Simulation } from '../../core';
import { documentText, exportAsyncApi, importAsyncApi, streamText } from './index';
import { formatAsyncApiProblem } from './problems';

// The schema embeds its own copy of the draft-07 meta-schema: ajv must not add another.
const ajv = new Ajv({ allErrors: true, strict: false, meta: false, validateSchema: false });
addFormats(ajv);
const validate = ajv.compile(specs.schemas['3.0.0']);

const all: [string, Scenario][] = [
  ...builtInScenarios.map((s) => [`scenario ${s.id}`, s] as [string, Scenario]),
  ...templates.map((t) => [`template ${t.id}`, t.scenario] as [string, Scenario]),
];

function traceHash(scenario: Scenario, architecture: 'chain' | 'event'): string {
  const sim = new Simulation(scenario, { architecture });
  sim.runUntil(scenario.duration_ms);
  return sim.traceHash;
}

function readBack(texts: { name: string; text: string }[]): Scenario {
  const r = importAsyncApi(texts);
  if (!r.ok) throw new Error(r.problems.map(formatAsyncApiProblem).join('\n'));
  // A document Fanout wrote says everything: no default had to be used.
  expect(r.value.notes).toEqual([]);
  return r.value.scenario;
}

describe('AsyncAPI export', () => {
  it('validates a wrong document as wrong (the schema is really applied)', () => {
    expect(
      validate({
        asyncapi: '3.0.0',
        info: { title: 'x', version: '1' },
        operations: { a: { action: 'publish' } },
      }),
    ).toBe(false);
  });

  it.each(all)(
    '%s: the system document validates against the AsyncAPI 3.0 schema',
    (_name, scenario) => {
      const [doc] = exportAsyncApi(scenario, 'system');
      const ok = validate(doc?.document);
      expect(ok ? [] : validate.errors?.slice(0, 5)).toEqual([]);
    },
  );

  it.each(all)(
    '%s: each per-service document validates against the AsyncAPI 3.0 schema',
    (_name, scenario) => {
      const docs = exportAsyncApi(scenario, 'per-service');
      expect(docs.map((d) => d.service)).toEqual(scenario.services.map((s) => s.id));
      for (const doc of docs) {
        const ok = validate(doc.document);
        expect(ok ? [] : [doc.fileName, validate.errors?.slice(0, 5)]).toEqual([]);
      }
    },
  );

  it('puts the broker in bindings other tools read: Kafka partitions, AMQP exchange, SQS queues', () => {
    const iot = templates.find((t) => t.id === 'iot-telemetry')?.scenario as Scenario;
    const kafka = documentText(exportAsyncApi(iot, 'system')[0]?.document);
    expect(kafka).toContain('protocol: kafka');
    expect(kafka).toMatch(
      /kafka:\n\s+topic: ReadingReceived\n\s+partitions: 12\n\s+topicConfiguration:\n\s+retention\.ms: 3600000/,
    );
    const food = templates.find((t) => t.id === 'food-delivery')?.scenario as Scenario;
    expect(documentText(exportAsyncApi(food, 'system')[0]?.document)).toMatch(
      /address: "#"[\s\S]*type: topic/,
    );
    const video = templates.find((t) => t.id === 'video-upload')?.scenario as Scenario;
    const sqs = documentText(exportAsyncApi(video, 'system')[0]?.document);
    expect(sqs).toMatch(
      /queues:\n\s+- name: transcoder-queue\n\s+fifoQueue: false\n\s+visibilityTimeout: 30\n\s+deliveryDelay: 0\n\s+messageRetentionPeriod: 345600\n\s+redrivePolicy:/,
    );
  });
});

describe('round trip scenario -> AsyncAPI -> scenario', () => {
  // Four full runs each: the IoT template (400 orders/s for a minute) takes 6 s alone, more under load.
  it.each(all)(
    '%s: the system document gives the same scenario and the same trace hashes',
    { timeout: 30_000 },
    (_name, scenario) => {
      const [doc] = exportAsyncApi(scenario, 'system');
      const back = readBack([{ name: 'system.yaml', text: documentText(doc?.document, 'yaml') }]);
      expect(back).toEqual(scenario);
      for (const architecture of ['chain', 'event'] as const)
        expect(traceHash(back, architecture), architecture).toBe(traceHash(scenario, architecture));
    },
  );

  it.each(all)(
    '%s: per-service documents, in any order, give the same scenario',
    (_name, scenario) => {
      const docs = exportAsyncApi(scenario, 'per-service');
      const files = docs
        .map((d) => ({ name: d.fileName, text: documentText(d.document, 'json') }))
        .reverse();
      expect(readBack(files)).toEqual(scenario);
      expect(
        readBack([{ name: 'all.yaml', text: streamText(docs.map((d) => d.document)) }]),
      ).toEqual(scenario);
    },
  );
});

describe('SQS settings in the bindings alone', () => {
  it('reads DelaySeconds and the retention period back from the SQS queue bindings, without x-fanout', () => {
    const base = templates.find((t) => t.scenario.broker.kind === 'sns-sqs')?.scenario;
    if (base?.broker.kind !== 'sns-sqs') throw new Error('no SNS + SQS template');
    const scenario: Scenario = {
      ...base,
      broker: { ...base.broker, delay_ms: 30_000, message_retention_ms: 3_600_000 },
    };
    const [doc] = exportAsyncApi(scenario, 'system');
    const document = { ...(doc?.document as Record<string, unknown>) };
    delete document['x-fanout'];
    const r = importAsyncApi([{ name: 'system.json', text: documentText(document, 'json') }]);
    if (!r.ok) throw new Error(r.problems.map(formatAsyncApiProblem).join('\n'));
    expect(r.value.scenario.broker).toMatchObject({
      kind: 'sns-sqs',
      delay_ms: 30_000,
      message_retention_ms: 3_600_000,
    });
  });
});
