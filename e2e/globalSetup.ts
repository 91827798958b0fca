import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_ARGS, E2E_CHROMIUM_PATH, startPreview } from './preview';

// Overridable so several people can run e2e at once on one machine.
const PORT = Number(process.env.E2E_PORT ?? 4179);
const OUT_DIR = process.env.E2E_OUTDIR ?? 'dist';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The one Chromium of the run: each test file connects to it (starting one per file cost ~1 s). */
    browserEndpoint: string;
  }
}

/**
 * Serves the built `dist/` with `vite preview` and starts one Chromium for the whole e2e
 * run; hands their addresses to the tests (`inject('baseUrl')`, `inject('browserEndpoint')`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const preview = await startPreview(PORT, OUT_DIR);
  try {
    const server = await chromium.launchServer({
      executablePath: E2E_CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    });
    project.provide('baseUrl', preview.url);
    project.provide('browserEndpoint', server.wsEndpoint());
    return async () => {
      await server.close();
      await preview.stop();
    };
  } catch (error) {
    await preview.stop();
    throw error;
  }
}
