/**
 * `Simulation`: one deterministic run of a scenario in one architecture.
 *
 * It owns the virtual clock, the log of the learner's interventions and the
 * checkpoints that make `seek` exact: a past moment is reached by restoring the
 * nearest earlier checkpoint and running forward again, replaying the same
 * interventions at the same simulated moments.
 */
import {
  groupPartitions,
  type OffsetTarget,
  oldestWaitingAge,
  type PartitionView,
  redrive,
  resetOffsets,
  setIdempotent,
  subscribe,
} from './broker';
import {
  createContext,
  createOrder,
  createState,
  dispatch,
  heapPop,
  scaleService,
  setBaseRate,
  setFault,
  skipCancelled,
  startSpike,
  takeSample,
} from './engine';
import { type Call, dequeAt, Ev, type FaultSettings, type Job, JobState, type Message, type RunContext, type SimState } from './state';
import { buildModel, type Model } from './model';
import { buildReport } from './report';
import type { Report } from './reportTypes';
import type { Architecture, Scenario } from './scenario';
import { readRecord, tailRecords, type TraceRecord, traceHash } from './trace';

export type { FaultSettings } from './engine';

/** Something the learner did, at a simulated moment. Replayed exactly on `seek`. */
export type Intervention =
  | { at: number; kind: 'fault'; service: string; patch: Partial<FaultSettings> }
  | { at: number; kind: 'scale'; service: string; replicas: number; concurrency: number }
  | { at: number; kind: 'rate'; rate: number }
  | { at: number; kind: 'spike'; rate: number; durationMs: number }
  | { at: number; kind: 'order' }
  | { at: number; kind: 'subscribe'; service: string; from: 'earliest' | 'latest' }
  | { at: number; kind: 'reset-offsets'; service: string; target: OffsetTarget }
  | { at: number; kind: 'redrive' }
  | { at: number; kind: 'idempotent'; service: string; on: boolean };

export type { OffsetTarget, PartitionView } from './broker';

type InterventionBody = Intervention extends infer I ? (I extends Intervention ? Omit<I, 'at'> : never) : never;

export interface SimOptions {
  /** Defaults to the scenario's own architecture. */
  architecture?: Architecture;
  /** Defaults to the scenario's seed. */
  seed?: number;
  /** Keep every trace record in memory (tests, exports). Off by default: the ring keeps the latest. */
  keepTrace?: boolean;
  /** Records kept in the ring. */
  traceCapacity?: number;
  /** Width of one time-series sample. */
  sampleEveryMs?: number;
  /** Samples kept. */
  seriesCapacity?: number;
  /** Simulated time between checkpoints (it doubles when `maxCheckpoints` is reached). */
  checkpointEveryMs?: number;
  /**
   * Events that must have happened since the last checkpoint before another is taken.
   * Copying a big state costs more than re-running a few thousand events, so quiet
   * stretches are not checkpointed. Default 20,000 (re-running that many takes ~15 ms).
   */
  checkpointMinEvents?: number;
  maxCheckpoints?: number;
  /** Keep orders arriving after `duration_ms` (the playground); by default arrivals stop there. */
  openEnded?: boolean;
  /** Interventions to replay at their moments, as if a learner had made them. */
  interventions?: readonly Intervention[];
}

export interface ServiceView extends FaultSettings {
  index: number;
  id: string;
  name: string;
  /** Skips the side effect of a message id it has already handled. */
  idempotent: boolean;
  /** Consumers: its subscription is active (false until a late joiner is added). */
  subscribed: boolean;
  replicas: number;
  concurrency: number;
  workers: number;
  busy: number;
  /** Calls waiting for a free worker. */
  waiting: number;
  processed: number;
  failed: number;
  duplicates: number;
}

export interface QueueView {
  index: number;
  id: string;
  name: string;
  /** Waiting in the queue, including copies waiting out a retry backoff. */
  waiting: number;
  retrying: number;
  inFlight: number;
  processed: number;
  deadLettered: number;
  expired: number;
  dropped: number;
  copies: number;
  maxDepth: number;
  /** Age of the oldest message still waiting (or unread by a log group), 0 when none. */
  oldestAgeMs: number;
}

/** A message or call as the inspector lists it. */
export interface MessageView {
  id: number;
  type: string;
  corr: number;
  attempt: number;
  /** Time since it was published (messages) or sent (calls). */
  ageMs: number;
  state: 'waiting' | 'retrying' | 'in-flight' | 'queued' | 'working' | 'calling' | 'publishing' | 'dead-lettered';
  /** Why it is here again, or why it was dead-lettered. */
  note: string;
}

