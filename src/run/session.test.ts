/** The runs of a playground never grow without bound: budgets, stops and a watchdog. */
import { describe, expect, it } from 'vitest';
import { liveItems } from '../core';
import { findScenario } from '../content/scenarios';
import { readSetupHash } from '../share/link';
import { shareLink } from '../share/writeLink';
import type { Frame } from './frame';
import { FrameWriter } from './frame';
import { ANSWER_WITHIN_MS } from './protocol';
import { RunSession } from './session';
import { EngineStopped, WorkerHost } from './workerHost';

const checkout = () => {
  const s = findScenario('checkout');
  if (!s) throw new Error('no checkout');
  return s;
};

describe('a run that grows without bound', { timeout: 30_000 }, () => {
  it('is stopped with one message that says why, and the run is back at its last good moment', () => {
    const session = new RunSession(checkout(), { mode: 'event', limits: { maxLive: 30_000 } });
    session.advanceTo(2000);
    session.apply({ kind: 'rate', rate: 3000 });
    session.advanceTo(4000);
    const before = session.now;
    const hash = session.sims.event?.traceHash;
    // Far ahead: Email's queue fills at 3,000 orders a second.
    const reached = session.advanceTo(60_000);
    expect(reached).toBe(before);
    expect(session.sims.event?.traceHash).toBe(hash);
    const frame = new FrameWriter().write(session);
    expect(frame.stop?.message).toMatch(
      /^This run was stopped at t = [\d.]+ s: the run holds [\d,]+ messages and timers at once \(the limit is 30,000\)\. Order Service has [\d,]+ calls waiting for a worker: orders arrive faster than it serves them/,
    );
    expect(frame.stop?.at).toBe(before);
    // Said once; the run goes on from there when asked to.
    expect(new FrameWriter().write(session).stop).toBeUndefined();
    session.apply({ kind: 'rate', rate: 10 });
    expect(session.advanceTo(4500)).toBe(4500);
  });

  it('a setup whose replay outgrows the limits opens at its last good moment, paused there, and says why', () => {
    const scenario = checkout();
    const session = new RunSession(scenario, { mode: 'event', limits: { maxLive: 30_000 } });
    const result = session.load({
      scenario,
      seed: scenario.seed,
      mode: 'event',
      at: 60_000,
      interventions: { event: [{ at: 0, kind: 'rate', rate: 3000 }] },
    });
    // Opened, not refused: earlier than asked, at a whole second before the limit was hit.
    expect(result.cut).toBe(true);
    expect(result.at).toBeGreaterThan(0);
    expect(result.at).toBeLessThan(60_000);
    expect(result.at % 1000).toBe(0);
    expect(session.now).toBe(result.at);
    expect(session.head).toBe(result.at);
    expect(new FrameWriter().write(session).stop?.message).toMatch(
      /^This run was stopped at t = [\d.]+ s: the run holds [\d,]+ messages and timers at once \(the limit is 30,000\)/,
    );
    // The same run as a fresh one replayed to that moment.
    const fresh = new RunSession(scenario, { mode: 'event' });
    fresh.load({
      scenario,
      seed: scenario.seed,
      mode: 'event',
      at: result.at,
      interventions: { event: [{ at: 0, kind: 'rate', rate: 3000 }] },
    });
    expect(session.sims.event?.traceHash).toBe(fresh.sims.event?.traceHash);
  });

  it('a short link asking for a month at 5,000 orders a second opens early, within its budget', () => {
    const scenario = checkout();
    const link = shareLink(
      {
        scenario,
        builtIn: true,
        seed: scenario.seed,
        mode: 'compare',
        speed: 1,
        at: 30 * 24 * 60 * 60 * 1000,
        interventions: {
          chain: [{ at: 0, kind: 'rate', rate: 5000 }],
          event: [{ at: 0, kind: 'rate', rate: 5000 }],
        },
      },
      'https://x.test/',
    );
    expect(link.url.length).toBeLessThan(200);
    const read = readSetupHash(new URL(link.url).hash);
    if (!read?.ok) throw new Error('the link did not read');
    const session = new RunSession(scenario);
    const result = session.load(read.value, { maxEvents: 300_000 });
    expect(result.cut).toBe(true);
    expect(result.at).toBeLessThan(60_000);
    // Stopped within a few thousand events of the budget (asked every 4,096 events).
    const events = Object.values(session.sims).reduce(
      (n, sim) => n + (sim?.eventsProcessed ?? 0),
      0,
    );
    expect(events).toBeLessThan(300_000 + 10_000);
    for (const sim of Object.values(session.sims))
      expect(liveItems(sim?.snapshotState() as never)).toBeLessThan(600_000);
  });
});

/** A worker that never answers (a run stuck in one long step). */
class SilentWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  posted: unknown[] = [];
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
}

describe('the watchdog', () => {
  it('stops an engine that does not answer in time, starts a fresh one, and says why', async () => {
    let now = 0;
    const workers: SilentWorker[] = [];
    const host = new WorkerHost({
      create: () => {
        const w = new SilentWorker();
        workers.push(w);
        return w as unknown as Worker;
      },
      clock: () => now,
      watchEveryMs: 1_000_000, // the test calls the watchdog itself
    });
    const restarts: string[] = [];
    host.onRestart((why) => restarts.push(why));
    const answer = host.send({ op: 'advance', to: 1000 });
    expect(host.pending).toBe(1);
    now = ANSWER_WITHIN_MS.advance - 1;
    (host as unknown as { watch(): void }).watch();
    expect(restarts).toEqual([]);
    now = ANSWER_WITHIN_MS.advance + 1;
    (host as unknown as { watch(): void }).watch();
    await expect(answer).rejects.toBeInstanceOf(EngineStopped);
    expect(workers[0]?.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(host.pending).toBe(0);
    expect(restarts[0]).toMatch(
      /did not answer for 5 s and was stopped, so the page stays responsive/,
    );
    host.dispose();
  });

  it('passes frames on before the answer they came with', async () => {
    const worker = new SilentWorker();
    const host = new WorkerHost({
      create: () => worker as unknown as Worker,
      watchEveryMs: 1_000_000,
    });
    const seen: string[] = [];
    host.onFrame(() => seen.push('frame'));
    const answer = host.send({ op: 'step' }).then(() => seen.push('answer'));
    const { id } = worker.posted[0] as { id: number };
    worker.onmessage?.({
      data: { id, ok: true, reply: {}, frame: { sides: [] } as unknown as Frame },
    } as MessageEvent);
    await answer;
    expect(seen).toEqual(['frame', 'answer']);
    host.dispose();
  });
});
