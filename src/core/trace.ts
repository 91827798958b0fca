/**
 * The trace: one append-only record of everything observable that happens in a run.
 *
 * Records are written into typed-array columns (a ring of the most recent ones, so a
 * long run keeps bounded memory) and folded into a running 64-bit digest, the trace
 * hash. Two runs are the same run exactly when their hashes match. Metrics are
 * reducers over the same records (see metrics.ts).
 */

/** What a trace record says happened. Numeric so records fit in typed arrays. */
export const Rec = {
  /** A user's order reaches the API. */
  OrderReceived: 1,
  /** A synchronous call leaves the caller (value: network time). */
  RequestSent: 2,
  /** A call reaches the callee and waits for a free worker. */
  RequestArrived: 3,
  /** A worker starts on a call or a delivered message (value: planned duration). */
  WorkStarted: 4,
  /** A service did its work: the side effect happened (code: Effect). */
  Processed: 5,
  /** The work failed (code: Reason). */
  WorkFailed: 6,
  /** The callee answers (code: 0 ok, else Reason; value: network time). */
  ResponseSent: 7,
  /** The caller got a success answer. */
  CallSucceeded: 8,
  /** The caller saw the call fail (code: Reason). */
  CallFailed: 9,
  /** An answer arrived after the caller had given up. */
  ResponseDiscarded: 10,
  /** The user got a success answer (value: response time). */
  OrderSucceeded: 11,
  /** The user got an error (code: Reason; value: response time). */
  OrderFailed: 12,
  /** A service publishes an event (code: event type; value: network time). */
  Published: 13,
  /** The exchange routed an event (value: number of copies). */
  Routed: 14,
  /** An event matched no queue and was discarded. */
  Unroutable: 15,
  /** A copy was put on a subscriber's queue. */
  Enqueued: 16,
  /** A copy was handed to a consumer (code: Reason of redelivery, 0 first; value: time spent waiting). */
  Delivered: 17,
  /** The consumer acknowledged: the copy is done (code: AckCode). */
  Acked: 18,
  /** The consumer rejected the copy (code: Reason). */
  Nacked: 19,
  /** A rejected copy will be retried after a backoff (value: delay). */
  RetryScheduled: 20,
  /** A copy's backoff ended; it is back in line. */
  RetryReady: 21,
  /** An unacknowledged copy went back to the head of its queue (code: Reason). */
  Requeued: 22,
  /** A copy moved to the dead-letter queue (code: Reason). */
  DeadLettered: 23,
  /** A copy was discarded for good (code: Reason). */
  Dropped: 24,
  /** A copy's time to live ran out. */
  Expired: 25,
  /**
   * Every piece of work of an order is finished (value: end-to-end time; code: bits, 1 if
   * some copy was dead-lettered, 2 if a saga step failed and the order was cancelled).
   */
  OrderCompleted: 26,
  /** A service's fault setting changed (code: FaultField; value: new value, rates and factors x1000). */
  FaultChanged: 27,
  /** A service was scaled (code: 0 replicas, 1 concurrency; value: new count). */
  Scaled: 28,
  /** The arrival rate changed (code: 0 base rate set, 1 spike started, 2 spike ended; value: orders per second x1000). */
  RateChanged: 29,
  /** A FIFO topic dropped a repeat of a message it saw within 5 minutes. */
  Deduplicated: 30,
  /** A consumer's delete or ack came too late: the message was already handed out again. */
  AckRejected: 31,
  /** A full queue (reject-publish) refused a message; the publisher is told. */
  PublishRejected: 32,
  /** A service subscribed during the run (code: 0 latest, 1 earliest). */
  Subscribed: 33,
  /** A stopped consumer group's offsets were moved (code: 0 earliest, 1 offset, 2 time; value: records to read again). */
  OffsetsReset: 34,
  /** A dead letter was moved back to its source queue. */
  Redriven: 35,
  /** A consumer's idempotency was switched (value: 1 on, 0 off). */
  IdempotencyChanged: 36,
  /** A record was appended to a partition (code: partition; value: offset). */
  Appended: 37,
  /**
   * Producer side (the dual write): the service committed its work and died before
   * publishing this event; it never leaves (code: event type). Counted as lost.
   */
  NeverPublished: 38,
  /**
   * Producer side: the event just published (msg) is for work that was never committed:
   * the service published before its commit and died in between (code: event type).
   */
  Phantom: 39,
  /** The event was saved in the outbox, in the same transaction as the work (to: the outbox node; code: event type). */
  OutboxSaved: 40,
  /** The outbox relay published a row and marked it sent (msg: event id; code: event type; value: time in the outbox). */
  OutboxRelayed: 41,
  /**
   * The relay published a row again: it had died after publishing it and before marking
   * it (msg: the new event id; attempt: sends so far; code: event type).
   */
  Republished: 42,
  /**
   * A caller's circuit breaker for calls to this service changed state (code: 0 closed,
   * 1 open, 2 half-open; value: the failure rate that opened it, x1000).
   */
  CircuitChanged: 43,
  /**
   * The broker refused a publish (from: the broker; to: the publisher's node, a service or
   * its outbox relay; attempt: the producer's publish attempt, 1 for the first; code: Reason;
   * value: event type). The event did not enter the broker: what happens to it is the
   * producer's (fail the order, retry, keep the outbox row, or lose a consumer's follow-up).
   */
  PublishRefused: 44,
  /**
   * The producer publishes a refused event again, after a backoff (`publish_failure:
   * "retry"`; attempt: this attempt; code: event type; value: the wait). Its request waited.
   */
  PublishRetry: 45,
  /**
   * A saga step failed for good: this consumer's copy (msg) was declined, dead-lettered,
   * dropped or expired, and it publishes its `on_failure_emits` (code: the Reason; value
   * 1 when this is the order's first failure, the moment it starts being cancelled;
   * attempt: then, the services that had already done their work for it, as bits).
   */
  Compensating: 46,
} as const;
export type RecKind = (typeof Rec)[keyof typeof Rec];