/** Events to run between checkpoints per pending timer (see considerCheckpoint). */
const CHECKPOINT_EVENTS_PER_TIMER = 20;

interface Checkpoint {
  at: number;
  state: SimState;
}

/** A time series: `column(name)` gives its values oldest first. */
export interface SeriesView {
  columns: readonly string[];
  everyMs: number;
  length: number;
  column(name: string): number[];
}

export class Simulation {
  readonly scenario: Scenario;
  readonly architecture: Architecture;
  readonly seed: number;
  readonly model: Model;
  private readonly ctx: RunContext;
  private state: SimState;
  private readonly log: Intervention[];
  private readonly checkpoints: Checkpoint[] = [];
  private checkpointEvery: number;
  /** The next boundary at which a checkpoint is considered. */
  private checkpointCursor: number;
  private readonly checkpointMinEvents: number;
  private readonly maxCheckpoints: number;

  constructor(scenario: Scenario, options: SimOptions = {}) {
    this.scenario = scenario;
    this.architecture = options.architecture ?? scenario.architecture;
    this.seed = options.seed ?? scenario.seed;
    this.model = buildModel(scenario, this.architecture);
    this.ctx = createContext(scenario, this.model, this.seed, options.keepTrace ?? false);
    this.state = createState(this.ctx, {
      traceCapacity: options.traceCapacity ?? 4096,
      sampleEveryMs: options.sampleEveryMs ?? 250,
      seriesCapacity: options.seriesCapacity ?? 2400,
      openEnded: options.openEnded ?? false,
    });
    this.log = [...(options.interventions ?? [])].sort((a, b) => a.at - b.at);
    this.checkpointEvery = options.checkpointEveryMs ?? 2000;
    this.checkpointCursor = this.checkpointEvery;
    this.checkpointMinEvents = options.checkpointMinEvents ?? 20_000;
    this.maxCheckpoints = options.maxCheckpoints ?? 64;
    this.checkpoints.push({ at: 0, state: structuredClone(this.state) });
  }

  /** The simulated clock, in milliseconds. */
  get now(): number {
    return this.state.now;
  }

  /** Events processed since the start of the run. */
  get eventsProcessed(): number {
    return this.state.processed;
  }

  /** Events scheduled and not yet processed (cancelled ones included until skipped). */
  get pendingEvents(): number {
    return this.state.heap.length;
  }

  /** Run every event up to and including time `t`. Going backwards is a `seek`. */
  runUntil(t: number): void {
    const target = Math.floor(t);
    if (target < this.state.now) this.seek(target);
    else this.advance(target, Number.POSITIVE_INFINITY);
  }

  /** Process the next event only. Returns false when nothing is left to happen. */
  step(): boolean {
    const top = skipCancelled(this.state);
    const pending = this.log[this.state.interventionsApplied];
    if (!top && !pending) return false;
    const target = Math.min(top ? top.at : Number.POSITIVE_INFINITY, pending ? pending.at : Number.POSITIVE_INFINITY);
    return this.advance(target, 1) > 0 || pending !== undefined;
  }

  /** When the next event will happen, if any. */
  nextEventAt(): number | undefined {
    return skipCancelled(this.state)?.at;
  }

  /**
   * Move the clock to `t`. Backwards, the state is exactly what a fresh run with the
   * same interventions would have at `t`.
   */
  seek(t: number): void {
    const target = Math.max(0, Math.floor(t));
    let chosen = this.checkpoints[0] as Checkpoint;
    for (const c of this.checkpoints) if (c.at <= target) chosen = c;
    // Forward, a checkpoint ahead of the clock (left by an earlier jump back) saves the
    // re-run up to it; checkpoints past a fork were dropped, so any left are still true.
    if (target >= this.state.now && chosen.at <= this.state.now) {
      this.advance(target, Number.POSITIVE_INFINITY);
      return;
    }
    this.state = structuredClone(chosen.state);
    this.checkpointCursor = chosen.at + this.checkpointEvery;
    if (this.ctx.fullTrace) this.ctx.fullTrace.length = this.state.trace.count;
    this.advance(target, Number.POSITIVE_INFINITY);
  }

