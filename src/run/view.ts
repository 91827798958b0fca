/**
 * What views read about one side's run. A `Simulation` has exactly this shape, so the
 * engine can be read directly in tests and headless tools; in the browser the engine runs
 * in a worker and each side is read through a `SideMirror` (mirror.ts) that frames keep up
 * to date. Either way a view reads the same numbers the engine computed: nothing here is
 * worked out twice.
 */
import type { PartitionView } from '../core/broker';
import type { Intervention, InterventionBody } from '../core/interventions';
import type { Model } from '../core/model';
import type { Report } from '../core/reportTypes';
import type { Architecture, Scenario } from '../core/scenario';
import type { SeriesView } from '../core/series';
import type { MessageView, QueueView, ServiceView } from '../core/simulation';
import type { TraceCursor, TraceRead, TraceRecord, TraceRow } from '../core/trace';

export interface RunView {
  readonly scenario: Scenario;
  readonly architecture: Architecture;
  readonly seed: number;
  readonly model: Model;
  /** Simulated time of what is shown, ms. */
  readonly now: number;
  /** Changes on a seek back, a fork or a rebuild: see `Simulation.epoch`. */
  readonly epoch: number;
  readonly eventsProcessed: number;
  readonly currentRate: number;
  readonly baseRate: number;
  readonly traceHash: string;
  readonly traceCount: number;
  /** The learner's actions on this side, with their moments. */
  readonly interventions: readonly Intervention[];
  service(index: number): ServiceView;
  queue(index: number): QueueView;
  partitions(queueIndex: number): PartitionView[];
  report(): Report;
  series(): SeriesView;
  /** Records since `cursor`; `onReset` first when the reader must forget what it read before. */
  readTrace(
    cursor: TraceCursor | null,
    visit: (row: TraceRow) => void,
    onReset?: () => void,
  ): TraceRead;
  traceTail(n: number): TraceRecord[];
  traceRecord(index: number): TraceRecord | undefined;
  nextEventAt(): number | undefined;
  isSubscribed(service: string): boolean;
  isIdempotent(service: string): boolean;
  problemWith(body: InterventionBody): string | null;
  /** Messages a queue holds (a mirror has them for the inspected node only). */
  queueMessages(index: number, limit?: number): MessageView[];
  serviceWork(index: number, limit?: number): MessageView[];
  deadLetters(limit?: number): { count: number; items: MessageView[] };
}
