/**
 * Settings a scenario file sets that its broker flavour does not use. Each flavour keeps
 * its retries somewhere else: a queue consumer waits out the `delivery` backoff (or
 * requeues, or rejects), a log consumer retries with the `delivery` backoff, and SQS
 * knows no backoff at all: a message it was not told to delete comes back when its
 * visibility timeout ends and moves to the dead-letter queue after `max_receive_count`
 * receives. Some broker keys belong to one kind of queue or group only (a classic queue
 * has no delivery limit; a share group no commits). A file that sets a setting the flavour ignores still runs; the warning says
 * which setting does the job there, so nobody tunes a knob that is not connected.
 */

export interface SettingWarning {
  path: string;
  message: string;
}

/** What the check reads of a parsed scenario (scenario.ts validates with this module, so it cannot import it). */
export interface BrokerShape {
  broker: { kind: string; on_failure?: string; queue_type?: string; group_type?: string };
}
type Broker = BrokerShape['broker'];

const RETRY_KEYS = ['max_attempts', 'backoff', 'base_ms', 'cap_ms', 'jitter'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Why `delivery.<key>` does nothing on this broker, or null when it is used. */
function whyIgnored(broker: Broker, key: (typeof RETRY_KEYS)[number]): string | null {
  if (broker.kind === 'sns-sqs')
    return key === 'max_attempts'
      ? 'is ignored on the sns-sqs broker: SQS dead-letters after broker.max_receive_count receives'
      : 'is ignored on the sns-sqs broker: SQS has no backoff; a failed message comes back when broker.visibility_timeout_ms ends';
  if (broker.kind === 'queue' && broker.on_failure === 'requeue')
    return key === 'max_attempts'
      ? 'is ignored with broker.on_failure "requeue": a requeued message is dead-lettered by broker.delivery_limit'
      : 'is ignored with broker.on_failure "requeue": a nack with requeue puts the message back at once, with no wait';
  if (broker.kind === 'queue' && broker.on_failure === 'reject')
    return 'is ignored with broker.on_failure "reject": a rejected message is dead-lettered at once, never retried';
  if (broker.kind === 'log' && broker.group_type === 'share')
    return key === 'max_attempts'
      ? 'is ignored by a share group: a record is archived after broker.share_delivery_limit deliveries'
      : 'is ignored by a share group: a failed record is released and delivered again at once';
  return null;
}

/** Broker keys that only one kind of queue or consumer group uses. */
const BROKER_KEYS: readonly { key: string; why: (b: Broker) => string | null }[] = [
  {
    key: 'delivery_limit',
    why: (b) =>
      b.queue_type === 'classic' ? 'is ignored by a classic queue: it has no delivery limit' : null,
  },
  ...['commit', 'retry', 'rebalance_ms', 'max_poll_interval_ms'].map((key) => ({
    key,
    why: (b: Broker) =>
      b.group_type === 'share'
        ? "is ignored by a share group: it is a classic consumer group's setting"
        : null,
  })),
  ...['share_lock_ms', 'share_delivery_limit'].map((key) => ({
    key,
    why: (b: Broker) =>
      b.kind === 'log' && b.group_type !== 'share'
        ? 'is ignored by a consumer group: it applies to broker.group_type "share"'
        : null,
  })),
];

/** Warnings for the settings `input` (the file as written) sets that `scenario`'s broker ignores. */
export function ignoredSettings(input: unknown, scenario: BrokerShape): SettingWarning[] {
  if (!isRecord(input)) return [];
  const out: SettingWarning[] = [];
  const { delivery, broker } = input;
  if (isRecord(delivery)) {
    for (const key of RETRY_KEYS) {
      if (!Object.hasOwn(delivery, key)) continue;
      const why = whyIgnored(scenario.broker, key);
      if (why) out.push({ path: `delivery.${key}`, message: why });
    }
  }
  if (isRecord(broker)) {
    for (const { key, why } of BROKER_KEYS) {
      const reason = Object.hasOwn(broker, key) ? why(scenario.broker) : null;
      if (reason) out.push({ path: `broker.${key}`, message: reason });
    }
  }
  return out;
}
