import { describe, expect, it } from 'vitest';
import { buildModel, parseScenario, type Scenario } from '../../core';
import { builtInScenarios, findScenario } from '../../content/scenarios';
import { positionsOf } from '../../store/editLayout';
import { hintedLayout } from './hintedLayout';
import { type Layout, type LayoutNode, layoutModel, routeKey } from './layout';

/** email-outage with the learner's arrangement: Email moved to the top, Analytics far right. */
function arranged(extra: Record<string, unknown> = {}): Scenario {
  const base = findScenario('email-outage') as Scenario;
  const r = parseScenario({
    ...base,
    layout: { email: { x: 300, y: -200 }, analytics: { x: 900, y: 400 } },
    ...extra,
  });
  if (!r.ok) throw new Error(r.problems[0]?.message);
  return r.scenario;
}

const box = (layout: Layout, id: string) => layout.nodes.find((n) => n.id === id) as LayoutNode;
const centreY = (n: LayoutNode) => n.y + n.height / 2;

function overlaps(layout: Layout): string[] {
  const out: string[] = [];
  const ns = layout.nodes;
  for (let i = 0; i < ns.length; i++)
    for (let j = i + 1; j < ns.length; j++) {
      const a = ns[i] as LayoutNode;
      const b = ns[j] as LayoutNode;
      if (
        a.x < b.x + b.width &&
        b.x < a.x + a.width &&
        a.y < b.y + b.height &&
        b.y < a.y + a.height
      )
        out.push(`${a.id}/${b.id}`);
    }
  return out;
}

/** Is `p` on the outline of `n`? */
const onBorder = (p: { x: number; y: number }, n: LayoutNode) =>
  (Math.abs(p.x - n.x) < 0.5 || Math.abs(p.x - n.x - n.width) < 0.5
    ? p.y >= n.y - 0.5 && p.y <= n.y + n.height + 0.5
    : false) ||
  (Math.abs(p.y - n.y) < 0.5 || Math.abs(p.y - n.y - n.height) < 0.5
    ? p.x >= n.x - 0.5 && p.x <= n.x + n.width + 0.5
    : false);

describe('the live canvas keeps the arrangement made in Edit mode', () => {
  it('draws every built-in scenario (no layout hints) exactly as its own layout', () => {
    for (const scenario of builtInScenarios)
      for (const arch of ['chain', 'event'] as const) {
        const base = layoutModel(buildModel(scenario, arch));
        expect(hintedLayout(base, buildModel(scenario, arch), scenario)).toBe(base);
      }
  });

  it('event fan-out: Email, dragged above the others, is drawn above them; Analytics, dragged far right, is right of them; each queue sits just before its consumer', () => {
    const scenario = arranged();
    const model = buildModel(scenario, 'event');
    const layout = hintedLayout(layoutModel(model), model, scenario);
    const email = box(layout, 'email');
    const payment = box(layout, 'payment');
    const analytics = box(layout, 'analytics');
    const orders = box(layout, 'orders');
    expect(email.y + email.height).toBeLessThan(payment.y);
    expect(analytics.y).toBeGreaterThan(payment.y + payment.height);
    expect(analytics.x).toBeGreaterThan(payment.x + payment.width);
    expect(orders.x + orders.width).toBeLessThan(payment.x);
    for (const q of model.queues) {
      const queue = layout.nodes.find((n) => n.index === q.node) as LayoutNode;
      const consumer = box(layout, model.services[q.service]?.id ?? '');
      expect(queue.x + queue.width).toBeLessThanOrEqual(consumer.x);
      expect(centreY(queue)).toBeCloseTo(centreY(consumer));
    }
    expect(overlaps(layout)).toEqual([]);
  });

  it('puts the retry queue above the queues and the dead-letter queue below every box', () => {
    const scenario = arranged();
    const model = buildModel(scenario, 'event');
    const layout = hintedLayout(layoutModel(model), model, scenario);
    const retry = layout.nodes.find((n) => n.index === model.retryNode) as LayoutNode;
    const dlq = layout.nodes.find((n) => n.index === model.dlqNode) as LayoutNode;
    expect(retry).toBeDefined();
    expect(dlq).toBeDefined();
    for (const n of layout.nodes) {
      if (n.kind === 'queue') expect(retry.y + retry.height).toBeLessThan(n.y);
      if (n !== dlq) expect(dlq.y).toBeGreaterThan(n.y + n.height);
    }
  });

  it('routes every edge from its source box to its target box, and tokens can travel each one', () => {
    for (const arch of ['chain', 'event'] as const) {
      const scenario = arranged();
      const model = buildModel(scenario, arch);
      const layout = hintedLayout(layoutModel(model), model, scenario);
      expect(overlaps(layout)).toEqual([]);
      for (const e of layout.edges) {
        const from = layout.nodes.find((n) => n.index === e.from) as LayoutNode;
        const to = layout.nodes.find((n) => n.index === e.to) as LayoutNode;
        expect(onBorder(e.points[0] as { x: number; y: number }, from), e.id).toBe(true);
        expect(onBorder(e.points.at(-1) as { x: number; y: number }, to), e.id).toBe(true);
        expect(layout.routes.has(routeKey(e.from, e.to))).toBe(true);
      }
    }
  });

  it('every built-in scenario, its services dragged upside down: no boxes overlap, every edge joins its boxes', () => {
    for (const base of builtInScenarios) {
      // Where the editor puts each service, mirrored top to bottom, as if dragged there.
      const at = positionsOf(base);
      const layout: Record<string, { x: number; y: number }> = {};
      for (const [id, p] of at) layout[id] = { x: p.x, y: -p.y };
      const r = parseScenario({ ...base, layout });
      if (!r.ok) throw new Error(base.id);
      for (const arch of ['chain', 'event'] as const) {
        const model = buildModel(r.scenario, arch);
        const own = layoutModel(model);
        const drawn = hintedLayout(own, model, r.scenario);
        expect(overlaps(drawn), `${base.id} (${arch})`).toEqual([]);
        expect(drawn.nodes.map((n) => n.index)).toEqual(own.nodes.map((n) => n.index));
        expect(drawn.edges.map((e) => e.id)).toEqual(own.edges.map((e) => e.id));
        for (const e of drawn.edges) {
          const from = drawn.nodes.find((n) => n.index === e.from) as LayoutNode;
          const to = drawn.nodes.find((n) => n.index === e.to) as LayoutNode;
          expect(
            onBorder(e.points[0] as { x: number; y: number }, from),
            `${base.id} ${e.id}`,
          ).toBe(true);
          expect(
            onBorder(e.points.at(-1) as { x: number; y: number }, to),
            `${base.id} ${e.id}`,
          ).toBe(true);
        }
      }
    }
  });

  it('request chain: the services keep the order the learner gave them top to bottom', () => {
    const scenario = arranged();
    const model = buildModel(scenario, 'chain');
    const layout = hintedLayout(layoutModel(model), model, scenario);
    expect(box(layout, 'email').y).toBeLessThan(box(layout, 'payment').y);
    expect(box(layout, 'payment').y).toBeLessThan(box(layout, 'analytics').y);
    const client = layout.nodes.find((n) => n.kind === 'client') as LayoutNode;
    expect(client.x + client.width).toBeLessThan(box(layout, 'orders').x);
  });
});
