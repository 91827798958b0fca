/**
 * Takes the README screenshot: Compare mode during an Email outage, from the built app.
 * Usage: npm run build && tsx scripts/screenshot.ts [out.png]
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startPreview } from '../e2e/preview';

const out = process.argv[2] ?? 'docs/compare-email-outage.png';
const preview = await startPreview(4183);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await (
    await browser.newContext({ viewport: { width: 1600, height: 900 }, colorScheme: 'light' })
  ).newPage();
  await page.goto(`${preview.url}?scenario=checkout&arch=compare&speed=2`);
  await page.waitForTimeout(2500);
  await page.getByRole('switch', { name: 'Email Service outage' }).first().click();
  await page.waitForTimeout(5000);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await preview.stop();
}