  /**
   * The main loop. Interventions at time T apply after every event at T; samples and
   * checkpoints at boundary B are taken once everything at or before B has happened.
   */
  private advance(target: number, maxEvents: number): number {
    const ctx = this.ctx;
    const log = this.log;
    let st = this.state;
    let n = 0;
    for (;;) {
      const top = skipCancelled(st);
      const pending = log[st.interventionsApplied];
      const evAt = top ? top.at : Number.POSITIVE_INFINITY;
      if (pending && pending.at <= target && pending.at < evAt) {
        this.bookkeep(pending.at);
        st = this.state;
        st.now = pending.at;
        this.apply(pending);
        st.interventionsApplied++;
        continue;
      }
      if (!top || top.at > target || n >= maxEvents) break;
      if (top.at > st.series.nextAt || top.at > this.nextCheckpointAt()) this.bookkeep(top.at);
      heapPop(st.heap);
      st.now = top.at;
      dispatch(ctx, st, top);
      n++;
    }
    if (n < maxEvents && Number.isFinite(target)) {
      this.bookkeep(target);
      this.state.now = target;
    }
    return n;
  }

  private nextCheckpointAt(): number {
    return this.checkpointCursor;
  }

  /** Take every sample and checkpoint whose boundary is strictly before `t`. */
  private bookkeep(t: number): void {
    const st = this.state;
    for (;;) {
      const sampleAt = st.series.nextAt;
      const checkpointAt = this.nextCheckpointAt();
      const boundary = Math.min(sampleAt, checkpointAt);
      if (boundary >= t) return;
      st.now = boundary;
      if (sampleAt === boundary) takeSample(this.ctx, st);
      if (checkpointAt === boundary) {
        this.checkpointCursor += this.checkpointEvery;
        this.considerCheckpoint(boundary);
      }
    }
  }

  private considerCheckpoint(at: number): void {
    const last = this.checkpoints[this.checkpoints.length - 1] as Checkpoint;
    if (at <= last.at) return; // already there (after a seek back)
    // Too little happened since to be worth a copy. Copying each pending timer (and the
    // call or delivery it holds) costs about as much as re-running a few events, so a busy
    // run with many timers waits for more events: copying stays a small share of the run.
    // (Long queues alone do not raise the bar: a seek re-runs at most this many events.)
    const st = this.state;
    const needed = Math.max(this.checkpointMinEvents, CHECKPOINT_EVENTS_PER_TIMER * st.heap.length);
    if (st.processed - last.state.processed < needed) return;
    this.checkpoints.push({ at, state: structuredClone(this.state) });
    if (this.checkpoints.length > this.maxCheckpoints) {
      // Keep memory bounded: drop every other checkpoint and space future ones wider.
      const kept = this.checkpoints.filter((_, i) => i % 2 === 0);
      this.checkpoints.length = 0;
      this.checkpoints.push(...kept);
      this.checkpointEvery *= 2;
    }
  }

  private apply(i: Intervention): void {
    this.applyTo(this.ctx, this.state, i);
  }

  private applyTo(ctx: RunContext, st: SimState, i: Intervention): void {
    switch (i.kind) {
      case 'fault':
        setFault(ctx, st, this.serviceIndex(i.service), i.patch);
        return;
      case 'scale':
        scaleService(ctx, st, this.serviceIndex(i.service), i.replicas, i.concurrency);
        return;
      case 'rate':
        setBaseRate(ctx, st, i.rate);
        return;
      case 'spike':
        startSpike(ctx, st, { rate: i.rate, endAt: st.now + i.durationMs });
        return;
      case 'order':
        createOrder(ctx, st);
        return;
      case 'subscribe':
        subscribe(ctx, st, this.serviceIndex(i.service), i.from);
        return;
      case 'reset-offsets':
        resetOffsets(ctx, st, this.serviceIndex(i.service), i.target);
        return;
      case 'redrive':
        redrive(ctx, st);
        return;
      case 'idempotent':
        setIdempotent(ctx, st, this.serviceIndex(i.service), i.on);
        return;
    }
  }

  /** Index of a service by id; throws for an unknown id (a programming error). */
  serviceIndex(id: string): number {
    const i = this.model.services.findIndex((s) => s.id === id);
    if (i < 0) throw new Error(`unknown service "${id}"`);
    return i;
  }

  /**
   * Record and apply an intervention at the current moment. If the clock was moved
   * back, the interventions that were ahead of it are discarded: the future forks here.
   */
  intervene(body: InterventionBody): void {
    const st = this.state;
    const i = { ...body, at: st.now } as Intervention;
    if (st.interventionsApplied < this.log.length) {
      this.log.length = st.interventionsApplied;
      while (this.checkpoints.length > 1 && (this.checkpoints[this.checkpoints.length - 1] as Checkpoint).at > st.now) {
        this.checkpoints.pop();
      }
    }
    this.bookkeep(st.now);
    this.log.push(i);
    this.apply(i);
    st.interventionsApplied++;
  }

