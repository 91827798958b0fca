/**
 * Playback: the clock the learner controls. Wall time x speed becomes simulated time; the
 * engine is asked to run there with a small wall-clock budget per frame, so a heavy run
 * never holds up drawing: when it cannot keep up, the clock slows and the page says so
 * ("running at 3x, not 50x").
 *
 * The one requestAnimationFrame loop of the app is `startPlaybackLoop`. Tests inject time
 * with `tick(wallMs)` and `advanceTo(simMs)` instead of waiting.
 *
 * When nothing moves on screen and nothing is due in the runs, the loop ticks on a timer
 * every `QUIET_FRAME_MS` instead of on every animation frame (issue 17: an animation frame
 * and an engine round trip 60 times a second were most of the page's cost with no orders
 * at all). What is drawn is a function of simulated time, and nothing changes in between,
 * so the picture is the same; only the clock's last digits tick less often.
 */
import type { Kernel } from './kernel';
import { setupOf } from './kernel';
import { clampSpeed } from '../run/speeds';

/** Wall time one frame may account for: a tab in the background must not jump minutes. */
export const MAX_FRAME_MS = 100;
/** Wall time the engine may spend on one frame's advance before the clock stops short. */
export const FRAME_WORK_MS = 24;
/** Over this much wall time the kept-up speed is measured. */
const SPEED_WINDOW_MS = 1500;
/** Below this share of the asked speed, the page says the clock is slower. */
const SLOW_SHARE = 0.8;
/**
 * Wall time between two ticks while quiet. Under `MAX_FRAME_MS`, so a timer that fires a
 * little late still counts all of its time; the clock shows ten readings a second anyway.
 */
export const QUIET_FRAME_MS = 80;
/** Quiet only while nothing is due within this many quiet ticks (a late timer included). */
const QUIET_AHEAD_TICKS = 2;

export interface PlaybackPart {
  play(): void;
  pause(): void;
  toggle(): void;
  setSpeed(x: number): void;
  /** To the next moment something happens (pauses). */
  step(): Promise<void>;
  /** Same scenario and seed, t = 0, actions cleared; keeps playing or paused as it was. */
  reset(): Promise<void>;
  /** One animation frame: `wallMs` of wall time (capped at `MAX_FRAME_MS`) x speed. No-op when paused. */
  tick(wallMs: number): void;
  /** Run the clock to simulated time `t`, whatever it costs (tests, lessons, seeking forward). */
  advanceTo(t: number): Promise<void>;
  /**
   * Something drawn moves with the clock (tokens in flight, a replaying timeline): while
   * any `moving()` says so, playback ticks on every animation frame. Returns a remover.
   */
  addMotion(moving: () => boolean): () => void;
  /** Nothing drawn moves, and no run has anything due within `withinMs` of simulated time. */
  isQuiet(withinMs: number): boolean;
}

