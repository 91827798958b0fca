/**
 * Trace records as sentences a learner can read, e.g.
 *   t=12.340s delivered OrderCreated #123 to Email (attempt 2, after retry)
 * Record and reason names come from the engine (REC_NAMES / REASON_NAMES); `#n` is the
 * order number (correlation id) every record of one order shares.
 */
import { type Model, SagaMsg } from '../../core/model';
import {
  BROKER_NODE,
  CLIENT_NODE,
  FaultField,
  REASON_NAMES,
  Reason,
  REC_NAMES,
  Rec,
  type ReasonCode,
  type RecKind,
  type TraceRecord,
} from '../../core/trace';
import { brokerSentence } from '../broker/sentences';

/** `t=12.340s` */
export function formatT(ms: number): string {
  return `t=${(ms / 1000).toFixed(3)}s`;
}

function reason(code: number): string {
  return REASON_NAMES[code as ReasonCode] || `reason ${code}`;
}

/** Short node names as a learner says them: `Email`, `email queue`, `the user`. */
export function nodeName(model: Model, index: number): string {
  const n = model.nodes[index];
  if (!n) return `node ${index}`;
  switch (n.kind) {
    case 'client':
      return 'the user';
    case 'service':
      return n.label.replace(/ Service$/, '');
    case 'broker':
      return 'the broker';
    default:
      return n.label;
  }
}

/** How a redelivery is described after the attempt number. */
function redelivery(code: number): string {
  switch (code) {
    case 0:
      return '';
    case 7:
      return ', after retry';
    case 5:
      return ', redelivered after a reset';
    case 6:
      return ', redelivered after a crash before ack';
    default:
      return `, redelivered: ${reason(code)}`;
  }
}

export interface SentenceContext {
  model: Model;
  /** Event type of a message id, when known (from the records around it). */
  eventOf(msg: number): string | undefined;
}

/**
 * Event types of the message ids in `records`: from Published/Routed/Enqueued records
 * (their code is the event type).
 */
export function eventTypesById(model: Model, records: readonly TraceRecord[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const r of records) {
    if (
      r.kind === Rec.Published ||
      r.kind === Rec.Routed ||
      r.kind === Rec.Enqueued ||
      r.kind === Rec.Unroutable
    ) {
      const type = model.eventTypes[r.code];
      if (type) out.set(r.msg, type);
    }
  }
  return out;
}

