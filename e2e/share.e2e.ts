/**
 * Sharing, saving, the classroom modes and static hosting, against the built app served
 * under a nested sub-path (`/courses/eda/fanout/`), as a project site would be. One page
 * for the file, reset between tests with nothing saved in the browser (the saved session
 * is part of what is tested). Every page fails its test on a page error, a console error
 * or a Content-Security-Policy violation (browser.ts); simulated time is injected.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatProblems, parseScenarioText } from '../src/core';
import { advanceBy, advanceTo, clockMs, engineIdle, playButton, reset, stripNumbers } from './app';
import {
  expectNoAxeViolations,
  load,
  filePage,
  saveDownload,
  waitOpened,
  watchErrors,
} from './browser';
import { staticHost } from './staticHost';

const MOUNT = '/courses/eda/fanout/';

const app = filePage('?paused=1', { mountAt: MOUNT });
let page: Page;

beforeAll(() => {
  page = app.page;
});

// Between tests: a fresh paused run and nothing saved in the browser. Tests about what is
// saved reload or navigate the page themselves (`load` keeps the old page from saving).
beforeEach(async () => {
  await reset(page);
  await page.evaluate(() => localStorage.clear());
});

const emailOutage = (p: Page = page) =>
  p.getByRole('switch', { name: 'Email Service outage' }).first();

/**
 * A learner at work: 50x, Email down at 2 s, a spike, one more order, then 3 s more.
 * Ends paused at t = 5 s.
 */
async function makeChanges(): Promise<void> {
  const speed = page.getByRole('slider', { name: 'Speed' });
  await speed.focus();
  await page.keyboard.press('End');
  await expect.poll(() => speed.getAttribute('aria-valuetext')).toBe('50x');
  await advanceTo(page, 2000);
  await emailOutage().click();
  await expect.poll(() => emailOutage().getAttribute('aria-checked')).toBe('true');
  await page.getByRole('button', { name: 'Spike', exact: true }).click();
  await page.getByRole('button', { name: 'Send one order', exact: true }).click();
  // The engine takes commands in order: both actions land at 2 s, before the advance.
  await advanceBy(page, 3000);
  expect(await clockMs(page)).toBe(5000);
}

async function openShare(p: Page = page) {
  await p.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = p.getByRole('dialog', { name: 'Share this moment' });
  await dialog.waitFor();
  return dialog;
}

/** The trace hash of each side, as the Share dialog shows them. */
async function fingerprints(p: Page = page): Promise<Record<string, string>> {
  const dialog = await openShare(p);
  const out: Record<string, string> = {};
  for (const code of await dialog.locator('[data-fingerprint]').all()) {
    out[(await code.getAttribute('data-fingerprint')) ?? '?'] = (await code.textContent()) ?? '';
  }
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  return out;
}

/** Two animation frames: the playback loop and the token layers have had their chance to move. */
const twoFrames = (p: Page = page) =>
  p.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