/** Human names, as shown in the trace panel and exported traces. */
export const REC_NAMES: Record<RecKind, string> = {
  1: 'order-received',
  2: 'request-sent',
  3: 'request-arrived',
  4: 'work-started',
  5: 'processed',
  6: 'work-failed',
  7: 'response-sent',
  8: 'call-succeeded',
  9: 'call-failed',
  10: 'response-discarded',
  11: 'order-succeeded',
  12: 'order-failed',
  13: 'published',
  14: 'routed',
  15: 'unroutable',
  16: 'enqueued',
  17: 'delivered',
  18: 'acked',
  19: 'nacked',
  20: 'retry-scheduled',
  21: 'retry-ready',
  22: 'requeued',
  23: 'dead-lettered',
  24: 'dropped',
  25: 'expired',
  26: 'order-completed',
  27: 'fault-changed',
  28: 'scaled',
  29: 'rate-changed',
  30: 'deduplicated',
  31: 'ack-rejected',
  32: 'publish-rejected',
  33: 'subscribed',
  34: 'offsets-reset',
  35: 'redriven',
  36: 'idempotency-changed',
  37: 'appended',
  38: 'never-published',
  39: 'phantom',
  40: 'outbox-saved',
  41: 'outbox-relayed',
  42: 'republished',
  43: 'circuit-changed',
  44: 'publish-refused',
  45: 'publish-retry',
  46: 'compensating',
};

/** Why something failed, or why a message was delivered again. */
export const Reason = {
  None: 0,
  /** The caller stopped waiting. */
  Timeout: 1,
  /** The service was down: nobody answered. */
  Unavailable: 2,
  /** The service failed while handling it (flaky). */
  Error: 3,
  /** The message carries data the service can never process. */
  Poison: 4,
  /** The service went down while working on it. */
  Reset: 5,
  /** The consumer did the work, then crashed before acknowledging. */
  CrashBeforeAck: 6,
  /** A rejected message came back after its backoff. */
  Retry: 7,
  /** Delivered the maximum number of times. */
  MaxAttempts: 8,
  /** A downstream call failed. */
  Downstream: 9,
  /** Its time to live ran out while it waited. */
  Expired: 10,
  /** The queue was full (max-length). */
  Overflow: 11,
  /** The consumer rejected it without requeue. */
  Rejected: 12,
  /** Delivered as many times as the queue's delivery limit allows. */
  DeliveryLimit: 13,
  /** Not deleted within the visibility timeout. */
  VisibilityTimeout: 14,
  /** Read again after the group's offsets were reset. */
  Replay: 15,
  /** A standard queue occasionally hands out a message it already delivered. */
  StandardDuplicate: 16,
  /** Moved back from the dead-letter queue. */
  Redrive: 17,
  /** Not acknowledged within the consumer timeout: the broker closed the consumer's channel. */
  ConsumerTimeout: 18,
  /** Another delivery on the same channel crashed before its ack: the channel closed. */
  ChannelClosed: 19,
  /** Log: retention deleted the group's position; `auto.offset.reset` latest skipped to the log end. */
  OffsetOutOfRange: 20,
  /** Share group: the record's acquisition lock ran out before it was acknowledged. */
  LockTimeout: 21,
  /** Consumer group: a member took longer than max.poll.interval.ms and left the group. */
  PollTimeout: 22,
  /** The producer committed its work and died before publishing (or answering). */
  CrashBeforePublish: 23,
  /** The producer published, then died before committing its work. */
  CrashBeforeCommit: 24,
  /** The caller's circuit breaker was open: the call was never sent and failed at once. */
  CircuitOpen: 25,
  /** The order's deadline (`sync.deadline_ms`): passed before the call was sent, or too close to start the work. */
  DeadlineExceeded: 26,
  /** The broker was down: the publish was refused, or nothing could be delivered. */
  BrokerUnavailable: 27,
  /** A business refusal (a declined card): an answer, not an error, so never retried. */
  Declined: 28,
} as const;
export type ReasonCode = (typeof Reason)[keyof typeof Reason];