/** One record as one sentence, without the time (see `describeRecord`). */
export function sentence(r: TraceRecord, ctx: SentenceContext): string {
  const { model } = ctx;
  // Records only some broker flavours write, or that mean something else on them.
  const special = brokerSentence(r, { ...ctx, nodeName: (index) => nodeName(model, index) });
  if (special) return special;
  const from = nodeName(model, r.from);
  const to = nodeName(model, r.to);
  const order = `#${r.corr}`;
  // Records about a queue copy: its event type, or the queue's only binding, or "event".
  const queueOf = (node: number) => model.queues.find((q) => q.node === node);
  const eventName = () => {
    const known = ctx.eventOf(r.msg);
    if (known) return known;
    const q = queueOf(r.from) ?? queueOf(r.to);
    if (q && q.bindings.length === 1) return model.eventTypes[q.bindings[0] as number] ?? 'event';
    return 'event';
  };
  // Work on a consumed message rather than on a call (consumers in the event architecture).
  const consumed = () => {
    const svc = model.services.find((x) => x.node === r.to);
    return (
      model.architecture !== 'chain' &&
      svc !== undefined &&
      svc.queue >= 0 &&
      svc.index !== model.entry
    );
  };
  const attempt = r.attempt > 1 ? ` (attempt ${r.attempt})` : '';
  // Orchestration: what a saga message is (a command, a reply, a compensation).
  const saga = model.saga;
  const sagaKind = (type: number) => saga?.typeKind[type] ?? 0;
  const orchestrator = saga ? nodeName(model, model.services[model.entry]?.node ?? -1) : '';
  switch (r.kind as RecKind) {
    case Rec.OrderReceived:
      return `order ${order} placed${r.code === 1 ? ' (carries poison data)' : ''}`;
    case Rec.RequestSent:
      return `${r.from === CLIENT_NODE ? 'the user' : from} calls ${to} for ${order}${attempt}`;
    case Rec.RequestArrived:
      return `${to} got the call for ${order}`;
    case Rec.WorkStarted:
      return r.code !== 0
        ? `${to} dropped the waiting call for ${order} (${reason(r.code)})`
        : `${to} starts work on ${order} (takes ${r.value} ms)`;
    case Rec.Processed: {
      const effect = r.code & 3;
      const note =
        effect === 1
          ? ' again (duplicate side effect)'
          : effect === 2
            ? ': already done, skipped (idempotent)'
            : '';
      return `${to} processed ${consumed() ? `${eventName()} ` : ''}${order}${note}${attempt}`;
    }
    case Rec.WorkFailed:
      return `${to} failed on ${consumed() ? `${eventName()} ` : ''}${order}: ${reason(r.code)}${attempt}`;
    case Rec.ResponseSent:
      return r.code === 0
        ? `${from} answers ${to} for ${order}: ok`
        : `${from} answers ${to} for ${order}: failed (${reason(r.code)})`;
    case Rec.CallSucceeded:
      return `${r.to === CLIENT_NODE ? "the user's" : `${to}'s`} call to ${from} for ${order} succeeded (${r.value} ms)`;
    case Rec.CallFailed:
      if (r.code === Reason.CircuitOpen)
        return `${to}'s circuit breaker on ${from} is open: the call for ${order} failed at once, nothing was sent`;
      return `${r.to === CLIENT_NODE ? "the user's" : `${to}'s`} call to ${from} for ${order} failed: ${reason(r.code)} (${r.value} ms)`;
    case Rec.ResponseDiscarded:
      return `late answer from ${from} for ${order} ignored: ${to} had given up`;
    case Rec.OrderSucceeded:
      return `order ${order} answered ok after ${r.value} ms`;
    case Rec.OrderFailed:
      return `order ${order} failed for the user after ${r.value} ms: ${reason(r.code)} at ${from}`;
    case Rec.Published: {
      const name = model.eventTypes[r.code] ?? 'event';
      const kind = sagaKind(r.code);
      if (kind === SagaMsg.Command)
        return `${from}, the orchestrator, sends the command ${name} ${order} and waits for the reply`;
      if (kind === SagaMsg.Compensate)
        return `${from}, the orchestrator, sends the compensation ${name} ${order} to undo a step already done`;
      if (kind > 0) return `${from} replies ${name} ${order} to ${orchestrator}, the orchestrator`;
      return `${from} published ${name} ${order}`;
    }
    case Rec.Routed:
      return `the broker routed ${model.eventTypes[r.code] ?? 'event'} ${order} to ${r.value} queue${r.value === 1 ? '' : 's'}`;
    case Rec.Unroutable:
      return `${model.eventTypes[r.code] ?? 'event'} ${order} matched no queue and was discarded`;
    case Rec.Enqueued:
      return `${model.eventTypes[r.code] ?? 'event'} ${order} enqueued on ${to}`;
    case Rec.Delivered:
      return `delivered ${eventName()} ${order} to ${to} (attempt ${r.attempt}${redelivery(r.code)})`;
    case Rec.Acked:
      // The orchestrator has read a reply: its saga moved on (the next command, if any, went out).
      if (saga && r.from === model.services[model.entry]?.node)
        return `${from}, the orchestrator, read ${eventName()} ${order} and moved the saga on`;
      return `${from} acked ${eventName()} ${order}`;
    case Rec.Nacked:
      return `${from} rejected ${eventName()} ${order} (${reason(r.code)})`;
    case Rec.RetryScheduled:
      return `${eventName()} ${order} retries in ${r.value} ms (attempt ${r.attempt} failed: ${reason(r.code)})`;
    case Rec.RetryReady:
      return `${eventName()} ${order} back in line after its backoff`;
    case Rec.Requeued:
      return `${eventName()} ${order} requeued at the head of ${to} (${reason(r.code)})`;
    case Rec.DeadLettered:
      return `dead-lettered ${eventName()} ${order} after attempt ${r.attempt} (${reason(r.code)})`;
    case Rec.Dropped:
      return `${eventName()} ${order} dropped (${reason(r.code)})`;
    case Rec.Expired:
      return `${eventName()} ${order} expired`;
    case Rec.OrderCompleted:
      if (saga)
        return r.code & 2
          ? `order ${order} cancelled after ${r.value} ms: a step failed for good and the orchestrator's compensations are done`
          : `order ${order} confirmed after ${r.value} ms: every step of its saga replied done`;
      return r.code & 2
        ? `order ${order} cancelled after ${r.value} ms: a step failed for good and the compensation is done`
        : `order ${order} fully processed after ${r.value} ms${r.code === 1 ? ', some copies dead-lettered' : ''}`;
    case Rec.NeverPublished:
      return `${from} saved ${order} and died before publishing ${model.eventTypes[r.code] ?? 'its event'}: it is never published`;
    case Rec.Phantom:
      return `${model.eventTypes[r.code] ?? 'event'} ${order} is a phantom: ${from} published it and died before saving the order`;
    case Rec.OutboxSaved:
      return `${from} saved ${model.eventTypes[r.code] ?? 'event'} ${order} in ${to}, with the order`;
    case Rec.OutboxRelayed:
      return `${from}'s relay published ${model.eventTypes[r.code] ?? 'event'} ${order} and marked it sent (${r.value} ms in the outbox)`;
    case Rec.Republished:
      return `${from}'s relay published ${model.eventTypes[r.code] ?? 'event'} ${order} again (send ${r.attempt}): it had died before marking it sent`;
    case Rec.FaultChanged:
      return faultSentence(
        // A log's leader change names its partition; a queue's is on the queue's node.
        r.to === BROKER_NODE &&
          (r.code === FaultField.LeaderChange || r.code === FaultField.LeaderElected)
          ? `partition ${r.value}`
          : to,
        r.code,
        r.value,
      );
    case Rec.Compensating:
      if (saga)
        return `${from}, the orchestrator, heard that a step failed for good on ${order} (${reason(r.code)}): once the step's other replies are in, it undoes the steps already done, the last first`;
      return r.value === 1
        ? `${from} failed for good on ${order} (${reason(r.code)}) and publishes its failure event: the order is being cancelled`
        : `${from} failed for good on ${order} again (${reason(r.code)}) and publishes its failure event again`;
    case Rec.PublishRefused:
      return `the broker refused ${model.eventTypes[r.value] ?? 'an event'} ${order} from ${to} (${reason(r.code)}): it never entered the broker`;
    case Rec.PublishRetry:
      return `${from} publishes ${model.eventTypes[r.code] ?? 'its event'} ${order} again (attempt ${r.attempt}) after waiting ${r.value} ms`;
    case Rec.CircuitChanged:
      return r.code === 1
        ? `the circuit breaker on calls to ${from} opened (${r.value / 10}% of the calls in its window failed): calls fail at once`
        : r.code === 2
          ? `the circuit breaker on calls to ${from} is half-open: the next call is a trial`
          : `the circuit breaker on calls to ${from} closed: calls go through again`;
    case Rec.Scaled:
      return r.code === 0
        ? `${to} scaled to ${r.value} replica${r.value === 1 ? '' : 's'}`
        : `${to} runs ${r.value} worker${r.value === 1 ? '' : 's'} per replica`;
    case Rec.RateChanged:
      return `orders now arrive at ${r.value / 1000}/s${r.code === 1 ? ' (spike)' : ''}`;
    default:
      return `${REC_NAMES[r.kind] ?? `record ${r.kind}`} ${order}`;
  }
}

