/**
 * Edit mode in the built app: from the blank template, a learner builds a small system
 * with the keyboard and the mouse, sees an invalid edit written on the right service,
 * undoes and redoes, runs it, switches a new consumer off and sees its queue buffer, and
 * shares the link: a fresh page opens the same run (same trace hashes). Simulated time is
 * moved through the page's handle, never waited for.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { advanceTo, clockMs, engineIdle, nodeNumber, pause, reset, stageSide } from './app';
import { expectNoAxeViolations, filePage, openApp } from './browser';

const app = filePage();
let page: Page;

beforeAll(() => {
  page = app.page;
});

const toolbar = (p: Page = page) => p.getByRole('toolbar', { name: 'Editor' });
const canvasNode = (id: string, p: Page = page): Locator =>
  p.locator(`.edit-canvas .edit-node[data-service="${id}"]`);
const panel = (p: Page = page) => p.getByRole('complementary', { name: 'Side panel' });
const editing = () => page.evaluate(() => window.__fanout?.playground.editor.getState().editing);

/** The trace hash of each side, as the Share dialog shows them, and the link. */
async function shareDialog(p: Page): Promise<{ link: string; prints: Record<string, string> }> {
  await p.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = p.getByRole('dialog', { name: 'Share this moment' });
  await dialog.waitFor();
  const link = await dialog.getByRole('textbox', { name: 'Link' }).inputValue();
  const prints: Record<string, string> = {};
  for (const code of await dialog.locator('[data-fingerprint]').all())
    prints[(await code.getAttribute('data-fingerprint')) ?? '?'] = (await code.textContent()) ?? '';
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  return { link, prints };
}

/** The blank template, opened from the New gallery, then Edit mode with the E key. */
async function editBlank(): Promise<void> {
  await reset(page, { mode: 'compare' });
  await page.evaluate(() => window.__fanout?.playground.editor.discard());
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByRole('button', { name: 'Start with Blank canvas' }).click();
  await page.getByRole('dialog', { name: 'Start something new' }).waitFor({ state: 'hidden' });
  // A template starts playing: the test moves time itself.
  await pause(page);
  // Keyboard: E enters Edit mode (focus on the page, not in a text field).
  await page.getByRole('button', { name: 'Edit', exact: true }).focus();
  await page.keyboard.press('e');
  await toolbar().waitFor();
  expect(
    await page.getByRole('button', { name: 'Edit', exact: true }).getAttribute('aria-pressed'),
  ).toBe('true');
  await canvasNode('app').waitFor();
}

/** My Service -> OrderPlaced -> Billing and Mailer, built with keys and clicks. */
async function buildThree(): Promise<void> {
  // Mouse: pick My Service on the canvas; keyboard: name its event and press Enter.
  await canvasNode('app').getByRole('button', { name: 'My Service' }).click();
  const newType = panel().getByRole('textbox', { name: 'New event type My Service emits' });
  await newType.fill('OrderPlaced');
  await newType.press('Enter');
  await expect.poll(() => canvasNode('app').textContent()).toContain('OrderPlaced');

  // Keyboard: A adds a service (focus on a toolbar button, not in a text field).
  await toolbar().getByRole('button', { name: 'Add service' }).focus();
  await page.keyboard.press('a');
  await canvasNode('service-2').waitFor();
  const name = panel().getByRole('textbox', { name: 'Name', exact: true });
  // Typed key by key: the field keeps the focus while the new service's id follows its name.
  await name.selectText();
  await name.pressSequentially('Billing');
  await canvasNode('billing').waitFor();
  await panel()
    .getByRole('group', { name: 'Billing subscribes to' })
    .getByRole('checkbox', { name: 'OrderPlaced' })
    .check();

  // Mouse: the toolbar button adds the third.
  await toolbar().getByRole('button', { name: 'Add service' }).click();
  await canvasNode('service-3').waitFor();
  await panel().getByRole('textbox', { name: 'Name', exact: true }).fill('Mailer');
  await canvasNode('mailer').waitFor();
  // Mouse: a line drawn from My Service to Mailer subscribes Mailer to what My Service emits.
  await canvasNode('app')
    .locator('.react-flow__handle.source')
    .dragTo(canvasNode('mailer').locator('.react-flow__handle.target'));
  await expect.poll(() => canvasNode('mailer').textContent()).toMatch(/subscribes\s*OrderPlaced/);
}

