import { describe, expect, it } from 'vitest';
import { type FrameScheduler, startPlaybackLoop } from './playback';
import { createHeadlessPlayground } from './headless';

/** Animation frames driven by hand. */
function fakeFrames() {
  let next = 1;
  const pending = new Map<number, (t: number) => void>();
  const frames: FrameScheduler = {
    request: (cb) => {
      pending.set(next, cb);
      return next++;
    },
    cancel: (h) => {
      pending.delete(h);
    },
  };
  const fire = (t: number) => {
    const cbs = [...pending.values()];
    pending.clear();
    for (const cb of cbs) cb(t);
  };
  return { frames, fire, pending };
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
});
