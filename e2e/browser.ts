import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, expect, inject } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './preview';

export { CHROMIUM_PATH } from './preview';

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors and console errors seen so far, in order. */
  errors: string[];
}

// One browser per test file (each e2e file runs in its own worker module scope).
let browserPromise: Promise<Browser> | undefined;
const opened: OpenedPage[] = [];

function browser(): Promise<Browser> {
  browserPromise ??= chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return browserPromise;
}

/** Absolute URL of `path` on the `vite preview` server started by globalSetup. */
export function appUrl(path = ''): string {
  return new URL(path.replace(/^\//, ''), inject('baseUrl')).toString();
}

export interface OpenPageOptions {
  /**
   * Serve the app as if it were hosted under this sub-path (e.g. `/some/where/`), the way
   * static hosts serve project sites: requests below it are answered from the preview root.
   */
  mountAt?: string;
}

/**
 * Opens `path` (relative to the app root) in a fresh context and records every page error
 * and console error in `errors`. The context is closed after the test.
 */
export async function openPage(path = '', options: OpenPageOptions = {}): Promise<OpenedPage> {
  // axe needs a page made by `context.newPage()`, not `browser.newPage()`.
  const context = await (await browser()).newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => {
    errors.push(`pageerror: ${error.message}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      errors.push(`console.error: ${message.text()} (${where.url}:${where.lineNumber})`);
    }
  });
  const entry: OpenedPage = { page, context, errors };
  opened.push(entry);

  let url = appUrl(path);
  const { mountAt } = options;
  if (mountAt !== undefined) {
    const prefix = `/${mountAt.replace(/^\/+|\/+$/g, '')}/`;
    const origin = new URL(appUrl()).origin;
    url = new URL(path.replace(/^\//, ''), `${origin}${prefix}`).toString();
    await context.route(`${origin}${prefix}**`, async (route) => {
      const requested = new URL(route.request().url());
      const rest = requested.pathname.slice(prefix.length);
      const response = await route.fetch({ url: `${appUrl(rest)}${requested.search}` });
      await route.fulfill({ response });
    });
  }

  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response?.ok()) {
    throw new Error(`GET ${url} answered ${response?.status() ?? 'nothing'}`);
  }
  return entry;
}

/** Fails the test if the page reported any uncaught error or console error. */
export function expectNoPageErrors(target: OpenedPage): void {
  expect(target.errors, 'page errors / console errors').toEqual([]);
}

/** Runs axe on the current page and fails with a readable list of violations. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} — ${violation.nodes
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  );
  expect(summary, 'axe violations').toEqual([]);
}

// Every page opened in a test must end it without errors; then its context is closed.
afterEach(async () => {
  const pages = opened.splice(0);
  try {
    for (const target of pages) expectNoPageErrors(target);
  } finally {
    // A route still fetching (e.g. the favicon of a page mounted at a sub-path) would
    // otherwise fail with "Request context disposed" after the test has passed.
    await Promise.all(
      pages.map(async (target) => {
        await target.context.unrouteAll({ behavior: 'ignoreErrors' });
        await target.context.close();
      }),
    );
  }
});

afterAll(async () => {
  if (browserPromise) {
    const launched = await browserPromise;
    browserPromise = undefined;
    await launched.close();
  }
});
