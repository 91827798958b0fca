/**
 * UI benchmark (DESIGN.md §7). Against the BUILT app (`npm run build` first):
 *  - serves dist/ with `vite preview`, opens it in headless Chromium at 1280x720 on
 *    `?scenario=traffic-spike&arch=event&speed=20`,
 *  - keeps a traffic spike going (the scenario's own, then the Spike button every
 *    quarter second) so well over a thousand messages are in flight on the canvas,
 *  - for 10 s of wall time counts main-thread long tasks (> 50 ms, PerformanceObserver
 *    'longtask'), frames rendered, and the most tokens drawn at once,
 *  - sums the gzip size of the JS that dist/index.html loads up front (lazy chunks are
 *    not part of the first load).
 * Prints the figures and exits non-zero if a budget is missed. Run: `npm run bench:ui`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startPreview } from '../e2e/preview';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = resolve(ROOT, 'dist');
// Not the e2e port (4179): both may run at once on a shared machine.
const PORT = 4181;
/** Override with an argument, e.g. `npm run bench:ui -- '?scenario=traffic-spike&arch=compare&speed=20'`. */
const URL_PATH = process.argv[2] ?? '?scenario=traffic-spike&arch=event&speed=20';
const MEASURE_MS = 10_000;
const SPIKE_EVERY_MS = 250;

const BUDGET_LONG_TASKS = 0;
const BUDGET_INITIAL_JS_KB = 250;


/** JS files dist/index.html loads before anything else: module scripts and modulepreloads. */
function initialScripts(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) out.add(m[1] as string);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0]);
    if (href) out.add(href[1] as string);
  }
  return [...out];
}

