import { defineConfig } from 'vitest/config';

// End-to-end tests drive the BUILT app (`npm run build` first) in Debian's Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: one browser at a time.
    fileParallelism: false,
    pool: 'forks',
  },
});
