/**
 * Trace sentences for what only some brokers do (subscribing during the run, offset
 * resets, redrive, FIFO deduplication, log appends...) and for records whose meaning
 * depends on the flavour (a requeue on SQS is a visibility timeout ending). The
 * inspector's `sentence` asks here first; null means "not a broker-specific record".
 */
import type { Model } from '../../core/model';
import {
  BROKER_NODE,
  REASON_NAMES,
  Reason,
  type ReasonCode,
  Rec,
  type TraceRecord,
} from '../../core/trace';

export interface BrokerSentenceContext {
  model: Model;
  eventOf(msg: number): string | undefined;
  nodeName(index: number): string;
}

const OFFSET_TARGETS = ['the earliest offset', 'a given offset', 'a given time'];

export function brokerSentence(r: TraceRecord, ctx: BrokerSentenceContext): string | null {
  const { model } = ctx;
  const kind = model.broker.kind;
  const order = `#${r.corr}`;
  const from = ctx.nodeName(r.from);
  const to = ctx.nodeName(r.to);
  const queueOf = (node: number) => model.queues.find((q) => q.node === node);
  const eventName = () => {
    const known = ctx.eventOf(r.msg);
    if (known) return known;
    const q = queueOf(r.from) ?? queueOf(r.to);
    if (q && q.bindings.length === 1) return model.eventTypes[q.bindings[0] as number] ?? 'event';
    return 'event';
  };
  const typeName = () => model.eventTypes[r.code] ?? 'event';
  switch (r.kind) {
    case Rec.Deduplicated:
      return `the FIFO topic dropped a repeat of ${typeName()} ${order} (the same message within 5 minutes)`;
    case Rec.AckRejected:
      return `${from} finished ${eventName()} ${order} too late to delete it: its visibility timeout had ended and it was handed out again`;
    case Rec.PublishRejected:
      return `${to} is full (max-length, reject-publish): it refused ${eventName()} ${order} and the publisher got a negative confirm`;
    case Rec.Subscribed:
      if (kind === 'log') {
        return r.code === 1
          ? `${from} subscribed: its new consumer group starts at the earliest offset and reads the whole history`
          : `${from} subscribed: its new consumer group starts at the log end and reads only new records`;
      }
      return `${from} subscribed: ${to} gets only events published from now on`;
    case Rec.OffsetsReset:
      return `${from}'s consumer group offsets reset to ${OFFSET_TARGETS[r.code] ?? 'a new position'}: ${r.value} record${r.value === 1 ? '' : 's'} to read again`;
    case Rec.Redriven:
      return `redriven ${eventName()} ${order} from the dead-letter queue back to ${to}`;
    case Rec.IdempotencyChanged:
      return r.value === 1
        ? `${to} is now idempotent: it skips the side effect of a message it already handled`
        : `${to} is no longer idempotent: a repeated message does its side effect again`;
    case Rec.Appended:
      return `${eventName()} ${order} appended to partition ${r.code} at offset ${r.value}`;
    case Rec.Enqueued:
      // A replay's copies carry the reason instead of the event type.
      if (r.code === Reason.Replay && model.eventTypes[r.code] === undefined)
        return `${eventName()} ${order} (offset ${r.value}) to be read again by ${to} (replay)`;
      return kind === 'log'
        ? `${typeName()} ${order} at offset ${r.value} is there for ${to} to read`
        : null;
    case Rec.Delivered: {
      const again = r.code === 0 ? '' : `, ${REASON_NAMES[r.code as ReasonCode] || 'again'}`;
      if (kind === 'sns-sqs')
        return `${to} received ${eventName()} ${order} (receive count ${r.attempt}${again})`;
      if (kind === 'log')
        return `${to} read ${eventName()} ${order} from ${from}${r.attempt > 1 ? ` (attempt ${r.attempt}${again})` : ''}`;
      return null;
    }
    case Rec.Acked:
      if (kind === 'sns-sqs') return `${from} deleted ${eventName()} ${order} from ${to}`;
      if (kind === 'log') return `${from} committed ${eventName()} ${order} (offset ${r.value})`;
      return null;
    case Rec.Unroutable:
      return r.to !== BROKER_NODE
        ? `${typeName()} ${order} matched no queue: kept by the alternate exchange`
        : null;
    case Rec.Requeued:
      if (kind === 'sns-sqs' && r.code === Reason.VisibilityTimeout)
        return `${eventName()} ${order} is visible again in ${to}: not deleted within its visibility timeout (receive count ${r.attempt})`;
      if (kind === 'sns-sqs' && r.code === Reason.StandardDuplicate)
        return `${eventName()} ${order} will be received again from ${to}: a standard queue delivers at least once`;
      if (kind === 'log')
        return `${to} goes back to ${eventName()} ${order}: its offset was not committed (${REASON_NAMES[r.code as ReasonCode] || 'redelivery'})`;
      return null;
    case Rec.Expired:
      return kind === 'log'
        ? `${eventName()} ${order} was deleted by retention before ${from} read it`
        : null;
    default:
      return null;
  }
}
