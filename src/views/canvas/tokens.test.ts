import { describe, expect, it } from 'vitest';
import { Rec, Reason, Simulation } from '../../core';
import { findScenario } from '../../content/scenarios';
import { pointAt } from './geometry';
import { layoutModel, routeKey } from './layout';
import {
  BAND_LABEL_H,
  BAND_LABEL_W,
  placeTokens,
  Shape,
  TokenFrame,
  TokenRecords,
  tokenShape,
  VISUAL_WALL_MS,
  visualDuration,
} from './tokens';

const scenario = findScenario('email-outage')!;

function frameAt(
  sim: Simulation,
  now: number,
  speed = 1,
  reducedMotion = false,
  records = new TokenRecords(),
) {
  const layout = layoutModel(sim.model);
  records.sync(sim, now);
  const frame = new TokenFrame();
  placeTokens(
    records,
    layout,
    { now, speed, reducedMotion, networkMs: sim.scenario.network_ms, pxToFlow: 1 },
    frame,
  );
  return frame;
}

describe('token shapes', () => {
  it('tells request, answer, failure, event, retry and dead letter apart by shape', () => {
    expect(tokenShape(Rec.RequestSent, 0)).toBe(Shape.Request);
    expect(tokenShape(Rec.ResponseSent, 0)).toBe(Shape.Response);
    expect(tokenShape(Rec.ResponseSent, Reason.Unavailable)).toBe(Shape.Failure);
    expect(tokenShape(Rec.Published, 0)).toBe(Shape.Event);
    expect(tokenShape(Rec.Enqueued, 0)).toBe(Shape.Event);
    // An event saved in the outbox travels service -> outbox as an event.
    expect(tokenShape(Rec.OutboxSaved, 0)).toBe(Shape.Event);
    expect(tokenShape(Rec.Delivered, 0)).toBe(Shape.Event);
    expect(tokenShape(Rec.Delivered, Reason.Retry)).toBe(Shape.Retry);
    expect(tokenShape(Rec.RetryScheduled, Reason.Error)).toBe(Shape.Retry);
    // Back from a log's retry topic (node 9) to its group (node 5): a trip; on its own queue: none.
    expect(tokenShape(Rec.RetryReady, 0, 9, 5)).toBe(Shape.Retry);
    expect(tokenShape(Rec.RetryReady, 0, 5, 5)).toBe(-1);
    expect(tokenShape(Rec.Requeued, Reason.Reset)).toBe(Shape.Retry);
    expect(tokenShape(Rec.DeadLettered, Reason.MaxAttempts)).toBe(Shape.DeadLetter);
    expect(tokenShape(Rec.Acked, 0)).toBe(-1);
  });

  it('takes max(transit, a quarter second of wall time) of simulated time to cross an edge', () => {
    expect(visualDuration(Rec.RequestSent, 5, 5, 1)).toBe(VISUAL_WALL_MS);
    expect(visualDuration(Rec.RequestSent, 5, 5, 20)).toBe(VISUAL_WALL_MS * 20);
    expect(visualDuration(Rec.RequestSent, 500, 5, 0.1)).toBe(500);
    expect(visualDuration(Rec.Delivered, 9999, 800, 0.1)).toBe(800);
  });
});

