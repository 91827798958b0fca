/**
 * A Fanout scenario -> a bash script of `kafka-topics.sh` / `kafka-configs.sh` commands
 * that creates what the log flavour (src/core/broker/log.ts) runs on, and a table of its
 * consumer groups. Pure: the same text for the same scenario.
 *
 * - One topic per event type (its name is the event name: Kafka topic names allow
 *   letters, digits, `.`, `_` and `-`), with the flavour's partitions and `retention.ms`.
 * - One consumer group per subscriber, `<scenario>.<service>` (fan-out = one group each),
 *   reading the topics its subscriptions select; the table says its `auto.offset.reset`
 *   and commit mode, which are consumer settings, not broker state.
 * - Retry and dead-letter topics are consumer patterns, not broker features (log.ts):
 *   with `retry: "retry-topic"` each group gets `<group>.retry`; with dead letters on,
 *   `<group>.dlt`.
 *
 * A scenario on another broker is exported with the log flavour's defaults (flavour.ts).
 */
import packageJson from '../../../package.json';
import { SCENARIO_VERSION, type Scenario } from '../../core/scenario';
import { brokerFor, eventTypes, forBroker, receivedTypes } from './flavour';

/** The Kafka version the log flavour imitates (src/core/scenario.ts). */
export const IMITATED_KAFKA = '4.2';

export interface KafkaTopic {
  name: string;
  partitions: number;
  config: Record<string, string>;
  /** What it is for, in one line. */
  role: string;
}

export interface KafkaGroup {
  id: string;
  service: string;
  topics: string[];
  autoOffsetReset: 'earliest' | 'latest';
  commit: string;
  type: 'consumer' | 'share';
}

export interface KafkaExport {
  topics: KafkaTopic[];
  groups: KafkaGroup[];
  notExpressed: string[];
  script: string;
}

/** A word for the shell: single-quoted, any quote inside closed and escaped. */
export function shellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** One comment line: no line break in it can end the comment early. */
const comment = (text: string) => `# ${text.replace(/[\r\n\u2028\u2029]+/g, ' ')}`;

export function exportKafka(scenario: Scenario): KafkaExport {
  const { scenario: s, note: hybrid } = forBroker(scenario);
  const { broker: b, note } = brokerFor(s, 'log');
  const notExpressed: string[] = [...(note ? [note] : []), ...(hybrid ? [hybrid] : [])];
  const retention = String(b.retention_ms);
  const topics: KafkaTopic[] = eventTypes(s).map((name) => ({
    name,
    partitions: b.partitions,
    config: { 'retention.ms': retention, 'cleanup.policy': 'delete' },
    role: `event ${name}`,
  }));
  const groups: KafkaGroup[] = [];
  for (const svc of s.services) {
    if (svc.subscribes.length === 0) continue;
    const id = `${s.id}.${svc.id}`;
    groups.push({
      id,
      service: svc.id,
      topics: receivedTypes(s, svc),
      autoOffsetReset: b.auto_offset_reset,
      commit:
        b.commit === 'after'
          ? 'after processing (enable.auto.commit=false; at-least-once)'
          : 'before processing (at-most-once)',
      type: b.group_type,
    });
    if (!svc.subscribed)
      notExpressed.push(`${svc.id} subscribes only when the learner adds it: start its group then`);
    if (b.retry === 'retry-topic' && b.group_type === 'consumer' && s.delivery.max_attempts > 1)
      topics.push({
        name: `${id}.retry`,
        partitions: b.partitions,
        config: { 'retention.ms': retention, 'cleanup.policy': 'delete' },
        role: `retries of ${svc.id} (consumer code waits out the backoff before processing)`,
      });
    if (s.delivery.dead_letter && b.group_type === 'consumer')
      topics.push({
        name: `${id}.dlt`,
        partitions: b.partitions,
        config: { 'retention.ms': retention, 'cleanup.policy': 'delete' },
        role: `dead letters of ${svc.id} (written by consumer code after attempt ${s.delivery.max_attempts})`,
      });
  }
  if (s.broker.kind === 'queue' && s.broker.exchange === 'topic')
    notExpressed.push(
      'topic-exchange patterns: each group subscribes to the topics they match today (a consumer could use a regex subscription instead)',
    );
  if (b.group_type === 'share')
    notExpressed.push(
      `share groups: the delivery count limit (${b.share_delivery_limit}) is the broker config group.share.delivery.count.limit in Kafka 4.2 (a group config only from 4.3, KIP-1240); the lock duration and offset reset are group configs, set below (kafka.apache.org/42/configuration/group-configs)`,
    );
  if (b.rebalance_ms > 0)
    notExpressed.push(`the ${b.rebalance_ms} ms rebalance pause is illustrative, not a setting`);
  notExpressed.push(
    'services, latency, workers, workload, faults, idempotency and backoff delays: application behaviour, not broker state',
  );

  const lines: string[] = [
    '#!/usr/bin/env bash',
    comment(
      `Produced by Fanout ${packageJson.version} from scenario "${s.id}" (${s.name}), scenario format ${SCENARIO_VERSION}.`,
    ),
    comment(
      `Kafka ${IMITATED_KAFKA} topics for the log flavour. Run with KAFKA_BIN (folder of kafka-topics.sh) and BOOTSTRAP set.`,
    ),
    '#',
    comment('What Kafka cannot express here:'),
    ...notExpressed.map((n) => comment(`- ${n}`)),
    '#',
    comment('Consumer groups (consumer settings, not broker state):'),
    comment('group id | type | topics | auto.offset.reset | commit'),
    ...groups.map((g) =>
      comment(`${g.id} | ${g.type} | ${g.topics.join(', ')} | ${g.autoOffsetReset} | ${g.commit}`),
    ),
    comment(`max.poll.interval.ms=${b.max_poll_interval_ms}`),
    '',
    // Shell parameter expansions, written out (\${ in a template is a literal ${).
    'set -euo pipefail',
    `BOOTSTRAP="\${BOOTSTRAP:-localhost:9092}"`,
    `KAFKA_BIN="\${KAFKA_BIN:-}"`,
    `if [ -n "$KAFKA_BIN" ]; then KAFKA_BIN="\${KAFKA_BIN%/}/"; fi`,
    '',
  ];
  for (const t of topics) {
    lines.push(comment(t.role));
    lines.push(
      [
        `"\${KAFKA_BIN}kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists`,
        `--topic ${shellWord(t.name)} --partitions ${t.partitions}`,
        ...Object.entries(t.config).map(([k, v]) => `--config ${shellWord(`${k}=${v}`)}`),
      ].join(' \\\n  '),
    );
  }
  if (b.group_type === 'share')
    for (const g of groups)
      lines.push(
        [
          `"\${KAFKA_BIN}kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --alter`,
          `--entity-type groups --entity-name ${shellWord(g.id)}`,
          `--add-config ${shellWord(`share.record.lock.duration.ms=${b.share_lock_ms},share.auto.offset.reset=${b.auto_offset_reset}`)}`,
        ].join(' \\\n  '),
      );
  return { topics, groups, notExpressed, script: `${lines.join('\n')}\n` };
}
