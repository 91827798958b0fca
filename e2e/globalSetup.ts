import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const HOST = '127.0.0.1';
// Overridable so several people can run e2e at once on one machine.
const PORT = Number(process.env.E2E_PORT ?? 4179);
const OUT_DIR = process.env.E2E_OUTDIR ?? 'dist';
const BASE_URL = `http://${HOST}:${PORT}/`;
const START_TIMEOUT_MS = 20_000;

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => {
    setTimeout(done, ms);
  });
}

async function waitForServer(child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`vite preview exited early (code ${child.exitCode}):\n${output()}`);
    }
    try {
      const response = await fetch(BASE_URL);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(
    `vite preview did not answer on ${BASE_URL} within ${START_TIMEOUT_MS} ms:\n${output()}`,
  );
}

/**
 * Serves the built `dist/` with `vite preview` for the whole e2e run and hands its URL
 * to the tests through `inject('baseUrl')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = resolve(import.meta.dirname, '..');
  if (!existsSync(resolve(root, OUT_DIR, 'index.html'))) {
    throw new Error(`${OUT_DIR}/index.html not found: run \`npm run build\` before \`npm run test:e2e\`.`);
  }

  // Run vite's own entry with node (no npx/shell in between) so the pid we kill is vite's.
  // vite's package `exports` do not list its bin, so resolve it from package.json.
  const vitePackage = createRequire(import.meta.url).resolve('vite/package.json');
  const viteBin = resolve(dirname(vitePackage), 'bin/vite.js');
  const child = spawn(
    process.execPath,
    [viteBin, 'preview', '--host', HOST, '--strictPort', '--port', String(PORT), '--outDir', OUT_DIR],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });

  const stop = async (): Promise<void> => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    process.kill(child.pid, 'SIGTERM');
    const force = setTimeout(() => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    }, 3_000);
    await exited;
    clearTimeout(force);
  };

  try {
    await waitForServer(child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }

  project.provide('baseUrl', BASE_URL);
  return stop;
}
