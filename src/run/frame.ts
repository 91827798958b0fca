/**
 * Frames: what the page needs to draw the runs, sent after every change.
 *
 * The engine runs in a worker; the page keeps a mirror of each side (mirror.ts). A frame
 * carries the figures of the moment (service and queue views, the report), and only what
 * is new of what grows: trace records and time-series rows since the last frame, the
 * learner's actions when they changed. `FrameWriter` remembers what it sent, per side.
 * Records travel as typed arrays, so a busy frame costs a copy, not an object per record.
 */
import type { PartitionView } from '../core/broker';
import type { Intervention } from '../core/interventions';
import type { Model } from '../core/model';
import type { Report } from '../core/reportTypes';
import type { Scenario } from '../core/scenario';
import type { MessageView, QueueView, ServiceView, Simulation } from '../core/simulation';
import type { TraceColumns, TraceCursor, TraceRecord } from '../core/trace';
import { traceColumns } from '../core/trace';
import type { Check, Measure, PlaybackAction } from '../content/learnSchema';
import { Evaluator } from '../learn/evaluate';
import type { DeadLetterMark } from '../time/markers';
import { OrderTrail } from '../time/orderTrail';
import type { Mode, Side } from './modes';
import type { RunSession, Stop } from './session';

/** What the page wants beyond the figures every frame has. */
export interface Interests {
  /** The node the inspector shows: its messages come with each frame. */
  inspect: { side: Side; nodeId: string } | null;
  /** The order followed on every side: its records come when they change. */
  follow: number | null;
  /** Checks and measures a lesson shows live, evaluated on the runs. */
  watch: { checks: readonly Check[]; measures: readonly Measure[] } | null;
}

export const NO_INTERESTS: Interests = { inspect: null, follow: null, watch: null };

/** A side's shape, sent when its run is (re)built. */
export interface SideBuild {
  scenario: Scenario;
  seed: number;
  model: Model;
  traceCapacity: number;
  series: { columns: readonly string[]; everyMs: number; capacity: number };
}

/** Trace records `[start, count)` of the run, column by column. */
export interface TraceChunk extends TraceColumns {
  /** Forget earlier records: a seek back, a fork or a rebuild rewrote them. */
  reset: boolean;
  start: number;
  count: number;
}

/** Time-series rows `[from, count)`, `columns.length` values each. */
export interface SeriesChunk {
  reset: boolean;
  from: number;
  count: number;
  rows: Float64Array;
}

/** The inspected node's messages. */
export interface InspectChunk {
  nodeId: string;
  messages: MessageView[];
  deadLetters: { count: number; items: MessageView[] } | null;
}

export interface SideFrame {
  side: Side;
  epoch: number;
  build?: SideBuild;
  now: number;
  services: ServiceView[];
  queues: QueueView[];
  /** Per queue, its partitions (log broker), else empty lists. */
  partitions: PartitionView[][];
  currentRate: number;
  baseRate: number;
  nextEventAt: number | null;
  eventsProcessed: number;
  traceHash: string;
  report: Report;
  /** The learner's actions on this side, when they changed. */
  interventions?: Intervention[];
  trace: TraceChunk;
  series: SeriesChunk;
  inspect?: InspectChunk;
  /** The followed order's records, when they changed. */
  followed?: { corr: number; records: TraceRecord[] };
}

export interface BranchFrame {
  forkedAt: number;
  head: number;
  reports: Partial<Record<Side, Report>>;
}

export interface WatchResult {
  checks: boolean[];
  measures: (number | null)[];
}

export interface Frame {
  /** Bumped when the runs were rebuilt (scenario, mode, setup). */
  build: number;
  mode: Mode;
  now: number;
  head: number;
  ended: boolean;
  /** The base arrival rate (the workload slider). */
  rate: number;
  sides: SideFrame[];
  branch: BranchFrame | null;
  /** When the dead-letter marks changed: all of them. */
  deadLetterMarks?: DeadLetterMark[];
  watch?: WatchResult;
  /** What lessons asked playback to do (play, pause, speed). */
  playback?: PlaybackAction[];
  /** The run was stopped by a limit and rebuilt at an earlier moment. */
  stop?: Stop;
}

interface Sent {
  build: number;
  epoch: number;
  trace: TraceCursor | null;
  seriesCount: number;
  log: readonly Intervention[] | null;
  logLength: number;
  followVersion: number;
  followCorr: number | null;
}

/** Arrays that travel with a frame (postMessage transfers them instead of copying). */
export function transferables(frame: Frame): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const s of frame.sides) {
    const c = s.trace;
    for (const a of [c.t, c.kind, c.from, c.to, c.msg, c.corr, c.attempt, c.code, c.value])
      out.push(a.buffer as ArrayBuffer);
    out.push(s.series.rows.buffer as ArrayBuffer);
  }
  return out;
}

/** Builds frames for one page, remembering what it already has. */
export class FrameWriter {
  interests: Interests = NO_INTERESTS;
  private readonly sent = new Map<Side, Sent>();
  private readonly trails = new Map<Side, OrderTrail>();
  private deadLetterVersion = -1;

  /** Forget everything sent: the next frame is complete (a new page, a restarted worker). */
  restart(): void {
    this.sent.clear();
    this.deadLetterVersion = -1;
  }

