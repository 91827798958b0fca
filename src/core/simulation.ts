/**
 * `Simulation`: one deterministic run of a scenario in one architecture.
 *
 * It owns the virtual clock, the log of the learner's interventions and the
 * checkpoints that make `seek` exact: a past moment is reached by restoring the
 * nearest earlier checkpoint and running forward again, replaying the same
 * interventions at the same simulated moments.
 */
import { cloneSimState } from './cloneState';
import { groupPartitions, oldestWaitingAge, type PartitionView } from './broker';
import { createContext, createState, dispatch, heapPop, skipCancelled, takeSample } from './engine';
import { ENGINE_OPS } from './engineOps';
import {
  applyIntervention,
  type EngineAccess,
  type Intervention,
  type InterventionBody,
  interventionProblem,
} from './interventions';
import { DEFAULT_LIMITS, LIMIT_CHECK_EVERY, RunLimitError, type RunLimits } from './limits';
import {
  type Call,
  dequeAt,
  Ev,
  type FaultSettings,
  type Job,
  JobState,
  type Message,
  type Order,
  type RunContext,
  type SimEvent,
  type SimState,
} from './state';
import { buildModel, type Model, type PublishSetting } from './model';
import { buildReport } from './report';
import { type SeriesView, seriesView } from './series';
import type { Report } from './reportTypes';
import { type Architecture, runArchitecture, type Scenario } from './scenario';
import {
  readRecord,
  readTraceSince,
  type TraceCursor,
  type TraceRead,
  type TraceRecord,
  TraceRow,
  tailRecords,
  traceHash,
} from './trace';

export type { FaultSettings } from './engine';
export type { Intervention, InterventionBody, OffsetTarget } from './interventions';
export type { PartitionView } from './broker';
export { type SeriesView, seriesView } from './series';

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
  /** What the run may cost before it stops with a `RunLimitError` (see limits.ts). */
  limits?: RunLimits;
  /**
   * Checkpoints together may copy at most this many live items (messages, timers...):
   * past it they are thinned out, so a run that grows big keeps bounded memory.
   */
  maxCheckpointWeight?: number;
}

/** How `runUntil` may stop early: asked every few thousand events, at a moment's end only. */
export interface RunOptions {
  /** Return true to stop after the current simulated millisecond (the host's wall-clock budget). */
  shouldYield?: () => boolean;
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
  /** Request chain: calls that reached it, refused ones included. */
  calls: number;
  /** Request chain: calls refused because it was down. */
  refused: number;
  /** Request chain: calls its caller's open circuit breaker failed at once. */
  shortCircuited: number;
  /** Request chain: waiting calls it did not start because the order's deadline was too close. */
  pastDeadline: number;
  /** Orders it refused (`decline_rate`, a declined card): answers, never retried. */
  declined: number;
  /** Work it did for orders that failed for the user (chain) or are being cancelled (a saga). */
  doneForFailedOrders: number;
  /** Its caller's circuit breaker (`sync.circuit_breaker`), or null without one. */
  circuit: 'closed' | 'open' | 'half-open' | null;
  /** How its request work publishes (event fan-out; after-commit elsewhere). */
  publish: PublishSetting;
  /** Outbox: rows waiting for the relay. */
  inOutbox: number;
  /** Event fan-out: its publishes the broker refused (down), its outbox relay's included. */
  publishRefused: number;
  /** Orchestration: compensating commands it carried out (refunds). */
  compensations: number;
  /** Orchestration, the orchestrator (entry) only: sagas under way, and of those compensating. */
  sagasRunning: number;
  sagasCompensating: number;
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
  /** Acked without work: its consumer has no handler for the event type (fanout exchange). */
  ignored: number;
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
  state:
    | 'waiting'
    | 'retrying'
    | 'in-flight'
    | 'queued'
    | 'working'
    | 'calling'
    | 'publishing'
    | 'dead-lettered';
  /** Why it is here again, or why it was dead-lettered. */
  note: string;
}

/**
 * Events to run between checkpoints per pending timer (see considerCheckpoint). A copy
 * (cloneState) costs about half a microsecond per timer with the call or delivery it
 * holds, about one event's worth: copying stays near 5% of a busy run.
 */
/** `ServiceView.circuit` by the breaker's state code (Circuit in breaker.ts). */
const CIRCUIT_NAMES = ['closed', 'open', 'half-open'] as const;

