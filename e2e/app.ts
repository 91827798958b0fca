/**
 * What e2e tests read and do on the playground. Reading is done the way a learner sees
 * the page (text, roles); simulated time is moved through the page's test handle
 * (`window.__fanout.playground`, see src/page.ts), never waited for.
 */
import type { Mode, Side } from '../src/run/modes';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { InterventionBody } from '../src/core';

/** The one Play/Pause toggle (its name is the action it will take). */
export const playButton = (page: Page): Locator =>
  page.getByRole('button', { name: /^(Play|Pause)$/ });

export const tab = (page: Page, name: string): Locator =>
  page.getByRole('tab', { name, exact: true });

/** `00:42.310` -> 42310 */
export function parseClock(text: string): number {
  const m = /(\d+):(\d{2})\.(\d{3})/.exec(text);
  if (!m) throw new Error(`no time in "${text}"`);
  return Number(m[1]) * 60_000 + Number(m[2]) * 1000 + Number(m[3]);
}

/** The simulated clock as shown, `t = 00:42.310` -> 42310. */
export async function clockMs(page: Page): Promise<number> {
  return parseClock(
    (await page.getByRole('timer', { name: 'Simulated time' }).textContent()) ?? '',
  );
}

/** `1,234` -> 1234 */
export const toNumber = (text: string | null): number => Number((text ?? '').replace(/,/g, ''));

/** A number in the comparison strip, e.g. `strip(page, 'chain', 'failed')`. */
export async function strip(page: Page, side: 'chain' | 'event', metric: string): Promise<number> {
  return toNumber(
    await page.locator(`.strip tr[data-side="${side}"] td[data-metric="${metric}"]`).textContent(),
  );
}

/** Every number of the comparison strip, by side and metric. */
export async function stripNumbers(page: Page): Promise<Record<string, string>> {
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

/** The first number before `word` in a node's text, e.g. `nodeNumber(node, 'processed')`. */
export async function nodeNumber(node: Locator, word: string): Promise<number> {
  const text = (await node.textContent()) ?? '';
  const m = new RegExp(`([\\d,]+)\\s*${word}`).exec(text);
  if (!m) throw new Error(`node shows "${text}", no "${word}"`);
  return toNumber(m[1] ?? '');
}

/** The stage section of one architecture (one, or two in Compare). */
export const stageSide = (page: Page, which: Side): Locator =>
  page.locator(`section.stage-side[data-side="${which}"]`);

/** The side panel's content. */
export const sidePanel = (page: Page): Locator => page.locator('#side-panel-content');

// ---------------------------------------------------------------------------------
// Simulated time and actions, through the page's handle

/** Largest piece of simulated time one `advance` asks of the engine (each answer is watched). */
const ADVANCE_CHUNK_MS = 10_000;

/**
 * Runs the simulation to `t` ms and waits until the clock on screen shows where it got
 * to. Long stretches go in pieces so no single command is slow.
 */
export async function advanceTo(page: Page, t: number): Promise<void> {
  const reached = await page.evaluate(
    async ({ t, chunk }) => {
      const pg = window.__fanout?.playground;
      if (!pg) throw new Error('no window.__fanout on this page');
      for (let at = Math.min(t, pg.getState().now + chunk); ; at = Math.min(t, at + chunk)) {
        await pg.playback.advanceTo(at);
        if (at >= t) break;
      }
      return pg.getState().now;
    },
    { t, chunk: ADVANCE_CHUNK_MS },
  );
  // (Beyond it only if the page is playing, e.g. a lesson started playback.)
  await expect.poll(() => clockMs(page)).toBeGreaterThanOrEqual(reached);
}

/** Runs the simulation `ms` further. */
export async function advanceBy(page: Page, ms: number): Promise<void> {
  await advanceTo(page, (await simNow(page)) + ms);
}

/** The simulated time the playground is at. */
export function simNow(page: Page): Promise<number> {
  return page.evaluate(() => window.__fanout?.playground.getState().now ?? Number.NaN);
}

/** A learner's action through the playground's door (`pg.apply`); returns its problem, or null. */
export function apply(page: Page, body: InterventionBody): Promise<string | null> {
  return page.evaluate((b) => window.__fanout?.playground.apply(b) ?? 'no playground', body);
}

/**
 * Waits until the engine has answered everything the page asked: after a pause, the last
 * frame of playback may still be on its way, and it moves the clock once more.
 */
export async function engineIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__fanout?.playground.host.pending === 0);
}

