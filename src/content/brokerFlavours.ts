/**
 * The three broker flavours as the playground presents them: which product and version
 * each imitates, its words for things, its settings with their defaults, and a link to
 * the vendor's documentation for every setting. The semantics live in
 * `src/core/broker.ts`; this file is only what a learner reads.
 *
 * Links are ordinary links: offline they simply do not open.
 */
import type { Scenario } from '../core/scenario';
import { type BrokerKind, FLAVOUR_NAMES, type FlavourName } from './flavourNames';

export { type BrokerKind, FLAVOUR_ORDER } from './flavourNames';
export type BrokerSettings = Scenario['broker'];

/** A value a setting can take in the scenario (`undefined`: the key is left out, "off"). */
export type SettingValue = string | number | boolean | undefined;

export interface SettingChoice {
  value: SettingValue;
  label: string;
}

export interface FlavourSetting {
  /** The key in the scenario's `broker` object, or a name for facts that are not keys. */
  key: string;
  label: string;
  /** One sentence: what it does, in the vendor's words where possible. */
  help: string;
  /** The default, as a learner reads it ("20", "= workers per replica", "30 s"). */
  defaultText: string;
  /** Vendor documentation for this setting. */
  docUrl: string;
  docLabel: string;
  /** Choices offered in the playground; absent: shown, not editable here. */
  choices?: readonly SettingChoice[];
  /**
   * Who does it, where a flavour separates the two (log): the broker itself, or the
   * consumer code the team writes (retries, dead-letter topics, commits). Absent: the broker.
   */
  by?: 'broker' | 'consumer';
}

export interface Flavour extends FlavourName {
  /** The product's home in its documentation. */
  homeUrl: string;
  /** Two or three sentences: how it works and what to watch. */
  summary: string;
  settings: readonly FlavourSetting[];
  /**
   * Who does what: what the broker itself does, what the consumer's code does, and where
   * the playground simplifies the product.
   */
  roles: { broker: readonly string[]; consumer: readonly string[]; simplified: readonly string[] };
  /**
   * How the product's versions differ on what the flavour shows, and how it was checked
   * against a real one (`npm run verify:rabbitmq`). Omitted: no such check.
   */
  versions?: { checked: string; differences: readonly string[] };
}

/** What every flavour's consumers share (src/core/broker/consumers.ts, startWork). */
const PREFETCH_NOTE =
  'A consumer is modelled as fetching the next message while it works (prefetch, a batch receive, a fetch), so a worker is busy only while it works: capacity is workers ÷ mean work time. Only a message handed to an idle worker pays the network hop.';

/** What every flavour's broker faults share (src/core/faults.ts, setBrokerFault; broker/routing.ts). */
const BROKER_FAULT_NOTE =
  'A broker outage (its switch on the canvas, or a fault on "broker") is the whole broker at once: a publish is refused as it leaves its producer, and a publish already on its way is still taken. Consumers already working finish and their acknowledgements count; the broker\u2019s timers (TTL, visibility, retention) keep running. Publisher confirms take the network round trip plus broker.confirm_ms (0 unless set).';

const RABBIT = 'https://www.rabbitmq.com/docs';
const KAFKA = 'https://kafka.apache.org/documentation';
const SQS = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide';
const SNS = 'https://docs.aws.amazon.com/sns/latest/dg';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `30000` -> `30 s`, `604800000` -> `7 days`. */
export function formatDuration(ms: number): string {
  if (ms >= DAY && ms % DAY === 0) return `${ms / DAY} day${ms === DAY ? '' : 's'}`;
  if (ms >= HOUR && ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms >= MINUTE && ms % MINUTE === 0) return `${ms / MINUTE} min`;
  if (ms >= SECOND) return `${Number((ms / SECOND).toFixed(1))} s`;
  return `${ms} ms`;
}

const durations = (values: number[]): SettingChoice[] =>
  values.map((v) => ({ value: v, label: formatDuration(v) }));
const counts = (values: number[]): SettingChoice[] =>
  values.map((v) => ({ value: v, label: String(v) }));
