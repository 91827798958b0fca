/**
 * Every screen (issue 16): the playground on a phone (390 x 844) and a tablet (820 x 1180)
 * and a 1280 x 720 laptop, each with a touch screen, light and dark: nothing scrolls sideways, the controls a learner
 * needs are on screen, big enough for a finger and work by tap (a long press opens a
 * service's fault menu); Compare on a phone shows one canvas at a time behind a switch.
 * Presenter mode at 1920 x 1080 and 1024 x 768: no text under 24 px, the whole strip. Compare at 1280 x 720 keeps node names readable (the other files cover
 * the rest of that size).
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { advanceTo, clockMs, engineIdle, playButton, reset, stageSide, strip } from './app';
import { type AppPage, expectNoAxeViolations, filePage } from './browser';

const SCREENS = [
  { name: 'phone', viewport: { width: 390, height: 844 }, phone: true },
  { name: 'tablet', viewport: { width: 820, height: 1180 }, phone: false },
  // A classroom laptop with a touch screen: the third size.
  { name: 'laptop', viewport: { width: 1280, height: 720 }, phone: false },
] as const;

const apps: Record<string, AppPage> = {};
for (const screen of SCREENS)
  apps[screen.name] = filePage('?paused=1', {
    viewport: screen.viewport,
    hasTouch: true,
    colorScheme: 'light',
  });
const desk = filePage('?paused=1');

/** How far the page reaches past the window's right edge (0: no sideways scroll). */
const sidewaysOverflow = (page: Page): Promise<number> =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** The element's box, which must lie inside the window (not scrolled to, not cut off). */
async function boxInViewport(target: Locator) {
  const box = await target.boundingBox();
  if (!box) throw new Error(`${target} has no box: not on screen`);
  const { width, height } = target.page().viewportSize() ?? { width: 0, height: 0 };
  expect(box.x, `${target} left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${target} top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${target} right edge`).toBeLessThanOrEqual(width + 0.5);
  expect(box.y + box.height, `${target} bottom edge`).toBeLessThanOrEqual(height + 0.5);
  return box;
}

/**
 * The element's box once it has stopped moving: closing a panel resizes the canvas, which
 * fits its drawing again, so a box read at once can be where the node no longer is.
 */
async function settledBox(target: Locator) {
  let last = '';
  await expect
    .poll(async () => {
      await target.page().evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
      const box = JSON.stringify(await target.boundingBox());
      const same = box === last;
      last = box;
      return same;
    })
    .toBe(true);
  return boxInViewport(target);
}

/** On screen and at least 44 x 44 px to a finger. */
async function reachableByFinger(target: Locator): Promise<void> {
  const box = await boxInViewport(target);
  expect(box.width, `${target} width`).toBeGreaterThanOrEqual(44);
  expect(box.height, `${target} height`).toBeGreaterThanOrEqual(44);
}

/** No control on the page now under 44 x 44 px (see touchTargets). */
async function expectFingerSized(page: Page): Promise<void> {
  const small = (await touchTargets(page)).filter((t) => t.width < 44 || t.height < 44);
  expect(small, 'controls under 44 x 44 px').toEqual([]);
}

const button = (page: Page, name: string): Locator =>
  page.getByRole('button', { name, exact: true });

/** A service's outage switch in the touch screen's row above the canvas (TouchFaultBar). */
const outageSwitch = (page: Page, service: string): Locator =>
  page
    .getByRole('group', { name: 'Outages' })
    .getByRole('switch', { name: `${service} outage`, exact: true });

/** That switch, swiped into view (the row is wider than a phone), on screen and 44 px. */
async function fingerOnOutage(page: Page, service: string): Promise<Locator> {
  const target = outageSwitch(page, service);
  await target.scrollIntoViewIfNeeded();
  await reachableByFinger(target);
  return target;
}

/**
 * Every control a finger can reach on the page now (buttons, switches, fields, links,
 * tabs, whatever takes focus), with its name and size: those scrolled out of a row that
 * swipes count too; hidden ones and those a tap passes through do not.
 */
const touchTargets = (page: Page) =>
  page.evaluate(() => {
    const found: { name: string; width: number; height: number }[] = [];
    const selector =
      'button, select, input, textarea, a[href], [role="switch"], [role="tab"], [role="slider"], [tabindex="0"]';
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.pointerEvents === 'none') continue;
      const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
      found.push({
        name: `${el.tagName.toLowerCase()} "${name}"`,
        width: box.width,
        height: box.height,
      });
    }
    return found;
  });

