/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vite';
import { earlyEngine } from './scripts/earlyEnginePlugin.ts';
import { serviceWorker } from './scripts/serviceWorkerPlugin.ts';

/** Test files that swap a module or a global for the length of the file. */
const MOCKING_FILES = readdirSync(join(import.meta.dirname, 'src'), {
  recursive: true,
  encoding: 'utf8',
})
  .filter((path) => /\.test\.tsx?$/.test(path))
  .map((path) => `src/${path.replaceAll('\\', '/')}`)
  .filter((path) =>
    /\bvi\.(?:mock|doMock|stubGlobal)\(/.test(
      readFileSync(join(import.meta.dirname, path), 'utf8'),
    ),
  );

export default defineConfig({
  // Relative base: the built app works from any sub-path of a static host.
  base: './',
  // earlyEngine: the built page starts the engine's worker from its first script.
  // serviceWorker: writes dist/sw.js so the app opens offline after the first visit.
  plugins: [react(), earlyEngine(), serviceWorker()],
  build: {
    target: 'es2022',
  },
  test: {
    // Engine tests run in plain Node; view tests opt in with
    // `// @vitest-environment happy-dom` at the top of the file.
    environment: 'node',
    passWithNoTests: true,
    // Tests inject simulated time and never wait for the clock: the time-out only catches
    // a hang, and must not trip because a 2-core machine is busy (the default is 5 s).
    testTimeout: 20_000,
    // Testing Library's polling limits likewise (src/testLimits.ts).
    setupFiles: ['src/testLimits.ts'],
    // Both cores, in worker threads: on this 2-core machine 83 s instead of 163 s with
    // vitest's defaults (one forked worker, cores - 1).
    pool: 'threads',
    maxWorkers: 2,
    // Test files share their worker's module cache, so the app's modules are imported
    // once per worker instead of once per file (about 35 s of a 115 s run here). A file
    // that replaces a module or a global (vi.mock, vi.stubGlobal) needs modules of its
    // own, so those run isolated, found by reading the files.
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['src/**/*.test.{ts,tsx}'],
          exclude: MOCKING_FILES,
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING_FILES } },
    ],
  },
});