const OFF: SettingChoice = { value: undefined, label: 'off' };

export const FLAVOURS: Record<BrokerKind, Flavour> = {
  queue: {
    ...FLAVOUR_NAMES.queue,
    homeUrl: `${RABBIT}/queues`,
    summary:
      'An exchange copies each event into every queue bound to it; each subscriber reads its own queue and acknowledges each message. A message it fails on is retried, requeued or rejected to the dead-letter queue; a message waiting too long expires.',
    settings: [
      {
        key: 'exchange',
        label: 'Exchange type',
        help: 'direct copies an event to the queues bound with its name (the routing key); fanout ignores the routing key and copies every event to every bound queue (a consumer acks the types it has no handler for unread); topic matches dotted keys against patterns (* is one word, # any number).',
        defaultText: 'direct',
        docUrl: `${RABBIT}/exchanges`,
        docLabel: 'RabbitMQ: exchanges',
        choices: [
          { value: 'direct', label: 'direct' },
          { value: 'fanout', label: 'fanout' },
          { value: 'topic', label: 'topic' },
        ],
      },
      {
        key: 'alternate_exchange',
        label: 'Alternate exchange',
        help: 'Keeps events no queue is bound to instead of dropping them.',
        defaultText: 'off',
        docUrl: `${RABBIT}/ae`,
        docLabel: 'RabbitMQ: alternate exchanges',
        choices: [
          { value: false, label: 'off' },
          { value: true, label: 'on' },
        ],
      },
      {
        key: 'prefetch',
        label: 'Prefetch',
        help: "Most unacknowledged messages one consumer channel (one per replica) holds at once. RabbitMQ sets no limit unless the consumer asks (basic.qos); the playground's default of one per worker is a teaching default, so a consumer never holds more than it can work on.",
        defaultText: '= workers per replica (teaching default)',
        docUrl: `${RABBIT}/consumer-prefetch`,
        docLabel: 'RabbitMQ: consumer prefetch',
        choices: [
          { value: undefined, label: '= workers per replica (teaching default)' },
          ...counts([1, 2, 4, 10, 50]),
        ],
      },
      {
        key: 'message_ttl_ms',
        label: 'Message TTL',
        help: 'A message waiting longer than this expires and is dead-lettered.',
        defaultText: 'off',
        docUrl: `${RABBIT}/ttl`,
        docLabel: 'RabbitMQ: time-to-live',
        choices: [OFF, ...durations([1 * SECOND, 5 * SECOND, 10 * SECOND, 30 * SECOND, MINUTE])],
      },
      {
        key: 'max_length',
        label: 'Max length',
        help: 'Most messages a queue holds; what happens beyond it is the overflow behaviour.',
        defaultText: 'off',
        docUrl: `${RABBIT}/maxlength`,
        docLabel: 'RabbitMQ: queue length limit',
        choices: [OFF, ...counts([10, 50, 100, 1000])],
      },
      {
        key: 'overflow',
        label: 'Overflow',
        help: 'drop-head dead-letters the oldest message to make room; reject-publish refuses the new one and tells the publisher. A quorum queue takes the message that puts it one past the limit, then refuses until it is back to 80% of it; a classic queue refuses at the limit.',
        defaultText: 'drop-head',
        docUrl: `${RABBIT}/maxlength#overflow-behaviour`,
        docLabel: 'RabbitMQ: overflow behaviour',
        choices: [
          { value: 'drop-head', label: 'drop-head' },
          { value: 'reject-publish', label: 'reject-publish' },
        ],
      },
      {
        key: 'queue_type',
        label: 'Queue type',
        help: 'quorum: replicated, with a delivery limit; classic: no delivery limit, a message that keeps failing is requeued forever.',
        defaultText: 'quorum',
        docUrl: `${RABBIT}/quorum-queues`,
        docLabel: 'RabbitMQ: quorum queues',
        choices: [
          { value: 'quorum', label: 'quorum' },
          { value: 'classic', label: 'classic' },
        ],
      },
      {
        key: 'delivery_limit',
        label: 'Delivery limit',
        help: "A quorum queue dead-letters a message once it has been returned more than this many times (nack or reject with requeue, or its consumer's channel closed): with 20 it is delivered at most 21 times. Classic queues have none.",
        defaultText: '20',
        docUrl: `${RABBIT}/quorum-queues#poison-message-handling`,
        docLabel: 'RabbitMQ: poison message handling',
        choices: counts([2, 5, 10, 20, 50]),
      },
      {
        key: 'consumer_timeout_ms',
        label: 'Consumer timeout',
        help: "A delivery not acknowledged within this closes the consumer's channel, and every message unacknowledged on that channel goes back to the queue (each return counts toward the delivery limit).",
        defaultText: '30 min',
        docUrl: `${RABBIT}/consumers#acknowledgement-timeout`,
        docLabel: 'RabbitMQ: delivery acknowledgement timeout',
        choices: durations([1 * SECOND, 5 * SECOND, 30 * SECOND, 30 * MINUTE]),
      },
      {
        key: 'on_failure',
        label: 'On failure',
        help: 'retry: your consumer rejects it to a retry queue, which holds it for the backoff (a message TTL) and dead-letters it back to the work queue; requeue: nack with requeue, straight back to the head; reject: reject without requeue, to the dead-letter queue.',
        defaultText: 'retry',
        docUrl: `${RABBIT}/confirms#consumer-nacks-requeue`,
        docLabel: 'RabbitMQ: negative acknowledgements',
        choices: [
          { value: 'retry', label: 'retry after backoff' },
          { value: 'requeue', label: 'nack with requeue' },
          { value: 'reject', label: 'reject (dead-letter)' },
        ],
      },
      {
        key: 'dead_letter',
        label: 'Dead-letter exchange',
        help: 'Rejected, expired, overflowed and over-delivered messages go to the dead-letter queue.',
        defaultText: 'on',
        docUrl: `${RABBIT}/dlx`,
        docLabel: 'RabbitMQ: dead letter exchanges',
      },
    ],
    roles: {
      broker: [
        'Routes each event to the bound queues (the exchange) and keeps the copies in order.',
        'Expires a message whose TTL runs out, drops or refuses past max-length, and dead-letters what leaves unprocessed.',
        'Counts returns on a quorum queue and dead-letters a message past its delivery limit.',
        'Closes a channel whose delivery was not acked within the consumer timeout, returning everything unacked on it.',
      ],
      consumer: [
        'Acks a message once its work is done, or nacks / rejects it.',
        'Retries with a delay: rejects the message to a retry queue whose message TTL is the delay and whose dead-letter exchange points back at the work queue. RabbitMQ has no delayed redelivery of its own.',
        'Counts attempts (the x-death header) and gives up after max attempts, to the dead-letter queue.',
      ],
      simplified: [
        'One "Retry queue" node stands for the retry queues: a real setup needs one queue per delay step, because a per-message TTL only expires at the head of a queue.',
        'Jittered delays need the delayed-message exchange plugin (or one queue per delay); the playground draws each jittered delay as if it had one.',
        'A closed channel abandons the work in progress on it; the broker checks the consumer timeout on a periodic tick, the playground at the exact moment.',
        BROKER_FAULT_NOTE,
        'During an outage a real RabbitMQ closes consumers\u2019 channels and delivers their unacknowledged messages again.',
        'A leader change (a quorum queue\u2019s leader moving, "Move a leader" on the broker) lasts as long as you say: a controlled move takes well under a second, a crashed leader as long as the cluster takes to notice. While it lasts, a publish routed to that queue waits whole, its copies to the other queues with it (RabbitMQ gives them theirs at once and only the confirm waits), and acks and unacknowledged deliveries carry on.',
        PREFETCH_NOTE,
      ],
    },
    versions: {
      checked:
        'The repository\u2019s verify:rabbitmq script runs the same publishes, acks, nacks and rejects on a real RabbitMQ and compares every copy\u2019s fate with the engine\u2019s: routing on each exchange type, the alternate exchange, the delivery limit, reject, TTL, max-length with drop-head and reject-publish, the retry queues and prefetch. The broker it can install here (Debian) is 3.10, older than the 4.2 this flavour imitates, so it sets what differs explicitly.',
      differences: [
        'Quorum queues have a default delivery limit of 20 from RabbitMQ 4.0; before that there is none, and a message nacked with requeue comes back forever. The check sets x-delivery-limit on every quorum queue.',
        'In 4.0\u20134.2 every return counts toward the delivery limit (nack or reject with requeue, a closed channel); 4.3 counts deliveries instead, and explicit returns no longer do. The playground follows 4.2.',
        'A quorum queue with reject-publish accepts the message that puts it one past x-max-length, then refuses until it is back to 80% of the limit (rabbit_fifo, 3.10 and 4.2 alike); a classic queue refuses at the limit.',
        'RabbitMQ 3.10 does not import a definitions file whose queues name no vhost; the export names it.',
      ],
    },
  },
  log: {
    ...FLAVOUR_NAMES.log,
    homeUrl: `${KAFKA}/#intro_concepts_and_terms`,
    summary:
      'The broker only appends each event to one partition of a topic, chosen by a hash of its key, keeps it until retention deletes it, read or not, and stores each group’s committed offsets. Everything else is consumer code: a consumer group reads each partition with one member, in order (extra members sit idle); retries and dead-letter topics are patterns your consumers implement. A share group (Kafka 4.2) lets every member read every partition, record by record.',
    settings: [
      {
        key: 'partitions',
        label: 'Partitions',
        help: 'Same key, same partition, in order. A consumer group has at most one busy member per partition. 3 is a teaching default; Kafka’s broker default (num.partitions) is 1.',
        defaultText: '3',
        docUrl: `${KAFKA}/#brokerconfigs_num.partitions`,
        docLabel: 'Kafka: num.partitions',
        choices: counts([1, 2, 3, 4, 6, 8, 12]),
        by: 'broker',
      },
      {
        key: 'retention_ms',
        label: 'Retention',
        help: 'Records older than this are deleted, whether a group has read them or not.',
        defaultText: '7 days',
        docUrl: `${KAFKA}/#topicconfigs_retention.ms`,
        docLabel: 'Kafka: retention.ms',
        choices: durations([10 * SECOND, 30 * SECOND, MINUTE, 10 * MINUTE, HOUR, 7 * DAY]),
        by: 'broker',
      },
      {
        key: 'offset_reset',
        label: 'Replay (reset offsets)',
        help: 'The broker stores each group’s committed offsets. A stopped group can move them to the earliest record, an offset or a time, and read again.',
        defaultText: 'stopped group only',
        docUrl: `${KAFKA}/#basic_ops_consumer_group`,
        docLabel: 'Kafka: managing consumer groups',
        by: 'broker',
      },
      {
        key: 'group_type',
        label: 'Group type',
        help: 'consumer group: one member per partition, in order, offsets committed. Share group (KIP-932, production-ready in Kafka 4.2): every member reads every partition; each record is acquired, then acknowledged or released on its own; no order.',
        defaultText: 'consumer group',
        docUrl: `${KAFKA}/#sharegroups`,
        docLabel: 'Kafka: share groups',
        choices: [
          { value: 'consumer', label: 'consumer group' },
          { value: 'share', label: 'share group' },
        ],
        by: 'broker',
      },
      {
        key: 'share_lock_ms',
        label: 'Share: acquisition lock',
        help: 'Share group only: a record not acknowledged within this time is released and delivered again (group.share.record.lock.duration.ms).',
        defaultText: '30 s',
        docUrl: `${KAFKA}/#brokerconfigs_group.share.record.lock.duration.ms`,
        docLabel: 'Kafka: group.share.record.lock.duration.ms',
        choices: durations([2 * SECOND, 5 * SECOND, 30 * SECOND, MINUTE]),
        by: 'broker',
      },
      {
        key: 'share_delivery_limit',
        label: 'Share: delivery count limit',
        help: 'Share group only: after this many deliveries a record is archived, never delivered again (group.share.delivery.count.limit, 2 to 10). No dead-letter topic here.',
        defaultText: '5',
        docUrl: `${KAFKA}/#brokerconfigs_group.share.delivery.count.limit`,
        docLabel: 'Kafka: group.share.delivery.count.limit',
        choices: counts([2, 3, 5, 10]),
        by: 'broker',
      },
      {
        key: 'rebalance_ms',
        label: 'Rebalance pause',
        help: 'Consumer group only: when a member joins or leaves (scaling, an outage), the group stops reading this long while partitions are reassigned. Illustrative: the cooperative protocol and KIP-848’s consumer protocol (Kafka 4.0) make it much shorter.',
        defaultText: 'off',
        docUrl: `${KAFKA}/#consumerconfigs_group.protocol`,
        docLabel: 'Kafka: group.protocol (KIP-848)',
        choices: [
          { value: 0, label: 'off' },
          ...durations([500, 2 * SECOND, 5 * SECOND, 10 * SECOND]),
        ],
        by: 'broker',
      },
      {
        key: 'commit',
        label: 'Commit offsets',
        help: 'Your consumer commits after processing: at-least-once (a crash reads the record again); before: at-most-once (a crash loses it).',
        defaultText: 'after processing',
        docUrl: `${KAFKA}/#semantics`,
        docLabel: 'Kafka: message delivery semantics',
        choices: [
          { value: 'after', label: 'after processing' },
          { value: 'before', label: 'before processing' },
        ],
        by: 'consumer',
      },
      {
        key: 'retry',
        label: 'Retry failed records',
        help: 'Kafka has no broker-side retry. In place: your consumer retries after the backoff while the partition waits behind the record (head-of-line blocking, order kept). Retry topic: it writes the record to a retry topic and reads on; the record comes back after the backoff, out of order. Either way the last attempt goes to a dead-letter topic your code writes.',
        defaultText: 'in place (partition waits)',
        docUrl: `${KAFKA}/#semantics`,
        docLabel: 'Kafka: delivery semantics (no broker retries)',
        choices: [
          { value: 'in-place', label: 'in place (partition waits)' },
          { value: 'retry-topic', label: 'retry topic (moves on)' },
        ],
        by: 'consumer',
      },
      {
        key: 'auto_offset_reset',
        label: 'auto.offset.reset',
        help: 'Where your consumer starts when its group’s committed offset was deleted by retention (or it has none): latest skips to the log end, earliest reads what is still kept.',
        defaultText: 'latest',
        docUrl: `${KAFKA}/#consumerconfigs_auto.offset.reset`,
        docLabel: 'Kafka: auto.offset.reset',
        choices: [
          { value: 'latest', label: 'latest' },
          { value: 'earliest', label: 'earliest' },
        ],
        by: 'consumer',
      },
      {
        key: 'max_poll_interval_ms',
        label: 'max.poll.interval.ms',
        help: 'A consumer that spends longer than this on one poll leaves the group: another member reads its uncommitted record again, and its late commit is refused.',
        defaultText: '5 min',
        docUrl: `${KAFKA}/#consumerconfigs_max.poll.interval.ms`,
        docLabel: 'Kafka: max.poll.interval.ms',
        choices: durations([1 * SECOND, 5 * SECOND, 30 * SECOND, 5 * MINUTE]),
        by: 'consumer',
      },
      {
        key: 'members',
        label: 'Group members',
        help: 'One per worker of the subscriber (replicas × workers per replica); scaling it rebalances the partitions.',
        defaultText: '= workers',
        docUrl: `${KAFKA}/#consumerconfigs_group.id`,
        docLabel: 'Kafka: group.id',
        by: 'consumer',
      },
    ],
    roles: {
      broker: [
        'Appends each event to one partition of its topic, chosen by a hash of its key, and keeps it until retention deletes it, read or not.',
        'Stores each group’s committed offsets, assigns partitions to the group’s members and rebalances when members join or leave.',
        'Share group: hands each record to one member at a time under an acquisition lock, and archives it after the delivery count limit.',
      ],
      consumer: [
        'Reads each partition in order and commits its offset after the work (at-least-once) or before (at-most-once).',
        'Retries a failed record: in place, so its partition waits behind it, or by writing it to a retry topic and reading on.',
        'Writes what keeps failing to a dead-letter topic: Kafka has none of its own.',
        'Chooses where to start when it has no valid offset (auto.offset.reset).',
      ],
      simplified: [
        'Replication is not modelled: an appended record is never lost. A leader change ("Move a leader" on the broker) makes one partition of every topic leaderless for as long as you say: its sends wait (the producer retries on "not leader" and sends again once the new leader is known) and no group reads it. With KRaft a crashed broker is fenced after broker.session.timeout.ms, 9 s by default, before its partitions get new leaders; a controlled shutdown moves them at once.',
        BROKER_FAULT_NOTE,
        'With the broker down, a send here fails at once; a real Kafka producer retries a send itself (retry.backoff.ms 100 ms up to 1 s) until delivery.timeout.ms, 2 minutes, before it reports a failure.',
        'One "Retry topic" node stands for retry topics with partitions of their own (often one per delay step); any free worker of the service reads a retried record.',
        'A rebalance is one pause of rebalance_ms for the whole group; real pauses depend on the assignor and the protocol (KIP-848 makes them short).',
        'Share groups have no dead-letter topic (that is KIP-1191, newer than 4.2), and a lock is not released early.',
        PREFETCH_NOTE,
      ],
    },
  },
  'sns-sqs': {
    ...FLAVOUR_NAMES['sns-sqs'],
    homeUrl: `${SNS}/sns-sqs-as-subscriber.html`,
    summary:
      'An SNS topic copies each message to every subscribed SQS queue. A received message becomes invisible for the visibility timeout and reappears unless the consumer deletes it; after maxReceiveCount receives the redrive policy moves it to the dead-letter queue.',
    settings: [
      {
        key: 'visibility_timeout_ms',
        label: 'Visibility timeout',
        help: 'How long a received message stays hidden; not deleted by then, it is received again.',
        defaultText: '30 s',
        docUrl: `${SQS}/sqs-visibility-timeout.html`,
        docLabel: 'SQS: visibility timeout',
        choices: durations([1 * SECOND, 5 * SECOND, 10 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE]),
      },
      {
        key: 'max_receive_count',
        label: 'maxReceiveCount',
        help: 'Redrive policy: after this many receives the message moves to the dead-letter queue. AWS has no default: you must choose one; 5 is a teaching default.',
        defaultText: '5',
        docUrl: `${SQS}/sqs-dead-letter-queues.html`,
        docLabel: 'SQS: dead-letter queues',
        choices: counts([1, 2, 3, 5, 10]),
      },
      {
        key: 'extend_visibility',
        label: 'Visibility heartbeat',
        help: 'Your consumer calls ChangeMessageVisibility while it works, so a slow worker keeps its message; a crashed one stops extending it and the message comes back.',
        defaultText: 'off',
        docUrl: `${SQS}/sqs-visibility-timeout.html`,
        docLabel: 'SQS: visibility timeout',
        choices: [
          { value: false, label: 'off' },
          { value: true, label: 'on' },
        ],
      },
      {
        key: 'message_retention_ms',
        label: 'Message retention',
        help: 'SQS deletes a message this long after it was sent, received or not; it does not go to the dead-letter queue.',
        defaultText: '4 days',
        docUrl: `${SQS}/sqs-basic-architecture.html`,
        docLabel: 'SQS: message lifecycle',
        choices: durations([MINUTE, 5 * MINUTE, HOUR, 4 * DAY, 14 * DAY]),
      },
      {
        key: 'delay_ms',
        label: 'Delivery delay',
        help: 'DelaySeconds: a new message stays invisible this long after it reaches the queue.',
        defaultText: '0 s',
        docUrl: `${SQS}/sqs-delay-queues.html`,
        docLabel: 'SQS: delay queues',
        choices: [{ value: 0, label: '0 s' }, ...durations([5 * SECOND, 30 * SECOND, 15 * MINUTE])],
      },
      {
        key: 'fifo',
        label: 'Queue type',
        help: 'standard: at-least-once, best-effort order, an occasional duplicate (AWS publishes no rate: the 1 in 500 here is illustrative); FIFO: order per message group, one in flight per group, 5-minute deduplication.',
        defaultText: 'standard',
        docUrl: `${SQS}/FIFO-queues.html`,
        docLabel: 'SQS: FIFO queues',
        choices: [
          { value: false, label: 'standard' },
          { value: true, label: 'FIFO' },
        ],
      },
      {
        key: 'filter_policies',
        label: 'Filter policies',
        help: 'A subscription with a filter policy gets only the messages whose attributes match.',
        defaultText: 'none',
        docUrl: `${SNS}/sns-message-filtering.html`,
        docLabel: 'SNS: message filtering',
      },
      {
        key: 'redrive',
        label: 'Dead-letter redrive',
        help: 'Moves the messages in a dead-letter queue back to their source queue.',
        defaultText: 'on request',
        docUrl: `${SQS}/sqs-configure-dead-letter-queue-redrive.html`,
        docLabel: 'SQS: dead-letter queue redrive',
      },
    ],
    roles: {
      broker: [
        'SNS copies each message to every subscribed queue whose filter policy accepts it.',
        'SQS hides a received message for the visibility timeout and shows it again if nobody deleted it: that is its only retry.',
        'Moves a message received maxReceiveCount times to the dead-letter queue (the redrive policy).',
        'Deletes messages older than the retention period, read or not, and holds new ones back for DelaySeconds.',
      ],
      consumer: [
        'Deletes a message once its work is done. A failure needs no call at all: the message comes back by itself.',
        'May extend the visibility timeout while it works (a heartbeat), so a slow worker keeps its message.',
        'Must tolerate a message twice: a standard queue can deliver one more than once.',
      ],
      simplified: [
        'The standard queue’s duplicate rate (1 in 500 deletes) is illustrative: AWS publishes none.',
        'Best-effort order is drawn as a receive taking one of the first three visible messages.',
        'No long polling, batches or receive wait time: a free worker receives a visible message at once.',
        'Retention is checked at most once a second per queue; SQS also deletes expired messages in the background.',
        BROKER_FAULT_NOTE,
        'SNS and SQS hide their servers and leaders: an outage here stands for Publish and ReceiveMessage calls failing (a regional incident); there is no leader to move.',
        PREFETCH_NOTE,
      ],
    },
  },
};