/** A phone opens with the side panel closed; `reset` opens it, so close it with its own button. */
async function closeSheet(page: Page): Promise<void> {
  await button(page, 'Close side panel').tap();
  await page.getByRole('complementary', { name: 'Side panel' }).waitFor({ state: 'hidden' });
}

describe.each(SCREENS)('$name ($viewport.width x $viewport.height, touch)', (screen) => {
  const page = (): Page => (apps[screen.name] as AppPage).page;

  it('fits the width, keeps playback, an outage switch and the strip on screen, light and dark (axe clean)', async () => {
    const p = page();
    await reset(p, { scenario: 'email-outage' });
    await advanceTo(p, 12_000);
    if (screen.phone) await closeSheet(p);
    try {
      for (const colorScheme of ['light', 'dark'] as const) {
        await p.emulateMedia({ colorScheme });
        await p.locator('.strip').evaluate((el) => {
          el.scrollLeft = 0;
        });
        expect(await sidewaysOverflow(p), `sideways scroll (${colorScheme})`).toBeLessThanOrEqual(
          0,
        );
        await reachableByFinger(playButton(p));
        await reachableByFinger(button(p, 'Step'));
        await reachableByFinger(button(p, 'Reset'));
        await reachableByFinger(button(p, 'Spike'));
        await reachableByFinger(p.getByRole('slider', { name: 'Speed' }));
        await reachableByFinger(p.getByRole('tab', { name: 'Compare', exact: true }));
        await fingerOnOutage(p, 'Email Service');
        if (screen.phone) {
          // Upright, the rows above the canvas leave it room to draw in (163 px once, with
          // Compare's side picker and a legend in two lines), and the top bar's last row
          // keeps Share in view.
          const canvas = await p.locator('.react-flow').filter({ visible: true }).boundingBox();
          expect(canvas?.height, 'canvas height').toBeGreaterThanOrEqual(200);
          const legend = await p.locator('.legend').filter({ visible: true }).boundingBox();
          expect(legend?.height, 'legend in one line').toBeLessThan(24);
          await reachableByFinger(button(p, 'Share'));
          // The chain folds into two rows there: its five boxes' names at 8 px or more on
          // screen (one row drew them at 5 px).
          const names = await p.evaluate(() => {
            const side = document.querySelector('section.stage-side[data-side="chain"]');
            const viewport = side?.querySelector<HTMLElement>('.react-flow__viewport');
            const zoom = Number(/scale\(([\d.]+)\)/.exec(viewport?.style.transform ?? '')?.[1]);
            return [
              ...(side?.querySelectorAll<HTMLElement>(
                '.react-flow__node :is(.node-title, .node-name)',
              ) ?? []),
            ]
              .filter((el) => el.getClientRects().length > 0)
              .map((el) => Number.parseFloat(getComputedStyle(el).fontSize) * zoom);
          });
          expect(names.length, 'chain boxes shown').toBe(5);
          expect(Math.min(...names), 'chain names on screen (px)').toBeGreaterThanOrEqual(8);
        }
        // The strip: both rows on screen; on a phone its later columns swipe into view.
        await boxInViewport(p.getByRole('region', { name: 'Comparison' }));
        await boxInViewport(p.locator('.strip tr[data-side="event"] td[data-metric="failed"]'));
        expect(await strip(p, 'chain', 'failed')).toBeGreaterThan(0);
        const duplicates = p.locator('.strip tr[data-side="event"] td[data-metric="dup"]');
        await duplicates.scrollIntoViewIfNeeded();
        await boxInViewport(duplicates);
        expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
        await expectNoAxeViolations(p);
      }
    } finally {
      await p.emulateMedia({ colorScheme: null });
    }
  });

  it('Play, Pause, Step, Reset, an outage switch, the fault menu and the strip help work by tap', async () => {
    const p = page();
    await reset(p);
    if (screen.phone) await closeSheet(p);
    await playButton(p).tap();
    await button(p, 'Pause').tap();
    await button(p, 'Play').waitFor();
    await engineIdle(p);
    const before = await clockMs(p);
    await button(p, 'Step').tap();
    await expect.poll(() => clockMs(p)).toBeGreaterThan(before);

    // The outage switches are in the row above the canvas, a finger's size; the nodes'
    // own (a few pixels wide at this zoom) give way to it.
    expect(await stageSide(p, 'chain').getByRole('switch').count()).toBe(0);
    const outage = await fingerOnOutage(p, 'Payment Service');
    await outage.tap();
    await expect.poll(() => outage.getAttribute('aria-checked')).toBe('true');
    const status = p.getByTestId('service-chain-payment').getByTestId('service-status');
    await expect.poll(() => status.textContent()).toContain('down');
    await outage.tap();
    await expect.poll(() => status.textContent()).toContain('up');
    // The broker's too, where a side has one.
    await reset(p, { mode: 'event' });
    if (screen.phone) await closeSheet(p);
    const broker = await fingerOnOutage(p, 'Broker');
    await broker.tap();
    await expect
      .poll(() => p.getByTestId('broker-event').getByTestId('broker-status').textContent())
      .toContain('down');
    await broker.tap();
    await expect.poll(() => broker.getAttribute('aria-checked')).toBe('false');
    // Every control on the page is a target a finger can hit, on either kind of canvas.
    await expectFingerSized(p);
    await reset(p);
    if (screen.phone) await closeSheet(p);
    await expectFingerSized(p);

    // Every strip heading is a target a finger can hit (44 px), however short its word.
    for (const h of await p.locator('.strip thead .has-tip').all()) {
      const box = await h.boundingBox();
      expect(box?.width, `${await h.textContent()} width`).toBeGreaterThanOrEqual(44);
      expect(box?.height, `${await h.textContent()} height`).toBeGreaterThanOrEqual(44);
    }
    // No hover on a touch screen: a tap on a strip heading shows how it is measured.
    const heading = p.locator('.strip thead .has-tip', { hasText: 'Failed' });
    await heading.tap();
    const help = p.getByRole('tooltip').filter({ hasText: 'Orders whose user got an error' });
    await help.waitFor();
    await boxInViewport(help);

    await advanceTo(p, 3000);
    await button(p, 'Reset').tap();
    await expect.poll(() => clockMs(p)).toBe(0);
  });

  it('a long press on a service opens its fault menu, on screen, and does not also select it', async () => {
    const p = page();
    await reset(p, { mode: 'chain' });
    if (screen.phone) await closeSheet(p);
    await p.evaluate(() => window.__fanout?.playground.ui.setPanelOpen(false));
    const node = p.getByTestId('service-chain-payment');
    const box = await settledBox(node);
    // A finger resting on its counts until the menu answers, then lifted.
    const at = { x: box.x + box.width / 2, y: box.y + box.height - 4 };
    const cdp = await p.context().newCDPSession(p);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at] });
    const menu = p.getByRole('dialog', { name: 'Payment Service fault settings' });
    await menu.waitFor();
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
    await boxInViewport(menu);
    await reachableByFinger(menu.getByRole('combobox').first());
    expect(await p.evaluate(() => window.__fanout?.playground.getState().ui.selection)).toBeNull();
    await p.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
  });

  it('a tap on a node opens the inspector, on screen', async () => {
    const p = page();
    await reset(p, { mode: 'chain' });
    if (screen.phone) await closeSheet(p);
    // On its counts.
    const node = p.getByTestId('service-chain-email');
    const nodeBox = await settledBox(node);
    await p.touchscreen.tap(nodeBox.x + nodeBox.width / 2, nodeBox.y + nodeBox.height - 4);
    const heading = p.getByTestId('inspector').getByRole('heading', { name: 'Email Service' });
    await heading.waitFor();
    await boxInViewport(heading);
    // The inspector's own controls too (on a phone, a sheet over the canvas).
    await expectFingerSized(p);
    if (screen.phone) {
      await reachableByFinger(button(p, 'Close side panel'));
      await closeSheet(p);
    }
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
  });

  it('the canvas pans under a finger and zooms with a pinch', async () => {
    const p = page();
    await reset(p, { mode: 'event' });
    if (screen.phone) await closeSheet(p);
    const pane = stageSide(p, 'event').locator('.react-flow__pane');
    const viewport = stageSide(p, 'event').locator('.react-flow__viewport');
    await boxInViewport(pane);
    const before = await viewport.getAttribute('style');
    // A spot of empty pane (not a node, the legend or the zoom buttons), top right first.
    const spot = await pane.evaluate((el) => {
      const r = el.getBoundingClientRect();
      for (let y = r.top + 70; y < r.bottom - 10; y += 10)
        for (let x = r.right - 20; x > r.left; x -= 10)
          if (document.elementFromPoint(x, y) === el) return { x, y };
      return null;
    });
    if (!spot) throw new Error('no empty spot on the pane');
    const { x, y } = spot;
    // A one-finger drag there, as the touch screen reports it.
    const cdp = await p.context().newCDPSession(p);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let i = 1; i <= 5; i++)
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: [{ x: x - i * 12, y: y + i * 6 }],
      });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect.poll(() => viewport.getAttribute('style')).not.toBe(before);

    // Two fingers moving apart there: the drawing grows.
    const scale = async () =>
      Number(/scale\(([\d.]+)\)/.exec((await viewport.getAttribute('style')) ?? '')?.[1]);
    const scaleBefore = await scale();
    const fingers = (d: number) => [
      { x: x - 30 - d, y, id: 0 },
      { x: x - 30 + d, y, id: 1 },
    ];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(10) });
    for (let d = 20; d <= 60; d += 10)
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(d) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
    await expect.poll(scale).toBeGreaterThan(scaleBefore);
  });

  if (screen.phone) {
    it('Compare shows one canvas at a time; a named switch (tap or arrow keys) picks which', async () => {
      const p = page();
      await reset(p);
      await closeSheet(p);
      const shown = p.getByRole('group', { name: 'Canvas shown' });
      const chain = shown.getByRole('radio', { name: 'Request chain' });
      const event = shown.getByRole('radio', { name: 'Event fan-out' });
      await reachableByFinger(shown.locator('label').first());
      expect(await chain.isChecked()).toBe(true);
      expect(await stageSide(p, 'chain').isVisible()).toBe(true);
      expect(await stageSide(p, 'event').isVisible()).toBe(false);

      await event.tap();
      await expect.poll(() => stageSide(p, 'event').isVisible()).toBe(true);
      expect(await stageSide(p, 'chain').isVisible()).toBe(false);
      await fingerOnOutage(p, 'Email Service');

      await event.focus();
      await p.keyboard.press('ArrowLeft');
      await expect.poll(() => chain.isChecked()).toBe(true);
      await expect.poll(() => stageSide(p, 'chain').isVisible()).toBe(true);
      expect(await stageSide(p, 'event').isVisible()).toBe(false);
      expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
    });
  } else {
    it('Compare draws both canvases across the full width, with no switch', async () => {
      const p = page();
      await reset(p);
      expect(await p.getByRole('group', { name: 'Canvas shown' }).count()).toBe(0);
      for (const side of ['chain', 'event'] as const) {
        const box = await boxInViewport(stageSide(p, side));
        expect(box.width).toBeGreaterThan(780);
      }
    });
  }
});

