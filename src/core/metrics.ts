/**
 * Metrics are reducers over the trace: every record the engine writes passes through
 * `applyRecord`, which keeps running totals, fixed-size histograms and per-queue
 * depth integrals. Nothing here grows with the length of a run.
 */
import { createHistogram, type Histogram, histAdd } from './histogram';
import type { Model } from './model';
import { AckCode, Effect, Reason, Rec } from './trace';

export interface QueueMetrics {
  copies: number;
  /** Ready to be delivered now (excludes copies waiting out a retry backoff). */
  ready: number;
  /** Waiting out a retry backoff. */
  retrying: number;
  /**
   * Of `retrying`, those waiting in this queue itself. The queue flavour parks them in a
   * retry queue of their own (`RetryScheduled` to another node), so they are not in its depth.
   */
  retryingHere: number;
  inFlight: number;
  processed: number;
  /** Acked without work: the consumer has no handler for the event type (fanout exchange). */
  ignored: number;
  deadLettered: number;
  expired: number;
  dropped: number;
  maxDepth: number;
  /** Integral of `ready` over time (message-milliseconds), for Little's law. */
  readyArea: number;
  lastChange: number;
  /** Entries into the ready line: enqueued, back from retry, requeued. */
  readyEntries: number;
  /** Sum of time spent in the ready line by delivered copies. */
  waitSum: number;
  deliveries: number;
  redeliveries: number;
  /** Refused by a full queue (reject-publish): never became copies. */
  rejected: number;
  /** Moved back from the dead-letter queue. */
  redriven: number;
  /** Most deliveries (receives) of one copy so far. */
  maxAttempt: number;
  /** Copies that left the ready line without a delivery (TTL, overflow, skipped): count and time spent in line. */
  leftCount: number;
  leftSum: number;
}

export interface ServiceMetrics {
  processed: number;
  duplicates: number;
  skipped: number;
  failed: number;
  /** Calls that reached it (request chain), refused ones included. */
  calls: number;
  /** Calls refused because it was down: no work, no record of its own but this count. */
  refused: number;
  /** Calls to it its caller's open circuit breaker failed at once (never sent). */
  shortCircuited: number;
  /** Its caller's circuit breaker: 0 closed, 1 open, 2 half-open (Circuit in breaker.ts). */
  circuit: number;
  /** Waiting calls it did not start because their deadline had passed (`sync.deadline_ms`). */
  pastDeadline: number;
  /** Calls waiting for a worker (request chain and entry service). */
  acceptWaiting: number;
  maxBacklog: number;
  latency: Histogram;
  doneForFailedOrders: number;
  /** Copies or calls it refused (a declined card, `decline_rate`): answers, not failures. */
  declined: number;
  /** Work done since the last time-series sample. */
  windowProcessed: number;
  /** Its publishes (its request work's, its consumers' or its outbox relay's) the broker refused. */
  publishRefused: number;
  /** Orchestration: compensating commands it carried out (refunds), repeats included. */
  compensations: number;
}

export interface Metrics {
  ordersReceived: number;
  ordersSucceeded: number;
  ordersFailed: number;
  ordersCompleted: number;
  ordersCompletedWithDeadLetters: number;
  /** Of `duplicates`, those that came under another id (a republish, a retried call). */
  duplicatesNewId: number;
  /** Orders a saga step failed for and that were compensated (cancelled), every copy done. */
  ordersCancelled: number;
  latency: Histogram;
  completion: Histogram;
  /**
   * Time until each order reached its final state: for the chain the answer (ok or not);
   * for events every copy done, compensations included (an order failed at the producer
   * ends with its answer).
   */
  outcome: Histogram;
  /** The chain's answer is its outcome; on the event side it is only "accepted". */
  answerIsOutcome: boolean;
  calls: number;
  callFailures: number;
  timeouts: number;
  published: number;
  unroutable: number;
  delivered: number;
  redelivered: number;
  duplicates: number;
  retriesScheduled: number;
  /** Repeats dropped by FIFO deduplication. */
  deduplicated: number;
  /** Unroutable messages kept by an alternate exchange (the rest were dropped). */
  unroutableKept: number;
  /** Producer side: events of committed work that never left the producer. */
  neverPublished: number;
  /** Producer side: events published for work that was never committed. */
  phantom: number;
  /** Outbox: rows the relay published again after dying before marking them. */
  republished: number;
  /** Outbox: rows saved, and rows marked sent by the relay. */
  outboxSaved: number;
  outboxRelayed: number;
  /** Publishes the broker refused (down): they never entered it. */
  publishRefused: number;
  /** Refused publishes a producer made again after a backoff (`publish_failure: "retry"`). */
  publishRetries: number;
  services: ServiceMetrics[];
  queues: QueueMetrics[];
  /** Response times of orders answered since the last time-series sample. */
  windowLatencies: number[];
  windowSucceeded: number;
  windowFailed: number;
  windowCompleted: number;
}

