/**
 * Sharing, saving, the classroom modes and static hosting, against the built app served
 * under a nested sub-path (`/courses/eda/fanout/`), as a project site would be. Every
 * page also fails its test on a page error, a console error (browser.ts) or a
 * Content-Security-Policy violation (collected below).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblems, parseScenarioText } from '../src/core';
import { clockMs, pause, playButton } from './app';
import { expectNoAxeViolations, type OpenedPage, openPage } from './browser';

const MOUNT = '/courses/eda/fanout/';
const opened: OpenedPage[] = [];

/** Opens `path` under the sub-path, recording CSP violations in `window.__cspViolations`. */
async function open(path = ''): Promise<OpenedPage> {
  const target = await openPage(path, { mountAt: MOUNT });
  target.page.setDefaultTimeout(8000);
  opened.push(target);
  return target;
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(
    () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
  );
}

// Listen from the first script on: a violation anywhere in the test fails it.
const CSP_LISTENER = `window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});`;

afterEach(async () => {
  for (const { page } of opened.splice(0)) {
    if (!page.isClosed()) expect(await cspViolations(page), 'CSP violations').toEqual([]);
  }
});


/** Every number of the comparison strip, by side and metric. */
async function stripNumbers(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const cell of document.querySelectorAll<HTMLElement>(
      '.strip tr[data-side] td[data-metric]',
    )) {
      const side = cell.closest('tr')?.getAttribute('data-side');
      out[`${side}.${cell.dataset.metric}`] = cell.textContent ?? '';
    }
    return out;
  });
}



const emailOutage = (page: Page) =>
  page.getByRole('switch', { name: 'Email Service outage' }).first();

/** A learner at work: fast playback, Email down, a spike, one more order. Ends paused. */
async function makeChanges(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
  const speed = page.getByRole('slider', { name: 'Speed' });
  await speed.focus();
  await page.keyboard.press('End'); // 50x
  await expect.poll(() => clockMs(page)).toBeGreaterThan(2000);
  await emailOutage(page).click();
  await page.getByRole('button', { name: 'Spike', exact: true }).click();
  await page.getByRole('button', { name: 'Send one order', exact: true }).click();
  const t = await clockMs(page);
  await expect.poll(() => clockMs(page)).toBeGreaterThan(t + 3000);
  await pause(page);
}

async function openShare(page: Page) {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this moment' });
  await dialog.waitFor();
  return dialog;
}

async function fingerprints(page: Page): Promise<Record<string, string>> {
  const dialog = await openShare(page);
  const out: Record<string, string> = {};
  for (const code of await dialog.locator('[data-fingerprint]').all()) {
    out[(await code.getAttribute('data-fingerprint')) ?? '?'] = (await code.textContent()) ?? '';
  }
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  return out;
}

/** Saves a download under its own name in a fresh temporary folder; returns the path. */
async function saveDownload(
  download: Download,
  name = download.suggestedFilename(),
): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'fanout-e2e-')), name);
  await download.saveAs(path);
  return path;
}

async function addCspListener(target: OpenedPage): Promise<void> {
  await target.context.addInitScript(CSP_LISTENER);
}

/**
 * Opens a page under the sub-path with the CSP listener installed before any script of
 * the app runs: the context is opened on a static file first (openPage navigates at
 * once), the listener added, then the app loaded.
 */
async function openWatched(path = ''): Promise<OpenedPage> {
  const target = await open('favicon.svg');
  await addCspListener(target);
  await target.page.goto(
    new URL(path.replace(/^\//, ''), new URL(MOUNT, target.page.url())).toString(),
  );
  return target;
}

/** Another tab in the same browser context, its errors counted with the first one's. */
async function newTab(target: OpenedPage): Promise<Page> {
  const page = await target.context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (error) => target.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') target.errors.push(`console.error: ${message.text()}`);
  });
  return page;
}

