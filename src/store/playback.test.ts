import { describe, expect, it } from 'vitest';
import { type FrameScheduler, QUIET_FRAME_MS, startPlaybackLoop } from './playback';
import { createHeadlessPlayground } from './headless';

/** Animation frames (and, with `timers`, quiet ticks) driven by hand. */
function fakeFrames(timers = false) {
  let next = 1;
  const pending = new Map<number, (t: number) => void>();
  const waiting = new Map<number, (t: number) => void>();
  const frames: FrameScheduler = {
    request: (cb) => {
      pending.set(next, cb);
      return next++;
    },
    cancel: (h) => {
      pending.delete(h);
    },
  };
  if (timers)
    frames.wait = (cb) => {
      const id = next++;
      waiting.set(id, cb);
      return () => {
        waiting.delete(id);
      };
    };
  const fire = (t: number) => {
    const cbs = [...pending.values()];
    pending.clear();
    for (const cb of cbs) cb(t);
  };
  const fireTimer = (t: number) => {
    const cbs = [...waiting.values()];
    waiting.clear();
    for (const cb of cbs) cb(t);
  };
  return { frames, fire, fireTimer, pending, waiting };
}

describe('the animation-frame loop', () => {
  it('advances by wall dt x speed from the second frame on', () => {
    const pg = createHeadlessPlayground({ speed: 2 });
    const f = fakeFrames();
    const stop = startPlaybackLoop(pg, pg.playback, f.frames);
    f.fire(1000);
    expect(pg.getState().now).toBe(0);
    f.fire(1016);
    expect(pg.getState().now).toBe(32);
    stop();
    expect(f.pending.size).toBe(0);
  });

  it('requests no frames while paused and does not count the pause on resume', () => {
    const pg = createHeadlessPlayground();
    const f = fakeFrames();
    const stop = startPlaybackLoop(pg, pg.playback, f.frames);
    f.fire(0);
    f.fire(20);
    pg.playback.pause();
    expect(f.pending.size).toBe(0);
    const frozen = pg.getState().now;
    pg.playback.play();
    f.fire(60_000);
    expect(pg.getState().now).toBe(frozen);
    f.fire(60_010);
    expect(pg.getState().now).toBe(frozen + 10);
    stop();
  });

  it('ticks on a timer while nothing is due and nothing moves, and on every frame again once an order comes', async () => {
    const pg = createHeadlessPlayground({ scenarioId: 'checkout', mode: 'event' });
    await pg.ready;
    await pg.apply({ kind: 'rate', rate: 0 });
    // The orders already on their way finish; then nothing is due.
    await pg.playback.advanceTo(3000);
    const f = fakeFrames(true);
    const stop = startPlaybackLoop(pg, pg.playback, f.frames);
    // No animation frame asked for at all: the first quiet tick counts as zero time.
    expect(f.pending.size).toBe(0);
    expect(f.waiting.size).toBe(1);
    f.fireTimer(1000);
    expect(pg.getState().now).toBe(3000);
    f.fireTimer(1000 + QUIET_FRAME_MS);
    expect(pg.getState().now).toBe(3000 + QUIET_FRAME_MS);
    expect(f.waiting.size).toBe(1);

    // An order is due at once: back to animation frames before the timer runs out.
    await pg.apply({ kind: 'order' });
    await Promise.resolve();
    expect(f.waiting.size).toBe(0);
    expect(f.pending.size).toBe(1);
    f.fire(1000 + QUIET_FRAME_MS + 16);
    expect(pg.getState().now).toBe(3000 + QUIET_FRAME_MS + 16);
    expect(f.pending.size).toBe(1);
    stop();
    expect(f.pending.size + f.waiting.size).toBe(0);
  });

  it('keeps animation frames while something on screen moves', async () => {
    const pg = createHeadlessPlayground({ scenarioId: 'checkout', mode: 'event' });
    await pg.ready;
    await pg.apply({ kind: 'rate', rate: 0 });
    await pg.playback.advanceTo(3000);
    let moving = true;
    const remove = pg.playback.addMotion(() => moving);
    const f = fakeFrames(true);
    const stop = startPlaybackLoop(pg, pg.playback, f.frames);
    f.fire(0);
    f.fire(16);
    expect(f.pending.size).toBe(1);
    moving = false;
    f.fire(32);
    expect(f.waiting.size).toBe(1);
    remove();
    stop();
  });

  it('never goes quiet on a hidden page: timers would move the clock where frames stop', async () => {
    const pg = createHeadlessPlayground({ scenarioId: 'checkout', mode: 'event' });
    await pg.ready;
    await pg.apply({ kind: 'rate', rate: 0 });
    await pg.playback.advanceTo(3000);
    const f = fakeFrames(true);
    let hidden = true;
    f.frames.hidden = () => hidden;
    const stop = startPlaybackLoop(pg, pg.playback, f.frames);
    expect(f.pending.size).toBe(1);
    expect(f.waiting.size).toBe(0);
    hidden = false;
    f.fire(0);
    expect(f.waiting.size).toBe(1);
    stop();
  });
});
