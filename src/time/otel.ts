/**
 * A run's trace as OpenTelemetry spans, in the OTLP/JSON shape a tracing backend
 * accepts (resourceSpans -> scopeSpans -> spans), so a learner can see what the same
 * orders would look like in a real tracing tool: one trace per order, one resource per
 * service, calls as CLIENT/SERVER pairs, events as PRODUCER/CONSUMER pairs.
 *
 * Time in the simulation starts at 0; exported times start at `EPOCH_MS` (an arbitrary
 * fixed date, so two exports of the same run are identical).
 */
import type { Model } from '../core/model';
import type { TraceRecord } from '../core/trace';
import { buildOrderTrace, type OrderSpan, type OrderTrace } from './spans';

/** 2025-01-01T00:00:00Z: simulated t = 0. */
export const EPOCH_MS = Date.UTC(2025, 0, 1);

/** OTLP span kinds. */
export const SpanKindCode = {
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;

/** OTLP status codes. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  events: Array<{ timeUnixNano: string; name: string; attributes: KeyValue[] }>;
  status: { code: number; message?: string };
}

export interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: KeyValue[] };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: OtlpSpan[] }>;
  }>;
}

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);

/** 32 hex digits, one per order of a run: seed, architecture, order number. */
export function traceIdOf(seed: number, architecture: Model['architecture'], corr: number): string {
  return `${hex(seed, 8)}${architecture === 'chain' ? '0c' : '0e'}${'0'.repeat(14)}${hex(corr, 8)}`;
}

/** 16 hex digits, unique within the run: order number and span number. */
export function spanIdOf(corr: number, span: number): string {
  return `${hex(corr, 8)}${hex(span, 8)}`;
}

export function unixNano(t: number): string {
  return (BigInt(EPOCH_MS + Math.round(t)) * 1_000_000n).toString();
}

function attr(key: string, value: string | number | boolean): KeyValue {
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (typeof value === 'number' && Number.isInteger(value))
    return { key, value: { intValue: String(value) } };
  return { key, value: { stringValue: String(value) } };
}

/** The `messaging.system` a broker flavour imitates. */
export function messagingSystem(model: Model, operation: 'publish' | 'process'): string {
  const kind = model.broker.kind;
  if (kind === 'log') return 'kafka';
  if (kind === 'sns-sqs') return operation === 'publish' ? 'aws_sns' : 'aws_sqs';
  return 'rabbitmq';
}

const KIND: Record<OrderSpan['kind'], number | null> = {
  order: SpanKindCode.INTERNAL,
  call: SpanKindCode.CLIENT,
  handle: SpanKindCode.SERVER,
  publish: SpanKindCode.PRODUCER,
  process: SpanKindCode.CONSUMER,
  // Time in a queue, in a backoff or in the dead-letter queue is not work anyone does:
  // a tracing tool shows it as the gap between the producer and the consumer span.
  wait: null,
  backoff: null,
  'dead-letter': null,
};

/** Service id of the node a span runs on ('users' for the client, 'broker' for queues). */
function resourceName(model: Model, node: number): string {
  const n = model.nodes[node];
  if (!n) return 'unknown';
  if (n.kind === 'client') return 'users';
  if (n.kind === 'service') return n.id;
  return 'broker';
}

/** OTLP spans of one order, each with the resource (service) it belongs to. */
export function orderToOtlp(
  trace: OrderTrace,
  model: Model,
  seed: number,
): Array<{ resource: string; span: OtlpSpan }> {
  const traceId = traceIdOf(seed, model.architecture, trace.corr);
  const byId = new Map(trace.spans.map((s) => [s.id, s]));
  /** Nearest exported ancestor: skipped spans (waits, backoffs) hand their children up. */
  const exportedParent = (s: OrderSpan): number => {
    let p = byId.get(s.parent);
    while (p && KIND[p.kind] === null) p = byId.get(p.parent);
    return p ? p.id : 0;
  };
  const out: Array<{ resource: string; span: OtlpSpan }> = [];
  for (const s of trace.spans) {
    const kind = KIND[s.kind];
    if (kind === null) continue;
    const attributes: KeyValue[] = [attr('fanout.order', trace.corr)];
    let name = s.name;
    if (s.kind === 'order') {
      name = `order #${trace.corr}`;
      attributes.push(attr('fanout.architecture', model.architecture));
    } else if (s.kind === 'call') {
      name = `call ${String(s.facts.callee ?? '')}`.trim();
      attributes.push(
        attr('rpc.system', 'simulated'),
        attr('peer.service', String(s.facts.callee ?? '')),
      );
    } else if (s.kind === 'handle') {
      name = 'handle order';
      attributes.push(attr('rpc.system', 'simulated'));
    } else if (s.kind === 'publish') {
      name = `${s.eventType} publish`;
      attributes.push(
        attr('messaging.system', messagingSystem(model, 'publish')),
        attr('messaging.destination.name', s.eventType),
        attr('messaging.operation', 'publish'),
        attr('messaging.message.id', String(s.msg)),
      );
    } else if (s.kind === 'process') {
      const svc = model.services.find((x) => x.node === s.node);
      const q = svc && svc.queue >= 0 ? model.queues[svc.queue] : undefined;
      const destination = q ? q.id : String(s.facts.queue ?? '');
      name = `${destination} process`;
      attributes.push(
        attr('messaging.system', messagingSystem(model, 'process')),
        attr('messaging.destination.name', destination),
        attr('messaging.operation', 'process'),
        attr('messaging.message.id', String(s.msg)),
        attr('messaging.message.delivery_attempt', s.attempt),
      );
      if (model.broker.kind === 'log' && svc)
        attributes.push(attr('messaging.consumer.group.name', svc.id));
    }
    for (const [key, value] of Object.entries(s.facts))
      attributes.push(attr(`fanout.${key}`, value));
    out.push({
      resource: resourceName(model, s.node),
      span: {
        traceId,
        spanId: spanIdOf(trace.corr, s.id),
        parentSpanId: s.parent === 0 ? '' : spanIdOf(trace.corr, exportedParent(s)),
        name,
        kind,
        startTimeUnixNano: unixNano(s.start),
        endTimeUnixNano: unixNano(Math.max(s.start, s.end)),
        attributes,
        events: s.events.map((e) => ({
          timeUnixNano: unixNano(e.t),
          name: e.name,
          attributes: e.detail ? [attr('fanout.detail', e.detail)] : [],
        })),
        status:
          s.status === 'error'
            ? { code: StatusCode.ERROR, message: s.statusMessage }
            : s.status === 'ok'
              ? { code: StatusCode.OK }
              : { code: StatusCode.UNSET },
      },
    });
  }
  return out;
}

/** Group a run's records by order number (records about no order are skipped). */
export function recordsByOrder(records: readonly TraceRecord[]): Map<number, TraceRecord[]> {
  const byOrder = new Map<number, TraceRecord[]>();
  for (const r of records) {
    if (r.corr <= 0) continue;
    const list = byOrder.get(r.corr);
    if (list) list.push(r);
    else byOrder.set(r.corr, [r]);
  }
  return byOrder;
}

/** Every order of a run so far, as OTLP/JSON. */
export function runToOtlp(
  records: readonly TraceRecord[],
  model: Model,
  seed: number,
  now: number,
  scenarioId: string,
): OtlpExport {
  const byResource = new Map<string, OtlpSpan[]>();
  for (const list of recordsByOrder(records).values()) {
    const trace = buildOrderTrace(list, model, now);
    if (!trace) continue;
    for (const { resource, span } of orderToOtlp(trace, model, seed)) {
      const spans = byResource.get(resource);
      if (spans) spans.push(span);
      else byResource.set(resource, [span]);
    }
  }
  return {
    resourceSpans: [...byResource.entries()].map(([service, spans]) => ({
      resource: {
        attributes: [
          attr('service.name', service),
          attr('fanout.scenario', scenarioId),
          attr('fanout.architecture', model.architecture),
          attr('fanout.seed', seed),
        ],
      },
      scopeSpans: [{ scope: { name: 'fanout-simulator', version: '1' }, spans }],
    })),
  };
}

/** A run's records so far (from `allRecords`), as OTLP/JSON. */
export function simulationToOtlp(
  sim: {
    readonly model: Model;
    readonly seed: number;
    readonly now: number;
    readonly scenario: { id: string };
  },
  records: readonly TraceRecord[],
): OtlpExport {
  return runToOtlp(records, sim.model, sim.seed, sim.now, sim.scenario.id);
}