describe('sharing under a sub-path', () => {
  it('loads from /courses/eda/fanout/ and works there', async () => {
    await load(app);
    expect(new URL(page.url()).pathname).toBe(MOUNT);
    await page.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
    await page.getByRole('button', { name: 'Share', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(0);
  });

  it('the page ships a Content-Security-Policy: an injected inline script is refused, and the test sees it', async () => {
    const ran = await page.evaluate(() => {
      const w = window as unknown as { __inlineRan?: boolean };
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.append(script);
      return w.__inlineRan === true;
    });
    expect(ran).toBe(false);
    // The violation reached the test's error list (and would fail any test); take it out.
    await expect.poll(() => app.errors.some((e) => e.startsWith('csp: script-src'))).toBe(true);
    app.errors.splice(0);
  });

  it('share link round trip: a new visitor opens the same run, same numbers and hashes at the same moment', async () => {
    await makeChanges();
    const dialog = await openShare();
    const link = await dialog.getByRole('textbox', { name: 'Link' }).inputValue();
    expect(link).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+${MOUNT}#setup=[A-Za-z0-9+\\-$]+$`),
    );
    expect(link.length).toBeLessThan(2000);
    expect(await dialog.textContent()).toMatch(/\d+ characters\./);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const numbers = await stripNumbers(page);
    const prints = await fingerprints();
    expect(Object.keys(prints)).toEqual(['chain', 'event']);

    // Another browser's first visit: no saved session.
    await load(app, link.slice(link.indexOf('#')));
    await page.getByRole('status').filter({ hasText: 'Opened a shared setup' }).waitFor();
    expect(await clockMs(page)).toBe(5000);
    await expect.poll(() => stripNumbers(page)).toEqual(numbers);
    expect(await emailOutage().getAttribute('aria-checked')).toBe('true');
    expect(await fingerprints()).toEqual(prints);
    expect(await page.getByRole('slider', { name: 'Speed' }).getAttribute('aria-valuetext')).toBe(
      '50x',
    );
    expect(await playButton(page).textContent()).toContain('Play');
    // The fragment is read once and removed: a reload restores the session instead.
    expect(new URL(page.url()).hash).toBe('');
  });

  it('export then import: the setup file reopens the moment; the scenario file validates like the CLI; a bad file changes nothing', async () => {
    await makeChanges();
    const dialog = await openShare();
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
    expect(
      parsed.ok && parsed.scenario.faults.some((f) => f.service === 'email' && f.mode === 'down'),
    ).toBe(true);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const numbers = await stripNumbers(page);
    const prints = await fingerprints();

    // Start again, then import through the file picker.
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect.poll(() => clockMs(page)).toBe(0);
    const again = await openShare();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      again.getByRole('button', { name: 'Open a file…' }).click(),
    ]);
    await chooser.setFiles(setupPath);
    await page
      .getByRole('status')
      .filter({ hasText: 'Opened checkout.fanout-setup.json' })
      .waitFor();
    expect(await clockMs(page)).toBe(5000);
    await expect.poll(() => stripNumbers(page)).toEqual(numbers);
    expect(await fingerprints()).toEqual(prints);

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
    await problems.getByRole('button', { name: 'Close' }).click();
    expect(await clockMs(page)).toBe(5000);
    expect(await fingerprints()).toEqual(prints);
  });

  it('broker export: the Kafka topics script of the scenario on screen downloads from the Share dialog', async () => {
    const dialog = await openShare();
    const section = dialog.getByRole('region', { name: 'Real broker configuration' });
    // Keyboard: the format is a radio group, the download a button.
    await section.getByRole('radio', { name: 'RabbitMQ definitions (JSON)' }).focus();
    await page.keyboard.press('ArrowDown');
    expect(
      await section.getByRole('radio', { name: 'Kafka topics script (bash)' }).isChecked(),
    ).toBe(true);
    const button = section.getByRole('button', { name: 'Download Kafka topics script' });
    await button.focus();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.keyboard.press('Enter'),
    ]);
    expect(download.suggestedFilename()).toBe('checkout.kafka-topics.sh');
    const script = await readFile(await saveDownload(download), 'utf8');
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('from scenario "checkout" (Checkout on a quiet day)');
    expect(script).toContain("--topic 'OrderCreated'");
    await section
      .getByRole('status')
      .filter({ hasText: 'Saved checkout.kafka-topics.sh.' })
      .waitFor();
    await expectNoAxeViolations(page, '.broker-export');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  });

  it('reload restores the session with a "start fresh?" choice, and start fresh works', async () => {
    await reset(page, { scenario: 'poison-message' });
    await makeChanges();
    const numbers = await stripNumbers(page);
    await page.reload();
    await waitOpened(page);
    const notice = page.getByRole('region', { name: 'Restored session' });
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /^Restored your last session: A poison message for Analytics at t = 00:05\.000\. Start fresh\?/,
    );
    expect(await clockMs(page)).toBe(5000);
    await expect.poll(() => stripNumbers(page)).toEqual(numbers);
    expect(await emailOutage().getAttribute('aria-checked')).toBe('true');

    await notice.getByRole('button', { name: 'Start fresh' }).click();
    await notice.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.getByRole('button', { name: /^Scenario:/ }).textContent())
      .toContain('Checkout');
    await expect.poll(() => emailOutage().getAttribute('aria-checked')).toBe('false');
    await expect.poll(() => playButton(page).textContent()).toContain('Pause');
    expect(await page.getByRole('slider', { name: 'Speed' }).getAttribute('aria-valuetext')).toBe(
      '1x',
    );
  });

  it('a broken link shows one message and the current setup stays, in this tab and in a new one', async () => {
    await makeChanges();
    const prints = await fingerprints();
    // Pasted into the address bar of the same tab: only the fragment changes.
    await page.evaluate(() => {
      window.location.hash = '#setup=N4IgdghgtgpiBcIDKBRAMgAgMIHs';
    });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /^This share link is damaged or incomplete: .*Nothing was changed\./,
    );
    expect(await clockMs(page)).toBe(5000);
    expect(await fingerprints()).toEqual(prints);
    expect(await emailOutage().getAttribute('aria-checked')).toBe('true');

    // Opened in a new tab of the same browser: the message, and the saved session (the previous setup).
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    const next = await app.context.newPage();
    watchErrors(next, app.errors);
    try {
      await next.goto(new URL('#setup=%%%broken', new URL(MOUNT, page.url())).toString());
      await waitOpened(next);
      await next.getByRole('alert').filter({ hasText: 'This share link is damaged' }).waitFor();
      await next.getByRole('region', { name: 'Restored session' }).waitFor();
      expect(await clockMs(next)).toBe(5000);
      expect(await emailOutage(next).getAttribute('aria-checked')).toBe('true');
      expect(await fingerprints(next)).toEqual(prints);
    } finally {
      await next.close();
    }
  });
});

