/**
 * Records of event fan-out: a publish and where its copies went, each copy's time in
 * a queue, its deliveries, backoffs, and its stay in a dead-letter queue.
 */
import { SagaMsg } from '../../core/model';
import { Rec, type RecKind } from '../../core/trace';
import { copyKey, reasonName, type RecordHandler } from './book';

/** Orchestration: how a saga message is said (a command sent, a reply, a compensation). */
function sagaVerb(b: Parameters<RecordHandler>[0], code: number): string {
  const kind = b.model.saga?.typeKind[code] ?? 0;
  if (kind === SagaMsg.Command) return 'commands';
  if (kind === SagaMsg.Compensate) return 'compensates with';
  return kind > 0 ? 'replies' : 'publishes';
}

const published: RecordHandler = (b, r) => {
  const type = b.typeOf(r.code);
  b.eventTypes.set(r.msg, type);
  const label = `${b.name(r.from)} ${sagaVerb(b, r.code)} ${type}`;
  const span = b.open('publish', b.activeAt(r.from).id, r.from, r.t, label, {
    msg: r.msg,
    eventType: type,
  });
  b.publishes.set(r.msg, span);
};

const appended: RecordHandler = (b, r) => {
  const p = b.publishes.get(r.msg);
  if (!p) return;
  p.facts.partition = r.code;
  p.facts.offset = r.value;
};

const routed: RecordHandler = (b, r) => {
  const p = b.publishes.get(r.msg);
  if (!p) return;
  p.facts.copies = r.value;
  p.name = `${p.name} → ${r.value} queue${r.value === 1 ? '' : 's'}`;
  b.close(p, r.t);
};

const deduplicated: RecordHandler = (b, r) => {
  const p = b.publishes.get(r.msg);
  if (!p) return;
  p.events.push({ t: r.t, name: 'dropped by the topic as a repeat (deduplicated)' });
  b.close(p, r.t);
};

const notRouted: RecordHandler = (b, r) => {
  const p = b.publishes.get(r.msg);
  if (!p) return;
  const unroutable = r.kind === Rec.Unroutable;
  const why = unroutable ? 'matched no queue' : reasonName(r.code);
  p.events.push({ t: r.t, name: unroutable ? 'unroutable' : 'refused', detail: why });
  b.close(p, r.t, 'error', why);
};

const enqueued: RecordHandler = (b, r) => b.startWait(r.msg, r.to, r.t, '');

const delivered: RecordHandler = (b, r) => {
  b.endWait(r.msg, r.from, r.t, 'ok');
  const type = b.eventTypes.get(r.msg) ?? '';
  // Orchestration: the orchestrator reads a reply; a step carries out its command.
  const orchestrator = b.model.saga !== null && r.to === b.model.services[b.model.entry]?.node;
  const verb = orchestrator ? 'reads the reply' : 'processes';
  const label = `${b.name(r.to)} ${verb}${type ? ` ${type}` : ''} (attempt ${r.attempt})`;
  const span = b.open('process', b.publishOf(r.msg).id, r.to, r.t, label, {
    msg: r.msg,
    attempt: r.attempt,
    eventType: type,
  });
  span.facts.queue = b.name(r.from);
  span.facts.waited_ms = r.value;
  if (r.code !== 0) span.facts.redelivered_because = reasonName(r.code);
  b.processes.set(copyKey(r.msg, r.to), span);
};

const acked: RecordHandler = (b, r) => {
  const p = b.processes.get(copyKey(r.msg, r.from));
  if (p) b.close(p, r.t);
};

/** A delivery that did not end in an ack: what the learner reads on the process span. */
const NOT_ACKED: Partial<Record<RecKind, string>> = {
  [Rec.Nacked]: 'rejected (nack)',
  [Rec.AckRejected]: 'acknowledgement came too late',
  [Rec.Requeued]: 'back to the head of the queue',
};