export function createPlayback(k: Kernel): PlaybackPart {
  const motions = new Set<() => boolean>();
  // The kept-up speed, over a window of frames.
  let askedMs = 0;
  let gotMs = 0;
  let wallMs = 0;
  const measure = (wall: number, asked: number, got: number) => {
    wallMs += wall;
    askedMs += asked;
    gotMs += got;
    if (wallMs < SPEED_WINDOW_MS) return;
    const s = k.get();
    const share = askedMs > 0 ? gotMs / askedMs : 1;
    const kept = s.speed * share;
    const slowedTo =
      s.playing && share < SLOW_SHARE
        ? kept >= 10
          ? Math.round(kept)
          : Math.round(kept * 10) / 10
        : null;
    if (slowedTo !== s.slowedTo) k.set({ slowedTo });
    wallMs = 0;
    askedMs = 0;
    gotMs = 0;
  };

  const part: PlaybackPart = {
    play() {
      // Play after the end starts the run again, like a video player.
      if (k.get().ended) void part.reset().then(() => k.set({ playing: true }));
      else k.set({ playing: true });
    },
    pause() {
      k.set({ playing: false, slowedTo: null });
    },
    toggle() {
      if (k.get().playing) part.pause();
      else part.play();
    },
    setSpeed(x) {
      if (!Number.isFinite(x)) return;
      k.set({ speed: clampSpeed(x), slowedTo: null });
    },
    async step() {
      k.set({ playing: false });
      await k.host.send({ op: 'step' });
    },
    async reset() {
      const s = k.get();
      await k.loadRun({ scenario: s.scenario, seed: s.seed, mode: s.mode, playing: s.playing });
    },
    tick(wall) {
      const s = k.get();
      if (!s.playing || s.loading || s.pendingFork || !(wall > 0)) return;
      const dt = Math.min(wall, MAX_FRAME_MS);
      const asked = dt * s.speed;
      // The engine is still on the last frame's work: this frame's time is not kept up with.
      if (k.host.pending > 0) {
        measure(dt, asked, 0);
        return;
      }
      const from = s.now;
      k.host
        .send({ op: 'advance', to: from + asked, wallMs: FRAME_WORK_MS })
        .then((r) => measure(dt, asked, r.reached - from))
        .catch(() => {});
    },
    async advanceTo(t) {
      if (!Number.isFinite(t)) return;
      await k.host.send({ op: 'advance', to: Math.max(0, t) });
    },
    addMotion(moving) {
      motions.add(moving);
      return () => {
        motions.delete(moving);
      };
    },
    isQuiet(withinMs) {
      for (const moving of motions) if (moving()) return false;
      const s = k.get();
      for (const run of Object.values(s.runs)) {
        const next = run?.nextEventAt();
        if (next !== undefined && next <= s.now + withinMs) return false;
      }
      return true;
    },
  };
  return part;
}

export interface FrameScheduler {
  request(callback: (timestamp: number) => void): number;
  cancel(handle: number): void;
  /**
   * `callback` after `ms` of wall time, given the time then (on the clock animation frames
   * use); returns a cancel function. Without it the loop never goes quiet.
   */
  wait?(callback: (timestamp: number) => void, ms: number): () => void;
  /** The page is not shown: animation frames stop, and so must quiet ticks. */
  hidden?(): boolean;
}

const wait: FrameScheduler['wait'] = (callback, ms) => {
  const id = setTimeout(() => callback(performance.now()), ms);
  return () => clearTimeout(id);
};
const hidden = () => document.visibilityState === 'hidden';

const browserFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
  wait,
  hidden,
};

/**
 * Animation frames from a worker's clock (frameClock.worker.ts). The page's own
 * `requestAnimationFrame` makes the browser run a main-thread frame every time it fires
 * (style, layout, paint and a commit to the compositor, even when nothing changed:
 * 0.03 of the main thread at 60 a second on a bare page, half of it waiting for the
 * commit), while everything that moves each frame is painted off the main thread (the
 * token layer's worker). So the loop waits for the worker's frames instead; the page
 * runs a frame only when its DOM changes (the clock's readings, the figures' beat).
 * One frame is asked for at a time, so frames never pile up behind a busy page: like
 * the page's own, a late frame carries all the time since the last.
 *
 * On a hidden page (animation frames stop there, and playback holds still) and where
 * workers have no animation frames, the page's own are used.
 */
