/**
 * Takes the README screenshots from the built app.
 *
 *   npm run build && tsx scripts/screenshot.ts [out.png]
 *     Compare mode during an Email outage, at 1600 x 900 (docs/compare-email-outage.png).
 *   npm run build && tsx scripts/screenshot.ts --edit [out.png]
 *     Edit mode on the checkout, Email Service picked, at 1600 x 900 (docs/edit-mode.png).
 *   npm run build && tsx scripts/screenshot.ts --asyncapi [out.png]
 *     The three AsyncAPI documents of src/share/asyncapi/fixtures/shop (gateway, billing,
 *     notifier: one per service) imported together from the New gallery, 12 s into the
 *     run, on the event side at 1600 x 900, the notice of what was filled in closed
 *     (docs/asyncapi-import.png).
 *   npm run build && tsx scripts/screenshot.ts --screens [folder]
 *     The same scenario on a phone (390 x 844) and a tablet (820 x 1180) with a touch
 *     screen, light and dark, into docs/screens/ (issue 16). Simulated time is moved
 *     through the page's handle, so these come out the same every time.
 *
 *   npm run build && tsx scripts/screenshot.ts --flows [folder]
 *     Event fan-out at 20x and at 1x, paused at the same moment of a poison message's
 *     retries, at 1280 x 720: busy edges as bands with their rates at 20x, every token
 *     on its own at 1x (docs/screens/flows-*.png).
 *   npm run build && tsx scripts/screenshot.ts --compare [folder]
 *     Compare at 1280 x 720 during the Email outage (docs/screens/compare-1280x720.png).
 *
 * SCREENSHOT_DIST (default `dist`) and SCREENSHOT_PORT (default 4183) choose the build
 * served and its port, for a machine several people share.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startPreview } from '../e2e/preview';

const SCREENS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 820, height: 1180 },
] as const;

/** Moment of the Email outage (10 s to 30 s) the screens are taken at. */
const SCREENS_AT_MS = 15_000;

async function desktop(browser: Browser, url: string, out: string): Promise<void> {
  const page = await (
    await browser.newContext({ viewport: { width: 1600, height: 900 }, colorScheme: 'light' })
  ).newPage();
  await page.goto(`${url}?scenario=checkout&arch=compare&speed=2`);
  await page.waitForTimeout(2500);
  await page.getByRole('switch', { name: 'Email Service outage' }).first().click();
  await page.waitForTimeout(5000);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
}

async function editMode(browser: Browser, url: string, out: string): Promise<void> {
  const page = await (
    await browser.newContext({ viewport: { width: 1600, height: 900 }, colorScheme: 'light' })
  ).newPage();
  await page.goto(`${url}?scenario=checkout&arch=compare&paused=1`);
  await page.waitForFunction(() => window.__fanout !== undefined);
  await page.evaluate(() => window.__fanout?.opened);
  await page.getByRole('button', { name: /^Edit/ }).first().click();
  await page.getByRole('button', { name: 'Add service' }).first().waitFor();
  await page.getByRole('button', { name: 'Email Service' }).first().click();
  await page.getByLabel('Name', { exact: true }).first().waitFor();
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
}

async function asyncApiImport(browser: Browser, url: string, out: string): Promise<void> {
  const page = await (
    await browser.newContext({ viewport: { width: 1600, height: 900 }, colorScheme: 'light' })
  ).newPage();
  await page.goto(`${url}?scenario=checkout&arch=event&paused=1`);
  await page.waitForFunction(() => window.__fanout !== undefined);
  await page.evaluate(() => window.__fanout?.opened);
  await page.getByRole('button', { name: 'New', exact: true }).click();
  const shop = 'src/share/asyncapi/fixtures/shop';
  await page
    .getByLabel('AsyncAPI documents to open')
    .setInputFiles(['gateway.yaml', 'billing.yaml', 'notifier.yaml'].map((f) => join(shop, f)));
  await page.getByRole('dialog', { name: 'Start something new' }).waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'OK', exact: true }).click();
  await page.evaluate(() => window.__fanout?.playground.playback.pause());
  await page.evaluate((t) => window.__fanout?.playground.playback.advanceTo(t), 12_000);
  await page
    .getByRole('timer', { name: 'Simulated time' })
    .filter({ hasText: '00:12.000' })
    .waitFor();
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
}

async function screens(browser: Browser, url: string, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const screen of SCREENS) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        viewport: { width: screen.width, height: screen.height },
        hasTouch: true,
        colorScheme,
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      await page.goto(`${url}?scenario=email-outage&arch=compare&paused=1`);
      await page.waitForFunction(() => window.__fanout !== undefined);
      await page.evaluate(() => window.__fanout?.opened);
      await page.evaluate((t) => window.__fanout?.playground.playback.advanceTo(t), SCREENS_AT_MS);
      await page
        .getByRole('timer', { name: 'Simulated time' })
        .filter({ hasText: '00:15.000' })
        .waitFor();
      // Two frames: the canvases draw their tokens for the new time on the next frame.
      await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
      const out = join(
        folder,
        `${screen.name}-${screen.width}x${screen.height}-${colorScheme}.png`,
      );
      await page.screenshot({ path: out });
      console.log(`wrote ${out}`);
      await context.close();
    }
  }
}

/** A fresh page at `path`, paused, its playground moved to `at` ms and drawn. */
async function pausedAt(
  browser: Browser,
  url: string,
  path: string,
  at: number,
  viewport = { width: 1280, height: 720 },
) {
  const context = await browser.newContext({ viewport, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${url}${path}`);
  await page.waitForFunction(() => window.__fanout !== undefined);
  await page.evaluate(() => window.__fanout?.opened);
  await page.evaluate((t) => window.__fanout?.playground.playback.advanceTo(t), at);
  await page.waitForFunction(
    (t) =>
      window.__fanout?.playground.getState().now === t && !window.__fanout.playground.host.pending,
    at,
  );
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
  // The token painter works in a worker: give it a moment to present the picture, and
  // the counters that just changed time to fade their flash (nodes/Counter.tsx).
  await page.waitForTimeout(900);
  return { page, context };
}

async function flows(browser: Browser, url: string, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const speed of [20, 1]) {
    const { page, context } = await pausedAt(
      browser,
      url,
      `?scenario=poison-message&arch=event&paused=1&speed=${speed}`,
      24_000,
    );
    const out = join(folder, `flows-${speed}x-1280x720.png`);
    await page.screenshot({ path: out });
    console.log(`wrote ${out}`);
    await context.close();
  }
}

async function compare(browser: Browser, url: string, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const { page, context } = await pausedAt(
    browser,
    url,
    '?scenario=email-outage&arch=compare&paused=1',
    15_000,
  );
  const out = join(folder, 'compare-1280x720.png');
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
  await context.close();
}

const [first, second] = process.argv.slice(2);
const preview = await startPreview(
  Number(process.env.SCREENSHOT_PORT ?? 4183),
  process.env.SCREENSHOT_DIST ?? 'dist',
);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  if (first === '--screens') await screens(browser, preview.url, second ?? 'docs/screens');
  else if (first === '--asyncapi')
    await asyncApiImport(browser, preview.url, second ?? 'docs/asyncapi-import.png');
  else if (first === '--flows') await flows(browser, preview.url, second ?? 'docs/screens');
  else if (first === '--compare') await compare(browser, preview.url, second ?? 'docs/screens');
  else if (first === '--edit') await editMode(browser, preview.url, second ?? 'docs/edit-mode.png');
  else await desktop(browser, preview.url, first ?? 'docs/compare-email-outage.png');
} finally {
  await browser.close();
  await preview.stop();
}