export const REASON_NAMES: Record<ReasonCode, string> = {
  0: '',
  1: 'timeout',
  2: 'service unavailable',
  3: 'processing error',
  4: 'poison message',
  5: 'connection reset',
  6: 'crash before ack',
  7: 'retry after backoff',
  8: 'max attempts reached',
  9: 'downstream call failed',
  10: 'message TTL expired',
  11: 'queue full (max-length)',
  12: 'rejected by the consumer',
  13: 'delivery limit reached',
  14: 'visibility timeout ended',
  15: 'offset reset (replay)',
  16: 'standard-queue duplicate',
  17: 'redriven from the dead-letter queue',
  18: 'consumer timeout (channel closed)',
  19: 'channel closed by a crash',
  20: 'offset out of range: reset to latest',
  21: 'acquisition lock timed out',
  22: 'max.poll.interval.ms exceeded: left the group',
  23: 'crashed after the commit, before publishing',
  24: 'crashed after publishing, before the commit',
  25: 'circuit open: failed fast',
  26: 'deadline exceeded',
  27: 'broker unavailable',
  28: 'declined',
};

/** `Processed` codes: was this a new side effect, a repeated one, or skipped? */
export const Effect = { First: 0, Duplicate: 1, SkippedIdempotent: 2 } as const;

/**
 * `Acked` codes. `NoHandler`: a fanout exchange delivered an event type the consumer
 * has no handler for; it acked it without doing any work (counted as ignored, not processed).
 */
export const AckCode = { Processed: 0, NoHandler: 1 } as const;

/** `FaultChanged` codes. */
export const FaultField = {
  Down: 0,
  SlowFactor: 1,
  ErrorRate: 2,
  CrashRate: 3,
  PublishCrashRate: 4,
  /**
   * The broker's own settings, on `FaultChanged` records from and to the broker node: down
   * (value 1000 / 0) and slow (the confirm time's factor x1000), as for a service.
   */
  BrokerDown: 5,
  BrokerSlowFactor: 6,
  /**
   * A leader change starts (`leader-change`): value is the quorum queue's index (queue
   * flavour; the record goes to the queue's node) or the partition number (log flavour).
   */
  LeaderChange: 7,
  /** The new leader is elected: value as for `LeaderChange`. */
  LeaderElected: 8,
} as const;

/** Node numbers used in `from`/`to`: see `Model.nodes`. */
export const CLIENT_NODE = 0;
export const BROKER_NODE = 1;

/** One trace record, as an object (for panels, tests and export). */
export interface TraceRecord {
  /** Sequence number in the whole run, from 0. */
  index: number;
  t: number;
  kind: RecKind;
  from: number;
  to: number;
  /** Call id or event id; 0 when not about one message. */
  msg: number;
  /** Order number (correlation id); 0 when not about one order. */
  corr: number;
  attempt: number;
  code: number;
  value: number;
}

/** Records column by column: one typed array per field. */
export interface TraceColumns {
  t: Int32Array;
  kind: Uint8Array;
  from: Int16Array;
  to: Int16Array;
  msg: Int32Array;
  corr: Int32Array;
  attempt: Uint16Array;
  code: Uint8Array;
  value: Int32Array;
}

/** Room for `n` records, column by column. */
export function traceColumns(n: number): TraceColumns {
  return {
    t: new Int32Array(n),
    kind: new Uint8Array(n),
    from: new Int16Array(n),
    to: new Int16Array(n),
    msg: new Int32Array(n),
    corr: new Int32Array(n),
    attempt: new Uint16Array(n),
    code: new Uint8Array(n),
    value: new Int32Array(n),
  };
}