function faultSentence(service: string, field: number, value: number): string {
  switch (field) {
    case FaultField.Down:
      return value ? `${service} went down` : `${service} is back up`;
    case FaultField.SlowFactor:
      return value === 1000
        ? `${service} runs at normal speed`
        : `${service} slowed down ×${value / 1000}`;
    case FaultField.ErrorRate:
      return value === 0
        ? `${service} no longer fails`
        : `${service} now fails ${value / 10}% of its work`;
    case FaultField.CrashRate:
      return value === 0
        ? `${service} no longer crashes before ack`
        : `${service} crashes before ack on ${value / 10}% of messages`;
    case FaultField.PublishCrashRate:
      return value === 0
        ? `${service} no longer crashes before publishing`
        : `${service} crashes before publishing on ${value / 10}% of its work`;
    case FaultField.BrokerDown:
      return value
        ? `${service} went down: every publish is refused and nothing is delivered`
        : `${service} is back up: consumers read what waited`;
    case FaultField.BrokerSlowFactor:
      return value === 1000
        ? `${service} confirms publishes at its normal speed`
        : `${service} confirms publishes ×${value / 1000} slower`;
    // `service`: the quorum queue (its node) or, on a log, "partition N".
    case FaultField.LeaderChange:
      return `${service} lost its leader: publishes to it wait and its consumers get nothing until a new one is elected`;
    case FaultField.LeaderElected:
      return `${service} has a new leader: what waited moves again`;
    default:
      return `${service} fault changed`;
  }
}

/** `t=12.340s delivered OrderCreated #123 to Email (attempt 2, after retry)` */
export function describeRecord(r: TraceRecord, ctx: SentenceContext): string {
  return `${formatT(r.t)} ${sentence(r, ctx)}`;
}
