import { describe, expect, it } from 'vitest';
import { buildModel, parseScenario, Rec, type Scenario, Simulation } from '../../core';
import { builtInScenarios, findScenario } from '../../content/scenarios';
import { segmentsCross } from './geometry';
import { type Layout, layoutModel, routeKey } from './layout';

function crossings(layout: Layout): string[] {
  const found: string[] = [];
  const { edges } = layout;
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const a = edges[i]!;
      const b = edges[j]!;
      for (let s = 0; s + 1 < a.points.length; s++) {
        for (let t = 0; t + 1 < b.points.length; t++) {
          if (segmentsCross(a.points[s]!, a.points[s + 1]!, b.points[t]!, b.points[t + 1]!))
            found.push(`${a.id} x ${b.id}`);
        }
      }
    }
  }
  return [...new Set(found)];
}

function overlaps(layout: Layout): string[] {
  const out: string[] = [];
  const ns = layout.nodes;
  for (let i = 0; i < ns.length; i++) {
    for (let j = i + 1; j < ns.length; j++) {
      const a = ns[i]!;
      const b = ns[j]!;
      if (
        a.x < b.x + b.width &&
        b.x < a.x + a.width &&
        a.y < b.y + b.height &&
        b.y < a.y + a.height
      )
        out.push(`${a.id}/${b.id}`);
    }
  }
  return out;
}

