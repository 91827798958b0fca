import type { TestProject } from 'vitest/node';
import { startPreview } from './preview';

// Overridable so several people can run e2e at once on one machine.
const PORT = Number(process.env.E2E_PORT ?? 4179);
const OUT_DIR = process.env.E2E_OUTDIR ?? 'dist';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * Serves the built `dist/` with `vite preview` for the whole e2e run and hands its URL
 * to the tests through `inject('baseUrl')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const preview = await startPreview(PORT, OUT_DIR);
  project.provide('baseUrl', preview.url);
  return preview.stop;
}
