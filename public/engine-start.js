// Starts the engine's worker early (scripts/earlyEnginePlugin.ts, src/run/earlyWorker.ts).
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