/** Copy record `k` of `src` to slot `j` of `dst`. */
export function copyRecordSlot(src: TraceColumns, k: number, dst: TraceColumns, j: number): void {
  dst.t[j] = src.t[k] as number;
  dst.kind[j] = src.kind[k] as number;
  dst.from[j] = src.from[k] as number;
  dst.to[j] = src.to[k] as number;
  dst.msg[j] = src.msg[k] as number;
  dst.corr[j] = src.corr[k] as number;
  dst.attempt[j] = src.attempt[k] as number;
  dst.code[j] = src.code[k] as number;
  dst.value[j] = src.value[k] as number;
}

/** Ring buffer of the latest records plus the running hash. Plain data, clonable. */
export interface TraceState extends TraceColumns {
  capacity: number;
  /** Records written in the whole run. */
  count: number;
  /** Ring slot the engine writes its next record to (`count % capacity`, kept without dividing). */
  next: number;
  h1: number;
  h2: number;
}

export function createTrace(capacity: number): TraceState {
  // h1 starts as an int32 (the same bits; traceHash reads `h1 >>> 0`): above 2^31 it made
  // `h1` a boxed double field for the whole run.
  return {
    capacity,
    count: 0,
    next: 0,
    h1: 0x811c9dc5 | 0,
    h2: 0x12345678,
    ...traceColumns(capacity),
  };
}

// Two independent 32-bit lanes make a 64-bit digest; mixing whole words keeps the
// per-record cost to a handful of multiplications.
function mix1(h: number, w: number): number {
  return Math.imul(h ^ w, 0x01000193);
}
// murmur3's constants, written in place as the int32 values they stand for (the same
// bits, so the same hash). Written as 0xcc9e2d51 and 0xe6546b64 they are above 2^31: the
// addition was done in floating point and `| 0` took V8's slow truncation path on most
// records. Named at module level instead, they were loaded from the module's context at
// every use and checked and converted as any number could be (V8 does not fold module
// constants): ~15 loads and conversions a record, ~450 instructions a record in all
// (callgrind). Literals are folded into the multiplications.
function mix2(h: number, w: number): number {
  const k = Math.imul(w, 0xcc9e2d51 | 0);
  const x = h ^ Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  return (Math.imul((x << 13) | (x >>> 19), 5) + (0xe6546b64 | 0)) | 0;
}

/** Append a record: store it in the ring and fold it into the hash. */
export function writeRecord(
  tr: TraceState,
  t: number,
  kind: number,
  from: number,
  to: number,
  msg: number,
  corr: number,
  attempt: number,
  code: number,
  value: number,
): void {
  // A wrapping cursor instead of `count % capacity`: an integer division per record
  // (about three per event) showed in the engine benchmark's profile.
  const i = tr.next;
  tr.next = i + 1 === tr.capacity ? 0 : i + 1;
  tr.count++;
  // Every field as an int32 first (`| 0` is the ToInt32 that both the typed-array stores
  // and the hash's bitwise operations apply anyway, so nothing changes). Given plain
  // numbers, V8 converted each one to a double and back with overflow checks before
  // storing it: writeRecord took ~360 instructions a record (valgrind), ~1/5 of a run.
  t |= 0;
  kind |= 0;
  from |= 0;
  to |= 0;
  msg |= 0;
  corr |= 0;
  attempt |= 0;
  code |= 0;
  value |= 0;
  tr.t[i] = t;
  tr.kind[i] = kind;
  tr.from[i] = from;
  tr.to[i] = to;
  tr.msg[i] = msg;
  tr.corr[i] = corr;
  tr.attempt[i] = attempt;
  tr.code[i] = code;
  tr.value[i] = value;
  let h1 = tr.h1;
  let h2 = tr.h2;
  const head = t ^ (kind << 24) ^ (code << 16);
  h1 = mix1(
    mix1(mix1(mix1(mix1(h1, head), (from << 16) ^ (to & 0xffff)), msg), corr),
    (attempt << 20) ^ value,
  );
  h2 = mix2(
    mix2(mix2(mix2(mix2(h2, head), (from << 16) ^ (to & 0xffff)), msg), corr),
    (attempt << 20) ^ value,
  );
  tr.h1 = h1;
  tr.h2 = h2;
}

/** The trace hash: 16 hex digits. */
export function traceHash(tr: TraceState): string {
  return (tr.h1 >>> 0).toString(16).padStart(8, '0') + (tr.h2 >>> 0).toString(16).padStart(8, '0');
}

