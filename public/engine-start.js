// Starts the simulation engine's worker while the page's own code is still loading, so
// the two load and compile side by side (src/run/earlyWorker.ts takes it over). The
// build names the worker's file in data-worker (scripts/earlyEnginePlugin.ts); without
// it (the dev server) the page starts its worker itself.
(() => {
  const script = document.currentScript;
  const file = script?.dataset.worker;
  if (!file || typeof Worker === 'undefined') return;
  try {
    window.__fanoutEngineWorker = new Worker(new URL(file, script.src), {
      type: 'module',
      name: 'fanout-engine',
    });
  } catch {
    // The page starts its own.
  }
})();
