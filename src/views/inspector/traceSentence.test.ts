import { describe, expect, it } from 'vitest';
import { buildModel, parseScenario, Rec, Reason, Simulation, type TraceRecord } from '../../core';
import { builtInScenarios, findScenario } from '../../content/scenarios';
import { describeRecord, eventTypesById, formatT, sentence } from './traceSentence';

const rec = (over: Partial<TraceRecord>): TraceRecord => ({
  index: 0,
  t: 0,
  kind: Rec.Delivered,
  from: 0,
  to: 0,
  msg: 0,
  corr: 0,
  attempt: 0,
  code: 0,
  value: 0,
  ...over,
});

describe('trace sentences', () => {
  const model = buildModel(findScenario('email-outage')!, 'event');
  const node = (id: string) => model.nodes.find((n) => n.id === id)!.index;
  const ctx = { model, eventOf: () => undefined };

  it('reads a redelivery the way a learner would say it', () => {
    const r = rec({
      t: 12340,
      kind: Rec.Delivered,
      from: node('email-queue'),
      to: node('email'),
      msg: 7,
      corr: 123,
      attempt: 2,
      code: Reason.Retry,
    });
    expect(describeRecord(r, ctx)).toBe(
      't=12.340s delivered OrderCreated #123 to Email (attempt 2, after retry)',
    );
  });

  it('names failures with the engine reason names', () => {
    expect(
      sentence(
        rec({
          kind: Rec.ResponseSent,
          from: node('email'),
          to: node('payment'),
          corr: 5,
          code: Reason.Unavailable,
        }),
        ctx,
      ),
    ).toBe('Email answers Payment for #5: failed (service unavailable)');
    expect(
      sentence(
        rec({
          kind: Rec.DeadLettered,
          from: node('email-queue'),
          to: node('dead-letter'),
          corr: 9,
          attempt: 5,
          code: Reason.Poison,
        }),
        ctx,
      ),
    ).toBe('dead-lettered OrderCreated #9 after attempt 5 (poison message)');
    expect(
      sentence(
        rec({ kind: Rec.FaultChanged, from: node('email'), to: node('email'), value: 1000 }),
        ctx,
      ),
    ).toBe('Email went down');
  });

  it('formats simulated time with millisecond precision', () => {
    expect(formatT(0)).toBe('t=0.000s');
    expect(formatT(61005)).toBe('t=61.005s');
  });

  // About 1.5 s alone; 6 s was seen on a loaded 2-core machine, past vitest's default 5 s.
  it('tells the producer side’s story: never published, phantom, saved in the outbox, relayed, republished', () => {
    const base = findScenario('dual-write')!;
    const lines = (publish: string, rate: number) => {
      const services = base.services.map((s) => (s.id === 'orders' ? { ...s, publish } : s));
      const faults = [{ ...base.faults[0]!, error_rate: rate }];
      const r = parseScenario({ ...base, services, faults });
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      const sim = new Simulation(r.scenario, { architecture: 'event', keepTrace: true });
      sim.runUntil(3000);
      const types = eventTypesById(sim.model, sim.fullTrace);
      const c = { model: sim.model, eventOf: (m: number) => types.get(m) };
      return sim.fullTrace.map((t) => describeRecord(t, c));
    };
    const after = lines('after-commit', 0.5);
    expect(after).toContainEqual(
      expect.stringMatching(
        /Order saved #\d+ and died before publishing OrderCreated: it is never published$/,
      ),
    );
    expect(lines('before-commit', 0.5)).toContainEqual(
      expect.stringMatching(
        /OrderCreated #\d+ is a phantom: Order published it and died before saving the order$/,
      ),
    );
    const outbox = lines('outbox', 0.5);
    expect(outbox).toContainEqual(
      expect.stringMatching(/Order saved OrderCreated #\d+ in .*outbox, with the order$/i),
    );
    expect(outbox).toContainEqual(expect.stringMatching(/relay published OrderCreated .* again/));
    expect(outbox).toContainEqual(
      expect.stringMatching(/marked it sent \(\d+ ms in the outbox\)$/),
    );
    for (const l of [...after, ...outbox]) expect(l).not.toMatch(/undefined|NaN|record \d|node \d/);
  });

  it('tells the broker outage’s story: down, a refused publish, a publish made again, back up', () => {
    const broker = node('broker');
    const orders = node('orders');
    expect(
      sentence(
        rec({ kind: Rec.FaultChanged, from: broker, to: broker, code: 5, value: 1000 }),
        ctx,
      ),
    ).toBe('the broker went down: every publish is refused and nothing is delivered');
    expect(
      sentence(
        rec({
          kind: Rec.PublishRefused,
          from: broker,
          to: orders,
          corr: 9,
          attempt: 1,
          code: Reason.BrokerUnavailable,
          value: 0,
        }),
        ctx,
      ),
    ).toBe(
      'the broker refused OrderCreated #9 from Order (broker unavailable): it never entered the broker',
    );
    expect(
      sentence(
        rec({
          kind: Rec.PublishRetry,
          from: orders,
          to: broker,
          corr: 9,
          attempt: 2,
          code: 0,
          value: 73,
        }),
        ctx,
      ),
    ).toBe('Order publishes OrderCreated #9 again (attempt 2) after waiting 73 ms');
    expect(
      sentence(rec({ kind: Rec.FaultChanged, from: broker, to: broker, code: 5, value: 0 }), ctx),
    ).toBe('the broker is back up: consumers read what waited');
  });

  it('every record of every built-in run reads as a sentence', { timeout: 20_000 }, () => {
    for (const scenario of builtInScenarios) {
      for (const architecture of ['chain', 'event'] as const) {
        const sim = new Simulation(scenario, { architecture, keepTrace: true });
        sim.runUntil(15000);
        const types = eventTypesById(sim.model, sim.fullTrace);
        const c = { model: sim.model, eventOf: (m: number) => types.get(m) };
        for (const r of sim.fullTrace) {
          const s = describeRecord(r, c);
          expect(s, JSON.stringify(r)).not.toMatch(/undefined|NaN|record \d|node \d/);
        }
      }
    }
  });
  it('orchestration: names the orchestrator, its commands, the steps replies and its compensations', () => {
    const scenario = findScenario('orchestrated-checkout')!;
    const parsed = parseScenario({
      ...scenario,
      services: scenario.services.map((s) => (s.id === 'email' ? { ...s, decline_rate: 0.2 } : s)),
    });
    if (!parsed.ok) throw new Error('invalid');
    const sim = new Simulation(parsed.scenario, { architecture: 'orchestration', keepTrace: true });
    sim.runUntil(10_000);
    const types = eventTypesById(sim.model, sim.fullTrace);
    const c = { model: sim.model, eventOf: (m: number) => types.get(m) };
    const said = sim.fullTrace.map((r) => sentence(r, c));
    const says = (re: RegExp) =>
      expect(
        said.find((s) => re.test(s)),
        String(re),
      ).toBeDefined();
    says(/^Order, the orchestrator, sends the command ChargePayment #1 and waits for the reply$/);
    says(/^Payment replies PaymentDone #1 to Order, the orchestrator$/);
    says(/^Order, the orchestrator, read PaymentDone #1 and moved the saga on$/);
    says(/sends the compensation RefundPayment #\d+ to undo a step already done$/);
    says(
      /^order #\d+ cancelled after \d+ ms: a step failed for good and the orchestrator's compensations are done$/,
    );
    says(/^order #\d+ confirmed after \d+ ms: every step of its saga replied done$/);
  });
});
