/**
 * The browser side of the e2e suite: one Chromium for the run and one page per test file
 * (`filePage`), reset between tests by the file (`reset` in app.ts, or `load`, which
 * navigates and waits for the app to open).
 *
 * Every page of every test fails that test on an uncaught page error, a console error or
 * a Content-Security-Policy violation (checked after each test, see `filePage`).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Download,
  type Page,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { type StaticHost, staticHost } from './staticHost';

export interface AppPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors, console errors and CSP violations seen since the last test ended. */
  errors: string[];
  /** The app's root URL as this page sees it (the preview root, or a sub-path it is mounted at). */
  root: string;
  /** The static server of a page opened with `mountAt` (closed with the page). */
  host?: StaticHost;
}

// The run's one Chromium (started by globalSetup), connected to once per test worker
// (files share modules: `isolate: false` in vitest.e2e.config.ts).
let browserPromise: Promise<Browser> | undefined;
const opened: AppPage[] = [];

function browser(): Promise<Browser> {
  browserPromise ??= chromium.connect(inject('browserEndpoint'));
  return browserPromise;
}

/**
 * This test file's page: opened (with `openApp(path, options)`) before its tests, checked
 * after each test (every page error, console error and CSP violation fails that test, and
 * is then forgotten, so the next test starts clean), closed after the file. Call it at
 * the top of the file; `app` is filled in before the file's own `beforeAll` runs.
 */
export function filePage(path = '?paused=1', options: OpenAppOptions = {}): AppPage {
  const app = {} as AppPage;
  beforeAll(async () => {
    Object.assign(app, await openApp(path, options));
  });
  afterEach(() => {
    const failures: string[] = [];
    for (const target of opened) failures.push(...target.errors.splice(0));
    expect(failures, 'page errors / console errors / CSP violations').toEqual([]);
  });
  afterAll(async () => {
    for (const target of opened.splice(0)) {
      await target.context.close();
      await target.host?.close();
    }
  });
  return app;
}

/** Absolute URL of `path` on the `vite preview` server started by globalSetup. */
export function appUrl(path = ''): string {
  return new URL(path.replace(/^\//, ''), inject('baseUrl')).toString();
}

export interface OpenAppOptions {
  /**
   * Serve the app from a plain static server under this sub-path (e.g. `/some/where/`),
   * the way static hosts serve project sites (staticHost.ts).
   */
  mountAt?: string;
  /** Don't navigate yet (e.g. a test that first serves the app from its own server). */
  blank?: boolean;
  /** The page's size in CSS pixels. Default 1280 x 720. */
  viewport?: { width: number; height: number };
  /** A touch screen (Playwright's `hasTouch`: `page.tap`, `(pointer: coarse)`). Default no. */
  hasTouch?: boolean;
  /** The colour scheme the page is told the system prefers. Default: Chromium's own (light). */
  colorScheme?: 'light' | 'dark';
}

// From the first script of every document on: a CSP violation is reported to the test.
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', (e) => {
  window.__e2eReportCsp?.(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
});`;

/** Record page errors, console errors and CSP violations of `page` in `errors`. */
export function watchErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => {
    errors.push(`pageerror: ${error.message}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      errors.push(`console.error: ${message.text()} (${where.url}:${where.lineNumber})`);
    }
  });
}

/**
 * Opens a context and a page and loads `path` (relative to the app root) in it. Pages open
 * paused unless `path` says otherwise. Test files call `filePage`, which also checks and
 * closes it.
 */
export async function openApp(path = '?paused=1', options: OpenAppOptions = {}): Promise<AppPage> {
  // axe needs a page made by `context.newPage()`, not `browser.newPage()`.
  const context = await (await browser()).newContext({
    viewport: options.viewport ?? { width: 1280, height: 720 },
    hasTouch: options.hasTouch ?? false,
    ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
    // The offline service worker is tested where the app is hosted like a site (`mountAt`,
    // share.e2e.ts); elsewhere it would only precache the whole build for every page.
    serviceWorkers: options.mountAt === undefined ? 'block' : 'allow',
  });
  const errors: string[] = [];
  await context.exposeBinding('__e2eReportCsp', (_source, text: string) => {
    errors.push(`csp: ${text}`);
  });
  await context.addInitScript(CSP_LISTENER);
  const page = await context.newPage();
  // A locator that waits longer than this fails with its own message, not the test timeout.
  page.setDefaultTimeout(10_000);
  watchErrors(page, errors);

  let root = appUrl();
  let host: StaticHost | undefined;
  if (options.mountAt !== undefined) {
    host = await staticHost(options.mountAt);
    root = host.url;
  }
  const app: AppPage = { page, context, errors, root, ...(host ? { host } : {}) };
  opened.push(app);
  if (!options.blank) await load(app, path);
  return app;
}

