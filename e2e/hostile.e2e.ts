/**
 * Hostile links (issue 18): each short link that used to freeze the tab, crash it or
 * overwrite the learner's saved work is opened over a saved session. For every one the
 * page answers a click within 1 s while it opens and after, says what it did in one
 * message, and the learner's saved session is still in the browser's storage (in its
 * place, or kept aside with an offer to go back to it).
 *
 * Links are built here the way the app builds them (src/share/link.ts), or by hand where
 * the point is that the app would never write them.
 */
import { compressToEncodedURIComponent } from 'lz-string';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { findScenario } from '../src/content/scenarios';
import type { Scenario } from '../src/core';
import { shareLink } from '../src/share/writeLink';
import { SESSION_KEY, sessionText } from '../src/share/storedState';
import { KEPT_SESSION_KEY } from '../src/store/share';
import { clickRoundTripMs, clockMs, strip } from './app';
import { type AppPage, filePage, load, urlOf, waitOpened, watchErrors } from './browser';

const app = filePage();
let page: Page;

/** What the learner's session looked like in storage before any hostile link was opened. */
let savedText = '';

beforeAll(async () => {
  page = app.page;
  await load(app);
  // The learner's work: the poison-message scenario with Email switched off, at 5 s.
  // (Through the handle directly: `expect.poll` is not available outside a test.)
  savedText = await page.evaluate(async (key) => {
    const handle = window.__fanout;
    const scenario = handle?.scenario('poison-message');
    if (!handle || !scenario) throw new Error('no window.__fanout or no scenario');
    const pg = handle.playground;
    const r = await pg.loadRun({ scenario, mode: 'event', playing: false });
    if (!r.ok) throw new Error(r.message);
    const problem = await pg.apply({ kind: 'fault', service: 'email', patch: { down: true } });
    if (problem) throw new Error(problem);
    await pg.playback.advanceTo(5000);
    // The app saves as the page goes away.
    window.dispatchEvent(new Event('pagehide'));
    return localStorage.getItem(key) ?? '';
  }, SESSION_KEY);
  expect(savedText).toContain('"poison-message"');
  expect(savedText).toContain('"down":true');
});

const checkout = (): Scenario => {
  const s = findScenario('checkout');
  if (!s) throw new Error('no checkout scenario');
  return structuredClone(s) as Scenario;
};

/** A `#setup=` fragment holding `value` as the app's compact setup, compressed as the app does. */
const rawFragment = (value: unknown): string =>
  `#setup=${compressToEncodedURIComponent(JSON.stringify(value))}`;

/** A link to a whole custom scenario, event architecture, from t = 0. */
const scenarioFragment = (scenario: unknown): string =>
  rawFragment({ v: 1, c: scenario, s: 1, m: 'e', x: 1, t: 0 });

/** JSON with every object's keys sorted: two saves of one setup compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The setup part of a stored session (what it saved, not when), comparable. */
function setupOf(text: string | null): string {
  if (!text) return '';
  return canonical((JSON.parse(text) as { setup?: unknown }).setup ?? null);
}

/**
 * Loads `url` in `tab` and times a click as soon as the app is on screen (before its first
 * setup has finished opening) and another once it has opened.
 */
async function loadTimingClicks(tab: Page, url: string): Promise<number[]> {
  await tab.goto(url, { waitUntil: 'load' });
  await tab.getByRole('button', { name: 'Side panel' }).waitFor();
  const clicks = [await clickRoundTripMs(tab)];
  await waitOpened(tab);
  clicks.push(await clickRoundTripMs(tab));
  return clicks;
}

interface Opened {
  tab: Page;
  /** Click round trips: one while the link was being opened, one after. */
  clicks: number[];
  /** The one message the page shows (an alert), or '' when it shows none. */
  alert: string;
  notice: string;
}

/** `text` as the browser's saved session, nothing kept aside. */
function putSession(text: string): Promise<void> {
  return page.evaluate(
    ({ key, kept, text }) => {
      localStorage.setItem(key, text);
      localStorage.removeItem(kept);
    },
    { key: SESSION_KEY, kept: KEPT_SESSION_KEY, text },
  );
}

/**
 * Puts the learner's saved session back in storage, then opens `fragment` in a new tab of
 * the same browser, the way a learner follows a link from a chat.
 */
