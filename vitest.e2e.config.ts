import { defineConfig } from 'vitest/config';

// End-to-end tests drive the BUILT app (`npm run build` first) in Debian's Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/globalSetup.ts'],
    // Limits, not waits: nothing waits for them unless something is broken. Generous,
    // because this machine is shared and a loaded core is several times slower.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    expect: {
      // A page shows the engine's answer after a round trip to its worker and a render.
      poll: { timeout: 10_000, interval: 25 },
      requireAssertions: true,
    },
    // Three files at a time, in one shared Chromium (globalSetup): most of a test is waiting
    // on round trips to the page and its worker. On this 2-core machine: 2 files 172 s,
    // 3 files 135 s, 4 files 147 s.
    fileParallelism: true,
    maxWorkers: 3,
    pool: 'forks',
    // Files share modules (playwright-core is imported once per worker, not once per file);
    // each file still gets its own page (filePage in e2e/browser.ts).
    isolate: false,
  },
});
