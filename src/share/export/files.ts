/**
 * The broker exports as files: the main file of each format (what `--export` prints and
 * the Share dialog downloads) and, for `--out DIR`, the example producer/consumer of each
 * service beside it. Pure: names and texts, no I/O.
 */
import type { Scenario } from '../../core/scenario';
import { fail, ok, type Result } from '../result';
import type { ExportFile } from './examples/common';
import { kafkaExamples } from './examples/kafka';
import { rabbitMqExamples } from './examples/rabbitmq';
import { snsSqsExamples } from './examples/snsSqs';
import { brokerFor, forBroker } from './flavour';
import { exportKafka } from './kafka';
import { definitionsText, exportRabbitMq } from './rabbitmq';
import { exportSnsSqs } from './snsSqs';

export type { ExportFile } from './examples/common';

export const BROKER_EXPORTS = ['rabbitmq', 'kafka', 'sns-sqs'] as const;
export type BrokerExport = (typeof BROKER_EXPORTS)[number];

/** Each format's main file: its name in a folder, and its media type for a download. */
export const MAIN_FILE: Record<BrokerExport, { name: string; type: string; label: string }> = {
  rabbitmq: { name: 'definitions.json', type: 'application/json', label: 'RabbitMQ definitions' },
  kafka: { name: 'kafka-topics.sh', type: 'text/x-shellscript', label: 'Kafka topics script' },
  'sns-sqs': {
    name: 'cloudformation.yaml',
    type: 'application/yaml',
    label: 'AWS CloudFormation template',
  },
};

/** The name a download gets: the scenario id first, so two scenarios' files do not collide. */
export function downloadName(scenarioId: string, format: BrokerExport): string {
  const base = /^[a-z][a-z0-9-]{0,39}$/.test(scenarioId) ? scenarioId : 'scenario';
  return `${base}.${MAIN_FILE[format].name}`;
}

/** The main file alone: what `--export` prints and the Share dialog downloads. */
export function mainFile(s: Scenario, format: BrokerExport): Result<ExportFile> {
  const name = MAIN_FILE[format].name;
  if (format === 'rabbitmq') {
    const d = exportRabbitMq(s);
    return d.ok ? ok({ name, text: definitionsText(d.value) }) : d;
  }
  if (format === 'kafka') return ok({ name, text: exportKafka(s).script });
  return ok({ name, text: exportSnsSqs(s).text });
}

/** Every file of the format: the main file, then one example per service. */
export function exportFiles(scenario: Scenario, format: BrokerExport): Result<ExportFile[]> {
  const main = mainFile(scenario, format);
  if (!main.ok) return main;
  // The examples see what the broker sees: a hybrid file's synchronous services consume nothing.
  const s = forBroker(scenario).scenario;
  if (format === 'rabbitmq') {
    const d = exportRabbitMq(s);
    if (!d.ok) return d;
    return ok([main.value, ...rabbitMqExamples(s, d.value, brokerFor(s, 'queue').broker)]);
  }
  if (format === 'kafka')
    return ok([main.value, ...kafkaExamples(s, exportKafka(s), brokerFor(s, 'log').broker)]);
  return format === 'sns-sqs'
    ? ok([main.value, ...snsSqsExamples(s, exportSnsSqs(s), brokerFor(s, 'sns-sqs').broker)])
    : fail(`no export "${format}"`);
}