export function createMetrics(model: Model): Metrics {
  return {
    ordersReceived: 0,
    ordersSucceeded: 0,
    ordersFailed: 0,
    ordersCompleted: 0,
    ordersCompletedWithDeadLetters: 0,
    ordersCancelled: 0,
    duplicatesNewId: 0,
    latency: createHistogram(),
    completion: createHistogram(),
    outcome: createHistogram(),
    answerIsOutcome: model.architecture === 'chain',
    calls: 0,
    callFailures: 0,
    timeouts: 0,
    published: 0,
    unroutable: 0,
    delivered: 0,
    redelivered: 0,
    duplicates: 0,
    retriesScheduled: 0,
    deduplicated: 0,
    unroutableKept: 0,
    neverPublished: 0,
    phantom: 0,
    republished: 0,
    outboxSaved: 0,
    outboxRelayed: 0,
    publishRefused: 0,
    publishRetries: 0,
    services: model.services.map(() => ({
      processed: 0,
      duplicates: 0,
      skipped: 0,
      failed: 0,
      calls: 0,
      refused: 0,
      shortCircuited: 0,
      circuit: 0,
      pastDeadline: 0,
      acceptWaiting: 0,
      maxBacklog: 0,
      latency: createHistogram(),
      doneForFailedOrders: 0,
      declined: 0,
      windowProcessed: 0,
      publishRefused: 0,
      compensations: 0,
    })),
    queues: model.queues.map(() => ({
      copies: 0,
      ready: 0,
      retrying: 0,
      retryingHere: 0,
      inFlight: 0,
      processed: 0,
      ignored: 0,
      deadLettered: 0,
      expired: 0,
      dropped: 0,
      maxDepth: 0,
      readyArea: 0,
      lastChange: 0,
      readyEntries: 0,
      waitSum: 0,
      deliveries: 0,
      redeliveries: 0,
      rejected: 0,
      redriven: 0,
      maxAttempt: 0,
      leftCount: 0,
      leftSum: 0,
    })),
    windowLatencies: [],
    windowSucceeded: 0,
    windowFailed: 0,
    windowCompleted: 0,
  };
}

/** Lookup tables from node numbers to service / queue indices (-1 when not one). */
export interface NodeMaps {
  service: Int16Array;
  queue: Int16Array;
  /** Queue index -> the service consuming it. */
  queueConsumer: Int16Array;
  /**
   * Node -> events its request work publishes after the commit (event fan-out: the entry
   * service with publish after-commit), else 0. Such work that crashes before answering
   * (crash-before-ack) has committed and never published them.
   */
  publishesAfterCommit: Int8Array;
  /** Node -> the service publishing from it: its own node, or its outbox relay's; else -1. */
  producer: Int16Array;
}

