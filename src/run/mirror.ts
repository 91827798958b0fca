/**
 * `SideMirror`: one side's run as the page sees it, kept up to date by frames (frame.ts).
 *
 * It answers the same questions a `Simulation` does (`RunView`), from the figures the
 * engine sent: views read it exactly as they would read the engine. What grows (trace
 * records, time-series rows) is appended to rings of the engine's own sizes, so
 * `readTrace` and `traceTail` see what the engine's ring held at that moment.
 */
import type { PartitionView } from '../core/broker';
import {
  type Intervention,
  type InterventionBody,
  interventionProblem,
} from '../core/interventions';
import type { Model } from '../core/model';
import type { Report } from '../core/reportTypes';
import type { Scenario } from '../core/scenario';
import { type SeriesView, seriesView } from '../core/series';
import type { MessageView, QueueView, ServiceView } from '../core/simulation';
import {
  appendRecordFrom,
  createTrace,
  type TraceCursor,
  type TraceRead,
  type TraceRecord,
  TraceRow,
  type TraceState,
  readRecord,
  readTraceSince,
  tailRecords,
} from '../core/trace';
import type { InspectChunk, SideBuild, SideFrame } from './frame';
import type { Side } from './modes';
import type { RunView } from './view';

export class SideMirror implements RunView {
  readonly side: Side;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly model: Model;
  now = 0;
  epoch = 0;
  eventsProcessed = 0;
  currentRate = 0;
  baseRate = 0;
  traceHash = '';
  interventions: readonly Intervention[] = [];
  /** The followed order's records (see `Interests.follow`), and which order. */
  followed: { corr: number; records: readonly TraceRecord[] } = { corr: 0, records: [] };
  /** Bumped with every frame: views compare it to skip work. */
  version = 0;
  private services: ServiceView[] = [];
  private queues: QueueView[] = [];
  private parts: PartitionView[][] = [];
  private lastReport: Report | null = null;
  private next: number | null = null;
  private readonly trace: TraceState;
  private readonly row: TraceRow;
  private readonly rows: {
    columns: readonly string[];
    everyMs: number;
    capacity: number;
    count: number;
    data: Float64Array;
  };
  private inspect: InspectChunk | null = null;

  constructor(side: Side, build: SideBuild) {
    this.side = side;
    this.scenario = build.scenario;
    this.seed = build.seed;
    this.model = build.model;
    this.trace = createTrace(build.traceCapacity);
    this.row = new TraceRow(this.trace);
    const { columns, everyMs, capacity } = build.series;
    this.rows = {
      columns,
      everyMs,
      capacity,
      count: 0,
      data: new Float64Array(capacity * columns.length),
    };
  }

  get architecture(): Side {
    return this.side;
  }

  /** Take in one frame of this side. */
  apply(f: SideFrame): void {
    this.version++;
    this.now = f.now;
    this.epoch = f.epoch;
    this.eventsProcessed = f.eventsProcessed;
    this.currentRate = f.currentRate;
    this.baseRate = f.baseRate;
    this.traceHash = f.traceHash;
    this.services = f.services;
    this.queues = f.queues;
    this.parts = f.partitions;
    this.lastReport = f.report;
    this.next = f.nextEventAt;
    if (f.interventions) this.interventions = f.interventions;
    if (f.followed) this.followed = f.followed;
    this.inspect = f.inspect ?? (this.inspect && f.trace.reset ? null : this.inspect);
    const c = f.trace;
    const tr = this.trace;
    if (c.reset || c.start > tr.count || c.start < tr.count - c.t.length) tr.count = c.start;
    // Records already held (a chunk never overlaps unless reset) are skipped by index.
    for (let k = 0; k < c.t.length; k++) {
      if (c.start + k < tr.count) continue;
      appendRecordFrom(tr, c, k);
    }
    tr.count = c.count;
    const s = this.rows;
    const cols = s.columns.length;
    if (f.series.reset) s.count = f.series.from;
    const rows = f.series.rows.length / Math.max(1, cols);
    for (let k = 0; k < rows; k++) {
      const at = ((f.series.from + k) % s.capacity) * cols;
      s.data.set(f.series.rows.subarray(k * cols, (k + 1) * cols), at);
    }
    s.count = f.series.count;
  }

  service(index: number): ServiceView {
    const v = this.services[index];
    if (!v) throw new Error(`no service ${index}`);
    return v;
  }

  queue(index: number): QueueView {
    const v = this.queues[index];
    if (!v) throw new Error(`no queue ${index}`);
    return v;
  }

  partitions(queueIndex: number): PartitionView[] {
    return this.parts[queueIndex] ?? [];
  }

  report(): Report {
    if (!this.lastReport) throw new Error('no frame yet');
    return this.lastReport;
  }

  series(): SeriesView {
    return seriesView(this.rows);
  }

  get traceCount(): number {
    return this.trace.count;
  }

  readTrace(
    cursor: TraceCursor | null,
    visit: (row: TraceRow) => void,
    onReset?: () => void,
  ): TraceRead {
    return readTraceSince(this.trace, this.epoch, cursor, visit, onReset, this.row);
  }

  traceTail(n: number): TraceRecord[] {
    return tailRecords(this.trace, n);
  }

  traceRecord(index: number): TraceRecord | undefined {
    return readRecord(this.trace, index);
  }

  nextEventAt(): number | undefined {
    return this.next ?? undefined;
  }

  private serviceById(id: string): ServiceView | undefined {
    return this.services.find((s) => s.id === id);
  }

  isSubscribed(service: string): boolean {
    return this.serviceById(service)?.subscribed ?? false;
  }

  isIdempotent(service: string): boolean {
    return this.serviceById(service)?.idempotent ?? false;
  }

  problemWith(body: InterventionBody): string | null {
    return interventionProblem(this, body);
  }

  private inspected(nodeId: string | undefined): InspectChunk | null {
    return nodeId !== undefined && this.inspect?.nodeId === nodeId ? this.inspect : null;
  }

  queueMessages(index: number, limit = 50): MessageView[] {
    const node = this.model.nodes[this.model.queues[index]?.node ?? -1];
    return (this.inspected(node?.id)?.messages ?? []).slice(0, limit);
  }

  serviceWork(index: number, limit = 50): MessageView[] {
    const node = this.model.nodes[this.model.services[index]?.node ?? -1];
    return (this.inspected(node?.id)?.messages ?? []).slice(0, limit);
  }

  deadLetters(limit = 50): { count: number; items: MessageView[] } {
    const node = this.model.nodes[this.model.dlqNode];
    const dl = this.inspected(node?.id)?.deadLetters;
    return { count: dl?.count ?? 0, items: (dl?.items ?? []).slice(0, limit) };
  }
}
