/**
 * Vite plugin: the built page starts the engine's worker from its first script
 * (public/engine-start.js, given the worker's hashed file name), before the app's modules
 * are fetched and evaluated. The worker then loads and compiles the engine while the page
 * runs its own code, instead of after it. The dev server is left alone: the page starts
 * the worker itself there (src/run/earlyWorker.ts).
 *
 * engine-start.js reads the worker's file from its own `data-worker`, relative to its own
 * address (so any sub-path works), puts the worker on `window.__fanoutEngineWorker` for
 * the first WorkerHost, and does nothing where workers are missing or refused. It is
 * short and has no comments to speak of: it counts in the initial load, unminified.
 */
import type { Plugin } from 'vite';

export function earlyEngine(): Plugin {
  return {
    name: 'fanout:early-engine',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const worker = Object.keys(ctx.bundle ?? {}).find((file) =>
          /(^|\/)engine\.worker-[^/]*\.js$/.test(file),
        );
        if (!worker) throw new Error('early engine: no engine.worker chunk in the build');
        return [
          {
            tag: 'script',
            attrs: { src: './engine-start.js', 'data-worker': `./${worker}` },
            injectTo: 'head',
          },
        ];
      },
    },
  };
}