  /** Switch a service's faults now (the outage toggle and the slow / flaky menu call this). */
  setFault(service: string, patch: Partial<FaultSettings>): void {
    this.intervene({ kind: 'fault', service, patch });
  }

  setDown(service: string, down: boolean): void {
    this.setFault(service, { down });
  }

  /** Scale a service: replicas x concurrency workers. */
  scale(service: string, replicas: number, concurrency: number): void {
    this.intervene({ kind: 'scale', service, replicas, concurrency });
  }

  /** Change the base arrival rate (orders per second). */
  setRate(rate: number): void {
    this.intervene({ kind: 'rate', rate });
  }

  /** A burst of traffic at `rate` orders per second for `durationMs`, starting now. */
  spike(rate: number, durationMs: number): void {
    this.intervene({ kind: 'spike', rate, durationMs });
  }

  /** One extra order, now. */
  sendOrder(): void {
    this.intervene({ kind: 'order' });
  }

  /**
   * A subscriber joins now, without the producer changing. On a log it reads from the
   * earliest offset still kept or only what comes next (latest).
   */
  subscribe(service: string, from: 'earliest' | 'latest' = 'latest'): void {
    this.intervene({ kind: 'subscribe', service, from });
  }

  /** Is this service's subscription active? */
  isSubscribed(service: string): boolean {
    const qi = this.model.services[this.serviceIndex(service)]?.queue ?? -1;
    return qi >= 0 && (this.state.queues[qi]?.subscribed ?? false);
  }

  /**
   * Replay (log broker): move a stopped consumer group's offsets back (or forward).
   * Returns a message when it cannot be done now (the group is running, not a log...).
   */
  resetOffsets(service: string, target: OffsetTarget): string | null {
    const problem = this.offsetResetProblem(service);
    if (problem) return problem;
    this.intervene({ kind: 'reset-offsets', service, target });
    return null;
  }

  /** Why offsets cannot be reset now, or null when they can. */
  offsetResetProblem(service: string): string | null {
    if (this.scenario.broker.kind !== 'log') return 'offsets exist only on a log broker';
    const index = this.serviceIndex(service);
    if (this.model.services[index]?.queue === -1 || !this.isSubscribed(service)) return 'this service reads no topic';
    if (!this.state.services[index]?.down) return 'stop the consumer group first (switch the service off), as Kafka requires';
    return null;
  }

  /** Move every kept dead letter back to its source queue (queue and SNS + SQS brokers). */
  redrive(): void {
    this.intervene({ kind: 'redrive' });
  }

  /** Switch a consumer's idempotency (deduplication by message id) on or off. */
  setIdempotent(service: string, on: boolean): void {
    this.intervene({ kind: 'idempotent', service, on });
  }

  isIdempotent(service: string): boolean {
    return this.state.services[this.serviceIndex(service)]?.idempotent ?? false;
  }

  /** Log broker: each partition a group reads, with its offsets, lag and owner. */
  partitions(queueIndex: number): PartitionView[] {
    return groupPartitions(this.ctx, this.state, queueIndex);
  }

  /** Every intervention so far (and those scheduled ahead of a moved-back clock). */
  get interventions(): readonly Intervention[] {
    return this.log;
  }

  // ------------------------------------------------------------------------------
  // Reading the state

  /** The current arrival rate, spikes included. */
  get currentRate(): number {
    const st = this.state;
    if (!st.workloadOpen) return 0;
    const spike = st.spikes[st.spikes.length - 1];
    return spike ? spike.rate : st.baseRate;
  }

  get baseRate(): number {
    return this.state.baseRate;
  }

  service(index: number): ServiceView {
    const info = this.model.services[index];
    const s = this.state.services[index];
    const m = this.state.metrics.services[index];
    if (!info || !s || !m) throw new Error(`no service ${index}`);
    return {
      index,
      id: info.id,
      name: info.name,
      idempotent: s.idempotent,
      subscribed: info.queue >= 0 ? (this.state.queues[info.queue]?.subscribed ?? false) : true,
      down: s.down,
      slowFactor: s.slowFactor,
      errorRate: s.errorRate,
      crashRate: s.crashRate,
      replicas: s.replicas,
      concurrency: s.concurrency,
      workers: s.workers,
      busy: s.busy,
      waiting: s.accept.size,
      processed: m.processed,
      failed: m.failed,
      duplicates: m.duplicates,
    };
  }

