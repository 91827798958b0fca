import { describe, expect, it } from 'vitest';
import { type FrameScheduler, startPlaybackLoop } from './playback';
import { createPlaygroundStore } from './playground';

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
    const store = createPlaygroundStore({ speed: 2 });
    const f = fakeFrames();
    const stop = startPlaybackLoop(store, f.frames);
    f.fire(1000);
    expect(store.getState().now).toBe(0);
    f.fire(1016);
    expect(store.getState().now).toBe(32);
    stop();
    expect(f.pending.size).toBe(0);
  });

  it('requests no frames while paused and does not count the pause on resume', () => {
    const store = createPlaygroundStore();
    const f = fakeFrames();
    const stop = startPlaybackLoop(store, f.frames);
    f.fire(0);
    f.fire(20);
    store.getState().pause();
    expect(f.pending.size).toBe(0);
    const frozen = store.getState().now;
    store.getState().play();
    f.fire(60_000);
    expect(store.getState().now).toBe(frozen);
    f.fire(60_010);
    expect(store.getState().now).toBe(frozen + 10);
    stop();
  });
});