async function openOver(target: AppPage, fragment: string): Promise<Opened> {
  await putSession(savedText);
  const tab = await target.context.newPage();
  tab.setDefaultTimeout(15_000);
  watchErrors(tab, target.errors);
  const clicks = await loadTimingClicks(tab, urlOf(target, fragment));
  const alert = (await tab.getByRole('alert').allTextContents()).join(' ');
  // Every case ends with one notice: the link opened, or the saved session instead.
  const notice = (await tab.locator('section.share-notice').textContent()) ?? '';
  return { tab, clicks, alert, notice };
}

/** The learner's session is in storage: in its place, or kept aside (nothing lost). */
async function expectSessionKept(tab: Page): Promise<void> {
  // Whatever the tab saves as it goes away is saved too.
  await tab.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  const stored = await tab.evaluate(
    ({ key, kept }) => ({ session: localStorage.getItem(key), kept: localStorage.getItem(kept) }),
    { key: SESSION_KEY, kept: KEPT_SESSION_KEY },
  );
  const inPlace = setupOf(stored.session) === setupOf(savedText);
  const keptAside = stored.kept === savedText;
  expect(
    inPlace || keptAside,
    `the saved session is in its place or kept aside: ${JSON.stringify(stored)} vs ${savedText}`,
  ).toBe(true);
}

/** The link was refused and the saved session opened instead, at its moment. */
async function expectSessionReopened(opened: Opened, why: RegExp): Promise<void> {
  expect(opened.alert).toMatch(why);
  expect(opened.notice).toMatch(/Restored your last session: A poison message for Analytics/);
  expect(await clockMs(opened.tab)).toBe(5000);
}

async function check(opened: Opened, then: (o: Opened) => Promise<void>): Promise<void> {
  try {
    expect(
      Math.max(...opened.clicks),
      `click round trips ${opened.clicks.map(Math.round).join(', ')} ms`,
    ).toBeLessThan(1000);
    await then(opened);
    await expectSessionKept(opened.tab);
  } finally {
    await opened.tab.close();
  }
}

