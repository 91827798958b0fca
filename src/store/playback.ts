/**
 * The one requestAnimationFrame loop of the app. Each frame hands the wall time since the
 * previous frame to `tick`, which turns it (capped, times speed) into simulated time. The
 * loop only runs while playing, and the first frame after a pause counts as zero time, so
 * a pause freezes everything exactly where it was.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { PlaygroundState } from './playground';

export interface FrameScheduler {
  request(callback: (timestamp: number) => void): number;
  cancel(handle: number): void;
}

const browserFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/** Starts driving `store` from animation frames; returns a function that stops it. */
export function startPlaybackLoop(
  store: StoreApi<PlaygroundState>,
  frames: FrameScheduler = browserFrames,
): () => void {
  let handle: number | null = null;
  let last: number | null = null;

  const frame = (timestamp: number) => {
    handle = null;
    if (!store.getState().playing) return;
    if (last !== null) store.getState().tick(timestamp - last);
    last = timestamp;
    if (store.getState().playing) handle = frames.request(frame);
  };

  const sync = (playing: boolean) => {
    if (playing && handle === null) {
      last = null;
      handle = frames.request(frame);
    } else if (!playing && handle !== null) {
      frames.cancel(handle);
      handle = null;
    }
  };

  sync(store.getState().playing);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.playing !== previous.playing) sync(state.playing);
  });
  return () => {
    unsubscribe();
    if (handle !== null) frames.cancel(handle);
    handle = null;
  };
}