/** The record with run index `index`, if it is still in the ring. */
export function readRecord(tr: TraceState, index: number): TraceRecord | undefined {
  if (index < 0 || index >= tr.count || index < tr.count - tr.capacity) return undefined;
  const i = index % tr.capacity;
  return {
    index,
    t: tr.t[i] as number,
    kind: tr.kind[i] as RecKind,
    from: tr.from[i] as number,
    to: tr.to[i] as number,
    msg: tr.msg[i] as number,
    corr: tr.corr[i] as number,
    attempt: tr.attempt[i] as number,
    code: tr.code[i] as number,
    value: tr.value[i] as number,
  };
}

/** The latest `n` records still held, oldest first. */
export function tailRecords(tr: TraceState, n: number): TraceRecord[] {
  const from = Math.max(0, tr.count - Math.min(n, tr.capacity));
  const out: TraceRecord[] = [];
  for (let k = from; k < tr.count; k++) out.push(readRecord(tr, k) as TraceRecord);
  return out;
}

// ---------------------------------------------------------------------------------
// Reading the trace as it is written

/**
 * Where a reader got to: the run's epoch (see `Simulation.epoch`) and how many records
 * it had seen. Readers keep one and hand it back on their next read.
 */
export interface TraceCursor {
  readonly epoch: number;
  readonly count: number;
}

/** What a read did besides visiting records. */
export interface TraceRead {
  cursor: TraceCursor;
  /**
   * The reader must forget what it built from earlier records: time moved back, the
   * future forked, the run was rebuilt, or the ring overwrote records it never saw.
   */
  reset: boolean;
}

/**
 * One record, read in place from the ring. The same object is handed to every visit
 * (no allocation per record): copy the fields you keep.
 */
export class TraceRow {
  /** Sequence number in the whole run. */
  index = 0;
  private slot = 0;
  private tr: TraceState;

  constructor(tr: TraceState) {
    this.tr = tr;
  }

  /** @internal */
  at(tr: TraceState, index: number): this {
    this.tr = tr;
    this.index = index;
    this.slot = index % tr.capacity;
    return this;
  }

  get t(): number {
    return this.tr.t[this.slot] as number;
  }
  get kind(): RecKind {
    return this.tr.kind[this.slot] as RecKind;
  }
  get from(): number {
    return this.tr.from[this.slot] as number;
  }
  get to(): number {
    return this.tr.to[this.slot] as number;
  }
  get msg(): number {
    return this.tr.msg[this.slot] as number;
  }
  get corr(): number {
    return this.tr.corr[this.slot] as number;
  }
  get attempt(): number {
    return this.tr.attempt[this.slot] as number;
  }
  get code(): number {
    return this.tr.code[this.slot] as number;
  }
  get value(): number {
    return this.tr.value[this.slot] as number;
  }
  /** Copy this record into slot `j` of `dst` (column by column, no object). */
  copyTo(dst: TraceColumns, j: number): void {
    copyRecordSlot(this.tr, this.slot, dst, j);
  }

  /** A copy that outlives the visit. */
  record(): TraceRecord {
    return readRecord(this.tr, this.index) as TraceRecord;
  }
}

/**
 * Visit every record written since `cursor`, oldest first. A cursor from another epoch
 * (or none) starts again from the oldest record the ring still holds: `onReset` is called
 * first, so the reader can forget what it built, and the result has `reset` set.
 */
export function readTraceSince(
  tr: TraceState,
  epoch: number,
  cursor: TraceCursor | null,
  visit: (row: TraceRow) => void,
  onReset?: () => void,
  row: TraceRow = new TraceRow(tr),
): TraceRead {
  const oldest = Math.max(0, tr.count - tr.capacity);
  let from: number;
  let reset: boolean;
  if (!cursor || cursor.epoch !== epoch || cursor.count > tr.count) {
    from = oldest;
    reset = true;
  } else if (cursor.count < oldest) {
    // The ring went round before this reader came back: what it missed is gone.
    from = oldest;
    reset = true;
  } else {
    from = cursor.count;
    reset = false;
  }
  if (reset) onReset?.();
  for (let k = from; k < tr.count; k++) visit(row.at(tr, k));
  return { cursor: { epoch, count: tr.count }, reset };
}

/** Append record `k` of `src` to a ring without touching its hash (mirrors of a trace read elsewhere). */
export function appendRecordFrom(tr: TraceState, src: TraceColumns, k: number): void {
  // By `count`, not `next`: a mirror moves its count on its own (it skips and rewinds).
  copyRecordSlot(src, k, tr, tr.count % tr.capacity);
  tr.count++;
}