const CHECKPOINT_EVENTS_PER_TIMER = 20;
/** Events to run between checkpoints per live item the copy would hold. */
const CHECKPOINT_EVENTS_PER_ITEM = 4;

interface Checkpoint {
  at: number;
  state: SimState;
  /** Live items it holds (its share of `maxCheckpointWeight`). */
  weight: number;
}

/** Live items the state holds: pending timers, waiting copies, kept log records, queued calls, dead letters. */
export function liveItems(st: SimState): number {
  let n = st.heap.length;
  for (const q of st.queues) n += q.ready.size;
  for (const partitions of st.topics) for (const p of partitions) n += p.records.size;
  for (const svc of st.services) n += svc.accept.size;
  return n + st.deadLetters.id.length;
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
  private readonly maxCheckpointWeight: number;
  private readonly limits: Required<RunLimits>;
  private epochValue = 0;
  /** The furthest moment this run's current future has reached (a seek back leaves it). */
  private furthest = 0;
  private readonly row: TraceRow;

  constructor(scenario: Scenario, options: SimOptions = {}) {
    this.scenario = scenario;
    this.architecture = options.architecture ?? runArchitecture(scenario);
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
    this.maxCheckpointWeight = options.maxCheckpointWeight ?? 2_000_000;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.row = new TraceRow(this.state.trace);
    this.checkpoints.push({
      at: 0,
      state: cloneSimState(this.state),
      weight: liveItems(this.state),
    });
  }

  /**
   * Changes whenever what was already shown may no longer hold: a seek back (the state
   * was restored from a checkpoint) or a fork (the future was rewritten). Readers that
   * build on earlier reads (`readTrace` cursors, caches) start again when it changes.
   */
  get epoch(): number {
    return this.epochValue;
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

  /**
   * Run every event up to and including time `t`. Going backwards is a `seek`. Returns
   * the time reached: `t`, or earlier when `options.shouldYield` asked to stop (always at
   * the end of a simulated millisecond, so the state is one a replay reaches too).
   * Throws `RunLimitError` when the run exceeds its limits; the simulation is then spent.
   */
  runUntil(t: number, options: RunOptions = {}): number {
    const target = Math.floor(t);
    if (target < this.state.now) this.seek(target);
    else this.advance(target, Number.POSITIVE_INFINITY, options.shouldYield);
    return this.state.now;
  }

  /** Process the next event only. Returns false when nothing is left to happen. */
  step(): boolean {
    const top = skipCancelled(this.state);
    const pending = this.log[this.state.interventionsApplied];
    if (!top && !pending) return false;
    const target = Math.min(
      top ? top.at : Number.POSITIVE_INFINITY,
      pending ? pending.at : Number.POSITIVE_INFINITY,
    );
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
    this.state = cloneSimState(chosen.state);
    this.epochValue++;
    this.checkpointCursor = chosen.at + this.checkpointEvery;
    if (this.ctx.fullTrace) this.ctx.fullTrace.length = this.state.trace.count;
    this.advance(target, Number.POSITIVE_INFINITY);
  }

  /** Run the live state forward (see `runLoop`), with samples, checkpoints and limits. */
  private advance(target: number, maxEvents: number, shouldYield?: () => boolean): number {
    const n = this.runLoop(this.ctx, this.state, target, maxEvents, true, shouldYield);
    if (this.state.now > this.furthest) this.furthest = this.state.now;
    return n;
  }

  private access(ctx: RunContext = this.ctx, state: SimState = this.state): EngineAccess {
    return { ctx, state, ops: ENGINE_OPS, service: (id) => this.serviceIndex(id) };
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
    const weight = liveItems(st);
    // A copy costs about a microsecond per live item, an event about as much: waiting for
    // CHECKPOINT_EVENTS_PER_ITEM events per item keeps copying a small share of the run even
    // when queues hold hundreds of thousands (measured: a month-long link at 5,000 orders/s
    // spent 90% of its replay copying checkpoints before this bar).
    const needed = Math.max(
      this.checkpointMinEvents,
      CHECKPOINT_EVENTS_PER_TIMER * st.heap.length,
      CHECKPOINT_EVENTS_PER_ITEM * weight,
    );
    if (st.processed - last.state.processed < needed) return;
    // One copy this big would crowd out the rest: seeks re-run from an earlier one instead.
    if (weight > this.maxCheckpointWeight / 4) return;
    this.checkpoints.push({ at, state: cloneSimState(this.state), weight });
    const total = () => this.checkpoints.reduce((sum, c) => sum + c.weight, 0);
    while (
      this.checkpoints.length > this.maxCheckpoints ||
      (this.checkpoints.length > 2 && total() > this.maxCheckpointWeight)
    ) {
      // Keep memory bounded: drop every other checkpoint and space future ones wider.
      const kept = this.checkpoints.filter((_, i) => i % 2 === 0);
      this.checkpoints.length = 0;
      this.checkpoints.push(...kept);
      this.checkpointEvery *= 2;
    }
  }

  /** Index of a service by id; throws for an unknown id (a programming error). */
  serviceIndex(id: string): number {
    const i = this.model.services.findIndex((s) => s.id === id);
    if (i < 0) throw new Error(`unknown service "${id}"`);
    return i;
  }

  /** Why `body` cannot be done now (e.g. offsets reset only on a stopped group), or null. */
  problemWith(body: InterventionBody): string | null {
    return interventionProblem(this, body);
  }

  /**
   * Record and apply an intervention at the current moment; returns why it cannot be
   * done (and does nothing), or null. If the clock was moved back, the interventions
   * that were ahead of it are discarded: the future forks here.
   */
  intervene(body: InterventionBody): string | null {
    const problem = this.problemWith(body);
    if (problem) return problem;
    const st = this.state;
    const i = { ...body, at: st.now } as Intervention;
    // Anything known about the time after now belongs to the old future: the actions
    // that were ahead of the clock, and the checkpoints past it (left by a seek back even
    // when no action lay ahead; a later seek would have restored the old future).
    let forked = st.now < this.furthest;
    this.furthest = st.now;
    if (st.interventionsApplied < this.log.length) {
      this.log.length = st.interventionsApplied;
      forked = true;
    }
    while (
      this.checkpoints.length > 1 &&
      (this.checkpoints[this.checkpoints.length - 1] as Checkpoint).at > st.now
    ) {
      this.checkpoints.pop();
      forked = true;
    }
    if (forked) this.epochValue++;
    this.bookkeep(st.now);
    this.log.push(i);
    applyIntervention(this.access(), i);
    st.interventionsApplied++;
    return null;
  }

  /** Is this service's subscription active? */
  isSubscribed(service: string): boolean {
    const qi = this.model.services[this.serviceIndex(service)]?.queue ?? -1;
    return qi >= 0 && (this.state.queues[qi]?.subscribed ?? false);
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
      publishCrashRate: s.publishCrashRate,
      publish: info.publish,
      inOutbox: s.outbox.size,
      replicas: s.replicas,
      concurrency: s.concurrency,
      workers: s.workers,
      busy: s.busy,
      waiting: s.accept.size,
      processed: m.processed,
      failed: m.failed,
      duplicates: m.duplicates,
      calls: m.calls,
      refused: m.refused,
      shortCircuited: m.shortCircuited,
      pastDeadline: m.pastDeadline,
      declined: m.declined,
      doneForFailedOrders: m.doneForFailedOrders,
      circuit: s.breaker ? (CIRCUIT_NAMES[m.circuit] ?? 'closed') : null,
      publishRefused: m.publishRefused,
      compensations: m.compensations,
      sagasRunning: index === this.model.entry ? this.state.sagasRunning : 0,
      sagasCompensating: index === this.model.entry ? this.state.sagasCompensating : 0,
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
      ignored: m.ignored,
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
    let ready = q.ready.size - q.tombstones + q.delayed;
    if (q.group && q.subscribed) {
      // A log keeps no line per group: what waits is everything between position and log end.
      ready = 0;
      q.group.parts.forEach(([type, pi], s) => {
        const end = this.state.topics[type]?.[pi]?.end ?? 0;
        ready += Math.max(0, end - (q.group?.position[s] ?? 0));
      });
      // Back from a retry topic, or released by a share consumer: ready outside the partitions.
      ready += q.group.again.length;
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
      if ('msg' in item && item.msg.queue === index)
        out.push(this.messageView(item.msg, 'in-flight', ''));
    }
    for (let i = 0; i < q.ready.size && out.length < limit; i++) {
      const msg = dequeAt(q.ready, i) as Message;
      out.push(this.messageView(msg, 'waiting', msg.cause ? causeNote(msg.cause) : ''));
    }
    if (out.length < limit) {
      const retrying = st.heap
        .filter(
          (e) => e.kind === Ev.RetryReady && !e.cancelled && (e.ref as Message).queue === index,
        )
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
      note:
        job.state === JobState.Calling && job.downstream.length > 0
          ? `waiting on ${job.downstream.map((c) => this.model.services[c.callee]?.name ?? '?').join(' and ')}`
          : '',
    });
    for (const item of s.active) {
      if ('msg' in item) out.push(this.messageView(item.msg, 'in-flight', ''));
      else
        out.push(
          callView(
            item,
            item.state === JobState.Calling
              ? 'calling'
              : item.state === JobState.Publishing
                ? 'publishing'
                : 'working',
          ),
        );
    }
    for (let i = 0; i < s.accept.size && out.length < limit; i++)
      out.push(callView(dequeAt(s.accept, i) as Job, 'queued'));
    return out.slice(0, limit);
  }

  /** The newest dead letters (every one is kept until redriven), and how many there were in all. */
  deadLetters(limit = 50): { count: number; items: MessageView[] } {
    const dl = this.state.deadLetters;
    const items: MessageView[] = [];
    for (let i = dl.id.length - 1; i >= 0 && items.length < limit; i--) {
      items.push({
        id: dl.id[i] as number,
        type: this.model.eventTypes[dl.type[i] as number] ?? '?',
        corr: (dl.order[i] as Order).corr,
        attempt: dl.attempts[i] as number,
        ageMs: this.state.now - (dl.publishedAt[i] as number),
        state: 'dead-lettered',
        note: causeNote(dl.reason[i] ?? 0),
      });
    }
    return { count: dl.count, items };
  }

  /** Calls in flight on the network or waiting on a callee (for tests and the inspector). */
  openCalls(): Call[] {
    return this.state.heap
      .filter((e) => e.kind === Ev.CallTimeout && !e.cancelled)
      .map((e) => e.ref as Call);
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
    for (const c of this.checkpoints)
      if (c.at <= this.state.now && c.state.nextCorr < corr) chosen = c;
    return this.replayRecords(chosen, corr);
  }

  /** Every trace record of the run so far, re-created from the start (for export). */
  allRecords(): TraceRecord[] {
    return this.replayRecords(this.checkpoints[0] as Checkpoint, undefined);
  }

  private replayRecords(from: Checkpoint, corr: number | undefined): TraceRecord[] {
    const captured: TraceRecord[] = [];
    const ctx: RunContext = { ...this.ctx, fullTrace: captured, captureCorr: corr };
    // The same loop as the live run, without samples or checkpoints (they do not touch the trace).
    this.runLoop(ctx, cloneSimState(from.state), this.state.now, Number.POSITIVE_INFINITY, false);
    return captured;
  }

  /**
   * Visit every trace record written since `cursor` (see `TraceCursor`), oldest first,
   * through one reused row: typed-array speed without knowing the ring's layout.
   */
  readTrace(
    cursor: TraceCursor | null,
    visit: (row: TraceRow) => void,
    onReset?: () => void,
  ): TraceRead {
    return readTraceSince(this.state.trace, this.epochValue, cursor, visit, onReset, this.row);
  }

  /** Every record of the run (only with `keepTrace`). */
  get fullTrace(): readonly TraceRecord[] {
    if (!this.ctx.fullTrace)
      throw new Error('create the Simulation with keepTrace: true to read the full trace');
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
    return seriesView(this.state.series);
  }

  /**
   * The raw rows of the time series from row number `since` on (fewer when the oldest
   * were overwritten), oldest first: `rows` holds `columns.length` values per row.
   */
  seriesRows(since: number): { from: number; count: number; rows: Float64Array } {
    const s = this.state.series;
    const cols = s.columns.length;
    const from = Math.max(since, s.count - Math.min(s.count, s.capacity));
    const n = Math.max(0, s.count - from);
    const rows = new Float64Array(n * cols);
    for (let k = 0; k < n; k++) {
      const at = ((from + k) % s.capacity) * cols;
      rows.set(s.data.subarray(at, at + cols), k * cols);
    }
    return { from, count: s.count, rows };
  }

  /** Shape of the time series: its columns, sampling interval and how many rows it keeps. */
  get seriesShape(): { columns: readonly string[]; everyMs: number; capacity: number } {
    const s = this.state.series;
    return { columns: s.columns, everyMs: s.everyMs, capacity: s.capacity };
  }

  /** How many records the trace ring keeps. */
  get traceCapacity(): number {
    return this.state.trace.capacity;
  }

  /** A deep copy of the whole state, for tests that compare two runs. */
  snapshotState(): unknown {
    return cloneSimState(this.state);
  }

  /**
   * The event loop, for the live run and for private re-runs alike (`live`: the run this
   * simulation shows, which takes samples and checkpoints; a re-run only writes its
   * trace). Interventions at time T apply after every event at T; samples and checkpoints
   * at boundary B are taken once everything at or before B has happened. Limits are
   * checked every `LIMIT_CHECK_EVERY` events; a yield asked for then takes effect when the
   * current millisecond is over. Returns how many events ran.
   *
   * A method calling the bookkeeping directly: given closures made for each call, V8's
   * optimised loop, specialised on the first run's closures, deoptimised ("wrong call
   * target") at the end of every `runUntil` of a later run, 60 times in the engine
   * benchmark's 60 s run in some processes.
   */
  private runLoop(
    ctx: RunContext,
    state: SimState,
    target: number,
    maxEvents: number,
    live: boolean,
    shouldYield?: () => boolean,
  ): number {
    const log = this.log;
    const limits = this.limits;
    const st = state;
    let n = 0;
    let untilCheck = LIMIT_CHECK_EVERY;
    let momentAt = -1;
    let momentStart = st.processed;
    let yielding = false;
    for (;;) {
      const top = skipCancelled(st);
      const pending = log[st.interventionsApplied];
      const evAt = top ? top.at : Number.POSITIVE_INFINITY;
      if (pending && pending.at <= target && pending.at < evAt) {
        if (yielding && pending.at > st.now) break;
        if (live) this.bookkeep(pending.at);
        st.now = pending.at;
        applyIntervention(this.access(ctx, st), pending);
        st.interventionsApplied++;
        continue;
      }
      if (!top || top.at > target || n >= maxEvents) break;
      if (yielding && top.at > st.now) break;
      if (live && top.at > Math.min(st.series.nextAt, this.checkpointCursor)) this.bookkeep(top.at);
      // Every event up to `until` runs before anything above needs another look: the next
      // intervention, sample or checkpoint, the target, the moment a yield ends at. Events
      // do not move these, so the inner loop compares one time instead of asking them all
      // again for each event.
      let until = Math.min(target, pending ? pending.at : target, yielding ? st.now : target);
      if (live) until = Math.min(until, st.series.nextAt, this.checkpointCursor);
      let ev: SimEvent | undefined = top;
      do {
        heapPop(st.heap);
        st.now = ev.at;
        dispatch(ctx, st, ev);
        n++;
        if (--untilCheck === 0) {
          untilCheck = LIMIT_CHECK_EVERY;
          if (st.now !== momentAt) {
            momentAt = st.now;
            momentStart = st.processed;
          }
          checkLimits(st, limits, st.processed - momentStart);
          if (!yielding && shouldYield?.()) yielding = true;
          break;
        }
        if (n >= maxEvents) break;
        ev = skipCancelled(st);
      } while (ev && ev.at <= until);
    }
    if (!yielding && n < maxEvents && Number.isFinite(target)) {
      if (live) this.bookkeep(target);
      st.now = target;
    }
    return n;
  }
}

function checkLimits(st: SimState, limits: Required<RunLimits>, atThisMoment: number): void {
  if (st.processed > limits.maxEvents)
    throw new RunLimitError('events', st.now, st.processed, liveItems(st), limits.maxEvents);
  if (atThisMoment > limits.maxEventsPerMoment)
    throw new RunLimitError(
      'moment',
      st.now,
      st.processed,
      liveItems(st),
      limits.maxEventsPerMoment,
    );
  const live = liveItems(st);
  if (live > limits.maxLive)
    throw new RunLimitError('memory', st.now, st.processed, live, limits.maxLive);
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
    case 28:
      return 'declined: a business answer, not retried';
    case 13:
      return 'delivery limit reached';
    case 18:
      return 'redelivered: not acked within the consumer timeout (channel closed)';
    case 19:
      return 'redelivered: its channel closed when another delivery crashed';
    case 15:
      return 'read again: offsets reset (replay)';
    case 21:
      return 'redelivered: acquisition lock timed out';
    case 22:
      return 'redelivered: the member that had it was evicted (max.poll.interval.ms)';
    default:
      return '';
  }
}
