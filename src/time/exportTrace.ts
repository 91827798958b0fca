/**
 * A run's trace as readable JSON: every record with its kind, nodes and reason spelled
 * out, plus what is needed to read it (the nodes, the learner's interventions) and to
 * reproduce it (scenario id, architecture, seed, trace hash).
 */
import type { Intervention } from '../core/interventions';
import type { Model } from '../core/model';
import type { Scenario } from '../core/scenario';
import {
  FaultField,
  REASON_NAMES,
  REC_NAMES,
  Rec,
  type ReasonCode,
  type RecKind,
  type TraceRecord,
} from '../core/trace';

/** What an export reads about a run besides its records. */
export interface TraceSource {
  readonly scenario: Scenario;
  readonly architecture: 'chain' | 'event' | 'orchestration';
  readonly seed: number;
  readonly now: number;
  readonly traceHash: string;
  readonly model: Model;
  readonly interventions: readonly Intervention[];
}

export interface ReadableRecord {
  index: number;
  t: number;
  kind: string;
  from: string;
  to: string;
  msg: number;
  order: number;
  attempt: number;
  code: number;
  value: number;
  /** Why (failures, redeliveries, dead letters), when the code is a reason. */
  reason?: string;
  /** The event type, for records whose code is one. */
  event_type?: string;
  /** Processed: first, duplicate or skipped-idempotent. */
  effect?: string;
  /** FaultChanged: which setting. */
  fault?: string;
}

export interface TraceExport {
  format: 'fanout-trace';
  version: 1;
  scenario: string;
  architecture: Model['architecture'];
  seed: number;
  until_ms: number;
  trace_hash: string;
  nodes: Array<{ index: number; id: string; kind: string; label: string }>;
  interventions: readonly Intervention[];
  records: ReadableRecord[];
}

/** Kinds whose `code` is a Reason. */
const REASON_KINDS: ReadonlySet<number> = new Set([
  Rec.WorkStarted,
  Rec.WorkFailed,
  Rec.ResponseSent,
  Rec.CallFailed,
  Rec.ResponseDiscarded,
  Rec.OrderFailed,
  Rec.Delivered,
  Rec.Nacked,
  Rec.RetryScheduled,
  Rec.Requeued,
  Rec.DeadLettered,
  Rec.Dropped,
  Rec.Expired,
  Rec.AckRejected,
  Rec.PublishRejected,
  Rec.Redriven,
  Rec.PublishRefused,
  Rec.Compensating,
]);
/** Kinds whose `code` is an event type. */
const TYPE_KINDS: ReadonlySet<number> = new Set([
  Rec.Published,
  Rec.NeverPublished,
  Rec.Phantom,
  Rec.OutboxSaved,
  Rec.OutboxRelayed,
  Rec.Republished,
  Rec.Routed,
  Rec.Unroutable,
  Rec.Enqueued,
  Rec.Deduplicated,
  Rec.PublishRetry,
]);
const EFFECTS = ['first', 'duplicate', 'skipped-idempotent'];
const FAULT_FIELDS: Record<number, string> = {
  [FaultField.Down]: 'down',
  [FaultField.SlowFactor]: 'slow-factor',
  [FaultField.ErrorRate]: 'error-rate',
  [FaultField.CrashRate]: 'crash-rate',
  [FaultField.PublishCrashRate]: 'publish-crash-rate',
  [FaultField.BrokerDown]: 'broker-down',
  [FaultField.BrokerSlowFactor]: 'broker-slow-factor',
  [FaultField.LeaderChange]: 'leader-change',
  [FaultField.LeaderElected]: 'leader-elected',
};

export function readableRecord(r: TraceRecord, model: Model): ReadableRecord {
  const node = (i: number) => model.nodes[i]?.id ?? String(i);
  const out: ReadableRecord = {
    index: r.index,
    t: r.t,
    kind: REC_NAMES[r.kind as RecKind] ?? `record-${r.kind}`,
    from: node(r.from),
    to: node(r.to),
    msg: r.msg,
    order: r.corr,
    attempt: r.attempt,
    code: r.code,
    value: r.value,
  };
  if (REASON_KINDS.has(r.kind) && r.code !== 0)
    out.reason = REASON_NAMES[r.code as ReasonCode] || `reason ${r.code}`;
  if (TYPE_KINDS.has(r.kind)) out.event_type = model.eventTypes[r.code] ?? `type ${r.code}`;
  if (r.kind === Rec.Processed) out.effect = EFFECTS[r.code & 3] ?? 'first';
  if (r.kind === Rec.FaultChanged) out.fault = FAULT_FIELDS[r.code] ?? `field ${r.code}`;
  return out;
}

export function traceExport(sim: TraceSource, records: readonly TraceRecord[]): TraceExport {
  const model = sim.model;
  return {
    format: 'fanout-trace',
    version: 1,
    scenario: sim.scenario.id,
    architecture: sim.architecture,
    seed: sim.seed,
    until_ms: sim.now,
    trace_hash: sim.traceHash,
    nodes: model.nodes.map((n) => ({ index: n.index, id: n.id, kind: n.kind, label: n.label })),
    interventions: sim.interventions.filter((i) => i.at <= sim.now),
    records: records.map((r) => readableRecord(r, model)),
  };
}

/** `fanout-checkout-event-00m42s.trace.json` */
export function exportFileName(sim: TraceSource, kind: 'trace' | 'otel'): string {
  const total = Math.floor(sim.now / 1000);
  const m = String(Math.floor(total / 60)).padStart(2, '0');
  const s = String(total % 60).padStart(2, '0');
  return `fanout-${sim.scenario.id}-${sim.architecture}-${m}m${s}s.${kind === 'trace' ? 'trace' : 'otel'}.json`;
}