/** The value of one setting in the scenario, as a learner reads it. */
export function settingText(setting: FlavourSetting, scenario: Scenario): string {
  const broker = scenario.broker;
  const value = (broker as Record<string, unknown>)[setting.key];
  if (setting.key === 'dead_letter') return scenario.delivery.dead_letter ? 'on' : 'off';
  if (setting.key === 'filter_policies' && broker.kind === 'sns-sqs') {
    const n = Object.keys(broker.filter_policies).length;
    return n === 0 ? 'none' : `${n} subscription${n === 1 ? '' : 's'} filtered`;
  }
  const choice = setting.choices?.find((c) => c.value === value);
  if (choice) return choice.label;
  if (value === undefined) return setting.defaultText;
  if (typeof value === 'number' && setting.key.endsWith('_ms')) return formatDuration(value);
  return String(value);
}

/** The offered choices, plus the current value if the scenario set something else. */
export function choicesWith(setting: FlavourSetting, scenario: Scenario): SettingChoice[] {
  const choices = [...(setting.choices ?? [])];
  const value = (scenario.broker as Record<string, unknown>)[setting.key] as SettingValue;
  if (!choices.some((c) => c.value === value)) {
    choices.push({ value, label: settingText({ ...setting, choices: undefined }, scenario) });
  }
  return choices;
}
