import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import { Simulation } from '../core';
import { type OtlpExport, type OtlpSpan, SpanKindCode, simulationToOtlp, unixNano } from './otel';

function exported(
  id: string,
  architecture: 'chain' | 'event',
  until: number,
): { sim: Simulation; otlp: OtlpExport } {
  const sim = new Simulation(findScenario(id)!, { architecture });
  sim.runUntil(until);
  // A JSON round trip: what a learner downloads.
  return {
    sim,
    otlp: JSON.parse(JSON.stringify(simulationToOtlp(sim, sim.allRecords()))) as OtlpExport,
  };
}

function allSpans(otlp: OtlpExport): Array<{ service: string; span: OtlpSpan }> {
  return otlp.resourceSpans.flatMap((rs) => {
    const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value as {
      stringValue: string;
    };
    return rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((span) => ({ service: service.stringValue, span })),
    );
  });
}

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  return 'stringValue' in v ? v.stringValue : 'intValue' in v ? Number(v.intValue) : v.boolValue;
};

/** The checks a tracing backend would make on import. */
function expectValidOtlp(otlp: OtlpExport): void {
  expect(otlp.resourceSpans.length).toBeGreaterThan(0);
  const spans = allSpans(otlp).map((x) => x.span);
  const ids = new Set<string>();
  const byTrace = new Map<string, OtlpSpan[]>();
  for (const s of spans) {
    expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(s.parentSpanId).toMatch(/^([0-9a-f]{16})?$/);
    expect(s.name).not.toBe('');
    expect(Object.values(SpanKindCode)).toContain(s.kind);
    expect(s.startTimeUnixNano).toMatch(/^\d+$/);
    expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true);
    for (const e of s.events) {
      expect(BigInt(e.timeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true);
    }
    expect([0, 1, 2]).toContain(s.status.code);
    expect(ids.has(s.spanId)).toBe(false);
    ids.add(s.spanId);
    const list = byTrace.get(s.traceId);
    if (list) list.push(s);
    else byTrace.set(s.traceId, [s]);
  }
  for (const list of byTrace.values()) {
    const inTrace = new Set(list.map((s) => s.spanId));
    expect(list.filter((s) => s.parentSpanId === '')).toHaveLength(1);
    for (const s of list) if (s.parentSpanId) expect(inTrace.has(s.parentSpanId)).toBe(true);
  }
}

describe('OpenTelemetry export', () => {
  it('is valid OTLP/JSON: ids, one root per order, parents that exist, non-negative durations', () => {
    for (const arch of ['chain', 'event'] as const) {
      const { otlp } = exported('poison-message', arch, 15_000);
      expectValidOtlp(otlp);
    }
  });

  it('has one trace per order and one resource per service', () => {
    const { sim, otlp } = exported('checkout', 'event', 5000);
    const spans = allSpans(otlp);
    const orders = new Set(spans.map((s) => s.span.traceId));
    expect(orders.size).toBe(sim.report().requests.sent);
    const services = otlp.resourceSpans.map((rs) => {
      const value = rs.resource.attributes.find((a) => a.key === 'service.name')?.value;
      return value && 'stringValue' in value ? value.stringValue : '';
    });
    expect(services.sort()).toEqual(['analytics', 'email', 'orders', 'payment', 'users']);
  });

  it('fan-out: a PRODUCER publish with CONSUMER children carrying messaging attributes', () => {
    const { otlp } = exported('checkout', 'event', 5000);
    const spans = allSpans(otlp);
    const producer = spans.find((s) => s.span.kind === SpanKindCode.PRODUCER)?.span as OtlpSpan;
    expect(attr(producer, 'messaging.system')).toBe('rabbitmq');
    expect(attr(producer, 'messaging.destination.name')).toBe('OrderCreated');
    expect(attr(producer, 'messaging.operation')).toBe('publish');
    const consumers = spans.filter((s) => s.span.parentSpanId === producer.spanId);
    expect(consumers.map((c) => c.service).sort()).toEqual(['analytics', 'email', 'payment']);
    for (const c of consumers) {
      expect(c.span.kind).toBe(SpanKindCode.CONSUMER);
      expect(attr(c.span, 'messaging.operation')).toBe('process');
      expect(attr(c.span, 'messaging.destination.name')).toBe(c.service);
    }
  });

  it('chain: CLIENT calls and SERVER handling, nested hop by hop', () => {
    const { otlp } = exported('checkout', 'chain', 5000);
    const spans = allSpans(otlp).map((s) => s.span);
    const trace = spans[0]?.traceId;
    const one = spans.filter((s) => s.traceId === trace);
    const clients = one.filter((s) => s.kind === SpanKindCode.CLIENT);
    const servers = one.filter((s) => s.kind === SpanKindCode.SERVER);
    expect(clients).toHaveLength(4);
    expect(servers).toHaveLength(4);
    for (const server of servers)
      expect(clients.map((c) => c.spanId)).toContain(server.parentSpanId);
  });

  it('a dead-lettered copy: its last delivery fails and says so', () => {
    const { otlp } = exported('poison-message', 'event', 5000);
    const trace = allSpans(otlp).filter((s) => s.span.traceId.endsWith('00000024')); // order #36
    const analytics = trace.filter((s) => s.service === 'analytics').map((s) => s.span);
    expect(analytics).toHaveLength(5);
    expect(
      analytics.every((s) => s.status.code === 2 && s.status.message === 'poison message'),
    ).toBe(true);
    expect(analytics[4]?.events.map((e) => e.name)).toContain('dead-lettered');
  });

  it('times start at a fixed epoch, in nanoseconds', () => {
    expect(unixNano(0)).toBe('1735689600000000000');
    expect(unixNano(1500)).toBe('1735689601500000000');
  });
});
