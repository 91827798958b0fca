/**
 * Takes the README screenshot: Compare mode during an Email outage, from the built app.
 * Usage: npm run build && tsx scripts/screenshot.ts [out.png]
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

const out = process.argv[2] ?? 'docs/compare-email-outage.png';
const port = 4183;
const require = createRequire(import.meta.url);
const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
const server = spawn(process.execPath, [viteBin, 'preview', '--host', '127.0.0.1', '--strictPort', '--port', String(port)], { stdio: 'pipe' });
await new Promise<void>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('vite preview did not start')), 15_000);
  server.stdout.on('data', (d: Buffer) => {
    if (d.toString().includes(String(port))) {
      clearTimeout(timer);
      resolve();
    }
  });
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 }, colorScheme: 'light' })).newPage();
  await page.goto(`http://127.0.0.1:${port}/?scenario=checkout&arch=compare&speed=2`);
  await page.waitForTimeout(2500);
  await page.getByRole('switch', { name: 'Email Service outage' }).first().click();
  await page.waitForTimeout(5000);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server.kill();
}
