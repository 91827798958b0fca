/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serviceWorker } from './scripts/serviceWorkerPlugin.ts';

export default defineConfig({
  // Relative base: the built app works from any sub-path of a static host.
  base: './',
  // serviceWorker: writes dist/sw.js so the app opens offline after the first visit.
  plugins: [react(), serviceWorker()],
  build: {
    target: 'es2022',
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    // Engine tests run in plain Node; view tests opt in with
    // `// @vitest-environment happy-dom` at the top of the file.
    environment: 'node',
    passWithNoTests: true,
    // Tests inject simulated time and never wait for the clock: the time-out only catches
    // a hang, and must not trip because a 2-core machine is busy (the default is 5 s).
    testTimeout: 20_000,
    // Both cores, in worker threads: on this 2-core machine 83 s instead of 163 s with
    // vitest's defaults (one forked worker, cores - 1).
    pool: 'threads',
    maxWorkers: 2,
  },
});