  queue(index: number): QueueView {
    const info = this.model.queues[index];
    const m = this.state.metrics.queues[index];
    if (!info || !m) throw new Error(`no queue ${index}`);
    return {
      index,
      id: info.id,
      name: info.name,
      waiting: m.ready + m.retrying,
      retrying: m.retrying,
      inFlight: m.inFlight,
      processed: m.processed,
      deadLettered: m.deadLettered,
      expired: m.expired,
      dropped: m.dropped,
      copies: m.copies,
      maxDepth: m.maxDepth,
      oldestAgeMs: oldestWaitingAge(this.state, index),
    };
  }

  /** Engine-side counts of one queue, independent of the metrics (for invariant checks). */
  queueContents(index: number): { ready: number; retrying: number; inFlight: number } {
    const q = this.state.queues[index];
    if (!q) throw new Error(`no queue ${index}`);
    let ready = q.ready.size - q.tombstones;
    if (q.group && q.subscribed) {
      // A log keeps no line per group: what waits is everything between position and log end.
      ready = 0;
      q.group.parts.forEach(([type, pi], s) => {
        const end = this.state.topics[type]?.[pi]?.end ?? 0;
        ready += Math.max(0, end - (q.group?.position[s] ?? 0));
      });
    }
    return { ready, retrying: q.retrying, inFlight: q.inFlight };
  }

  private messageView(msg: Message, state: MessageView['state'], note: string): MessageView {
    return {
      id: msg.id,
      type: this.model.eventTypes[msg.type] ?? '?',
      corr: msg.order.corr,
      attempt: msg.attempts,
      ageMs: this.state.now - msg.publishedAt,
      state,
      note,
    };
  }

  /** Messages in a queue: in flight first, then waiting in line, then waiting out a backoff. */
  queueMessages(index: number, limit = 50): MessageView[] {
    const st = this.state;
    const q = st.queues[index];
    const info = this.model.queues[index];
    if (!q || !info) return [];
    const out: MessageView[] = [];
    for (const item of st.services[info.service]?.active ?? []) {
      if ('msg' in item && item.msg.queue === index) out.push(this.messageView(item.msg, 'in-flight', ''));
    }
    for (let i = 0; i < q.ready.size && out.length < limit; i++) {
      const msg = dequeAt(q.ready, i) as Message;
      out.push(this.messageView(msg, 'waiting', msg.cause ? causeNote(msg.cause) : ''));
    }
    if (out.length < limit) {
      const retrying = st.heap
        .filter((e) => e.kind === Ev.RetryReady && !e.cancelled && (e.ref as Message).queue === index)
        .sort((a, b) => a.at - b.at || a.seq - b.seq);
      for (const e of retrying) {
        if (out.length >= limit) break;
        out.push(this.messageView(e.ref as Message, 'retrying', `next try in ${e.at - st.now} ms`));
      }
    }
    return out.slice(0, limit);
  }

  /** Calls and messages a service is holding or has waiting for a worker. */
  serviceWork(index: number, limit = 50): MessageView[] {
    const st = this.state;
    const s = st.services[index];
    if (!s) return [];
    const out: MessageView[] = [];
    const callView = (job: Job, state: MessageView['state']): MessageView => ({
      id: job.call.id,
      type: 'request',
      corr: job.order.corr,
      attempt: job.call.attempt,
      ageMs: st.now - job.call.sentAt,
      state,
      note: job.state === JobState.Calling && job.downstream ? `waiting on ${this.model.services[job.downstream.callee]?.name ?? '?'}` : '',
    });
    for (const item of s.active) {
      if ('msg' in item) out.push(this.messageView(item.msg, 'in-flight', ''));
      else out.push(callView(item, item.state === JobState.Calling ? 'calling' : item.state === JobState.Publishing ? 'publishing' : 'working'));
    }
    for (let i = 0; i < s.accept.size && out.length < limit; i++) out.push(callView(dequeAt(s.accept, i) as Job, 'queued'));
    return out.slice(0, limit);
  }

  /** The newest dead letters (up to 500 are kept) and how many there are in all. */
  deadLetters(limit = 50): { count: number; items: MessageView[] } {
    const dl = this.state.deadLetters;
    const items: MessageView[] = [];
    for (let i = dl.items.length - 1; i >= 0 && items.length < limit; i--) {
      items.push(this.messageView(dl.items[i] as Message, 'dead-lettered', causeNote(dl.reasons[i] ?? 0)));
    }
    return { count: dl.count, items };
  }