describe('token placement', () => {
  it('is a pure function of the simulated moment: same moment, same picture', () => {
    const sim = new Simulation(scenario, { architecture: 'event' });
    sim.runUntil(4000);
    const a = frameAt(sim, 4000);
    expect(a.count).toBeGreaterThan(0);
    const again = frameAt(sim, 4000);
    expect(again.digest()).toBe(a.digest());

    const other = new Simulation(scenario, { architecture: 'event' });
    other.runUntil(1000);
    const records = new TokenRecords();
    records.sync(other, 1000);
    other.runUntil(4000);
    expect(frameAt(other, 4000, 1, false, records).digest()).toBe(a.digest());
  });

  it('pause: nothing moves while the clock stands still', () => {
    const sim = new Simulation(scenario, { architecture: 'chain' });
    const records = new TokenRecords();
    sim.runUntil(3000);
    const first = frameAt(sim, 3000, 1, false, records).digest();
    for (let i = 0; i < 5; i++) expect(frameAt(sim, 3000, 1, false, records).digest()).toBe(first);
  });

  it('moving the clock back gives the picture a fresh run would show', () => {
    const sim = new Simulation(scenario, { architecture: 'event' });
    const records = new TokenRecords();
    sim.runUntil(9000);
    frameAt(sim, 9000, 1, false, records);
    sim.seek(5000);
    const back = frameAt(sim, 5000, 1, false, records).digest();
    const fresh = new Simulation(scenario, { architecture: 'event' });
    fresh.runUntil(5000);
    expect(back).toBe(frameAt(fresh, 5000).digest());
  });

  it('places a request at (now - t) / duration along its edge', () => {
    const sim = new Simulation(scenario, { architecture: 'chain' });
    sim.runUntil(2000);
    const sent = sim.traceTail(4096).find((r) => r.kind === Rec.RequestSent && r.from === 0);
    expect(sent).toBeDefined();
    const r = sent!;
    const layout = layoutModel(sim.model);
    const route = layout.routes.get(routeKey(r.from, r.to))!;
    const now = r.t + VISUAL_WALL_MS / 2;
    // A fresh sim run only to `now`, so only tokens up to that moment exist.
    const at = new Simulation(scenario, { architecture: 'chain' });
    at.runUntil(now);
    const frame = frameAt(at, now);
    const expected = new Float64Array(4);
    pointAt(route.line, 0.5, expected);
    let found = false;
    for (let i = 0; i < frame.count; i++) {
      if (frame.shape[i] !== Shape.Request) continue;
      // Within the side offset (<= 5 px) of the edge's midpoint.
      if (Math.hypot(frame.x[i]! - expected[0]!, frame.y[i]! - expected[1]!) <= 5.01) found = true;
    }
    expect(found).toBe(true);
  });

  it('at higher speed a token lives longer in simulated time, so more are in flight', () => {
    const sim = new Simulation(scenario, { architecture: 'event' });
    sim.runUntil(8000);
    expect(frameAt(sim, 8000, 20).count).toBeGreaterThan(frameAt(sim, 8000, 1).count);
  });

  it('with reduced motion tokens do not glide: each sits at its edge midpoint', () => {
    const sim = new Simulation(scenario, { architecture: 'event' });
    sim.runUntil(3000);
    const f = frameAt(sim, 3000, 1, true);
    const layout = layoutModel(sim.model);
    const out = new Float64Array(4);
    const mids: Array<[number, number]> = [];
    for (const route of layout.routes.values()) {
      pointAt(route.line, 0.5, out);
      mids.push([out[0]!, out[1]!]);
    }
    expect(f.count).toBeGreaterThan(0);
    for (let i = 0; i < f.count; i++) {
      const near = mids.some(([x, y]) => Math.hypot(f.x[i]! - x, f.y[i]! - y) <= 5.01);
      expect(near, `token ${i} at ${f.x[i]},${f.y[i]}`).toBe(true);
    }
    // Later, the same tokens are still where they were.
    sim.runUntil(3040);
    const later = frameAt(sim, 3040, 1, true);
    for (let i = 0; i < later.count; i++) {
      expect(mids.some(([x, y]) => Math.hypot(later.x[i]! - x, later.y[i]! - y) <= 5.01)).toBe(
        true,
      );
    }
  });

  it('shows failures as red crosses on the chain when a service is down', () => {
    const sim = new Simulation(scenario, { architecture: 'chain' });
    sim.runUntil(1000);
    sim.intervene({ kind: 'fault', service: 'email', patch: { down: true } });
    sim.runUntil(4000);
    const f = frameAt(sim, 4000);
    expect(f.perShape[Shape.Failure]).toBeGreaterThan(0);
  });

  it('draws a saga’s failure and compensation events as diamonds, other events as squares', () => {
    const saga = findScenario('payment-declined-saga')!;
    const sim = new Simulation(saga, { architecture: 'event' });
    // At 10x a token lives 2.5 s of simulated time: several declines are on their way.
    let diamonds = 0;
    for (let t = 2000; t <= 20_000 && diamonds === 0; t += 500) {
      sim.runUntil(t);
      diamonds = frameAt(sim, t, 10).perShape[Shape.Compensation] as number;
    }
    expect(diamonds).toBeGreaterThan(0);
    expect(frameAt(sim, sim.now, 10).perShape[Shape.Event]).toBeGreaterThan(0);
    // A scenario without a saga has none.
    const plain = new Simulation(scenario, { architecture: 'event' });
    plain.runUntil(5000);
    expect(frameAt(plain, 5000, 10).perShape[Shape.Compensation]).toBe(0);
  });
  it('orchestration: commands as triangles, replies as outlined squares, compensations as diamonds; no plain event squares', () => {
    const checkout = findScenario('orchestrated-checkout')!;
    const sim = new Simulation(checkout, { architecture: 'orchestration' });
    let diamonds = 0;
    let f = frameAt(sim, 0, 10);
    for (let t = 2000; t <= 30_000 && diamonds === 0; t += 500) {
      sim.runUntil(t);
      f = frameAt(sim, t, 10);
      diamonds = f.perShape[Shape.Compensation] as number;
    }
    expect(diamonds).toBeGreaterThan(0);
    expect(f.perShape[Shape.Command]).toBeGreaterThan(0);
    expect(f.perShape[Shape.Reply]).toBeGreaterThan(0);
    expect(f.perShape[Shape.Event]).toBe(0);
  });
});