function workerFrames(): (FrameScheduler & { dispose(): void }) | null {
  if (typeof Worker === 'undefined' || typeof document === 'undefined') return null;
  let worker: Worker;
  try {
    worker = new Worker(new URL('./frameClock.worker.ts', import.meta.url), {
      type: 'module',
      name: 'fanout-frames',
    });
  } catch {
    return null;
  }
  let supported = true;
  let asked = false;
  let next = 1;
  const waiting = new Map<number, (timestamp: number) => void>();
  /** Handles of callbacks handed to the page's own animation frames. */
  const onPage = new Map<number, number>();
  const fire = (timestamp: number) => {
    const callbacks = [...waiting.values()];
    waiting.clear();
    for (const callback of callbacks) callback(timestamp);
  };
  worker.onmessage = (
    event: MessageEvent<{ kind: 'frame'; at: number } | { kind: 'unsupported' }>,
  ) => {
    asked = false;
    if (event.data.kind === 'frame') {
      fire(event.data.at - performance.timeOrigin);
      return;
    }
    supported = false;
    worker.terminate();
    if (waiting.size > 0) requestAnimationFrame(fire);
  };
  return {
    request(callback) {
      const handle = next++;
      if (!supported || hidden()) {
        onPage.set(
          handle,
          requestAnimationFrame((t) => {
            onPage.delete(handle);
            callback(t);
          }),
        );
        return handle;
      }
      waiting.set(handle, callback);
      if (!asked) {
        asked = true;
        worker.postMessage(null);
      }
      return handle;
    },
    cancel(handle) {
      waiting.delete(handle);
      const page = onPage.get(handle);
      if (page !== undefined) cancelAnimationFrame(page);
      onPage.delete(handle);
    },
    wait,
    hidden,
    dispose() {
      waiting.clear();
      worker.terminate();
    },
  };
}

/**
 * Drive playback from animation frames; returns a function that stops. The loop only runs
 * while playing, and the first frame after a pause counts as zero time, so a pause freezes
 * everything exactly where it was. While quiet (`PlaybackPart.isQuiet`) it ticks on a
 * timer instead, and goes back to animation frames as soon as something is due or moves.
 */
export function startPlaybackLoop(
  k: Pick<Kernel, 'store'>,
  playback: PlaybackPart,
  given?: FrameScheduler,
): () => void {
  const own = given ? null : workerFrames();
  const frames: FrameScheduler = given ?? own ?? browserFrames;
  let handle: number | null = null;
  let stopWaiting: (() => void) | null = null;
  let last: number | null = null;
  let checkQueued = false;
  const idle = () => handle === null && stopWaiting === null;
  const quiet = () => {
    const s = k.store.getState();
    const quietTick = QUIET_FRAME_MS * (s.slowedTo ?? s.speed);
    // A hidden page gets no animation frames, so playback holds still there; timers
    // would go on (slowly): a hidden page is never quiet.
    return (
      frames.wait !== undefined &&
      !frames.hidden?.() &&
      playback.isQuiet(QUIET_AHEAD_TICKS * quietTick)
    );
  };
  const schedule = () => {
    if (!k.store.getState().playing) return;
    if (frames.wait && quiet()) stopWaiting = frames.wait(frame, QUIET_FRAME_MS);
    else handle = frames.request(frame);
  };
  const frame = (timestamp: number) => {
    handle = null;
    stopWaiting = null;
    if (!k.store.getState().playing) return;
    if (last !== null) playback.tick(timestamp - last);
    last = timestamp;
    schedule();
  };
  const stop = () => {
    if (handle !== null) frames.cancel(handle);
    stopWaiting?.();
    handle = null;
    stopWaiting = null;
  };
  /** Waiting on the timer, something became due or started moving: back to frames now. */
  const wake = () => {
    checkQueued = false;
    if (stopWaiting === null || quiet()) return;
    stopWaiting();
    stopWaiting = null;
    handle = frames.request(frame);
  };
  const sync = (playing: boolean) => {
    if (playing && idle()) {
      last = null;
      schedule();
    } else if (!playing) {
      stop();
    }
  };
  sync(k.store.getState().playing);
  const unsubscribe = k.store.subscribe((s, prev) => {
    if (s.playing !== prev.playing) sync(s.playing);
    else if (stopWaiting !== null && !checkQueued) {
      // After every other listener of this change (the token layer draws in its own),
      // so what moves on screen is already known.
      checkQueued = true;
      queueMicrotask(wake);
    }
  });
  return () => {
    unsubscribe();
    stop();
    own?.dispose();
  };
}

export { setupOf };