describe('hostile links', () => {
  it('a service that re-emits the event it subscribes to with no delay: refused, the saved session opens', async () => {
    const s = checkout();
    const loop = {
      ...s,
      network_ms: 0,
      services: [
        ...s.services,
        {
          id: 'echo',
          name: 'Echo Service',
          latency_ms: 0,
          subscribes: ['OrderCreated'],
          emits: ['OrderCreated'],
        },
      ],
    };
    const fragment = scenarioFragment(loop);
    // A link short enough for any chat app.
    expect(fragment.length).toBeLessThan(2000);
    await check(await openOver(app, fragment), (o) =>
      expectSessionReopened(o, /Echo Service re-emits OrderCreated.*with no delay/),
    );
  });

  it('two subscribers that both re-emit what they receive (copies double at every hop): refused', async () => {
    const s = checkout();
    const twice = {
      ...s,
      services: [
        ...s.services,
        ...['left', 'right'].map((id) => ({
          id,
          name: `Echo ${id}`,
          latency_ms: 5,
          subscribes: ['OrderCreated'],
          emits: ['OrderCreated'],
        })),
      ],
    };
    await check(await openOver(app, scenarioFragment(twice)), (o) =>
      expectSessionReopened(o, /OrderCreated/),
    );
  });

  it('the checkout at 5,000 orders a second opened at 30 days: opens early, paused, and says so', async () => {
    const scenario = checkout();
    const link = shareLink(
      {
        scenario,
        builtIn: true,
        seed: scenario.seed,
        mode: 'compare',
        speed: 1,
        at: 30 * 24 * 60 * 60 * 1000,
        interventions: {
          chain: [{ at: 0, kind: 'rate', rate: 5000 }],
          event: [{ at: 0, kind: 'rate', rate: 5000 }],
        },
      },
      urlOf(app),
    );
    const fragment = link.url.slice(link.url.indexOf('#'));
    expect(fragment.length).toBeLessThan(200);
    await check(await openOver(app, fragment), async (o) => {
      expect(`${o.alert} ${o.notice}`).toMatch(/stopped|opened at|budget|reached|limit/i);
      expect(await clockMs(o.tab)).toBeLessThan(30 * 24 * 60 * 60 * 1000);
      await o.tab.getByRole('button', { name: 'Play', exact: true }).waitFor();
      // The learner's session is kept aside and one click away.
      await o.tab.getByRole('button', { name: 'Back to my last session' }).waitFor();
    });
  });

  it('a payload that decompresses to a megabyte of text: refused before it is read', async () => {
    const bomb = rawFragment({ v: 1, b: 'a'.repeat(1_050_000) });
    expect(bomb.length).toBeLessThan(8000);
    await check(await openOver(app, bomb), (o) =>
      expectSessionReopened(o, /expands to far more than any setup/),
    );
  });

  it('a link longer than any the app writes: refused without decompressing it', async () => {
    await check(await openOver(app, `#setup=${'A'.repeat(64_000)}`), (o) =>
      expectSessionReopened(o, /more than any Fanout link/),
    );
  });

  it('filter-policy attributes named constructor and toString: the run opens and filters', async () => {
    const s = checkout();
    const hostile = {
      ...s,
      broker: {
        kind: 'sns-sqs',
        visibility_timeout_ms: 500,
        filter_policies: { payment: { constructor: ['eu'] }, email: { toString: ['gold'] } },
      },
      workload: {
        ...s.workload,
        attributes: { constructor: ['eu', 'us'], toString: ['gold', 'silver'] },
      },
    };
    await check(await openOver(app, scenarioFragment(hostile)), async (o) => {
      expect(o.alert).toBe('');
      expect(o.notice).toMatch(/Opened a shared setup/);
      // It runs, in Compare too (the switch used to throw an uncaught error). A switch of
      // architecture starts the run again at t = 0.
      const compare = o.tab.getByRole('tab', { name: 'Compare', exact: true });
      await compare.click();
      await expect.poll(() => compare.getAttribute('aria-selected')).toBe('true');
      await o.tab.evaluate(async () => {
        const pg = window.__fanout?.playground;
        if (!pg) throw new Error('no window.__fanout');
        pg.playback.pause();
        await pg.playback.advanceTo(Math.max(3000, pg.getState().now));
      });
      await expect.poll(() => clockMs(o.tab)).toBeGreaterThanOrEqual(3000);
      // Orders were taken and completed on both sides: the engine ran the policies.
      await expect.poll(() => strip(o.tab, 'event', 'completed')).toBeGreaterThan(10);
      await expect.poll(() => strip(o.tab, 'chain', 'completed')).toBeGreaterThan(10);
    });
  });

  it('a link from a newer Fanout: refused, the saved session opens', async () => {
    await check(await openOver(app, rawFragment({ v: 99, b: 'checkout' })), (o) =>
      expectSessionReopened(o, /newer version of Fanout/),
    );
  });

  it('a saved session from a run that grows without bound does not freeze the next page load', async () => {
    const scenario = checkout();
    // A saved session at 30 days of 5,000 orders a second (this Fanout saves the moment it
    // actually reached; an older one, or a hand-edited session, could say this).
    const heavy = sessionText(
      {
        scenario,
        builtIn: true,
        seed: scenario.seed,
        mode: 'event',
        speed: 50,
        at: 30 * 24 * 60 * 60 * 1000,
        interventions: { event: [{ at: 0, kind: 'rate', rate: 5000 }] },
      },
      Date.now(),
    );
    // This file's own tab would save its session whenever it is hidden: as an embed it saves nothing.
    await page.goto(urlOf(app, '?embed=1&paused=1'));
    await waitOpened(page);
    await putSession(heavy);
    // Every later page load with that session answers at once.
    const tab = await app.context.newPage();
    watchErrors(tab, app.errors);
    try {
      const clicks = await loadTimingClicks(tab, urlOf(app));
      expect(Math.max(...clicks), `click round trips ${clicks.join(', ')} ms`).toBeLessThan(1000);
      // The session was restored (its moment is within the opening budget, not 30 days).
      await tab.getByRole('region', { name: 'Restored session' }).waitFor();
      expect(await clockMs(tab)).toBeLessThan(30 * 24 * 60 * 60 * 1000);
      // And it is still saved: nothing overwrote it.
      expect(await tab.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toContain(
        '"rate":5000',
      );
    } finally {
      await tab.close();
    }
  });
});