/** Two more subscribers of OrderPlaced, Ledger and Audit, each named and subscribed from the inspector. */
async function addTwoMore(): Promise<void> {
  for (const [n, label, id] of [
    [4, 'Ledger', 'ledger'],
    [5, 'Audit', 'audit'],
  ] as const) {
    await toolbar().getByRole('button', { name: 'Add service' }).click();
    await canvasNode(`service-${n}`).waitFor();
    await panel().getByRole('textbox', { name: 'Name', exact: true }).fill(label);
    await canvasNode(id).waitFor();
    await panel()
      .getByRole('group', { name: `${label} subscribes to` })
      .getByRole('checkbox', { name: 'OrderPlaced' })
      .check();
    await expect.poll(() => canvasNode(id).textContent()).toMatch(/subscribes\s*OrderPlaced/);
  }
}

describe('Edit mode', () => {
  it('builds a system from the blank template with keys and clicks; an invalid edit shows on its service; undo and redo', async () => {
    await editBlank();
    await buildThree();
    expect(await page.locator('.edit-canvas .react-flow__edge').count()).toBe(2);

    // New services do not overlap.
    const boxes = await Promise.all(
      ['app', 'billing', 'mailer'].map(async (id) => canvasNode(id).boundingBox()),
    );
    for (const a of boxes)
      for (const b of boxes)
        if (a && b && a !== b)
          expect(
            a.x + a.width <= b.x ||
              b.x + b.width <= a.x ||
              a.y + a.height <= b.y ||
              b.y + b.height <= a.y,
          ).toBe(true);

    // An invalid edit: written on Mailer's box, not on the others; Run says why it is off.
    await panel().getByRole('spinbutton', { name: 'Latency (ms)' }).fill('90000');
    await expect
      .poll(() => canvasNode('mailer').textContent())
      .toContain('Latency: must be <= 60000');
    expect(await canvasNode('billing').textContent()).not.toContain('must be');
    expect(await canvasNode('app').textContent()).not.toContain('must be');
    const run = toolbar().getByRole('button', { name: 'Run' });
    expect(await run.isDisabled()).toBe(true);
    expect(await page.locator('.edit-status').textContent()).toContain(
      'Cannot run yet: 1 problem to fix (Latency: must be <= 60000)',
    );
    await expectNoAxeViolations(page);

    // Keyboard undo / redo, from a button (in a text field the browser's own undo applies).
    await toolbar().getByRole('button', { name: 'Add service' }).focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => canvasNode('mailer').textContent()).not.toContain('must be');
    expect(await run.isDisabled()).toBe(false);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => canvasNode('mailer').textContent()).toContain('must be <= 60000');
    await page.keyboard.press('Control+z');
    await expect.poll(() => run.isDisabled()).toBe(false);
    // Undo button, then redo with Ctrl+Y: Mailer's subscription comes and goes.
    await toolbar().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => canvasNode('mailer').textContent()).toMatch(/subscribes\s*—/);
    await toolbar().getByRole('button', { name: 'Redo' }).focus();
    await page.keyboard.press('Control+y');
    await expect.poll(() => canvasNode('mailer').textContent()).toMatch(/subscribes\s*OrderPlaced/);

    // Mouse: drag Mailer somewhere else; the place is kept as a layout hint.
    const box = await canvasNode('mailer').boundingBox();
    if (!box) throw new Error('no Mailer box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height + 40, { steps: 8 });
    await page.mouse.up();
    const hint = await page.evaluate(
      () => window.__fanout?.playground.editor.getState().draft.layout?.mailer,
    );
    expect(hint).toBeDefined();
    // Dragging near the edge pans the canvas: frame the whole system again.
    await page.locator('.edit-canvas').getByRole('button', { name: 'Fit View' }).click();

    // Mouse: the Add service button is also a palette item, dropped where the pointer is.
    await toolbar()
      .getByRole('button', { name: 'Add service' })
      .dragTo(page.locator('.edit-canvas .react-flow__pane'), {
        targetPosition: { x: 120, y: 80 },
      });
    await canvasNode('service-4').waitFor();
    expect(
      await page.evaluate(
        () => window.__fanout?.playground.editor.getState().draft.layout?.['service-4'],
      ),
    ).toBeDefined();
    await toolbar().getByRole('button', { name: 'Undo' }).click();
    await canvasNode('service-4').waitFor({ state: 'detached' });
    await page.locator('.edit-canvas').getByRole('button', { name: 'Fit View' }).click();

    // Deleting the entry says what must be chosen instead; undo brings it back.
    await canvasNode('app').getByRole('button', { name: 'My Service' }).click();
    await panel().getByRole('button', { name: 'Delete My Service' }).click();
    await expect
      .poll(() => page.locator('.edit-status').textContent())
      .toContain('Choose another entry service');
    await expect
      .poll(() => canvasNode('billing').textContent())
      .toContain('no service emits "OrderPlaced"');
    await toolbar().getByRole('button', { name: 'Undo' }).click();
    await canvasNode('app').waitFor();
    await expect.poll(() => run.isDisabled()).toBe(false);
  });

  it('a five-service system runs from t = 0; a new consumer switched off buffers; the share link opens the same run in a fresh page', async () => {
    if (!(await editing())) {
      await editBlank();
      await buildThree();
    }
    await addTwoMore();
    expect(await page.locator('.edit-canvas .react-flow__edge').count()).toBe(4);
    const seed = await page.evaluate(() => window.__fanout?.playground.getState().seed);
    await toolbar().getByRole('button', { name: 'Run' }).click();
    await expect.poll(editing).toBe(false);
    await engineIdle(page);
    // From t = 0, paused as it was when Edit was pressed.
    expect(await clockMs(page)).toBe(0);
    expect(await page.evaluate(() => window.__fanout?.playground.getState().playing)).toBe(false);
    expect(await page.evaluate(() => window.__fanout?.playground.getState().seed)).toBe(seed);
    expect(
      await page.evaluate(() =>
        window.__fanout?.playground.getState().scenario.services.map((s) => s.name),
      ),
    ).toEqual(['My Service', 'Billing', 'Mailer', 'Ledger', 'Audit']);

    // Compare: switch Mailer off on the event side; its queue keeps the orders for it.
    const event = stageSide(page, 'event');
    await event.getByRole('switch', { name: 'Mailer outage' }).click();
    await expect
      .poll(() => event.getByRole('switch', { name: 'Mailer outage' }).getAttribute('aria-checked'))
      .toBe('true');
    await advanceTo(page, 20_000);
    const mailerQueue = event
      .locator('.react-flow__node-queue')
      .filter({ hasText: /mailer queue/i });
    const billingQueue = event
      .locator('.react-flow__node-queue')
      .filter({ hasText: /billing queue/i });
    await expect.poll(() => nodeNumber(mailerQueue, 'waiting')).toBeGreaterThan(5);
    expect(await nodeNumber(billingQueue, 'waiting')).toBeLessThan(3);

    // The link carries the edited scenario: a fresh page opens the very same run.
    const { link, prints } = await shareDialog(page);
    expect(Object.keys(prints)).toEqual(['chain', 'event']);
    const fresh = await openApp(`?paused=1${link.slice(link.indexOf('#'))}`);
    await fresh.page.getByRole('status').filter({ hasText: 'Opened a shared setup' }).waitFor();
    expect(await clockMs(fresh.page)).toBe(await clockMs(page));
    expect((await shareDialog(fresh.page)).prints).toEqual(prints);
    expect(
      await fresh.page.evaluate(
        () => window.__fanout?.playground.getState().scenario.layout?.mailer,
      ),
    ).toBeDefined();
  });

  it('keyboard: arrow keys move a box (announced, undoable), a checkbox calls two services in parallel; after Run the live canvas keeps the arrangement', async () => {
    await editBlank();
    await buildThree();
    // Mailer sits below Billing; Shift+Up three times puts it above.
    const mailer = canvasNode('mailer').getByRole('button', { name: 'Mailer' });
    const hint = () =>
      page.evaluate(() => window.__fanout?.playground.editor.getState().draft.layout?.mailer);
    const before = await hint();
    await mailer.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowUp');
    await page.keyboard.press('ArrowRight');
    const status = page.locator('.edit-status');
    await expect
      .poll(() => status.textContent())
      .toMatch(/Mailer moved right, to x \d+, y -?\d+\./);
    const moved = await hint();
    const billingBox = await canvasNode('billing').boundingBox();
    const mailerBox = await canvasNode('mailer').boundingBox();
    if (!billingBox || !mailerBox) throw new Error('no boxes');
    expect(mailerBox.y + mailerBox.height).toBeLessThan(billingBox.y);
    // The focus stays on the box; Ctrl+Z puts it back (the moves were one step), Ctrl+Shift+Z again.
    expect(await mailer.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Control+z');
    await expect.poll(hint).toEqual(before);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(hint).toEqual(moved);

    // The call order: Billing joins Mailer in one parallel step, with the keyboard.
    const parallel = panel().getByRole('checkbox', {
      name: 'Call Billing in parallel, in the last step',
    });
    await parallel.focus();
    await page.keyboard.press('Space');
    await expect
      .poll(() => page.evaluate(() => window.__fanout?.playground.editor.getState().draft.chain))
      .toEqual(['app', ['mailer', 'billing']]);

    await toolbar().getByRole('button', { name: 'Run' }).click();
    await expect.poll(editing).toBe(false);
    await engineIdle(page);
    // Both canvases draw Mailer above Billing, as it was placed; its queue just before it.
    for (const side of ['chain', 'event'] as const) {
      const stage = stageSide(page, side);
      const live = async (id: string) => {
        const b = await stage.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
        if (!b) throw new Error(`no ${id} on the ${side} canvas`);
        return b;
      };
      const [m, b, a] = [await live('mailer'), await live('billing'), await live('app')];
      expect(m.y + m.height).toBeLessThan(b.y);
      expect(a.x + a.width).toBeLessThan(Math.min(m.x, b.x));
      if (side === 'event') {
        const q = await stage
          .locator('.react-flow__node-queue')
          .filter({ hasText: /mailer queue/i })
          .boundingBox();
        if (!q) throw new Error('no mailer queue');
        expect(q.x + q.width).toBeLessThanOrEqual(m.x);
        expect(Math.abs(q.y + q.height / 2 - (m.y + m.height / 2))).toBeLessThan(2);
      }
    }
    expect(
      await page.evaluate(() => window.__fanout?.playground.getState().scenario.chain),
    ).toEqual(['app', ['mailer', 'billing']]);
  });

  it('events as nodes: lines drawn with the mouse from a service to an event and from an event to a service declare emits and subscriptions', async () => {
    await editBlank();
    await buildThree();
    await canvasNode('billing').getByRole('button', { name: 'Billing' }).click();
    const newType = panel().getByRole('textbox', { name: 'New event type Billing emits' });
    await newType.fill('PaymentTaken');
    await newType.press('Enter');
    const show = toolbar().getByRole('button', { name: 'Show events' });
    await show.click();
    expect(await show.getAttribute('aria-pressed')).toBe('true');
    const eventNode = (binding: string) =>
      page.locator(`.edit-canvas .edit-event[data-binding="${binding}"]`);
    await eventNode('PaymentTaken').waitFor();
    // A screen reader hears what each event box stands for.
    await page
      .getByRole('group', { name: 'PaymentTaken (event): emitted by Billing; heard by nobody' })
      .waitFor();
    // Billing -> PaymentTaken, OrderPlaced -> Billing and Mailer, My Service -> OrderPlaced.
    await expect.poll(() => page.locator('.edit-canvas .react-flow__edge').count()).toBe(4);

    // From the event to Mailer: Mailer subscribes to it.
    await eventNode('PaymentTaken')
      .locator('.react-flow__handle.source')
      .dragTo(canvasNode('mailer').locator('.react-flow__handle.target'));
    await expect
      .poll(() => canvasNode('mailer').textContent())
      .toMatch(/subscribes\s*OrderPlaced, PaymentTaken/);
    // From My Service to the event: My Service emits it too.
    await canvasNode('app')
      .locator('.react-flow__handle.source')
      .dragTo(eventNode('PaymentTaken').locator('.react-flow__handle.target'));
    await expect
      .poll(() => canvasNode('app').textContent())
      .toMatch(/emits\s*OrderPlaced, PaymentTaken/);
    await expect.poll(() => page.locator('.edit-canvas .react-flow__edge').count()).toBe(6);
    await expectNoAxeViolations(page);
    // Ctrl+Z (focus on a toolbar button) takes the last line back.
    await show.focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => canvasNode('app').textContent()).toMatch(/emits\s*OrderPlaced(?!,)/);
    await show.click();
    await expect.poll(() => eventNode('PaymentTaken').count()).toBe(0);
  });
});
