/**
 * The engine's worker. The built page starts it from its first script
 * (public/engine-start.js, scripts/earlyEnginePlugin.ts), so the engine's code loads and
 * compiles on its own thread while the page's modules are still being fetched and run;
 * started by the app, it would only begin once all of them had run, and the two would
 * follow each other instead of overlapping. The first WorkerHost takes that worker over;
 * without one (the dev server), or for a restarted engine, a new one is made.
 */

declare global {
  interface Window {
    /** Set by public/engine-start.js; taken (and cleared) by `takeEarlyWorker`. */
    __fanoutEngineWorker?: Worker;
  }
}

export const createEngineWorker = (): Worker =>
  new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'fanout-engine',
  });

/** The worker the page's first script started, once; null after that or if none was. */
export function takeEarlyWorker(): Worker | null {
  if (typeof window === 'undefined') return null;
  const worker = window.__fanoutEngineWorker ?? null;
  delete window.__fanoutEngineWorker;
  return worker;
}