/** Absolute URL of `path` below the app's root as `app` sees it. */
export function urlOf(app: AppPage, path = ''): string {
  return new URL(path.replace(/^\//, ''), app.root).toString();
}

export interface LoadOptions {
  /** Keep what the app saved in this browser (the session, learning progress). Default: start clean. */
  keepStorage?: boolean;
}

/**
 * Navigates `app`'s page to `path` and waits until the app has opened its first setup
 * (`window.__fanout.opened`). By default the browser's saved session and progress are
 * cleared first, so each test starts from the same page.
 */
export async function load(
  app: AppPage,
  path = '?paused=1',
  options: LoadOptions = {},
): Promise<void> {
  const { page } = app;
  if (!options.keepStorage) {
    // The app saves its session as the page goes away (pagehide, visibilitychange): this
    // page may save nothing more, and what it saved is cleared.
    await page.evaluate(() => {
      if (!window.__fanout) return;
      Storage.prototype.setItem = () => {};
      localStorage.clear();
    });
  }
  const url = urlOf(app, path);
  const response = await page.goto(url, { waitUntil: 'load' });
  // A page served by the service worker answers without a network response object.
  if (response && !response.ok()) throw new Error(`GET ${url} answered ${response.status()}`);
  await waitOpened(page);
}

/** Waits until the app on `page` has opened its first setup. */
export async function waitOpened(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__fanout !== undefined);
  await page.evaluate(() => window.__fanout?.opened);
}

/**
 * Saves a download under its own name in a fresh temporary folder; returns the path. (The
 * browser is shared by the run and connected to, so a download has no local path of its own.)
 */
export async function saveDownload(
  download: Download,
  name = download.suggestedFilename(),
): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'fanout-e2e-')), name);
  await download.saveAs(path);
  return path;
}

/** Fails the test if the page reported any uncaught error, console error or CSP violation. */
export function expectNoPageErrors(target: AppPage): void {
  expect(target.errors, 'page errors / console errors / CSP violations').toEqual([]);
}

/**
 * Runs axe-core in `page` (on the whole document, or on the part `include` selects) and
 * fails with a readable list of violations. axe is injected once per document and run
 * in place: @axe-core/playwright's builder finishes each run in a new page, which took
 * 10 s a run on this machine against 0.5 s here.
 */
export async function expectNoAxeViolations(page: Page, include?: string): Promise<void> {
  // Only the accessibility spec needs axe: it is not loaded by the other files.
  const { default: axe } = await import('axe-core');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  // A dialog fading in is measured at its final colours, not halfway through (a 60%
  // opaque button fails contrast). Motion that is about to start has already set its
  // first opacity inline (framer-motion's `initial`), so: two frames for a just-opened
  // part to start, then wait until nothing in (or around) what axe checks is animating
  // or held part-transparent. Elsewhere the page may animate on (counters of a playing run).
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
  await page.waitForFunction((selector) => {
    const scope = selector ? [...document.querySelectorAll(selector)] : [document.documentElement];
    const near = (el: Element) => scope.some((s) => s.contains(el) || el.contains(s));
    const animating = document.getAnimations().some((a) => {
      if (a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity) return false;
      const target = a.effect instanceof KeyframeEffect ? a.effect.target : null;
      return target !== null && near(target);
    });
    const fading = [...document.querySelectorAll<HTMLElement>('[style*="opacity"]')].some(
      // (Text a learner reads: a counter's flash is an empty, hidden tint that rests at 0.)
      (el) =>
        Number(el.style.opacity) < 1 &&
        el.textContent?.trim() !== '' &&
        !el.closest('[aria-hidden="true"]') &&
        near(el),
    );
    return !animating && !fading;
  }, include);
  const violations = await page.evaluate(async (selector) => {
    const run = (window as unknown as { axe: typeof axe }).axe;
    const context = selector ? { include: [selector] } : document;
    const results = await run.run(context, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'n/a',
      help: v.help,
      targets: v.nodes.map((node) => node.target.join(' ')),
    }));
  }, include);
  const summary = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`,
  );
  expect(summary, `axe violations${include ? ` in ${include}` : ''}`).toEqual([]);
}
