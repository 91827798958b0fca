/**
 * Why a consumer did something twice, in words: "charged twice: order #123 was
 * redelivered after the consumer crashed before acking". Read from the trace records
 * the engine keeps (the latest few thousand), so it explains what just happened.
 */
import type { Model } from '../../core/model';
import { Effect, Reason, Rec, type TraceRecord } from '../../core/trace';

/** The side effect a service performs, as a past-tense verb: "charged", "emailed". */
const EFFECT_VERBS: ReadonlyArray<readonly [RegExp, string]> = [
  [/pay|charg|billing|invoice/i, 'charged'],
  [/mail|notif|sms/i, 'emailed'],
  [/analytic|stat|metric|report/i, 'counted'],
  [/fraud|risk/i, 'checked'],
  [/ship|fulfil/i, 'shipped'],
];

export function effectVerb(id: string, name: string): string {
  for (const [pattern, verb] of EFFECT_VERBS)
    if (pattern.test(id) || pattern.test(name)) return verb;
  return 'processed';
}

/** Why a message came again, after "was ...". */
export function redeliveryCause(code: number, broker: Model['broker']['kind'] = 'queue'): string {
  switch (code) {
    case Reason.CrashBeforeAck:
      return broker === 'log'
        ? 'read again: the consumer crashed before committing its offset'
        : 'redelivered after the consumer crashed before acking';
    case Reason.ConsumerTimeout:
      return 'redelivered: the consumer did not ack within the consumer timeout, so its channel was closed';
    case Reason.ChannelClosed:
      return 'redelivered: another message on the same channel crashed the consumer before its ack';
    case Reason.VisibilityTimeout:
      return 'received again: its visibility timeout ended before it was deleted';
    case Reason.StandardDuplicate:
      return 'received again: a standard SQS queue delivers at least once';
    case Reason.Replay:
      return "read again after the group's offsets were reset (replay)";
    case Reason.Reset:
      return 'redelivered after the consumer went down while working on it';
    case Reason.Retry:
      return 'retried after a failure';
    case Reason.Redrive:
      return 'redriven from the dead-letter queue';
    case Reason.Timeout:
      return 'retried after a time-out';
    default:
      return 'delivered again';
  }
}

const times = (n: number) => (n === 2 ? 'twice' : n === 3 ? 'three times' : `${n} times`);

export interface DuplicateNote {
  t: number;
  corr: number;
  /** The side effect happened again (false: an idempotent consumer skipped it). */
  repeated: boolean;
  text: string;
}

/**
 * Newest first: each repeated side effect of one service (and each repeat an idempotent
 * consumer skipped), with the reason its message came again.
 */
export function duplicateNotes(
  model: Model,
  records: readonly TraceRecord[],
  service: number,
  limit = 5,
): DuplicateNote[] {
  const info = model.services[service];
  if (!info) return [];
  const node = info.node;
  const verb = effectVerb(info.id, info.name);
  const cause = new Map<number, number>();
  const effects = new Map<number, number>();
  const notes: DuplicateNote[] = [];
  for (const r of records) {
    if (r.kind === Rec.Delivered && r.to === node) {
      cause.set(r.msg, r.code);
    } else if (r.kind === Rec.Processed && r.from === node && r.to === node) {
      const effect = r.code & 3;
      const why = redeliveryCause(cause.get(r.msg) ?? 0, model.broker.kind);
      if (effect === Effect.First) effects.set(r.msg, 1);
      else if (effect === Effect.Duplicate) {
        // The first effect may be older than the records kept: then it is at least the second.
        const n = (effects.get(r.msg) ?? 1) + 1;
        effects.set(r.msg, n);
        notes.push({
          t: r.t,
          corr: r.corr,
          repeated: true,
          text: `${verb} ${times(n)}: order #${r.corr} was ${why}`,
        });
      } else if (effect === Effect.SkippedIdempotent) {
        notes.push({
          t: r.t,
          corr: r.corr,
          repeated: false,
          text: `skipped: already handled order #${r.corr} (it was ${why})`,
        });
      }
    }
  }
  return notes.slice(-limit).reverse();
}