describe('other sizes, touch', () => {
  it.each([
    { width: 360, height: 740, on: 'phone' },
    { width: 430, height: 932, on: 'phone' },
    { width: 844, height: 390, on: 'phone' },
    { width: 1024, height: 768, on: 'tablet' },
  ])('$width x $height: no sideways scroll, playback and the strip on screen', async (size) => {
    const p = (apps[size.on] as AppPage).page;
    await p.setViewportSize(size);
    try {
      await reset(p, { scenario: 'email-outage' });
      await advanceTo(p, 12_000);
      if (size.on === 'phone') await closeSheet(p);
      expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
      // Nor down: the page is one screen, the canvas and the controls side by side or stacked.
      expect(
        await p.evaluate(() => document.documentElement.scrollHeight - window.innerHeight),
      ).toBeLessThanOrEqual(0);
      for (const name of ['Step', 'Reset', 'Spike']) await reachableByFinger(button(p, name));
      await reachableByFinger(playButton(p));
      await boxInViewport(p.locator('.strip tr[data-side="event"] td[data-metric="failed"]'));
      await fingerOnOutage(p, 'Email Service');
    } finally {
      const screen = SCREENS.find((s) => s.name === size.on);
      if (screen) await p.setViewportSize(screen.viewport);
    }
  });
});

