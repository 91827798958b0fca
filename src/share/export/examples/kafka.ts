/**
 * One kafkajs example per service for the `kafka` export: the log flavour's consumer
 * settings (the group, `auto.offset.reset`, commit after or before the work, retries in
 * place or through the retry topic, the dead-letter topic) and the producer's publish
 * mode with `acks: -1`, on the topics of the script (names read off it).
 */
import type { Scenario } from '../../../core/scenario';
import type { KafkaExport } from '../kafka';
import {
  commonLeavesOut,
  consumerDoes,
  type ExportFile,
  exampleName,
  examplesPerService,
  failureCode,
  handleCode,
  header,
  lit,
  producerCode,
  type Service,
  sharedCode,
  takesOrders,
} from './common';

type LogBroker = Extract<Scenario['broker'], { kind: 'log' }>;

export function kafkaExamples(s: Scenario, k: KafkaExport, b: LogBroker): ExportFile[] {
  return examplesPerService(s, (svc) => serviceFile(s, k, b, svc));
}

function serviceFile(s: Scenario, k: KafkaExport, b: LogBroker, svc: Service): string {
  const group = k.groups.find((g) => g.service === svc.id);
  const produces = takesOrders(s, svc);
  const topicNames = new Set(k.topics.map((t) => t.name));
  const retryTopic = group && topicNames.has(`${group.id}.retry`) ? `${group.id}.retry` : undefined;
  const deadLetterTopic =
    group && topicNames.has(`${group.id}.dlt`) ? `${group.id}.dlt` : undefined;
  const retries = s.delivery.max_attempts > 1;

  const does: string[] = [];
  const leavesOut = commonLeavesOut(s, svc);
  const producer = produces ? producerCode(s, svc) : undefined;
  if (producer) does.push(...producer.does);
  if (svc.emits.length > 0)
    does.push(
      'produces each event to the topic of its name, keyed by customer (same key, same partition), with acks: -1 (all in-sync replicas) and an idempotent producer',
    );
  if (group) {
    does.push(
      `reads ${group.topics.join(', ')} in consumer group ${group.id} (auto.offset.reset ${group.autoOffsetReset}), ${svc.concurrency} partitions at a time`,
      b.commit === 'after'
        ? 'commits each offset after the work (at-least-once)'
        : 'commits each offset BEFORE the work, as the scenario says (at-most-once: a crash loses the record)',
      ...consumerDoes(svc),
    );
    if (!retries) does.push('does not retry a failed record (max_attempts 1)');
    else if (retryTopic)
      does.push(
        `on failure: writes the record to ${retryTopic} with its next attempt and the time it may run, and moves on (out of order); the group reads that topic too and waits the backoff out`,
      );
    else
      does.push(
        'on failure: retries in place after the backoff while its partition waits (head-of-line blocking)',
      );
    does.push(
      deadLetterTopic
        ? `after attempt ${s.delivery.max_attempts}: writes it to ${deadLetterTopic}`
        : `after attempt ${s.delivery.max_attempts}: skips it (dead letters are off)`,
    );
    if (b.group_type === 'share')
      leavesOut.push(
        'share groups (KIP-932): kafkajs has no share-group client, so this reads as a classic consumer group; use a client with share-group support for per-record acknowledgement',
      );
  }
  if (svc.subscribes.length > 0 && !svc.subscribed)
    leavesOut.push('the subscription added during the run: start this consumer when you want it');

  const code: string[] = [
    ...header(s, svc, {
      flavour: 'Kafka (kafkajs)',
      run: `bash kafka-topics.sh; npm install kafkajs tsx; BOOTSTRAP=localhost:9092 npx tsx ${exampleName(svc)}`,
      does,
      leavesOut,
      cannotExpress: k.notExpressed,
    }),
    '',
    'import { randomUUID } from "node:crypto";',
    'import kafkajs from "kafkajs";',
    'import type { KafkaMessage } from "kafkajs";',
    '',
    '// kafkajs is a CommonJS package: its classes come through the default import.',
    'const { Kafka } = kafkajs;',
    '',
    ...(group
      ? [
          `const GROUP = ${lit(group.id)};`,
          `const TOPICS: string[] = ${lit(group.topics)};`,
          `const RETRY_TOPIC: string | undefined = ${retryTopic ? lit(retryTopic) : 'undefined'};`,
          `const DEAD_LETTER_TOPIC: string | undefined = ${deadLetterTopic ? lit(deadLetterTopic) : 'undefined'};`,
        ]
      : []),
    '',
    ...sharedCode(s, svc),
    '',
    '// ---- The broker -----------------------------------------------------------------',
    'const kafka = new Kafka({',
    `  clientId: ${lit(svc.id)},`,
    '  brokers: (process.env.BOOTSTRAP ?? "localhost:9092").split(","),',
    '});',
    '// Idempotent: a producer retry after a lost acknowledgement does not write the record twice.',
    'const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });',
    'await producer.connect();',
    '',
    '/** Writes one record and resolves once every in-sync replica has it (acks: -1). */',
    'async function send(topic: string, event: OrderEvent, headers: Record<string, string> = {}): Promise<void> {',
    '  await producer.send({',
    '    topic,',
    '    acks: -1,',
    '    messages: [',
    '      { key: event.key, value: JSON.stringify(event), headers: { "message-id": event.event_id, ...headers } },',
    '    ],',
    '  });',
    '}',
    '',
    '/** Publishes an event to the topic of its name. */',
    'function publishEvent(event: OrderEvent): Promise<void> {',
    '  return send(event.type, event);',
    '}',
    '',
  ];
  if (group) {
    code.push(
      ...handleCode(svc),
      '',
      ...failureCode(svc),
      '',
      'const header = (message: KafkaMessage, name: string): string | undefined =>',
      '  message.headers?.[name]?.toString();',
      '',
      '/** The record failed for good: to the dead-letter topic, if there is one. */',
      'async function deadLetter(event: OrderEvent, attempt: number): Promise<void> {',
      '  await failedForGood(event);',
      '  if (DEAD_LETTER_TOPIC) await send(DEAD_LETTER_TOPIC, event, { attempt: String(attempt) });',
      '}',
      '',
      '/** One record: its attempts, as the scenario says. Resolves when it is done with. */',
      'async function processRecord(topic: string, message: KafkaMessage): Promise<void> {',
      '  const event = JSON.parse(message.value?.toString() ?? "{}") as OrderEvent;',
      '  const messageId = header(message, "message-id") ?? event.event_id;',
      '  let attempt = Number(header(message, "attempt") ?? 1);',
      '  if (topic === RETRY_TOPIC) {',
      '    // A retry waits out its backoff; this blocks the retry topic partition only.',
      '    await sleep(Math.max(0, Number(header(message, "not-before") ?? 0) - Date.now()));',
      '  }',
      '  for (;;) {',
      '    try {',
      '      const rememberAfter = await handle(event, messageId);',
      '      if (rememberAfter !== undefined) store.remember(rememberAfter);',
      '      return;',
      '    } catch {',
      '      if (attempt >= MAX_ATTEMPTS) return deadLetter(event, attempt);',
      '      const wait = backoffMs(attempt);',
      '      attempt++;',
      '      if (RETRY_TOPIC) {',
      '        // Move on: the retry comes back through the retry topic, out of order.',
      '        return send(RETRY_TOPIC, event, {',
      '          "message-id": messageId,',
      '          attempt: String(attempt),',
      '          "not-before": String(Date.now() + wait),',
      '        });',
      '      }',
      '      await sleep(wait); // in place: the partition waits (head-of-line blocking)',
      '    }',
      '  }',
      '}',
      '',
      'const consumer = kafka.consumer({',
      '  groupId: GROUP,',
      `  rebalanceTimeout: ${lit(b.max_poll_interval_ms)}, // max.poll.interval.ms`,
      '});',
      'await consumer.connect();',
      // fromBeginning is kafkajs's auto.offset.reset for a group with no committed offset.
      `await consumer.subscribe({ topics: RETRY_TOPIC ? [...TOPICS, RETRY_TOPIC] : TOPICS, fromBeginning: ${lit(group.autoOffsetReset === 'earliest')} });`,
      'await consumer.run({',
      '  autoCommit: false, // commits are ours, after (or before) the work',
      `  partitionsConsumedConcurrently: ${lit(svc.concurrency)},`,
      '  eachMessage: async ({ topic, partition, message }) => {',
      '    // The committed offset is the next record to read.',
      '    const next = [{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }];',
      ...(b.commit === 'before'
        ? [
            '    await consumer.commitOffsets(next); // before the work: at-most-once',
            '    await processRecord(topic, message);',
          ]
        : [
            '    await processRecord(topic, message);',
            '    await consumer.commitOffsets(next); // after the work: at-least-once',
          ]),
      '  },',
      '});',
    );
  }
  if (producer) code.push('', ...producer.code);
  if (producer?.code.some((l) => l.startsWith('async function relay')))
    code.push('', 'void relay();');
  if (producer) code.push('', 'await sendOrders(20);');
  return `${code.join('\n')}\n`;
}