describe('sharing under a sub-path', () => {
  it('loads from /courses/eda/fanout/ with a Share button and no axe violations', async () => {
    const { page } = await openWatched('');
    await page.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
    expect(new URL(page.url()).pathname.startsWith(MOUNT)).toBe(true);
    await expect.poll(() => clockMs(page)).toBeGreaterThan(200);
    await page.getByRole('button', { name: 'Share', exact: true }).waitFor();
    await expectNoAxeViolations(page);
  });

  it('share link round trip: a new page opens the same run, same numbers at the same moment', async () => {
    const { page } = await openWatched('');
    await makeChanges(page);
    const dialog = await openShare(page);
    await expectNoAxeViolations(page);
    const link = await dialog.getByRole('textbox', { name: 'Link' }).inputValue();
    expect(link).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+${MOUNT}#setup=[A-Za-z0-9+\\-$]+$`),
    );
    expect(link.length).toBeLessThan(2000);
    expect(await dialog.textContent()).toMatch(/\d+ characters\./);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const at = await clockMs(page);
    const numbers = await stripNumbers(page);
    const prints = await fingerprints(page);
    expect(Object.keys(prints)).toEqual(['chain', 'event']);

    const other = await openWatched(link.slice(link.indexOf('#')));
    const q = other.page;
    await q.getByRole('status').filter({ hasText: 'Opened a shared setup' }).waitFor();
    expect(await clockMs(q)).toBe(at);
    await expect.poll(() => stripNumbers(q)).toEqual(numbers);
    expect(await emailOutage(q).getAttribute('aria-checked')).toBe('true');
    expect(await fingerprints(q)).toEqual(prints);
    expect(await q.getByRole('slider', { name: 'Speed' }).getAttribute('aria-valuetext')).toBe(
      '50x',
    );
    // The fragment is read once and removed: a reload restores the session instead.
    expect(new URL(q.url()).hash).toBe('');
  });

  it('export then import: the setup file reopens the moment; the scenario file validates like the CLI; a bad file changes nothing', async () => {
    const { page } = await openWatched('');
    await makeChanges(page);
    const dialog = await openShare(page);
    const [setupDownload] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download setup file' }).click(),
    ]);
    expect(setupDownload.suggestedFilename()).toBe('checkout.fanout-setup.json');
    const setupPath = await saveDownload(setupDownload);
    const [scenarioDownload] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download scenario file' }).click(),
    ]);
    expect(scenarioDownload.suggestedFilename()).toBe('checkout.json');
    const scenarioText = await readFile(await saveDownload(scenarioDownload), 'utf8');
    const parsed = parseScenarioText(scenarioText);
    expect(parsed.ok ? [] : formatProblems(parsed.problems)).toEqual([]);
    if (parsed.ok)
      expect(parsed.scenario.faults.some((f) => f.service === 'email' && f.mode === 'down')).toBe(
        true,
      );
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const at = await clockMs(page);
    const numbers = await stripNumbers(page);
    const prints = await fingerprints(page);

    // Move on, then import through the file picker.
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect.poll(() => clockMs(page)).not.toBe(at);
    const again = await openShare(page);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      again.getByRole('button', { name: 'Open a file…' }).click(),
    ]);
    await chooser.setFiles(setupPath);
    await page
      .getByRole('status')
      .filter({ hasText: 'Opened checkout.fanout-setup.json' })
      .waitFor();
    expect(await clockMs(page)).toBe(at);
    await expect.poll(() => stripNumbers(page)).toEqual(numbers);
    expect(await fingerprints(page)).toEqual(prints);

    // A broken scenario dropped onto the page: every problem named, nothing changed.
    const bad = JSON.parse(scenarioText);
    bad.services[1].latency_ms = -5;
    bad.surprise = true;
    const transfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'lesson.json', { type: 'application/json' }));
      return dt;
    }, JSON.stringify(bad));
    await page.dispatchEvent('body', 'dragenter', { dataTransfer: transfer });
    await page.getByRole('status').filter({ hasText: 'Drop a scenario file' }).waitFor();
    await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
    const problems = page.getByRole('dialog', { name: 'The file was not opened' });
    await problems.waitFor();
    const list = problems.getByRole('list', { name: 'Problems, each with where it is' });
    expect(await list.getByRole('listitem').allTextContents()).toEqual([
      'services[1].latency_ms: must be >= 0',
      'surprise: unknown key',
    ]);
    expect(await problems.getByRole('alert').textContent()).toMatch(
      /^lesson\.json was not opened: .*Your current setup is unchanged\.$/,
    );
    await expectNoAxeViolations(page);
    await problems.getByRole('button', { name: 'Close' }).click();
    expect(await clockMs(page)).toBe(at);
    expect(await fingerprints(page)).toEqual(prints);
  });

  it('reload restores the session with a "start fresh?" choice, and start fresh works', async () => {
    const { page } = await openWatched('?scenario=poison-message');
    await makeChanges(page);
    const at = await clockMs(page);
    const numbers = await stripNumbers(page);
    await page.reload();
    const notice = page.getByRole('region', { name: 'Restored session' });
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /^Restored your last session: A poison message for Analytics at t = \d\d:\d\d\.\d{3}\. Start fresh\?/,
    );
    expect(await clockMs(page)).toBe(at);
    await expect.poll(() => stripNumbers(page)).toEqual(numbers);
    expect(await emailOutage(page).getAttribute('aria-checked')).toBe('true');
    await expectNoAxeViolations(page);

    await notice.getByRole('button', { name: 'Start fresh' }).click();
    await notice.waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: /^Scenario:/ }).textContent()).toContain(
      'Checkout',
    );
    expect(await emailOutage(page).getAttribute('aria-checked')).toBe('false');
    expect(await playButton(page).textContent()).toContain('Pause');
    expect(await page.getByRole('slider', { name: 'Speed' }).getAttribute('aria-valuetext')).toBe(
      '1x',
    );
  });

  it('a broken link shows one message and the current setup stays', async () => {
    const target = await openWatched('');
    const { page } = target;
    await makeChanges(page);
    const at = await clockMs(page);
    const prints = await fingerprints(page);
    // Pasted into the address bar of the same tab: only the fragment changes.
    await page.evaluate(() => {
      window.location.hash = '#setup=N4IgdghgtgpiBcIDKBRAMgAgMIHs';
    });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /^This share link is damaged or incomplete: .*Nothing was changed\./,
    );
    expect(await clockMs(page)).toBe(at);
    expect(await fingerprints(page)).toEqual(prints);
    expect(await emailOutage(page).getAttribute('aria-checked')).toBe('true');

    // Opened in a new tab of the same browser: the message, and the saved session (the previous setup).
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    const next = await newTab(target);
    await next.goto(new URL('#setup=%%%broken', new URL(MOUNT, page.url())).toString());
    await next.getByRole('alert').filter({ hasText: 'This share link is damaged' }).waitFor();
    await next.getByRole('region', { name: 'Restored session' }).waitFor();
    expect(await clockMs(next)).toBe(at);
    expect(await emailOutage(next).getAttribute('aria-checked')).toBe('true');
    expect(await cspViolations(next)).toEqual([]);
  });
});