  /**
   * The frame of the session now. `detail` adds what costs more to gather (inspected
   * messages, lesson checks, branch A): the host asks for it a few times a second while
   * playing, and after every other change.
   */
  write(session: RunSession, detail = true): Frame {
    const sides = session.visible.map(([side, sim]) => this.side(session, side, sim, detail));
    for (const side of [...this.sent.keys()]) if (!session.sims[side]) this.sent.delete(side);
    const frame: Frame = {
      build: session.build,
      mode: session.mode,
      now: session.now,
      head: session.head,
      ended: session.ended,
      rate: session.rate,
      sides,
      branch: null,
    };
    if (session.branch) {
      const reports: Partial<Record<Side, Report>> = {};
      if (detail)
        for (const [side, sim] of Object.entries(session.branch.sims) as [Side, Simulation][])
          reports[side] = sim.report();
      frame.branch = { forkedAt: session.branch.forkedAt, head: session.branch.head, reports };
    }
    const dead = session.deadLetterMarks();
    if (dead.version !== this.deadLetterVersion) {
      this.deadLetterVersion = dead.version;
      frame.deadLetterMarks = dead.marks;
    }
    const watch = this.interests.watch;
    if (watch && detail) {
      const ev = new Evaluator(session.world());
      frame.watch = {
        checks: watch.checks.map((c) => ev.check(c)),
        measures: watch.measures.map((m) => ev.measure(m)),
      };
    }
    if (session.playbackRequests.length > 0) frame.playback = session.playbackRequests.splice(0);
    if (session.stop) {
      frame.stop = session.stop;
      session.stop = null;
    }
    return frame;
  }

  private side(session: RunSession, side: Side, sim: Simulation, detail: boolean): SideFrame {
    const epoch = session.epochOf(side);
    let sent = this.sent.get(side);
    const rebuilt = !sent || sent.build !== session.build;
    if (!sent || rebuilt) {
      sent = {
        build: session.build,
        epoch,
        trace: null,
        seriesCount: 0,
        log: null,
        logLength: -1,
        followVersion: -1,
        followCorr: null,
      };
      this.sent.set(side, sent);
    }
    // A seek back, a fork or a rebuild: what the page has is no longer this run's past.
    const fresh = rebuilt || sent.epoch !== epoch;
    const frame: SideFrame = {
      side,
      epoch,
      now: sim.now,
      services: sim.model.services.map((_, i) => sim.service(i)),
      queues: sim.model.queues.map((_, i) => sim.queue(i)),
      partitions:
        sim.model.broker.kind === 'log' ? sim.model.queues.map((_, i) => sim.partitions(i)) : [],
      currentRate: sim.currentRate,
      baseRate: sim.baseRate,
      nextEventAt: sim.nextEventAt() ?? null,
      eventsProcessed: sim.eventsProcessed,
      traceHash: sim.traceHash,
      report: sim.report(),
      trace: this.traceChunk(sim, sent, fresh),
      series: this.seriesChunk(sim, sent, fresh),
    };
    if (rebuilt) {
      frame.build = {
        scenario: session.scenario,
        seed: sim.seed,
        model: sim.model,
        traceCapacity: sim.traceCapacity,
        series: { ...sim.seriesShape, columns: [...sim.seriesShape.columns] },
      };
    }
    sent.epoch = epoch;
    const log = sim.interventions;
    if (fresh || log !== sent.log || log.length !== sent.logLength) {
      frame.interventions = [...log];
      sent.log = log;
      sent.logLength = log.length;
    }
    const inspect = this.interests.inspect;
    if (detail && inspect?.side === side) frame.inspect = inspectChunk(sim, inspect.nodeId);
    this.followChunk(frame, side, sim, sent);
    return frame;
  }

  private traceChunk(sim: Simulation, sent: Sent, fresh: boolean): TraceChunk {
    // Count first, then copy into arrays of the right size: no per-record objects.
    let n = 0;
    let start = -1;
    const cursor = fresh ? null : sent.trace;
    const probe = sim.readTrace(cursor, (row) => {
      if (start < 0) start = row.index;
      n++;
    });
    const chunk: TraceChunk = {
      reset: probe.reset,
      start: start < 0 ? probe.cursor.count : start,
      count: probe.cursor.count,
      ...traceColumns(n),
    };
    let k = 0;
    sim.readTrace(cursor, (row) => row.copyTo(chunk, k++));
    sent.trace = probe.cursor;
    return chunk;
  }

  private seriesChunk(sim: Simulation, sent: Sent, fresh: boolean): SeriesChunk {
    const { from, count, rows } = sim.seriesRows(fresh ? 0 : sent.seriesCount);
    sent.seriesCount = count;
    return { reset: fresh, from, count, rows };
  }

  private followChunk(frame: SideFrame, side: Side, sim: Simulation, sent: Sent): void {
    const corr = this.interests.follow;
    if (corr === null) {
      if (sent.followCorr !== null) frame.followed = { corr: 0, records: [] };
      sent.followCorr = null;
      return;
    }
    let trail = this.trails.get(side);
    if (!trail) {
      trail = new OrderTrail();
      this.trails.set(side, trail);
    }
    const records = trail.read(sim, corr);
    if (trail.version !== sent.followVersion || sent.followCorr !== corr) {
      sent.followVersion = trail.version;
      sent.followCorr = corr;
      frame.followed = { corr, records: [...records] };
    }
  }
}

/** Up to this many messages of the inspected node travel with a frame. */
export const INSPECT_LIMIT = 50;

function inspectChunk(sim: Simulation, nodeId: string): InspectChunk | undefined {
  const node = sim.model.nodes.find((n) => n.id === nodeId);
  if (!node) return undefined;
  if (node.kind === 'service' && node.service !== undefined)
    return { nodeId, messages: sim.serviceWork(node.service, INSPECT_LIMIT), deadLetters: null };
  if (node.kind === 'queue' && node.queue !== undefined)
    return { nodeId, messages: sim.queueMessages(node.queue, INSPECT_LIMIT), deadLetters: null };
  if (node.kind === 'dlq')
    return { nodeId, messages: [], deadLetters: sim.deadLetters(INSPECT_LIMIT) };
  return { nodeId, messages: [], deadLetters: null };
}
