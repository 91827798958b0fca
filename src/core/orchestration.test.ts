/**
 * An orchestrated saga (issue 12, architecture "orchestration"): Order Service sends a
 * command to each step through the broker and waits for the step's reply before the next;
 * a step that fails for good makes it undo the steps already done, the last done first,
 * and the order ends cancelled. What a learner sees: the commands in order, a queue of
 * commands that grows while a step is down (the saga waits, nothing fails), and one
 * refund or stock release per cancelled order.
 */
import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import { drained, expectConserved } from './invariantChecks';
import { SagaMsg } from './model';
import { parseScenario, type Scenario, type ScenarioInput } from './scenario';
import { Simulation } from './simulation';
import { Effect, Reason, Rec, type TraceRecord } from './trace';

const checkout = findScenario('orchestrated-checkout') as Scenario;

/** The built-in orchestrated checkout with `change` applied to its JSON form. */
function variant(change: (s: ScenarioInput) => void): Scenario {
  const input = structuredClone(checkout) as ScenarioInput;
  change(input);
  const r = parseScenario(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

function run(s: Scenario, until = 30_000) {
  const sim = new Simulation(s, { architecture: 'orchestration', keepTrace: true });
  sim.runUntil(until);
  return { sim, r: sim.report(), trace: sim.fullTrace };
}

/** Each order's saga messages in the order they were published: [type name, time]. */
function sagaMessages(sim: Simulation, trace: readonly TraceRecord[]) {
  const out = new Map<number, { name: string; kind: number; t: number; from: number }[]>();
  const saga = sim.model.saga;
  if (!saga) throw new Error('not orchestrated');
  for (const x of trace) {
    if (x.kind !== Rec.Published) continue;
    const list = out.get(x.corr) ?? [];
    list.push({
      name: sim.model.eventTypes[x.code] as string,
      kind: saga.typeKind[x.code] as number,
      t: x.t,
      from: x.from,
    });
    out.set(x.corr, list);
  }
  return out;
}

const nodeOf = (sim: Simulation, id: string) =>
  sim.model.nodes.findIndex((n) => n.kind === 'service' && n.id === id);

describe('orchestration: the scenario format', () => {
  it('a file that says orchestration runs as one: a command queue per step, a reply queue for the orchestrator, and no synchronous calls', () => {
    const { sim } = run(checkout, 100);
    expect(sim.architecture).toBe('orchestration');
    expect(sim.model.chainSteps).toEqual([]);
    expect(sim.model.queues.map((q) => q.name)).toEqual([
      'orders reply queue',
      'inventory command queue',
      'payment command queue',
      'email command queue',
      'analytics command queue',
    ]);
    const names = (ids: number[][]) =>
      ids.map((step) => step.map((i) => sim.model.services[i]?.id));
    expect(names(sim.model.saga?.steps ?? [])).toEqual([
      ['inventory'],
      ['payment'],
      ['email', 'analytics'],
    ]);
    // Default names for a step without `command`, replies named after the service.
    expect(sim.model.eventTypes).toContain('ChargePayment');
    expect(sim.model.eventTypes).toContain('PaymentDone');
    expect(sim.model.eventTypes).toContain('InventoryCompensated');
  });

  it('refuses a compensation on the orchestrator itself, and two steps whose messages would share a name', () => {
    const onEntry = parseScenario({
      ...structuredClone(checkout),
      services: checkout.services.map((s) =>
        s.id === 'orders' ? { ...s, compensate: 'Undo' } : s,
      ),
    });
    expect(onEntry.ok).toBe(false);
    if (!onEntry.ok)
      expect(onEntry.problems).toContainEqual({
        path: 'services[0].compensate',
        message: 'the entry service is the orchestrator: it sends commands and receives none',
      });
    const clash = parseScenario({
      ...structuredClone(checkout),
      services: checkout.services.map((s) =>
        s.id === 'email' ? { ...s, command: 'ChargePayment' } : s,
      ),
    });
    expect(clash.ok).toBe(false);
    if (!clash.ok)
      expect(clash.problems[0]?.message).toMatch(/"ChargePayment".*another command name/);
  });
});

describe('orchestration: commands in order', () => {
  it('each step is commanded only after the previous step replied, the parallel group at once, and the user is answered "accepted" before the saga ends', () => {
    const { sim, r, trace } = run(checkout);
    const orders = nodeOf(sim, 'orders');
    let checked = 0;
    for (const [, messages] of sagaMessages(sim, trace)) {
      const commands = messages.filter((m) => m.kind === SagaMsg.Command && m.from === orders);
      const done = messages.filter((m) => m.kind === SagaMsg.Done);
      if (commands.length < 4 || done.length < 4) continue;
      checked++;
      expect(commands.map((c) => c.name).slice(0, 2)).toEqual(['ReserveStock', 'ChargePayment']);
      expect(
        commands
          .slice(2)
          .map((c) => c.name)
          .sort(),
      ).toEqual(['RecordSale', 'SendConfirmation']);
      // The group is commanded at once, after Payment's reply.
      const at = (i: number) => commands[i]?.t ?? Number.NaN;
      const doneAt = (name: string) => done.find((d) => d.name === name)?.t ?? Number.NaN;
      expect(at(1)).toBeGreaterThan(doneAt('InventoryDone'));
      expect(at(2)).toBe(at(3));
      expect(at(2)).toBeGreaterThan(doneAt('PaymentDone'));
      expect(at(0)).toBeLessThan(at(1));
    }
    expect(checked).toBeGreaterThan(200);
    // The answer comes at the commit: far sooner than the saga's outcome.
    expect(r.requests.failed).toBe(0);
    expect(r.requests.latency_ms.p50).toBeLessThan(50);
    expect(r.orders.outcome_ms.p50).toBeGreaterThan(r.requests.latency_ms.p50 + 200);
  });

  it('steps in sequence take longer than events reacting in parallel: the price of one place that knows each order', () => {
    const orchestrated = new Simulation(checkout, { architecture: 'orchestration' });
    const choreographed = new Simulation(checkout, { architecture: 'event' });
    orchestrated.runUntil(30_000);
    choreographed.runUntil(30_000);
    const a = orchestrated.report().orders.completion_ms.p50;
    const b = choreographed.report().orders.completion_ms.p50;
    // Every step adds a command and a reply (four network hops) and the orchestrator's work.
    expect(a).toBeGreaterThan(b + 50);
  });
});

describe('orchestration: compensation', () => {
  /** Email declines some orders, after Payment charged them: both earlier steps are undone. */
  const emailDeclines = variant((s) => {
    const email = s.services.find((x) => x.id === 'email');
    if (email) email.decline_rate = 0.1;
  });

  it('runs each compensation once per failed order, in reverse order of the completed steps, and the order ends cancelled', () => {
    const { sim, r, trace } = run(emailDeclines);
    const cancelled = new Set(
      trace.filter((x) => x.kind === Rec.OrderCompleted && x.code & 2).map((x) => x.corr),
    );
    expect(cancelled.size).toBe(r.orders.cancelled);
    const refundedByPayment = new Set<number>();
    let both = 0;
    for (const [corr, messages] of sagaMessages(sim, trace)) {
      const undo = messages.filter((m) => m.kind === SagaMsg.Compensate).map((m) => m.name);
      if (!cancelled.has(corr)) {
        expect(undo).toEqual([]);
        continue;
      }
      const failedAtPayment = messages.some((m) => m.name === 'PaymentFailed');
      // Declined at Payment: only the stock was taken. Later: the card was charged too,
      // and the refund comes first, the stock release after its reply.
      if (failedAtPayment) expect(undo).toEqual(['ReleaseStock']);
      else {
        expect(undo).toEqual(['RefundPayment', 'ReleaseStock']);
        const refund = messages.find((m) => m.name === 'PaymentCompensated');
        const release = messages.find((m) => m.name === 'ReleaseStock');
        expect(release?.t).toBeGreaterThan(refund?.t ?? Number.POSITIVE_INFINITY);
        refundedByPayment.add(corr);
        both++;
      }
    }
    expect(both).toBeGreaterThan(10);
    // Counted per service: one release per cancelled order, one refund per order charged.
    expect(r.services.inventory?.compensations).toBe(r.orders.cancelled);
    expect(r.services.payment?.compensations).toBe(refundedByPayment.size);
    expect(r.services.email?.compensations).toBe(0);
    // Every cancelled order was told "accepted" first, and nothing else failed.
    expect(r.requests.failed).toBe(0);
    expect(r.orders.cancelled).toBe(
      (r.services.payment?.declined ?? 0) + (r.services.email?.declined ?? 0),
    );
  });

  it('under at-least-once delivery (Inventory crashes before acking) a business-key consumer releases each stock once, and the orchestrator ignores the repeated replies', () => {
    const s = variant((x) => {
      const inventory = x.services.find((svc) => svc.id === 'inventory');
      if (inventory) inventory.idempotency = { key: 'business-key' };
      x.faults = [{ service: 'inventory', at_ms: 0, mode: 'crash-before-ack', error_rate: 0.3 }];
    });
    const { sim, r, trace } = run(s);
    const inventory = nodeOf(sim, 'inventory');
    // Messages were delivered again, and some were recognised as repeats.
    expect(r.events.redelivered).toBeGreaterThan(50);
    const skipped = trace.filter(
      (x) =>
        x.kind === Rec.Processed &&
        x.from === inventory &&
        (x.code & 3) === Effect.SkippedIdempotent,
    );
    expect(skipped.length).toBeGreaterThan(20);
    expect(r.services.inventory?.compensations).toBe(r.orders.cancelled);
    expect(r.orders.cancelled).toBe(r.services.payment?.declined);
    // Each saga decided once: one Compensating record per cancelled order.
    const decisions = trace.filter((x) => x.kind === Rec.Compensating);
    expect(new Set(decisions.map((x) => x.corr)).size).toBe(decisions.length);
    expect(decisions.every((x) => x.value === 1 && x.code === Reason.Declined)).toBe(true);
  });
});

describe('orchestration: faults', () => {
  it('a step that is down lets its commands wait in its queue: the saga waits instead of failing, and catches up once it is back', () => {
    const down = variant((x) => {
      x.faults = [{ service: 'payment', at_ms: 5000, duration_ms: 10_000, mode: 'down' }];
    });
    const orchestrated = run(down, 40_000).r;
    const chain = new Simulation(down, { architecture: 'chain' });
    chain.runUntil(40_000);
    // The chain fails every order that reached Payment while it was down...
    expect(chain.report().requests.failed).toBeGreaterThan(80);
    // ...orchestrated, the commands wait: about 10 s of orders in Payment's queue.
    expect(orchestrated.queues.payment?.max_depth).toBeGreaterThan(80);
    expect(orchestrated.requests.failed).toBe(0);
    // No order was cancelled for the outage: only the declined cards.
    expect(orchestrated.orders.cancelled).toBe(orchestrated.services.payment?.declined);
    expect(orchestrated.queues.payment?.waiting).toBe(0);
    // The slowest outcomes waited out the outage.
    expect(orchestrated.orders.outcome_ms.max).toBeGreaterThan(9000);
  });

  it('while the orchestrator is down, replies wait in its reply queue and no saga moves', () => {
    const down = variant((x) => {
      x.duration_ms = 15_000;
      x.faults = [{ service: 'orders', at_ms: 5000, duration_ms: 5000, mode: 'down' }];
    });
    const sim = new Simulation(down, { architecture: 'orchestration' });
    sim.runUntil(6_000);
    const replies = sim.model.queues.findIndex((q) => q.id === 'orders');
    // The sagas under way when it went down: each step's reply waits for it.
    expect(sim.queue(replies).waiting).toBeGreaterThan(0);
    const published = sim.report().events.published;
    sim.runUntil(9_900);
    // Nothing new is commanded while it is down (new orders are refused at its door).
    expect(sim.report().events.published).toBe(published);
    drained(sim);
    expect(sim.queue(replies).waiting).toBe(0);
    // Once it is back, every saga it had accepted ends.
    const r = sim.report();
    expect(r.orders.completed + r.orders.cancelled).toBe(r.requests.succeeded);
  });

  it('the broker going down refuses commands and replies; their senders keep them and send them again, so every saga still ends', () => {
    const s = variant((x) => {
      x.duration_ms = 15_000;
      x.faults = [{ service: 'broker', at_ms: 3000, duration_ms: 4000, mode: 'down' }];
    });
    const sim = new Simulation(s, { architecture: 'orchestration', keepTrace: true });
    drained(sim);
    const r = sim.report();
    expect(r.events.refused).toBeGreaterThan(5);
    expect(r.events.publish_retries).toBeGreaterThan(5);
    expect(r.events.lost).toBe(0);
    // Every accepted order reached its end: confirmed or cancelled.
    expect(r.orders.completed + r.orders.cancelled).toBe(r.requests.succeeded);
  });

  it('conservation holds at every step, with flaky steps, crashes, poison and a broker outage', () => {
    const s = variant((x) => {
      x.duration_ms = 10_000;
      x.workload = { rate_per_s: 20, poison: { rate: 0.05, services: ['email'] } };
      x.faults = [
        { service: 'payment', at_ms: 1000, duration_ms: 3000, mode: 'flaky', error_rate: 0.5 },
        { service: 'analytics', at_ms: 0, mode: 'crash-before-ack', error_rate: 0.2 },
        { service: 'broker', at_ms: 6000, duration_ms: 1000, mode: 'down' },
      ];
    });
    const sim = new Simulation(s, { architecture: 'orchestration' });
    let steps = 0;
    while (sim.step()) {
      expectConserved(sim);
      if (steps++ > 2_000_000) expect.fail('the run never drained');
    }
    const r = sim.report();
    expect(r.events.in_queue + r.events.in_flight).toBe(0);
    // Poisoned orders dead-letter at Email: each ends cancelled, with a dead letter, after
    // its refund and stock release.
    expect(r.events.dead_lettered).toBeGreaterThan(0);
    expect(r.orders.cancelled).toBeGreaterThan(r.services.payment?.declined ?? 0);
    expect(r.services.payment?.compensations).toBeGreaterThan(0);
    expect(r.orders.completed + r.orders.cancelled).toBe(r.requests.succeeded);
  });
});