/** Pause through the handle (a no-op when paused); the button says Play and the clock has stopped. */
export async function pause(page: Page): Promise<void> {
  await page.evaluate(() => window.__fanout?.playground.playback.pause());
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await engineIdle(page);
}

/** Set the speed through the handle. */
export async function setSpeed(page: Page, x: number): Promise<void> {
  await page.evaluate((speed) => window.__fanout?.playground.playback.setSpeed(speed), x);
}

export interface RunChoice {
  /** A built-in scenario id. Default `checkout`. */
  scenario?: string;
  mode?: Mode;
  speed?: number;
}

/**
 * Between tests on one page: a fresh run of `choice` at t = 0, paused, through the
 * playground's door (`pg.loadRun`), with everything open on screen closed again (the
 * selection, dialogs, notices, messages, a followed order) and the side panel on its
 * first tab. Much cheaper than reloading the page.
 */
export async function reset(page: Page, choice: RunChoice = {}): Promise<void> {
  await page.keyboard.press('Escape');
  await page.evaluate(
    async ({ scenario, mode, speed }) => {
      const handle = window.__fanout;
      if (!handle) throw new Error('no window.__fanout on this page');
      const pg = handle.playground;
      pg.playback.pause();
      pg.timeTravel.cancelFork();
      pg.timeTravel.follow(null);
      const ui = pg.ui;
      ui.select(null);
      ui.setPanelTab('inspector');
      ui.setPanelOpen(true);
      ui.setShortcutsOpen(false);
      ui.setShareOpen(false);
      ui.setPresenter(false);
      ui.notify(null);
      ui.showImportProblems(null);
      ui.setError(null);
      // The Learn dialog closed, on its first section (it reopens where it was left).
      ui.openLearnHub('walkthroughs');
      ui.openLearnHub(null);
      const found = handle.scenario(scenario);
      if (!found) throw new Error(`no built-in scenario ${scenario}`);
      const r = await pg.loadRun({ scenario: found, mode, speed, playing: false });
      if (!r.ok) throw new Error(r.message);
    },
    {
      scenario: choice.scenario ?? 'checkout',
      mode: choice.mode ?? 'compare',
      speed: choice.speed ?? 1,
    },
  );
  await expect.poll(() => clockMs(page)).toBe(0);
}

/** No learning progress, in the page and in the browser's storage (nothing else saved either). */
export async function resetProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__fanout?.playground.progress.setState({
      largeText: false,
      active: null,
      walkthroughs: {},
      challenges: {},
      drills: {},
      questionsSeen: [],
      checklist: {},
      quiz: {},
      storageNote: null,
      preparedFor: null,
      settingUp: null,
      resumePending: false,
    });
    localStorage.clear();
  });
}

/**
 * One click on the side-panel toggle, timed in the page: the click is queued as a task on
 * the page's main thread, behind whatever that thread is doing (drawing, taking in the
 * engine's frames), and the time runs until its result is on the page (`aria-pressed`
 * flipped). Timed in the page, the test runner's own delays on a loaded machine don't count.
 */
export function clickRoundTripMs(page: Page): Promise<number> {
  return page.getByRole('button', { name: 'Side panel' }).evaluate(
    (button) =>
      new Promise<number>((resolve) => {
        const sent = performance.now();
        new MutationObserver((_, observer) => {
          observer.disconnect();
          resolve(performance.now() - sent);
        }).observe(button, { attributes: true, attributeFilter: ['aria-pressed'] });
        setTimeout(() => (button as HTMLButtonElement).click(), 0);
      }),
  );
}