  /** Calls in flight on the network or waiting on a callee (for tests and the inspector). */
  openCalls(): Call[] {
    return this.state.heap.filter((e) => e.kind === Ev.CallTimeout && !e.cancelled).map((e) => e.ref as Call);
  }

  /** Trace records written so far in the whole run. */
  get traceCount(): number {
    return this.state.trace.count;
  }

  /** The latest `n` records still held in the ring, oldest first. */
  traceTail(n: number): TraceRecord[] {
    return tailRecords(this.state.trace, n);
  }

  /** Record number `index` of the run, if still held. */
  traceRecord(index: number): TraceRecord | undefined {
    return readRecord(this.state.trace, index);
  }

  /** Raw columns of the trace ring, for renderers that scan many records per frame. */
  get traceRing(): Readonly<SimState['trace']> {
    return this.state.trace;
  }

  /**
   * Every trace record of one order (its calls, events, copies, retries, dead letters),
   * from its arrival up to now. The ring only holds recent records, so this re-runs a
   * private copy from the last checkpoint before the order existed: exact, because the
   * run is deterministic.
   */
  orderRecords(corr: number): TraceRecord[] {
    if (corr < 1 || corr > this.state.nextCorr) return [];
    let chosen = this.checkpoints[0] as Checkpoint;
    for (const c of this.checkpoints) if (c.at <= this.state.now && c.state.nextCorr < corr) chosen = c;
    return this.replayRecords(chosen, corr);
  }

  /** Every trace record of the run so far, re-created from the start (for export). */
  allRecords(): TraceRecord[] {
    return this.replayRecords(this.checkpoints[0] as Checkpoint, undefined);
  }

  private replayRecords(from: Checkpoint, corr: number | undefined): TraceRecord[] {
    const captured: TraceRecord[] = [];
    const ctx: RunContext = { ...this.ctx, fullTrace: captured, captureCorr: corr };
    const st = structuredClone(from.state);
    const target = this.state.now;
    // The same loop as `advance`, without samples or checkpoints (they do not touch the trace).
    for (;;) {
      const top = skipCancelled(st);
      const pending = this.log[st.interventionsApplied];
      const evAt = top ? top.at : Number.POSITIVE_INFINITY;
      if (pending && pending.at <= target && pending.at < evAt) {
        st.now = pending.at;
        this.applyTo(ctx, st, pending);
        st.interventionsApplied++;
        continue;
      }
      if (!top || top.at > target) break;
      heapPop(st.heap);
      st.now = top.at;
      dispatch(ctx, st, top);
    }
    return captured;
  }

  /** Every record of the run (only with `keepTrace`). */
  get fullTrace(): readonly TraceRecord[] {
    if (!this.ctx.fullTrace) throw new Error('create the Simulation with keepTrace: true to read the full trace');
    return this.ctx.fullTrace;
  }

  /** Digest of the whole trace so far: equal hashes mean identical runs. */
  get traceHash(): string {
    return traceHash(this.state.trace);
  }

  report(): Report {
    return buildReport(this.ctx, this.state);
  }

  /** The sampled time series (one row per `sampleEveryMs`, the newest `seriesCapacity` rows). */
  series(): SeriesView {
    const s = this.state.series;
    const cols = s.columns.length;
    const length = Math.min(s.count, s.capacity);
    const first = s.count - length;
    return {
      columns: s.columns,
      everyMs: s.everyMs,
      length,
      column: (name: string) => {
        const c = s.columns.indexOf(name);
        if (c < 0) throw new Error(`no series column "${name}"`);
        const out: number[] = new Array(length);
        for (let k = 0; k < length; k++) out[k] = s.data[((first + k) % s.capacity) * cols + c] as number;
        return out;
      },
    };
  }

  /** A deep copy of the whole state, for tests that compare two runs. */
  snapshotState(): unknown {
    return structuredClone(this.state);
  }
}

function causeNote(reason: number): string {
  switch (reason) {
    case 1:
      return 'timed out';
    case 3:
      return 'failed: processing error';
    case 4:
      return 'failed: poison message';
    case 5:
      return 'redelivered: consumer went down mid-work';
    case 6:
      return 'redelivered: consumer crashed before ack';
    case 7:
      return 'redelivered: retry after backoff';
    case 8:
      return 'max attempts reached';
    default:
      return '';
  }
}
