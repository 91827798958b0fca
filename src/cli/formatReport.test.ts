import { describe, expect, it } from 'vitest';
import type { Report } from '../core/reportTypes';
import { formatReport } from './formatReport';

const lat = (p50: number) => ({ p50, p95: p50 * 2, p99: p50 * 3, max: p50 * 4 });
const service = (processed: number) => ({
  processed,
  failed: 1,
  max_backlog: 3,
  latency_ms: lat(10),
  done_for_failed_orders: 0,
  duplicates: 0,
  calls: 0,
  refused: 0,
  short_circuited: 0,
  past_deadline: 0,
  declined: 0,
  publish_refused: 0,
  compensations: 0,
});

const report: Report = {
  scenario: 'email-outage',
  seed: 42,
  architecture: 'event',
  until_ms: 60_000,
  requests: { sent: 600, succeeded: 600, failed: 0, pending: 0, queued: 0, latency_ms: lat(30) },
  events: {
    published: 600,
    delivered: 1810,
    processed: 1800,
    ignored: 0,
    redelivered: 10,
    duplicates: 2,
    duplicates_by_cause: { same_message: 2, new_id: 0 },
    in_queue: 0,
    in_flight: 0,
    dead_lettered: 0,
    expired: 1,
    dropped: 2,
    unroutable: 0,
    never_published: 0,
    phantom: 0,
    republished: 0,
    in_outbox: 0,
    refused: 0,
    publish_retries: 0,
    lost: 3,
  },
  orders: {
    completed: 600,
    with_dead_letters: 0,
    cancelled: 0,
    completion_ms: lat(150),
    outcome_ms: lat(150),
  },
  services: { orders: service(600), email: service(600) },
  queues: {
    email: {
      copies: 600,
      processed: 600,
      ignored: 0,
      waiting: 0,
      in_flight: 0,
      dead_lettered: 0,
      expired: 0,
      dropped: 0,
      max_depth: 212,
      retrying: 0,
      oldest_age_ms: 0,
      redelivered: 3,
      max_receives: 2,
      rejected: 0,
      redriven: 0,
    },
  },
  broker: {
    kind: 'queue',
    unroutable: 4,
    unroutable_kept: 0,
    deduplicated: 0,
    down: false,
    slow_factor: 1,
    confirm_ms: 0,
    electing: [],
  },
  trace_hash: '0123456789abcdef',
};

describe('the report as tables', () => {
  const text = formatReport(report, new Map([['email', 'Email Service']]));

  it("shows the report's lost figure (the one every screen shows) with its parts", () => {
    expect(text).toContain('lost 3 (dropped 2, expired 1, unroutable 0)');
    // Nothing happened on the producer side: no line about it.
    expect(text).not.toContain('Producer');
  });

  it('shows the producer side when it lost, phantomed or republished anything, and never-published events among the lost', () => {
    const producer = formatReport({
      ...report,
      events: { ...report.events, never_published: 5, phantom: 1, republished: 2, lost: 8 },
    });
    expect(producer).toContain('lost 8 (dropped 2, expired 1, unroutable 0, never published 5)');
    expect(producer).toContain(
      'Producer  never published 5 (saved, then died before publishing), phantom 1 (published, never saved), republished 2 (outbox relay), in outbox 0',
    );
  });

  it('has one aligned row per service and per queue', () => {
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('Service'));
    const row = lines.find((l) => l.startsWith('Email Service (email)'));
    expect(header).toBeDefined();
    expect(row).toBeDefined();
    expect(lines.some((l) => l.startsWith('orders '))).toBe(true);
    // Right-aligned numbers end where their header ends.
    expect(row?.length).toBe(header?.length);
    expect(lines.find((l) => l.startsWith('email '))).toMatch(/212 +3 +2$/);
  });

  it('names the broker flavour and its unroutable count', () => {
    expect(text).toContain('Broker    queue (RabbitMQ style): unroutable 4');
  });

  it('shows lag per consumer group on a log broker', () => {
    const log = formatReport({
      ...report,
      broker: { ...report.broker, kind: 'log' },
      queues: { email: { ...(report.queues.email as Report['queues'][string]), lag: 17 } },
    });
    const lines = log.split('\n');
    expect(lines.find((l) => l.startsWith('Group'))).toMatch(/lag$/);
    expect([...lines].reverse().find((l) => l.startsWith('email '))).toMatch(/17$/);
  });

  it('says how many copies were acked unread (fanout, no handler), only when there are some', () => {
    expect(text).not.toContain('acked unread');
    const fanout = formatReport({ ...report, events: { ...report.events, ignored: 12 } });
    expect(fanout).toContain('processed 1800 (and 12 acked unread: no handler)');
  });

  it("prints the broker's health, its confirm time and refused publishes once any is not the default", () => {
    expect(text).not.toContain('publishes refused');
    const outage = formatReport({
      ...report,
      events: { ...report.events, refused: 40, publish_retries: 12 },
      services: { orders: { ...service(600), publish_refused: 40 }, email: service(600) },
      broker: { ...report.broker, down: true, slow_factor: 3, confirm_ms: 8 },
    });
    expect(outage).toContain(
      '          down, confirms x3 slower, confirm_ms 8, publishes refused 40, publish retries 12',
    );
    expect(outage).toContain('in outbox 0, refused by the broker 40');
    const lines = outage.split('\n');
    expect(lines.find((l) => l.startsWith('Service'))).toContain('publishes refused');
    expect(lines.find((l) => l.startsWith('orders '))).toMatch(/^orders +40 +600/);
  });

  it('ends with the trace hash', () => {
    expect(text.trimEnd().endsWith('Trace hash 0123456789abcdef')).toBe(true);
  });

  it('leaves out the queue table in a request chain', () => {
    const chain = formatReport({ ...report, architecture: 'chain', queues: {} });
    expect(chain).toContain('request chain');
    expect(chain).not.toContain('Queue ');
  });
});