describe('Compare at 1280 x 720', () => {
  it('draws both whole drawings with every node name at 8 px or more on screen, and the counts at 7 px or more', async () => {
    const p = desk.page;
    await reset(p, { scenario: 'email-outage' });
    await advanceTo(p, 15_000);
    /** Per side: the smallest rendered size (px) of node names and of counts, and any node cut off. */
    const measure = () =>
      p.evaluate(() => {
        const out: Record<string, { names: number; counts: number; cut: string[] }> = {};
        for (const side of document.querySelectorAll<HTMLElement>('section.stage-side')) {
          const viewport = side.querySelector<HTMLElement>('.react-flow__viewport');
          const canvas = side.querySelector('.stage-canvas')?.getBoundingClientRect();
          if (!viewport || !canvas) continue;
          const zoom = Number(/scale\(([\d.]+)\)/.exec(viewport.style.transform)?.[1] ?? 0);
          const shown = (sel: string) =>
            [...side.querySelectorAll<HTMLElement>(sel)].filter(
              (el) => el.getClientRects().length > 0,
            );
          const size = (els: HTMLElement[]) =>
            Math.min(...els.map((el) => Number.parseFloat(getComputedStyle(el).fontSize) * zoom));
          const cut = shown('.react-flow__node')
            .map((el) => ({ el, r: el.getBoundingClientRect() }))
            .filter(
              ({ r }) =>
                r.left < canvas.left - 0.5 ||
                r.right > canvas.right + 0.5 ||
                r.top < canvas.top - 0.5 ||
                r.bottom > canvas.bottom + 0.5,
            )
            .map(({ el }) => el.textContent ?? '');
          out[side.dataset.side ?? '?'] = {
            names: size(shown('.react-flow__node :is(.node-title, .node-name)')),
            counts: size(shown('.react-flow__node .counter')),
            cut,
          };
        }
        return out;
      });
    await expect.poll(async () => Object.keys(await measure())).toEqual(['chain', 'event']);
    await expect.poll(async () => (await measure()).event?.names).toBeGreaterThanOrEqual(8);
    const sizes = await measure();
    for (const side of ['chain', 'event'] as const) {
      const got = sizes[side];
      expect(got?.names, `${side} names`).toBeGreaterThanOrEqual(8);
      expect(got?.counts, `${side} counts`).toBeGreaterThanOrEqual(7);
      expect(got?.cut, `${side} nodes cut off`).toEqual([]);
    }
    expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
  });
});

