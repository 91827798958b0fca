/// <reference lib="webworker" />
/**
 * The playback loop's frame clock (playback.ts, `workerFrames`): one animation frame per
 * request, its time given on the page's clock (`timeOrigin` + the frame's time). A
 * worker's animation frames follow the display like the page's, but waiting for one
 * costs the page nothing: no main-thread frame (style, layout, paint, commit) is run for
 * it. Where workers have no animation frames it says so, and the page uses its own.
 */
declare const self: DedicatedWorkerGlobalScope;

if (typeof self.requestAnimationFrame !== 'function') {
  self.postMessage({ kind: 'unsupported' });
} else {
  self.onmessage = () => {
    self.requestAnimationFrame((t) => {
      self.postMessage({ kind: 'frame', at: performance.timeOrigin + t });
    });
  };
}