describe('classroom', () => {
  it('embed mode: canvas and minimal controls, a link out to the same setup, nothing saved', async () => {
    await makeChanges();
    const dialog = await openShare();
    const code = await dialog
      .getByRole('textbox', { name: 'Embed in a course page or slides' })
      .inputValue();
    const src = /src="([^"]+)"/.exec(code)?.[1]?.replace(/&quot;/g, '"') ?? '';
    expect(src).toMatch(/\?embed=1#setup=/);

    await load(app, src.slice(src.indexOf('?')));
    await page.locator('.embed').waitFor();
    expect(await clockMs(page)).toBe(5000);
    expect(await page.getByRole('button', { name: 'Share' }).count()).toBe(0);
    expect(await page.getByRole('tablist').count()).toBe(0);
    expect(await page.locator('section.stage-side').count()).toBe(2);
    expect(await page.locator('canvas.token-layer').count()).toBe(2);
    const out = page.getByRole('link', { name: /Open in the full playground/ });
    const href = (await out.getAttribute('href')) ?? '';
    expect(href).toMatch(new RegExp(`${MOUNT}#setup=`));
    expect(href).not.toContain('embed=1');
    // Its own Play and Step buttons move the run on.
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(5000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const paused = await clockMs(page);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => clockMs(page)).toBeGreaterThan(paused);
    // Nothing is saved from an embed.
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
    await load(app);
  });

  it('presenter mode: essentials only, high contrast, shortcuts, freeze and annotate', async () => {
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
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('24px');
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(0, 0, 0)');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(255, 255, 255)',
    );

    // Shortcuts still work.
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await advanceTo(page, 3000);
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();

    // Freeze (it pauses): the clock and every token stay where they are; the teacher draws on top.
    await bar.getByRole('button', { name: 'Freeze and annotate' }).click();
    const layer = page.getByRole('img', { name: /Drawing layer/ });
    await layer.waitFor();
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await engineIdle(page);
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
    await page.evaluate(() => window.__fanout?.playground.playback.tick(100));
    await twoFrames();
    expect(await clockMs(page)).toBe(frozenAt);
    expect(await digests()).toEqual(before);

    // Resume plays on from there.
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
    await advanceTo(page, 3000);
    const dialog = await openShare();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Save PNG snapshot' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('fanout-checkout-00m03s000.png');
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

describe('static hosting', () => {
  it('a plain static server at a sub-path: offline after the first visit, and "Update available" after a deployment', async () => {
    // A server of its own: this test deploys a new build to it.
    const host = await staticHost(MOUNT);
    const other = await app.context.newPage();
    watchErrors(other, app.errors);
    try {
      await other.goto(`${host.url}?paused=1`);
      await waitOpened(other);
      await other.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
      // The worker precaches the build, then takes control of the page.
      const scope = await other.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((done) =>
            navigator.serviceWorker.addEventListener('controllerchange', done, { once: true }),
          );
        }
        return registration.scope;
      });
      expect(scope).toBe(host.url);
      expect(await other.getByRole('region', { name: 'Update' }).count()).toBe(0);

      await app.context.setOffline(true);
      try {
        await other.reload();
        await waitOpened(other);
        await other.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
        await advanceTo(other, 2000);
        // A lazily loaded part (the metrics charts) comes from the precache too.
        await other.getByRole('tab', { name: 'Metrics' }).click();
        await other.getByTestId('report-table').waitFor();
      } finally {
        await app.context.setOffline(false);
      }

      host.deploy();
      await other.evaluate(async () => {
        await (await navigator.serviceWorker.ready).update();
      });
      const prompt = other.getByRole('region', { name: 'Update' });
      await prompt.waitFor();
      expect(await prompt.textContent()).toContain('Update available');
      await Promise.all([
        other.waitForEvent('load'),
        prompt.getByRole('button', { name: 'Reload' }).click(),
      ]);
      await waitOpened(other);
      await other.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor();
      expect(await other.getByRole('region', { name: 'Update' }).count()).toBe(0);
      // The reload kept the learner's work: it was saved as the page went away.
      await other.getByRole('region', { name: 'Restored session' }).waitFor();
    } finally {
      await other.close();
      await host.close();
    }
  });
});