describe('presenter mode', () => {
  it.each([
    { width: 1920, height: 1080 },
    { width: 1024, height: 768 },
  ])(
    'at $width x $height: no text under 24 px, nothing scrolls sideways, the whole strip at once',
    async (size) => {
      const p = desk.page;
      await p.setViewportSize(size);
      await reset(p, { scenario: 'email-outage' });
      await advanceTo(p, 12_000);
      await button(p, 'Present').click();
      await p.getByRole('navigation', { name: 'Presenter mode' }).waitFor();
      try {
        expect(await sidewaysOverflow(p)).toBeLessThanOrEqual(0);
        await boxInViewport(playButton(p));
        await boxInViewport(p.getByRole('region', { name: 'Comparison' }));
        // Every figure of both rows on screen, with no swipe inside the strip either.
        expect(await p.locator('.strip').evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
        const cells = p.locator('.strip tr[data-side] td[data-metric]');
        expect(await cells.count()).toBe(16);
        for (const cell of await cells.all()) await boxInViewport(cell);
        // Every piece of text on screen outside the drawing itself (which scales with the
        // canvas), and not hidden from people (icons beside a word are aria-hidden).
        const small = await p.evaluate(() => {
          const found: string[] = [];
          for (const el of document.querySelectorAll<HTMLElement>('body *')) {
            if (el.closest('.react-flow__viewport, .react-flow__attribution, .sr-only')) continue;
            if (el.closest('[aria-hidden="true"]')) continue;
            const ownText = [...el.childNodes].some(
              (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
            );
            if (!ownText || el.getClientRects().length === 0) continue;
            const size = Number.parseFloat(getComputedStyle(el).fontSize);
            if (size < 24) found.push(`${el.tagName.toLowerCase()}.${el.className}: ${size}px`);
          }
          return found;
        });
        expect(small).toEqual([]);
        expect(
          await p.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize)),
        ).toBeGreaterThanOrEqual(24);
      } finally {
        await button(p, 'Exit presenter mode').click();
        await p.setViewportSize({ width: 1280, height: 720 });
      }
    },
  );
});
