/**
 * A leader change (issue 12, "The broker itself"): a quorum queue's or a partition's
 * leader goes away and a new one is elected after the fault's duration. Only what needs
 * that leader waits: its publishes (so their confirms, and the answers that wait for
 * them, come late) and its consumers. Nothing is lost.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, type ScenarioInput } from './scenario';
import { Simulation } from './simulation';
import { makeScenario, orderService, scenarioInput } from './testkit';
import { FaultField, Rec, type TraceRecord } from './trace';

const of = (trace: readonly TraceRecord[], kind: number) => trace.filter((r) => r.kind === kind);
const FROM = 10_000;
const UNTIL = 15_000;
const inWindow = (t: number) => t >= FROM && t < UNTIL;

type Input = Partial<ScenarioInput>;

function run(extra: Input, intervene?: (sim: Simulation) => void) {
  const s = makeScenario({
    duration_ms: 30_000,
    services: [
      orderService,
      { id: 'payment', name: 'Payment Service', latency_ms: 40, subscribes: ['OrderCreated'] },
      { id: 'email', name: 'Email Service', latency_ms: 60, subscribes: ['OrderCreated'] },
    ],
    chain: ['orders', 'payment', 'email'],
    network_ms: 5,
    sync: { timeout_ms: 30_000 },
    workload: { rate_per_s: 20, keys: 12 },
    ...extra,
  });
  const sim = new Simulation(s, { architecture: 'event', keepTrace: true });
  if (intervene) {
    sim.runUntil(FROM);
    intervene(sim);
  }
  sim.runUntil(60_000);
  return { sim, r: sim.report(), trace: sim.fullTrace };
}

const emailQueueFault = {
  service: 'broker',
  at_ms: FROM,
  duration_ms: UNTIL - FROM,
  mode: 'leader-change' as const,
  queue: 'email',
};
const emailQueueChange = {
  faults: [
    {
      service: 'broker',
      at_ms: FROM,
      duration_ms: UNTIL - FROM,
      mode: 'leader-change' as const,
      queue: 'email',
    },
  ],
};

describe('a quorum queue loses its leader for 5 s', () => {
  it('its consumers get nothing while it elects, then the queue drains: every email is sent, none lost', () => {
    const { sim, r, trace } = run(emailQueueChange);
    const queue = sim.model.queues.find((q) => q.id === 'email');
    if (!queue) throw new Error('no email queue');
    const emailQueue = queue.index;
    const deliveredFromEmail = of(trace, Rec.Delivered).filter((d) => d.from === queue.node);
    expect(deliveredFromEmail.some((d) => d.t < FROM)).toBe(true);
    expect(deliveredFromEmail.filter((d) => inWindow(d.t))).toEqual([]);
    expect(deliveredFromEmail.some((d) => d.t >= UNTIL)).toBe(true);
    expect(r.events.lost).toBe(0);
    expect(r.requests.failed).toBe(0);
    expect(r.services.email?.processed).toBe(r.requests.sent);
    // The change and the election are in the trace, on the queue's node.
    const changes = of(trace, Rec.FaultChanged).filter(
      (f) => f.code === FaultField.LeaderChange || f.code === FaultField.LeaderElected,
    );
    expect(changes.map((f) => [f.t, f.code, f.value])).toEqual([
      [FROM, FaultField.LeaderChange, emailQueue],
      [UNTIL, FaultField.LeaderElected, emailQueue],
    ]);
  });

  it('a publish routed to it waits for the election, and so does the answer that waits for its confirm', () => {
    const { trace } = run(emailQueueChange);
    const received = new Map(of(trace, Rec.OrderReceived).map((o) => [o.corr, o.t]));
    const answers = of(trace, Rec.OrderSucceeded);
    const duringElection = answers.filter((a) => inWindow((received.get(a.corr) ?? 0) + 30));
    expect(duringElection.length).toBeGreaterThan(50);
    // Each was answered only once the new leader was there.
    for (const a of duringElection) expect(a.t).toBeGreaterThanOrEqual(UNTIL);
    // Orders well before it were answered in the usual tens of milliseconds.
    const before = answers.filter((a) => (received.get(a.corr) ?? 0) < FROM - 500);
    expect(Math.max(...before.map((a) => a.value))).toBeLessThan(200);
    // No copy of an order received during the election reached a queue before its end.
    const enqueued = of(trace, Rec.Enqueued).filter((e) =>
      inWindow((received.get(e.corr) ?? 0) + 30),
    );
    for (const e of enqueued) expect(e.t).toBeGreaterThanOrEqual(UNTIL);
  });

  it('the learner can move a leader from the broker: the same election as a scenario fault', () => {
    const scripted = run(emailQueueChange);
    const live = run({}, (sim) => {
      expect(
        sim.intervene({ kind: 'leader-change', queue: 'email', durationMs: UNTIL - FROM }),
      ).toBe(null);
    });
    const elections = (trace: readonly TraceRecord[]) =>
      of(trace, Rec.FaultChanged)
        .filter((f) => f.code === FaultField.LeaderChange || f.code === FaultField.LeaderElected)
        .map((f) => [f.t, f.code, f.to, f.value]);
    expect(elections(live.trace)).toEqual(elections(scripted.trace));
    expect(live.r.services.email?.processed).toBe(live.r.requests.sent);
    // Some answer waited out most of the election, in both.
    expect(live.r.requests.latency_ms.max).toBeGreaterThan(4_000);
    expect(scripted.r.requests.latency_ms.max).toBeGreaterThan(4_000);
  });

  it('a longer change on a queue still electing extends the election', () => {
    const { trace } = run({
      faults: [
        { ...emailQueueFault, duration_ms: 5_000 },
        { ...emailQueueFault, at_ms: 12_000, duration_ms: 8_000 },
      ],
    });
    const elected = of(trace, Rec.FaultChanged).filter((f) => f.code === FaultField.LeaderElected);
    expect(elected.map((f) => f.t)).toEqual([20_000]);
  });
});

describe('a partition loses its leader for 5 s (log broker)', () => {
  const partitionChange = {
    broker: { kind: 'log' as const, partitions: 3 },
    faults: [
      {
        service: 'broker',
        at_ms: FROM,
        duration_ms: UNTIL - FROM,
        mode: 'leader-change' as const,
        partition: 0,
      },
    ],
  };

  it('records for that partition are appended after the election; the other partitions carry on', () => {
    const { trace, r } = run(partitionChange);
    const appended = of(trace, Rec.Appended);
    const partitionOf = new Map(appended.map((a) => [a.corr, a.code]));
    const inIt = appended.filter((a) => a.code === 0);
    const others = appended.filter((a) => a.code !== 0);
    expect(inIt.filter((a) => inWindow(a.t))).toEqual([]);
    expect(others.filter((a) => inWindow(a.t)).length).toBeGreaterThan(20);
    // Consumers read nothing from partition 0 meanwhile, and read others.
    const delivered = of(trace, Rec.Delivered).filter((d) => inWindow(d.t));
    expect(delivered.filter((d) => partitionOf.get(d.corr) === 0)).toEqual([]);
    expect(delivered.length).toBeGreaterThan(20);
    expect(r.events.lost).toBe(0);
    expect(r.services.email?.processed).toBe(r.requests.sent);
  });
});

describe('where a leader change does not exist', () => {
  const problems = (extra: Input) => {
    const input = scenarioInput({
      services: [
        orderService,
        { id: 'email', name: 'Email Service', latency_ms: 60, subscribes: ['OrderCreated'] },
      ],
      chain: ['orders', 'email'],
      ...extra,
    });
    const r = parseScenario(input);
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  };
  const fault = (more: Record<string, unknown>) => ({
    faults: [{ service: 'broker', at_ms: 1000, duration_ms: 2000, mode: 'leader-change', ...more }],
  });

  it('SNS + SQS show no leaders; a classic queue has no replicas', () => {
    expect(
      problems({ broker: { kind: 'sns-sqs' }, ...fault({ queue: 'email' }) } as Input),
    ).toEqual([
      'faults[0].mode: SNS and SQS show no leaders to move: make the broker "down" or "slow" instead',
    ]);
    expect(
      problems({
        broker: { kind: 'queue', queue_type: 'classic' },
        ...fault({ queue: 'email' }),
      } as Input),
    ).toEqual([
      'faults[0].mode: a classic queue has no replicas to elect a new leader from: use quorum queues',
    ]);
  });

  it('names what loses its leader, and lasts as long as its election', () => {
    expect(problems(fault({}) as Input)).toEqual([
      'faults[0].queue: is required: the service whose quorum queue loses its leader',
    ]);
    expect(problems(fault({ queue: 'orders' }) as Input)).toEqual([
      'faults[0].queue: no service "orders" has a queue (it subscribes to nothing)',
    ]);
    expect(
      problems({ broker: { kind: 'log', partitions: 3 }, ...fault({ partition: 3 }) } as Input),
    ).toEqual(['faults[0].partition: there are 3 partitions per topic, numbered from 0']);
    expect(
      problems({
        faults: [{ service: 'broker', at_ms: 1000, mode: 'leader-change', queue: 'email' }],
      } as Input),
    ).toEqual(['faults[0].duration_ms: is required when mode is "leader-change": the election']);
    expect(
      problems({
        faults: [{ service: 'email', at_ms: 1000, duration_ms: 10, mode: 'leader-change' }],
      } as Input),
    ).toEqual(['faults[0].mode: "leader-change" is the broker\'s fault ("service": "broker")']);
  });

  it('the learner is told the same, and nothing happens', () => {
    const sim = new Simulation(
      makeScenario({
        broker: { kind: 'sns-sqs' },
        services: [
          orderService,
          { id: 'email', name: 'Email Service', latency_ms: 60, subscribes: ['OrderCreated'] },
        ],
        chain: ['orders', 'email'],
      }),
      { architecture: 'event' },
    );
    expect(sim.intervene({ kind: 'leader-change', queue: 'email', durationMs: 3000 })).toBe(
      'SNS and SQS show no leaders to move',
    );
    expect(sim.interventions).toEqual([]);
  });
});
