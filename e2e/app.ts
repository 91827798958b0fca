/** What e2e tests read and do on the playground, the way a learner sees it. */
import type { Locator, Page } from 'playwright-core';

/** The one Play/Pause toggle (its name is the action it will take). */
export const playButton = (page: Page): Locator => page.getByRole('button', { name: /^(Play|Pause)$/ });

/** `00:42.310` -> 42310 */
export function parseClock(text: string): number {
  const m = /(\d+):(\d{2})\.(\d{3})/.exec(text);
  if (!m) throw new Error(`no time in "${text}"`);
  return Number(m[1]) * 60_000 + Number(m[2]) * 1000 + Number(m[3]);
}

/** The simulated clock, `t = 00:42.310` -> 42310. */
export async function clockMs(page: Page): Promise<number> {
  return parseClock((await page.getByRole('timer', { name: 'Simulated time' }).textContent()) ?? '');
}

/** A number in the comparison strip, e.g. `strip(page, 'chain', 'failed')`. */
export async function strip(page: Page, side: 'chain' | 'event', metric: string): Promise<number> {
  const text = await page.locator(`.strip tr[data-side="${side}"] td[data-metric="${metric}"]`).textContent();
  return Number((text ?? '').replace(/,/g, ''));
}

/** Pause playback (a no-op when already paused). */
export async function pause(page: Page): Promise<void> {
  if ((await playButton(page).textContent())?.includes('Pause')) await playButton(page).click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
}
