/**
 * Serving the built app and launching Debian's Chromium, shared by the e2e setup, the
 * UI benchmark and the screenshot script (no test-runner imports here).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

/** Debian's Chromium; npm packages that download their own browser cannot work here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

/**
 * The e2e suite's browser: Debian's `chromium-headless-shell`, the same Chromium (Blink,
 * V8, the same version) without the desktop browser around the pages. Measured over the
 * whole suite on this 2-core machine, Chromium's processes used about a quarter less CPU
 * (341 s against 471 s), most of it the desktop browser process (104 s against 264 s). Falls back to `chromium`; `CHROMIUM_PATH` overrides both. The benchmarks
 * and screenshots keep the desktop Chromium a learner runs.
 */
export const E2E_CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : CHROMIUM_PATH);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium tries to reach the internet on start-up.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 20_000;

export interface Preview {
  url: string;
  stop(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => {
    setTimeout(done, ms);
  });
}

async function waitForServer(
  url: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`vite preview exited early (code ${child.exitCode}):\n${output()}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(
    `vite preview did not answer on ${url} within ${START_TIMEOUT_MS} ms:\n${output()}`,
  );
}

/**
 * Serve `outDir` (relative to the project root) with `vite preview` on `port`; resolves
 * once it answers. `stop()` ends it by its pid (and clears every timer, so Node can exit).
 */
export async function startPreview(port: number, outDir = 'dist'): Promise<Preview> {
  const root = resolve(import.meta.dirname, '..');
  if (!existsSync(resolve(root, outDir, 'index.html'))) {
    throw new Error(`${outDir}/index.html not found: run \`npm run build\` first.`);
  }
  // Run vite's own entry with node (no npx/shell in between) so the pid we kill is vite's.
  // vite's package `exports` do not list its bin, so resolve it from package.json.
  const viteBin = resolve(
    dirname(createRequire(import.meta.url).resolve('vite/package.json')),
    'bin/vite.js',
  );
  const child = spawn(
    process.execPath,
    [
      viteBin,
      'preview',
      '--host',
      HOST,
      '--strictPort',
      '--port',
      String(port),
      '--outDir',
      outDir,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
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
  const url = `http://${HOST}:${port}/`;
  try {
    await waitForServer(url, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