function initialJsGzipBytes(): {
  files: Array<{ file: string; bytes: number; gzip: number }>;
  total: number;
} {
  const html = readFileSync(resolve(DIST, 'index.html'), 'utf8');
  const files = initialScripts(html).map((src) => {
    const body = readFileSync(resolve(DIST, src.replace(/^\.?\//, '')));
    return { file: src, bytes: body.length, gzip: gzipSync(body).length };
  });
  return { files, total: files.reduce((a, f) => a + f.gzip, 0) };
}

// In-page code is passed as text: tsx's transform would otherwise add helpers the page lacks.
const INSTALL_PROBES = `(() => {
  const longTasks = [];
  const bench = { longTasks, frames: 0, maxTokens: 0, tokenSamples: [], stop: false, last: 0, maxGap: 0 };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask' });
  const frame = (t) => {
    if (bench.stop) return;
    if (bench.last) bench.maxGap = Math.max(bench.maxGap, t - bench.last);
    bench.last = t;
    bench.frames++;
    let tokens = 0;
    for (const c of document.querySelectorAll('canvas.token-layer')) tokens += Number(c.dataset.tokenCount || 0);
    if (tokens > bench.maxTokens) bench.maxTokens = tokens;
    if (bench.frames % 30 === 0) bench.tokenSamples.push(tokens);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})()`;

const COLLECT_PROBES = `(() => {
  const b = window.__bench;
  b.stop = true;
  const clock = document.querySelector('[role="timer"]')?.textContent ?? '';
  return { longTasks: b.longTasks, frames: b.frames, maxGap: b.maxGap, maxTokens: b.maxTokens, tokenSamples: b.tokenSamples, clock };
})()`;

interface PageFigures {
  /** [startTime, duration] of every long task, page clock (ms). */
  longTasks: Array<[number, number]>;
  frames: number;
  /** Longest time between two animation frames (ms). */
  maxGap: number;
  maxTokens: number;
  tokenSamples: number[];
  clock: string;
}

async function main(): Promise<number> {
  if (!existsSync(resolve(DIST, 'index.html'))) {
    console.error('dist/index.html not found: run `npm run build` first.');
    return 2;
  }
  const js = initialJsGzipBytes();
  const preview = await startPreview(PORT);
  const base = preview.url;
  let figures: PageFigures;
  let restartCount = 0;
  let restartTimes: number[] = [];
  const pageErrors: string[] = [];
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(base + URL_PATH, { waitUntil: 'load' });
      await page.locator('canvas.token-layer').first().waitFor({ state: 'attached' });
      const play = page.getByRole('button', { name: 'Play', exact: true });
      if (await play.count()) await play.click();

      // Measure from here: long tasks, frames, and the token count the layer reports.
      await page.evaluate(INSTALL_PROBES);
      const spike = page.getByRole('button', { name: 'Spike', exact: true });
      const hasSpike = (await spike.count()) > 0;
      const end = Date.now() + MEASURE_MS;
      let restarts = 0;
      const restartsAt: number[] = [];
      while (Date.now() < end) {
        // The scenario lasts 60 s simulated (3 s of wall time at 20x); when it has ended,
        // Play starts it again so the whole window is under load.
        if (await play.count()) {
          restartsAt.push((await page.evaluate('performance.now()')) as number);
          await play.click({ timeout: 1000 }).catch(() => undefined);
          restarts++;
        }
        if (hasSpike) await spike.click({ timeout: 1000 }).catch(() => undefined);
        await page.waitForTimeout(SPIKE_EVERY_MS);
      }
      restartCount = restarts;
      restartTimes = restartsAt;
      figures = (await page.evaluate(COLLECT_PROBES)) as PageFigures;
      await context.close();
    } finally {
      await browser.close();
    }
  } finally {
    await preview.stop();
  }

  // A restart (Play after the run ended) builds fresh simulations and re-creates the
  // canvas: a user action at t = 0 with nothing in flight, so it is reported on its own.
  const nearRestart = ([start]: [number, number]) =>
    restartTimes.some((t) => start >= t - 50 && start <= t + 1000);
  const underLoad = figures.longTasks.filter((task) => !nearRestart(task));
  const atRestart = figures.longTasks.filter(nearRestart);
  const longest = (tasks: Array<[number, number]>) =>
    tasks.length ? `${Math.max(...tasks.map(([, d]) => d)).toFixed(0)} ms` : 'none';
  // Kilobytes of 1000 bytes, zlib's default level: the same figures Vite's build prints.
  const kb = js.total / 1000;
  console.log(
    `UI benchmark: ${URL_PATH}, ${MEASURE_MS / 1000} s wall, Spike every ${SPIKE_EVERY_MS} ms`,
  );
  console.log(
    `  simulated clock at the end   ${figures.clock || '(not found)'} (run restarted ${restartCount} times)`,
  );
  console.log(
    `  long tasks > 50 ms, playing  ${underLoad.length}   (budget ${BUDGET_LONG_TASKS}); longest ${longest(underLoad)}`,
  );
  console.log(`  long tasks at a restart      ${atRestart.length}; longest ${longest(atRestart)}`);
  console.log(
    `  frames rendered              ${figures.frames}   (${(figures.frames / (MEASURE_MS / 1000)).toFixed(1)} per second), longest gap between frames ${figures.maxGap.toFixed(0)} ms`,
  );
  console.log(`  tokens in flight, most       ${figures.maxTokens}`);
  console.log(`  tokens in flight, samples    ${figures.tokenSamples.join(' ')}`);
  console.log(
    `  initial JS gzip              ${kb.toFixed(1)} KB   (budget ${BUDGET_INITIAL_JS_KB} KB)`,
  );
  for (const f of js.files)
    console.log(
      `    ${f.file}  ${(f.bytes / 1000).toFixed(1)} KB -> ${(f.gzip / 1000).toFixed(1)} KB gzip`,
    );
  if (pageErrors.length) console.log(`  page errors: ${pageErrors.join(' | ')}`);

  let failed = false;
  console.log(
    `  machine load, 1 min average  ${loadavg()[0]?.toFixed(2)} on ${cpus().length} cores (other work inflates task times)`,
  );
  if (underLoad.length > BUDGET_LONG_TASKS) {
    console.error(`FAIL: ${underLoad.length} long task(s) over 50 ms while playing`);
    failed = true;
  }
  if (kb > BUDGET_INITIAL_JS_KB) {
    console.error(`FAIL: initial JS ${kb.toFixed(1)} KB gzip > ${BUDGET_INITIAL_JS_KB} KB`);
    failed = true;
  }
  if (pageErrors.length) {
    console.error('FAIL: the page reported errors');
    failed = true;
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