const notAcked: RecordHandler = (b, r) => {
  const p = b.processes.get(copyKey(r.msg, r.from));
  const why = reasonName(r.code);
  if (p) {
    p.events.push({ t: r.t, name: NOT_ACKED[r.kind] ?? 'not acknowledged', detail: why });
    b.close(p, r.t, 'error', why);
  }
  if (r.kind === Rec.Requeued) b.startWait(r.msg, r.to, r.t, why);
};

const retryScheduled: RecordHandler = (b, r) => {
  const label = `backoff ${r.value} ms before attempt ${r.attempt + 1}`;
  const span = b.open('backoff', b.publishOf(r.msg).id, r.from, r.t, label, {
    msg: r.msg,
    attempt: r.attempt,
    eventType: b.eventTypes.get(r.msg) ?? '',
  });
  span.facts.delay_ms = r.value;
  span.facts.after = reasonName(r.code);
  b.backoffs.set(copyKey(r.msg, r.from), span);
};

// The backoff may be spent on another node (a retry queue or topic): `to` is the copy's own queue.
const retryReady: RecordHandler = (b, r) => {
  const key = copyKey(r.msg, r.to);
  const backoff = b.backoffs.get(key);
  if (backoff) {
    b.close(backoff, r.t);
    b.backoffs.delete(key);
  }
  b.startWait(r.msg, r.to, r.t, 'retry after backoff');
};

const deadLettered: RecordHandler = (b, r) => {
  const why = reasonName(r.code);
  b.endWait(r.msg, r.from, r.t, 'error', why);
  const label = `parked in ${b.name(r.to)} (from ${b.name(r.from)})`;
  const span = b.open('dead-letter', b.publishOf(r.msg).id, r.to, r.t, label, {
    msg: r.msg,
    attempt: r.attempt,
    eventType: b.eventTypes.get(r.msg) ?? '',
  });
  b.fail(span, `dead-lettered after attempt ${r.attempt}: ${why}`);
  span.facts.queue = b.name(r.from);
  b.parked.set(r.msg, span);
  // Also on the copy's last delivery, where a tracing tool would show it.
  const { services, queues } = b.model;
  const consumer = services.find((s) => s.queue >= 0 && queues[s.queue]?.node === r.from);
  const last = consumer ? b.processes.get(copyKey(r.msg, consumer.node)) : undefined;
  last?.events.push({ t: r.t, name: 'dead-lettered', detail: why });
};

const redriven: RecordHandler = (b, r) => {
  const parked = b.parked.get(r.msg);
  if (parked) {
    parked.end = r.t;
    parked.open = false;
    parked.events.push({ t: r.t, name: 'redriven', detail: `back to ${b.name(r.to)}` });
    b.parked.delete(r.msg);
  }
  b.startWait(r.msg, r.to, r.t, 'redriven from the dead-letter queue');
};

const gone: RecordHandler = (b, r) => {
  const why = r.kind === Rec.Expired ? 'expired' : `dropped: ${reasonName(r.code)}`;
  b.endWait(r.msg, r.from, r.t, 'error', why);
  const backoff = b.backoffs.get(copyKey(r.msg, r.from));
  if (backoff?.open) b.close(backoff, r.t, 'error', why);
};

export const eventHandlers: Partial<Record<RecKind, RecordHandler>> = {
  [Rec.Published]: published,
  [Rec.Appended]: appended,
  [Rec.Routed]: routed,
  [Rec.Unroutable]: notRouted,
  [Rec.PublishRejected]: notRouted,
  [Rec.Deduplicated]: deduplicated,
  [Rec.Enqueued]: enqueued,
  [Rec.Delivered]: delivered,
  [Rec.Acked]: acked,
  [Rec.Nacked]: notAcked,
  [Rec.AckRejected]: notAcked,
  [Rec.Requeued]: notAcked,
  [Rec.RetryScheduled]: retryScheduled,
  [Rec.RetryReady]: retryReady,
  [Rec.DeadLettered]: deadLettered,
  [Rec.Redriven]: redriven,
  [Rec.Expired]: gone,
  [Rec.Dropped]: gone,
};