describe('flows: a busy edge above 2x is drawn as a band', () => {
  const poison = findScenario('poison-message')!;

  function bandsAt(sim: Simulation, now: number, speed: number, reducedMotion = false) {
    const layout = layoutModel(sim.model);
    const records = new TokenRecords();
    records.sync(sim, now);
    const frame = new TokenFrame();
    placeTokens(
      records,
      layout,
      {
        now,
        speed,
        reducedMotion,
        networkMs: sim.scenario.network_ms,
        pxToFlow: 1,
        bands: true,
      },
      frame,
    );
    const name = (i: number) => layout.nodes.find((n) => n.index === i)?.label;
    const bands = [];
    for (let b = 0; b < frame.bandCount; b++) {
      const route = frame.bandRoute[b]!;
      bands.push({
        edge: `${name(Math.floor(route / 65536))} → ${name(route % 65536)}`,
        shape: frame.bandShape[b]!,
        rate: frame.bandRate[b]!,
        width: frame.bandWidth[b]!,
        /** Where the band starts (flow units, here screen pixels). */
        start: [
          frame.bandXY[frame.bandFirst[b]! * 3]!,
          frame.bandXY[frame.bandFirst[b]! * 3 + 1]!,
        ] as const,
      });
    }
    return { frame, bands };
  }

  it('at 20x every busy edge is a band whose rate is the workload’s, and none of its tokens is drawn', () => {
    const sim = new Simulation(poison, { architecture: 'event' });
    sim.runUntil(24_000);
    const { frame, bands } = bandsAt(sim, 24_000, 20);
    const publish = bands.find((b) => b.edge === 'Order Service → Direct exchange');
    expect(publish?.shape).toBe(Shape.Event);
    // 10 orders a second: the label says about that (one 5 s bucket of a random arrival stream).
    expect(publish?.rate).toBeGreaterThan(6);
    expect(publish?.rate).toBeLessThan(14);
    expect(bands.find((b) => b.edge === 'Email queue → Email Service')?.shape).toBe(Shape.Event);
    // The events on those edges are in their bands, not drawn one by one.
    expect(frame.perShape[Shape.Event]).toBe(0);
    // Without bands the same moment would be a crowd of event tokens.
    expect(frameAt(sim, 24_000, 20).perShape[Shape.Event]).toBeGreaterThan(100);
  });

  it('each band’s rate label sits clear of every node and of the other labels', () => {
    const sim = new Simulation(poison, { architecture: 'event' });
    sim.runUntil(24_000);
    const layout = layoutModel(sim.model);
    const { frame } = bandsAt(sim, 24_000, 20);
    const hw = BAND_LABEL_W / 2;
    const hh = BAND_LABEL_H / 2;
    const labels: Array<[number, number]> = [];
    for (let b = 0; b < frame.bandCount; b++) {
      const x = frame.bandLabel[b * 2]!;
      const y = frame.bandLabel[b * 2 + 1]!;
      // At this size every band finds room for its label.
      expect(Number.isNaN(x)).toBe(false);
      for (const n of layout.nodes) {
        const overlaps =
          x + hw > n.x && x - hw < n.x + n.width && y + hh > n.y && y - hh < n.y + n.height;
        expect(overlaps, `label ${b} over ${n.label}`).toBe(false);
      }
      for (const [ox, oy] of labels)
        expect(Math.abs(ox - x) >= hw * 2 || Math.abs(oy - y) >= hh * 2).toBe(true);
      labels.push([x, y]);
    }
    expect(labels.length).toBeGreaterThan(5);
  });

  it('a surge is a band within the bucket it starts in: from the first seconds of a run', () => {
    // At 20x a bucket is 5 s of simulated time; at 4 s no whole bucket has ended yet.
    const sim = new Simulation(poison, { architecture: 'event' });
    sim.runUntil(4000);
    const { bands } = bandsAt(sim, 4000, 20);
    const publish = bands.find((b) => b.edge === 'Order Service → Direct exchange');
    expect(publish?.shape).toBe(Shape.Event);
    // Its label counts what has passed so far: fewer than a whole bucket's, never more.
    expect(publish?.rate).toBeGreaterThan(0);
    expect(publish?.rate).toBeLessThan(14);
  });

  it('at 0.1x to 2x every token stays individual, even at 80 orders a second', () => {
    const sim = new Simulation(findScenario('traffic-spike')!, { architecture: 'event' });
    sim.runUntil(40_000);
    for (const speed of [0.1, 1, 2]) {
      const { frame, bands } = bandsAt(sim, 40_000, speed);
      expect(bands, `${speed}x`).toEqual([]);
      expect(frame.count, `${speed}x`).toBeGreaterThan(0);
    }
  });

  it('retries and dead letters never vanish into the events’ band: their own tokens or their own band', () => {
    const sim = new Simulation(poison, { architecture: 'event' });
    let retries = 0;
    let dead = 0;
    let eventBands = 0;
    for (let t = 10_000; t <= 60_000; t += 1000) {
      sim.runUntil(t);
      // Unbanded, to know when each kind is on screen at all.
      const all = frameAt(sim, t, 20);
      const { frame, bands } = bandsAt(sim, t, 20);
      const banded = (shape: number) => bands.some((b) => b.shape === shape);
      for (const shape of [Shape.Retry, Shape.DeadLetter]) {
        if (all.perShape[shape] === 0) continue;
        expect(frame.perShape[shape]! > 0 || banded(shape), `shape ${shape} at ${t}`).toBe(true);
      }
      retries += all.perShape[Shape.Retry]!;
      dead += all.perShape[Shape.DeadLetter]!;
      eventBands += bands.filter((b) => b.shape === Shape.Event).length;
    }
    expect(retries).toBeGreaterThan(0);
    expect(dead).toBeGreaterThan(0);
    expect(eventBands).toBeGreaterThan(0);
  });

  it('a kind busy enough on its own gets its own band, in its own lane, beside the others', () => {
    const saga = findScenario('payment-declined-saga')!;
    const sim = new Simulation(saga, { architecture: 'event' });
    let found: ReturnType<typeof bandsAt>['bands'] = [];
    for (let t = 10_000; t <= 60_000 && found.length === 0; t += 2500) {
      sim.runUntil(t);
      found = bandsAt(sim, t, 50).bands.filter((b) => b.shape === Shape.Compensation);
    }
    expect(found.length).toBeGreaterThan(0);
    // Its edge also carries an event band: two bands, side by side, not one over the other.
    const edge = found[0]!.edge;
    const same = bandsAt(sim, sim.now, 50).bands.filter((b) => b.edge === edge);
    expect(same.map((b) => b.shape).sort()).toEqual([Shape.Event, Shape.Compensation].sort());
    // A wider band for the busier kind.
    const event = same.find((b) => b.shape === Shape.Event)!;
    const compensation = same.find((b) => b.shape === Shape.Compensation)!;
    expect(event.width).toBeGreaterThan(compensation.width);
    const apart = Math.hypot(
      event.start[0] - compensation.start[0],
      event.start[1] - compensation.start[1],
    );
    expect(apart).toBeGreaterThanOrEqual((event.width + compensation.width) / 2);
  });

  it('same moment, same picture; paused the bands stand still; with reduced motion they never drift', () => {
    const sim = new Simulation(poison, { architecture: 'event' });
    sim.runUntil(24_000);
    const a = bandsAt(sim, 24_000, 20).frame;
    expect(a.bandCount).toBeGreaterThan(0);
    expect(bandsAt(sim, 24_000, 20).frame.digest()).toBe(a.digest());
    // 16 ms of wall time later at 20x: the dashes have moved on.
    sim.runUntil(24_320);
    expect(bandsAt(sim, 24_320, 20).frame.bandShift).not.toBe(a.bandShift);
    expect(bandsAt(sim, 24_000, 20, true).frame.bandShift).toBe(0);
    expect(bandsAt(sim, 24_320, 20, true).frame.bandShift).toBe(0);
    expect(bandsAt(sim, 24_320, 20, true).frame.bandCount).toBeGreaterThan(0);
  });
});