describe('canvas layout', () => {
  for (const scenario of builtInScenarios) {
    for (const arch of ['chain', 'event', 'orchestration'] as const) {
      it(`${scenario.id} (${arch}): no crossing edges, no overlapping boxes`, () => {
        for (const twoRows of [false, true]) {
          const layout = layoutModel(buildModel(scenario, arch), { twoRows });
          expect(crossings(layout)).toEqual([]);
          expect(overlaps(layout)).toEqual([]);
        }
      });
    }
  }

  it('puts a log’s retry topic beside the dead-letter topic, fed from every group, with tokens able to go there and back', () => {
    for (const scenario of builtInScenarios) {
      const parsed = parseScenario({ ...scenario, broker: { kind: 'log', retry: 'retry-topic' } });
      if (!parsed.ok) throw new Error(scenario.id);
      const model = buildModel(parsed.scenario, 'event');
      if (model.queues.length === 0) continue;
      const layout = layoutModel(model);
      expect(crossings(layout)).toEqual([]);
      expect(overlaps(layout)).toEqual([]);
      const retry = layout.nodes.find((n) => n.index === model.retryNode)!;
      expect(retry.label).toBe('Retry topic');
      for (const q of model.queues) {
        expect(layout.routes.get(routeKey(q.node, model.retryNode))?.reversed).toBe(false);
        expect(layout.routes.get(routeKey(model.retryNode, q.node))?.reversed).toBe(true);
      }
    }
  });

  it('hybrid: Payment, called synchronously, sits below Order Service with a call edge and no queue; no crossings, no overlaps', () => {
    const saga = findScenario('payment-declined-saga') as Scenario;
    const parsed = parseScenario({ ...saga, architecture: 'hybrid', sync_services: ['payment'] });
    if (!parsed.ok) throw new Error('hybrid variant invalid');
    const layout = layoutModel(buildModel(parsed.scenario, 'event'));
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    const orders = byId.get('orders');
    const payment = byId.get('payment');
    expect(payment && orders && payment.y > orders.y).toBe(true);
    expect(byId.has('payment-queue')).toBe(false);
    expect(layout.edges.find((e) => e.id === 'orders->payment')?.kind).toBe('call');
    expect(crossings(layout)).toEqual([]);
    expect(overlaps(layout)).toEqual([]);
  });

  it("a saga step's failure event has its own publish lane: Payment -> broker, labelled PaymentFailed, so the pink diamonds leave Payment", () => {
    const saga = findScenario('payment-declined-saga') as Scenario;
    const layout = layoutModel(buildModel(saga, 'event'));
    const lane = layout.edges.find((e) => e.id === 'payment->broker');
    expect(lane?.kind).toBe('publish');
    expect(lane?.label).toBe('PaymentFailed');
    expect(layout.routes.has(routeKey(lane?.from ?? -1, lane?.to ?? -1))).toBe(true);
    expect(crossings(layout)).toEqual([]);
    expect(overlaps(layout)).toEqual([]);
  });

  it('orchestration: the orchestrator sends commands to the broker, each step reads its command queue and replies round the bottom, and the reply queue (top row) feeds the orchestrator; a route for every trip a run records', () => {
    const scenario = findScenario('orchestrated-checkout') as Scenario;
    const sim = new Simulation(scenario, { architecture: 'orchestration', keepTrace: true });
    sim.runUntil(5000);
    const layout = layoutModel(sim.model);
    const edge = (id: string) => layout.edges.find((e) => e.id === id);
    expect(edge('orders->broker')?.label).toBe('commands');
    expect(edge('orders-queue->orders')).toMatchObject({ kind: 'deliver', label: 'replies' });
    for (const step of ['inventory', 'payment', 'email', 'analytics']) {
      expect(edge(`${step}-queue->${step}`)?.kind).toBe('deliver');
      expect(edge(`${step}->broker`)).toMatchObject({ kind: 'publish', label: 'replies' });
    }
    const replies = layout.nodes.find((n) => n.id === 'orders-queue');
    const queues = layout.nodes.filter((n) => n.kind === 'queue');
    expect(Math.min(...queues.map((q) => q.y))).toBe(replies?.y);
    // The orchestrator's node carries its saga row.
    expect(layout.nodes.find((n) => n.id === 'orders')?.height).toBeGreaterThan(106);
    for (const r of sim.fullTrace) {
      if (r.kind !== Rec.Published && r.kind !== Rec.Delivered && r.kind !== Rec.Enqueued) continue;
      expect(layout.routes.has(routeKey(r.from, r.to)), `${r.from}->${r.to}`).toBe(true);
    }
  });

  it('lays the chain out left to right in call order', () => {
    const model = buildModel(findScenario('checkout')!, 'chain');
    const layout = layoutModel(model);
    const xs = ['client', ...model.chain.map((s) => model.services[s]!.id)].map(
      (id) => layout.nodes.find((n) => n.id === id)!.x,
    );
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(layout.nodes.some((n) => n.kind === 'broker')).toBe(false);
    expect(layout.edges.map((e) => e.id)).toEqual([
      'client->orders',
      'orders->payment',
      'payment->email',
      'email->analytics',
    ]);
  });

  it('on a narrow upright canvas folds the chain into two rows, the second right to left, at about twice the size', () => {
    const model = buildModel(findScenario('checkout')!, 'chain');
    const folded = layoutModel(model, { twoRows: true });
    const at = (id: string) => folded.nodes.find((n) => n.id === id)!;
    // Users/API -> Order -> Payment on top; Email under Payment, Analytics under Order.
    const middle = (id: string) => at(id).y + at(id).height / 2;
    expect(middle('client')).toBe(middle('orders'));
    expect(at('orders').y).toBe(at('payment').y);
    expect(at('email').x).toBe(at('payment').x);
    expect(at('analytics').x).toBe(at('orders').x);
    expect(at('email').y).toBeGreaterThan(at('payment').y + at('payment').height);
    expect(at('analytics').y).toBe(at('email').y);
    // The same calls, each edge from its caller's side to its callee's.
    expect(folded.edges.map((e) => e.id)).toEqual([
      'client->orders',
      'orders->payment',
      'payment->email',
      'email->analytics',
    ]);
    const turn = folded.edges.find((e) => e.id === 'payment->email')!;
    expect(turn.points[0]!.y).toBe(at('payment').y + at('payment').height);
    expect(turn.points[1]!.y).toBe(at('email').y);
    const back = folded.edges.find((e) => e.id === 'email->analytics')!;
    expect(back.points[0]!.x).toBe(at('email').x);
    expect(back.points[1]!.x).toBe(at('analytics').x + at('analytics').width);
    expect(crossings(folded)).toEqual([]);
    expect(overlaps(folded)).toEqual([]);
    // Fitted into a phone's canvas (about 380 x 175 px of drawing room), the folded chain
    // is drawn at least 1.6 times as large as the one row.
    const zoom = (l: Layout) => Math.min(380 / l.bounds.width, 175 / l.bounds.height);
    expect(zoom(folded)).toBeGreaterThan(1.6 * zoom(layoutModel(model)));
  });

  it('keeps one row where folding would not read: a step called in parallel, or one step', () => {
    const base = findScenario('checkout')!;
    for (const chain of [['orders', 'payment', ['email', 'analytics']], ['orders']]) {
      const r = parseScenario({ ...base, chain });
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      const model = buildModel(r.scenario, 'chain');
      expect(layoutModel(model, { twoRows: true })).toEqual(layoutModel(model));
    }
  });

  it('stacks the services of a step called in parallel in one column, each called by the step before', () => {
    const base = findScenario('checkout')!;
    const r = parseScenario({ ...base, chain: ['orders', 'payment', ['email', 'analytics']] });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const layout = layoutModel(buildModel(r.scenario, 'chain'));
    const at = (id: string) => layout.nodes.find((n) => n.id === id)!;
    expect(at('email').x).toBe(at('analytics').x);
    expect(at('email').x).toBeGreaterThan(at('payment').x);
    expect(at('email').y).not.toBe(at('analytics').y);
    expect(layout.edges.map((e) => e.id)).toEqual([
      'client->orders',
      'orders->payment',
      'payment->email',
      'payment->analytics',
    ]);
    expect(crossings(layout)).toEqual([]);
    expect(overlaps(layout)).toEqual([]);
  });

  it('fans out: client, entry, broker, one queue per subscriber, its consumer, the DLQ below', () => {
    const model = buildModel(findScenario('email-outage')!, 'event');
    const layout = layoutModel(model);
    const at = (id: string) => layout.nodes.find((n) => n.id === id)!;
    expect(at('client').x).toBeLessThan(at('orders').x);
    expect(at('orders').x).toBeLessThan(at('broker').x);
    for (const q of model.queues) {
      const qn = at(`${q.id}-queue`);
      expect(at('broker').x).toBeLessThan(qn.x);
      expect(qn.x).toBeLessThan(at(q.id).x);
      expect(Math.abs(qn.y + qn.height / 2 - (at(q.id).y + at(q.id).height / 2))).toBeLessThan(1);
      expect(at('dead-letter').y).toBeGreaterThan(qn.y + qn.height);
    }
    // Every trip a token can make has a route: forward, answers backwards, retry loops.
    expect(layout.routes.has(routeKey(0, at('orders').index))).toBe(true);
    expect(layout.routes.get(routeKey(at('orders').index, 0))?.reversed).toBe(true);
    expect(layout.routes.has(routeKey(at('email-queue').index, at('email-queue').index))).toBe(
      true,
    );
    expect(layout.routes.has(routeKey(at('email-queue').index, at('dead-letter').index))).toBe(
      true,
    );
  });

  it('puts the retry queue above the queues, with a route there and back for every retry a run records', () => {
    const scenario = findScenario('poison-message')!;
    const model = buildModel(scenario, 'event');
    const layout = layoutModel(model);
    const retry = layout.nodes.find((n) => n.kind === 'retry')!;
    for (const q of model.queues) {
      const qn = layout.nodes.find((n) => n.id === `${q.id}-queue`)!;
      expect(retry.y + retry.height).toBeLessThan(qn.y);
    }
    const sim = new Simulation(scenario, { architecture: 'event', keepTrace: true });
    sim.runUntil(20_000);
    const trips = sim.fullTrace.filter(
      (r) => r.kind === Rec.RetryScheduled || r.kind === Rec.RetryReady,
    );
    expect(trips.length).toBeGreaterThan(10);
    for (const r of trips) {
      // Queue -> retry node, then retry node -> queue: both drawn.
      expect([r.from, r.to]).toContain(retry.index);
      expect(layout.routes.has(routeKey(r.from, r.to))).toBe(true);
    }
    // A request chain, or another failure policy, has no retry queue.
    const requeue = buildModel(
      { ...scenario, broker: { ...scenario.broker, on_failure: 'requeue' } } as Scenario,
      'event',
    );
    expect(requeue.retryNode).toBe(-1);
  });

  it('draws an Outbox between an outbox service and the broker: every event goes service -> outbox -> broker, with a route for each trip', () => {
    for (const base of builtInScenarios) {
      const services = base.services.map((svc) =>
        svc.id === base.entry ? { ...svc, publish: 'outbox' } : svc,
      );
      const parsed = parseScenario({ ...base, services });
      if (!parsed.ok) throw new Error(base.id);
      const scenario = parsed.scenario;
      const model = buildModel(scenario, 'event');
      const layout = layoutModel(model);
      expect(crossings(layout)).toEqual([]);
      expect(overlaps(layout)).toEqual([]);
      const entry = model.services[model.entry]!;
      const outbox = layout.nodes.find((n) => n.kind === 'outbox')!;
      expect(outbox.label).toMatch(/outbox/i);
      // No direct publish edge any more: the service saves into the outbox.
      expect(layout.edges.some((e) => e.from === entry.node && e.to === 1)).toBe(false);
      const sim = new Simulation(scenario, { architecture: 'event', keepTrace: true });
      sim.runUntil(10_000);
      const trips = sim.fullTrace.filter(
        (r) => r.kind === Rec.OutboxSaved || (r.kind === Rec.Published && r.from === outbox.index),
      );
      expect(trips.length).toBeGreaterThan(2);
      for (const r of trips) expect(layout.routes.has(routeKey(r.from, r.to))).toBe(true);
      // The request chain has no outbox box.
      expect(
        layoutModel(buildModel(scenario, 'chain')).nodes.some((n) => n.kind === 'outbox'),
      ).toBe(false);
    }
  });

  it('routes a consumer that publishes back to the broker without crossings, only when someone listens', () => {
    const base = findScenario('email-outage')!;
    const withEmit = (emits: string[], listener: boolean): Scenario => {
      const input = structuredClone(base) as unknown as {
        services: Array<Record<string, unknown>>;
      };
      for (const s of input.services) {
        if (s.id === 'payment' || s.id === 'email') s.emits = emits.map((e) => `${e}${s.id}`);
        if (listener && s.id === 'analytics')
          s.subscribes = [
            'OrderCreated',
            ...emits.map((e) => `${e}payment`),
            ...emits.map((e) => `${e}email`),
          ];
      }
      const parsed = parseScenario(input);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      return parsed.scenario;
    };
    const heard = layoutModel(buildModel(withEmit(['Done'], true), 'event'));
    const back = heard.edges.filter((e) => e.target === 'broker' && e.source !== 'orders');
    expect(back.map((e) => e.id).sort()).toEqual(['email->broker', 'payment->broker']);
    expect(crossings(heard)).toEqual([]);

    const unheard = layoutModel(buildModel(withEmit(['Done'], false), 'event'));
    expect(unheard.edges.filter((e) => e.target === 'broker' && e.source !== 'orders')).toEqual([]);
  });
});