export function nodeMaps(model: Model): NodeMaps {
  const service = new Int16Array(model.nodes.length).fill(-1);
  const queue = new Int16Array(model.nodes.length).fill(-1);
  for (const n of model.nodes) {
    if (n.kind === 'service' && n.service !== undefined) service[n.index] = n.service;
    if (n.kind === 'queue' && n.queue !== undefined) queue[n.index] = n.queue;
  }
  const queueConsumer = Int16Array.from(model.queues, (q) => q.service);
  const producer = new Int16Array(model.nodes.length).fill(-1);
  for (const n of model.nodes)
    if ((n.kind === 'service' || n.kind === 'outbox') && n.service !== undefined)
      producer[n.index] = n.service;
  const publishesAfterCommit = new Int8Array(model.nodes.length);
  if (model.architecture === 'event') {
    // The services that answer calls in an event run: the entry, and in a hybrid run the
    // sync_services it calls (each publishes its own events after its work).
    const called = model.chainSteps.length > 0 ? model.chainSteps.flat() : [model.entry];
    for (const index of called) {
      const svc = model.services[index];
      if (svc && svc.publish === 'after-commit') publishesAfterCommit[svc.node] = svc.emits.length;
    }
  }
  return { service, queue, queueConsumer, publishesAfterCommit, producer };
}

/** The flag on `Processed` codes that marks work done for an order the user saw fail. */
export const FOR_FAILED_ORDER = 4;
/**
 * The flag on a duplicate's `Processed` code when it came under another message id (an
 * outbox republish, an event duplicated upstream), not as the same message again.
 */
export const REPEAT_NEW_ID = 8;
/** The flag on a `Processed` code when the work was an orchestrated saga's compensation (a refund). */
export const COMPENSATION_EFFECT = 16;

function leaveReady(q: QueueMetrics, t: number, waited: number): void {
  changeReady(q, t, -1);
  q.leftCount++;
  q.leftSum += waited;
}

function changeReady(q: QueueMetrics, t: number, delta: number): void {
  q.readyArea += q.ready * (t - q.lastChange);
  q.lastChange = t;
  q.ready += delta;
  const depth = q.ready + q.retryingHere;
  if (depth > q.maxDepth) q.maxDepth = depth;
}