describe('classroom', () => {
  it('embed mode: canvas and minimal controls, a link out to the same setup', async () => {
    const source = await openWatched('');
    await makeChanges(source.page);
    const dialog = await openShare(source.page);
    const code = await dialog
      .getByRole('textbox', { name: 'Embed in a course page or slides' })
      .inputValue();
    const src = /src="([^"]+)"/.exec(code)?.[1]?.replace(/&quot;/g, '"') ?? '';
    expect(src).toMatch(/\?embed=1#setup=/);
    const at = await clockMs(source.page);

    const { page } = await openWatched(src.slice(src.indexOf('?')));
    await page.locator('.embed').waitFor();
    expect(await clockMs(page)).toBe(at);
    expect(await page.getByRole('button', { name: 'Share' }).count()).toBe(0);
    expect(await page.getByRole('tablist').count()).toBe(0);
    expect(await page.locator('section.stage-side').count()).toBe(2);
    expect(await page.locator('canvas.token-layer').count()).toBe(2);
    const out = page.getByRole('link', { name: /Open in the full playground/ });
    const href = (await out.getAttribute('href')) ?? '';
    expect(href).toMatch(new RegExp(`${MOUNT}#setup=`));
    expect(href).not.toContain('embed=1');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(at);
    await expectNoAxeViolations(page);
    // Nothing is saved from an embed.
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
  });

  it('presenter mode: essentials only, high contrast, shortcuts, freeze and annotate', async () => {
    const { page } = await openWatched('?speed=5');
    await page.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
    await page.getByRole('button', { name: 'Present', exact: true }).click();
    const bar = page.getByRole('navigation', { name: 'Presenter mode' });
    await bar.waitFor();
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-presenter'))).toBe(
      true,
    );
    await page.getByRole('complementary', { name: 'Side panel' }).waitFor({ state: 'hidden' });
    await page.locator('.topbar').waitFor({ state: 'hidden' });
    await page.locator('.strip').waitFor();
    await playButton(page).waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('20px');
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(0, 0, 0)');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(255, 255, 255)',
    );
    await expectNoAxeViolations(page);

    // Shortcuts still work.
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(500);

    // Freeze: the clock and every token stay where they are; the teacher draws on top.
    await bar.getByRole('button', { name: 'Freeze and annotate' }).click();
    const layer = page.getByRole('img', { name: /Drawing layer/ });
    await layer.waitFor();
    const frozenAt = await clockMs(page);
    const digests = () =>
      page
        .locator('canvas.token-layer')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-token-digest')));
    const before = await digests();
    await page.mouse.move(300, 300);
    await page.mouse.down();
    await page.mouse.move(420, 340, { steps: 8 });
    await page.mouse.up();
    const inked = await layer.evaluate((canvas: HTMLCanvasElement) => {
      const data =
        canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(100);
    await page.waitForTimeout(300);
    expect(await clockMs(page)).toBe(frozenAt);
    expect(await digests()).toEqual(before);
    await expectNoAxeViolations(page);

    await bar.getByRole('button', { name: 'Resume (clears drawing)' }).click();
    await layer.waitFor({ state: 'detached' });
    await expect.poll(() => clockMs(page)).toBeGreaterThan(frozenAt);

    await page.keyboard.press('Escape');
    await bar.waitFor({ state: 'detached' });
    await page.locator('.topbar').waitFor();
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-presenter'))).toBe(
      false,
    );
  });

  it('PNG snapshot of the canvas with its numbers', async () => {
    const { page } = await openWatched('?speed=20');
    await expect.poll(() => clockMs(page)).toBeGreaterThan(3000);
    const dialog = await openShare(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Save PNG snapshot' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^fanout-checkout-\d\dm\d\ds\d{3}\.png$/);
    const png = await readFile(await saveDownload(download, 'snapshot.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBeGreaterThanOrEqual(1800);
    expect(height).toBeGreaterThan(800);
    // A drawing, not a blank page: a PNG of one flat colour compresses to almost nothing.
    expect(png.length).toBeGreaterThan(40_000);
    await dialog
      .getByRole('status')
      .filter({ hasText: /Saved fanout-checkout-/ })
      .waitFor();
  });
});

/**
 * A plain static file server (Node's http, nothing else) serving the build under the
 * nested sub-path, the way a project site is hosted. The service worker's own update
 * checks are made by the browser outside any page, so they cannot be routed the way
 * `openPage(..., { mountAt })` routes a page's requests: this server really has the path.
 * `deploy()` changes what `sw.js` says, as a new deployment would.
 */
async function staticHost(): Promise<{ url: string; deploy(): void; close(): Promise<void> }> {
  const root = resolve(import.meta.dirname, '..', process.env.E2E_OUTDIR ?? 'dist');
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
  };
  let deployment = 0;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(MOUNT)) {
      res.writeHead(404).end();
      return;
    }
    const file = normalize(join(root, path.slice(MOUNT.length) || 'index.html'));
    const target = file.endsWith('/') || file === root ? join(file, 'index.html') : file;
    if (!target.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(target).then(
      (body) => {
        let out: Buffer | string = body;
        if (target.endsWith('sw.js') && deployment > 0) {
          out = body
            .toString('utf8')
            .replace(/const BUILD_ID = '([^']+)'/, `const BUILD_ID = '$1-deploy${deployment}'`);
        }
        res.writeHead(200, {
          'content-type': types[extname(target)] ?? 'application/octet-stream',
          'cache-control': 'no-cache',
        });
        res.end(out);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${MOUNT}`,
    deploy() {
      deployment++;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe('static hosting', () => {
  it('a plain static server at a sub-path: offline after the first visit, and "Update available" after a deployment', async () => {
    const host = await staticHost();
    try {
      const target = await open('favicon.svg');
      await addCspListener(target);
      const { page, context } = target;
      await page.goto(host.url);
      await page.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
      await expect.poll(() => clockMs(page)).toBeGreaterThan(0);
      // The worker precaches the build, then takes control of the page.
      const scope = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((done) =>
            navigator.serviceWorker.addEventListener('controllerchange', done, { once: true }),
          );
        }
        return registration.scope;
      });
      expect(scope).toBe(host.url);
      expect(await page.getByRole('region', { name: 'Update' }).count()).toBe(0);

      await context.setOffline(true);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
      await expect.poll(() => clockMs(page)).toBeGreaterThan(0);
      // A lazily loaded part (the metrics charts) comes from the precache too.
      await page.getByRole('tab', { name: 'Metrics' }).click();
      await page.locator('.uplot, canvas').first().waitFor();
      await context.setOffline(false);

      host.deploy();
      await page.evaluate(async () => {
        await (await navigator.serviceWorker.ready).update();
      });
      const prompt = page.getByRole('region', { name: 'Update' });
      await prompt.waitFor({ timeout: 15_000 });
      expect(await prompt.textContent()).toContain('Update available');
      await expectNoAxeViolations(page);
      await Promise.all([
        page.waitForEvent('load'),
        prompt.getByRole('button', { name: 'Reload' }).click(),
      ]);
      await page.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
      expect(await page.getByRole('region', { name: 'Update' }).count()).toBe(0);
      // The reload kept the learner's work: it was saved as the page went away.
      await page.getByRole('region', { name: 'Restored session' }).waitFor();
    } finally {
      await host.close();
    }
  });
});