/** Fold one trace record into the metrics. */
export function applyRecord(
  m: Metrics,
  maps: NodeMaps,
  t: number,
  kind: number,
  from: number,
  to: number,
  attempt: number,
  code: number,
  value: number,
): void {
  // Each case is the record kind's number, checked against its name by the compiler
  // (`satisfies`): written `case Rec.Delivered:`, a case is a load of the imported object,
  // a check of its shape and a comparison, tried one after the other (V8 does not fold
  // module constants), 26 of them for an Enqueued and all 35 for a Routed, which has no
  // case; number literals make a jump table.
  switch (kind) {
    case 1 satisfies typeof Rec.OrderReceived:
      m.ordersReceived++;
      return;
    case 2 satisfies typeof Rec.RequestSent:
      m.calls++;
      return;
    case 7 satisfies typeof Rec.ResponseSent: {
      // Work committed, then a crash before the publish: its events never leave.
      if (code === Reason.CrashBeforeAck) {
        m.neverPublished += maps.publishesAfterCommit[from] as number;
        return;
      }
      // A down service answers nothing itself: the connection is refused at its door.
      if (code !== Reason.Unavailable) return;
      const s = m.services[maps.service[from] as number];
      if (s) {
        s.calls++;
        s.refused++;
      }
      return;
    }
    case 3 satisfies typeof Rec.RequestArrived: {
      const s = m.services[maps.service[to] as number];
      if (s) {
        s.calls++;
        s.acceptWaiting++;
        if (s.acceptWaiting > s.maxBacklog) s.maxBacklog = s.acceptWaiting;
      }
      return;
    }
    case 4 satisfies typeof Rec.WorkStarted: {
      const s = m.services[maps.service[from] as number];
      if (s) {
        s.acceptWaiting--;
        if (code === Reason.DeadlineExceeded) s.pastDeadline++;
      }
      return;
    }
    case 5 satisfies typeof Rec.Processed: {
      const s = m.services[maps.service[from] as number];
      if (!s) return;
      const effect = code & 3;
      if (effect === Effect.SkippedIdempotent) {
        s.skipped++;
        return;
      }
      s.processed++;
      s.windowProcessed++;
      if (effect === Effect.Duplicate) {
        s.duplicates++;
        m.duplicates++;
        // In the chain every repeat is a retried call, a new call for the same order.
        if (code & REPEAT_NEW_ID || m.answerIsOutcome) m.duplicatesNewId++;
      }
      if (code & FOR_FAILED_ORDER) s.doneForFailedOrders++;
      if (code & COMPENSATION_EFFECT) s.compensations++;
      // `value` carries the time the work took.
      histAdd(s.latency, value);
      return;
    }
    case 6 satisfies typeof Rec.WorkFailed: {
      const s = m.services[maps.service[from] as number];
      if (s) {
        if (code === Reason.Declined) s.declined++;
        else s.failed++;
        histAdd(s.latency, value);
      }
      return;
    }
    case 46 satisfies typeof Rec.Compensating: {
      // The order's first failure: the work already done for it was done for an order
      // that is now cancelled (`attempt` carries those services, as bits).
      if (value !== 1) return;
      for (let i = 0; i < m.services.length; i++) {
        if (attempt & (1 << i)) (m.services[i] as ServiceMetrics).doneForFailedOrders++;
      }
      return;
    }
    case 9 satisfies typeof Rec.CallFailed:
      m.callFailures++;
      if (code === Reason.Timeout) m.timeouts++;
      else if (code === Reason.CircuitOpen) {
        const s = m.services[maps.service[from] as number];
        if (s) s.shortCircuited++;
      }
      return;
    case 43 satisfies typeof Rec.CircuitChanged: {
      const s = m.services[maps.service[from] as number];
      if (s) s.circuit = code;
      return;
    }
    case 11 satisfies typeof Rec.OrderSucceeded:
      m.ordersSucceeded++;
      m.windowSucceeded++;
      histAdd(m.latency, value);
      m.windowLatencies.push(value);
      if (m.answerIsOutcome) histAdd(m.outcome, value);
      return;
    case 12 satisfies typeof Rec.OrderFailed: {
      m.ordersFailed++;
      m.windowFailed++;
      histAdd(m.outcome, value);
      // `attempt` carries the services that had already done their work, as bits.
      for (let i = 0; i < m.services.length; i++) {
        if (attempt & (1 << i)) (m.services[i] as ServiceMetrics).doneForFailedOrders++;
      }
      return;
    }
    case 26 satisfies typeof Rec.OrderCompleted:
      if (!m.answerIsOutcome) histAdd(m.outcome, value);
      // code bits: 1 a copy was dead-lettered (finished, not fully processed); 2 a saga
      // step failed and the order was compensated (cancelled).
      if (code & 2) m.ordersCancelled++;
      if (code & 1) m.ordersCompletedWithDeadLetters++;
      if (code !== 0) return;
      m.ordersCompleted++;
      m.windowCompleted++;
      histAdd(m.completion, value);
      return;
    case 13 satisfies typeof Rec.Published:
      m.published++;
      return;
    case 15 satisfies typeof Rec.Unroutable:
      m.unroutable++;
      if (to !== from) m.unroutableKept++;
      return;
    case 38 satisfies typeof Rec.NeverPublished:
      m.neverPublished++;
      return;
    case 39 satisfies typeof Rec.Phantom:
      m.phantom++;
      return;
    case 42 satisfies typeof Rec.Republished:
      m.republished++;
      return;
    case 40 satisfies typeof Rec.OutboxSaved:
      m.outboxSaved++;
      return;
    case 41 satisfies typeof Rec.OutboxRelayed:
      m.outboxRelayed++;
      return;
    case 44 satisfies typeof Rec.PublishRefused: {
      m.publishRefused++;
      const s = m.services[maps.producer[to] as number];
      if (s) s.publishRefused++;
      return;
    }
    case 45 satisfies typeof Rec.PublishRetry:
      m.publishRetries++;
      return;
    case 30 satisfies typeof Rec.Deduplicated:
      m.deduplicated++;
      return;
    case 32 satisfies typeof Rec.PublishRejected:
      (m.queues[maps.queue[to] as number] as QueueMetrics).rejected++;
      return;
    case 35 satisfies typeof Rec.Redriven: {
      const q = m.queues[maps.queue[to] as number] as QueueMetrics;
      q.deadLettered--;
      q.redriven++;
      q.readyEntries++;
      changeReady(q, t, 1);
      return;
    }
    case 16 satisfies typeof Rec.Enqueued: {
      const qi = maps.queue[to] as number;
      const q = m.queues[qi] as QueueMetrics;
      q.copies++;
      q.readyEntries++;
      changeReady(q, t, 1);
      const s = m.services[maps.queueConsumer[qi] as number];
      if (s && q.ready + q.retrying > s.maxBacklog) s.maxBacklog = q.ready + q.retrying;
      return;
    }
    case 17 satisfies typeof Rec.Delivered: {
      const q = m.queues[maps.queue[from] as number] as QueueMetrics;
      changeReady(q, t, -1);
      q.inFlight++;
      q.deliveries++;
      q.waitSum += value;
      m.delivered++;
      if (attempt > 1) {
        q.redeliveries++;
        m.redelivered++;
      }
      if (attempt > q.maxAttempt) q.maxAttempt = attempt;
      return;
    }
    case 18 satisfies typeof Rec.Acked: {
      const q = m.queues[maps.queue[to] as number] as QueueMetrics;
      q.inFlight--;
      if (code === AckCode.NoHandler) q.ignored++;
      else q.processed++;
      return;
    }
    case 19 satisfies typeof Rec.Nacked: {
      const q = m.queues[maps.queue[to] as number] as QueueMetrics;
      q.inFlight--;
      return;
    }
    case 20 satisfies typeof Rec.RetryScheduled: {
      const q = m.queues[maps.queue[from] as number] as QueueMetrics;
      q.retrying++;
      if (to === from) q.retryingHere++;
      m.retriesScheduled++;
      return;
    }
    case 21 satisfies typeof Rec.RetryReady: {
      // to: the queue (group) it is back in; from may be a retry queue or a log's retry topic.
      const q = m.queues[maps.queue[to] as number] as QueueMetrics;
      q.retrying--;
      if (to === from) q.retryingHere--;
      q.readyEntries++;
      changeReady(q, t, 1);
      return;
    }
    case 22 satisfies typeof Rec.Requeued: {
      const q = m.queues[maps.queue[to] as number] as QueueMetrics;
      q.inFlight--;
      q.readyEntries++;
      changeReady(q, t, 1);
      return;
    }
    case 23 satisfies typeof Rec.DeadLettered: {
      // From the ready line (TTL, overflow) or after a rejected attempt (already out of flight).
      const q = m.queues[maps.queue[from] as number] as QueueMetrics;
      if (fromReadyLine(code)) leaveReady(q, t, value);
      q.deadLettered++;
      return;
    }
    case 24 satisfies typeof Rec.Dropped: {
      const q = m.queues[maps.queue[from] as number] as QueueMetrics;
      if (fromReadyLine(code)) leaveReady(q, t, value);
      q.dropped++;
      return;
    }
    case 25 satisfies typeof Rec.Expired: {
      const q = m.queues[maps.queue[from] as number] as QueueMetrics;
      leaveReady(q, t, value);
      q.expired++;
      return;
    }
    default:
      return;
  }
}

/** Copies ended for these reasons were waiting in line, not held by a consumer. */
function fromReadyLine(reason: number): boolean {
  return (
    reason === Reason.Expired ||
    reason === Reason.Overflow ||
    reason === Reason.Replay ||
    reason === Reason.OffsetOutOfRange
  );
}

/** Bring depth integrals up to time `t` without changing anything else. */
export function settleAreas(m: Metrics, t: number): void {
  for (const q of m.queues) changeReady(q, t, 0);
}
