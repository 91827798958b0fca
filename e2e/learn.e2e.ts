/**
 * Learning in the built app, as a learner does it: open Learn, follow walkthrough 6 step
 * by step on the simulator (predict, reveal, act, wait for the engine), pass a challenge
 * graded by the engine, rehearse with the interview prep, and come back after a reload.
 * Every new view is checked with axe; any page error fails a test (see browser.ts).
 *
 * Run alone on its own port and build:
 *   npx vite build --outDir /tmp/dist-learn &&
 *   E2E_OUTDIR=/tmp/dist-learn E2E_PORT=4192 npx vitest run --config vitest.e2e.config.ts e2e/learn.e2e.ts
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, openPage } from './browser';

async function open(path = '/') {
  const opened = await openPage(path);
  opened.page.setDefaultTimeout(10_000);
  return opened;
}

const hub = (page: Page) => page.getByRole('dialog', { name: 'Learn' });
const panel = (page: Page) => page.locator('#side-panel-content');
const nextButton = (page: Page) => panel(page).getByRole('button', { name: 'Next', exact: true });
const stepTitle = (page: Page) => panel(page).locator('.learn-step-title');

async function openLearn(page: Page, section?: string): Promise<void> {
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  await hub(page).waitFor();
  if (section) await hub(page).getByRole('tab', { name: section }).click();
}

/** Wait until the engine has shown the step's task done, then go on. */
async function nextWhenDone(page: Page, timeout = 20_000): Promise<void> {
  await expect.poll(() => nextButton(page).isEnabled(), { timeout }).toBe(true);
  await nextButton(page).click();
}

/** The number shown for a live readout or measured value, e.g. `Orders failed` -> 0. */
async function readout(page: Page, label: string): Promise<string> {
  const row = panel(page)
    .locator('.learn-readout', { has: page.locator('dt', { hasText: label }) })
    .first();
  return ((await row.locator('dd').textContent()) ?? '').trim();
}

const asNumber = (text: string) => Number(text.replace(/[^\d.]/g, ''));

describe('learn', () => {
  it('the Learn button opens the course: nine walkthroughs, challenges, interview prep, checklist; axe-clean', async () => {
    const { page } = await open();
    await openLearn(page);
    const cards = hub(page).locator('.learn-cards > li');
    expect(await cards.count()).toBe(9);
    expect(await cards.first().textContent()).toContain('Request chains');
    await expectNoAxeViolations(page);
    for (const section of ['Challenges', 'Interview prep', 'Decision checklist']) {
      await hub(page).getByRole('tab', { name: section }).click();
      expect(
        await hub(page).getByRole('tab', { name: section }).getAttribute('aria-selected'),
      ).toBe('true');
      await expectNoAxeViolations(page);
    }
    expect(await hub(page).locator('.learn-cards > li').count()).toBe(0); // the checklist has no cards
    await hub(page).getByRole('tab', { name: 'Challenges' }).click();
    expect(await hub(page).locator('.learn-cards > li').count()).toBeGreaterThanOrEqual(6);
    // Escape closes it, from the keyboard.
    await page.keyboard.press('Escape');
    await hub(page).waitFor({ state: 'detached' });
  });

  it('walkthrough 6, followed step by step: predict, reveal, bring Email back, retries, a poison message', async () => {
    const { page } = await open();
    await openLearn(page);
    await hub(page)
      .getByRole('button', { name: /^Start walkthrough 6:/ })
      .click();
    await hub(page).waitFor({ state: 'detached' });

    // The side panel shows the walkthrough on its own tab.
    const tab = page.getByRole('tab', { name: 'Walkthrough', exact: true });
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    await panel(page)
      .getByRole('heading', { name: /Reliability/ })
      .waitFor();
    expect(await panel(page).textContent()).toContain('Step 1 of 7');
    expect(
      await page.getByRole('tab', { name: 'Compare', exact: true }).getAttribute('aria-selected'),
    ).toBe('true');
    // Next waits for the engine: at first it is disabled.
    expect(await nextButton(page).isDisabled()).toBe(true);
    await expectNoAxeViolations(page);
    await nextWhenDone(page);

    // Step 2: predict, then reveal.
    expect(await stepTitle(page).textContent()).toContain('Predict');
    const reveal = panel(page).getByRole('button', { name: 'Run and reveal' });
    expect(await reveal.count()).toBe(0);
    await panel(page)
      .getByRole('radio', { name: /They succeed; their emails wait/ })
      .check();
    await panel(page).getByRole('button', { name: 'Lock in my prediction' }).click();
    expect(
      await panel(page)
        .getByRole('radio', { name: /They fail, as in the chain/ })
        .isDisabled(),
    ).toBe(true);
    await reveal.click();
    const verdict = panel(page).locator('.learn-reveal .learn-verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain('Right');
    // The measured numbers sit beside the prediction: the chain failed orders, events did not.
    expect(asNumber(await readout(page, 'Chain: orders failed'))).toBeGreaterThan(100);
    expect(await readout(page, 'Events: orders failed')).toBe('0');
    expect(asNumber(await readout(page, 'Events: emails waiting for Email'))).toBeGreaterThan(100);
    await expectNoAxeViolations(page);
    await nextWhenDone(page);

    // Step 3: the learner brings Email back with its own outage switch, and the queue drains.
    expect(await stepTitle(page).textContent()).toContain('Email comes back');
    const emailSwitch = page.getByRole('switch', { name: 'Email Service outage' }).first();
    expect(await emailSwitch.getAttribute('aria-checked')).toBe('true');
    expect(await nextButton(page).isDisabled()).toBe(true);
    await emailSwitch.click();
    await nextWhenDone(page, 30_000);
    expect(await panel(page).locator('.learn-task').textContent()).toContain('Done');

    // Step 4: retries with backoff and jitter; the learner watches until 30 retries.
    expect(await stepTitle(page).textContent()).toContain('Retries');
    await nextWhenDone(page, 30_000);
    expect(await stepTitle(page).textContent()).toContain('randomness');
    await nextWhenDone(page);

    // Step 6: a poison message ends in the dead-letter queue, highlighted on the canvas.
    expect(await stepTitle(page).textContent()).toContain('poison');
    await page.getByTestId('learn-highlight').waitFor({ state: 'attached' });
    const highlighted = page.locator('.react-flow__node[data-id="dead-letter"] > .node');
    await expect
      .poll(() => highlighted.evaluate((el) => getComputedStyle(el).outlineStyle))
      .toBe('solid');
    await expect
      .poll(() => readout(page, 'Analytics dead letters').then(asNumber), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await nextWhenDone(page);

    // Last step: Finish, and the walkthrough is marked complete.
    expect(await panel(page).textContent()).toContain('Step 7 of 7');
    await panel(page).getByRole('button', { name: 'Finish' }).click();
    await panel(page).getByRole('heading', { name: 'Walkthrough 6 complete' }).waitFor();
    await expectNoAxeViolations(page);
    await openLearn(page);
    expect(await hub(page).locator('.learn-cards > li').nth(5).textContent()).toContain('Finished');
  }, 120_000);

  it('a challenge: the starting settings fail with measured numbers; making Payment idempotent passes', async () => {
    const { page } = await open();
    await openLearn(page, 'Challenges');
    await hub(page)
      .getByRole('button', { name: 'Open challenge: Stop the double charges' })
      .click();
    await panel(page).getByRole('heading', { name: 'Stop the double charges' }).waitFor();
    await expectNoAxeViolations(page);

    await panel(page).getByRole('button', { name: 'Run and grade' }).click();
    const result = panel(page).locator('.learn-grade');
    await result.waitFor();
    expect(await result.locator('.learn-verdict').textContent()).toContain('Not passed yet');
    const charged = result.locator('tr', { hasText: 'Cards charged twice' });
    expect(asNumber((await charged.locator('td').first().textContent()) ?? '')).toBeGreaterThan(0);
    expect(await charged.locator('td').last().textContent()).toBe('missed');

    await panel(page)
      .getByRole('checkbox', { name: /Payment remembers the message ids/ })
      .check();
    await panel(page).getByRole('button', { name: 'Run and grade' }).click();
    await expect.poll(() => result.locator('.learn-verdict').textContent()).toContain('Passed');
    expect(await charged.locator('td').first().textContent()).toBe('0');
    expect(await charged.locator('td').last().textContent()).toBe('met');
    expect(await panel(page).locator('.learn-kicker').textContent()).toContain('passed');
    // The results scroll inside the panel; the page itself does not grow.
    const viewport = page.viewportSize();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThanOrEqual(viewport?.height ?? 0);
    await expectNoAxeViolations(page);

    // "Watch it" puts the same settings on the simulator.
    await panel(page).getByRole('button', { name: 'Watch it on the simulator' }).click();
    expect(
      await page
        .getByRole('tab', { name: 'Event fan-out', exact: true })
        .getAttribute('aria-selected'),
    ).toBe('true');
    expect(await page.getByRole('button', { name: /^Scenario:/ }).textContent()).toContain(
      'crashes before it acknowledges',
    );
  });

  it('a number prediction: the learner types a guess, and the engine measures the chain beside it', async () => {
    const { page } = await open();
    await openLearn(page);
    await hub(page)
      .getByRole('button', { name: /^Start walkthrough 1:/ })
      .click();
    await panel(page)
      .getByRole('heading', { name: /Request chains/ })
      .waitFor();
    await nextWhenDone(page, 20_000);
    expect(await stepTitle(page).textContent()).toContain('Delays add up');
    const guess = panel(page).getByRole('spinbutton', { name: /Your prediction \(milliseconds\)/ });
    await guess.fill('250');
    await guess.press('Enter');
    await panel(page).getByRole('button', { name: 'Run and reveal' }).click();
    const verdict = panel(page).locator('.learn-reveal .learn-verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toMatch(
      /You predicted 250 ms; the engine measured \d+ ms\. Close\./,
    );
    expect(asNumber(await readout(page, 'Median response time (chain)'))).toBeGreaterThan(200);
    expect(await nextButton(page).isEnabled()).toBe(true);
  });

  it('the sorting exercise: wrong answers are marked, and Next waits until all are right', async () => {
    const { page } = await open();
    await openLearn(page);
    await hub(page)
      .getByRole('button', { name: /^Start walkthrough 2:/ })
      .click();
    await nextWhenDone(page, 20_000);
    await nextWhenDone(page);
    expect(await stepTitle(page).textContent()).toBe('Sort the names');
    const answers: Record<string, string> = {
      OrderCreated: 'Event (a fact)',
      ChargeCard: 'Command (a request)',
      UserRegistered: 'Event (a fact)',
      SendWelcomeEmail: 'Command (a request)',
      PaymentCompleted: 'Event (a fact)',
      ReserveStock: 'Command (a request)',
      StockReserved: 'Event (a fact)',
      CancelOrder: 'Command (a request)',
      EmailBounced: 'Event (a fact)',
      // One mistake on purpose.
      GenerateInvoice: 'Event (a fact)',
    };
    for (const [name, bucket] of Object.entries(answers)) {
      await panel(page).getByRole('combobox', { name }).selectOption({ label: bucket });
    }
    await panel(page).getByRole('button', { name: 'Check my answers' }).click();
    expect(await panel(page).locator('.learn-sort .learn-verdict').textContent()).toContain(
      '1 to fix',
    );
    expect(await panel(page).locator('li.is-wrong').textContent()).toContain('GenerateInvoice');
    expect(await nextButton(page).isDisabled()).toBe(true);
    await expectNoAxeViolations(page);
    await panel(page)
      .getByRole('combobox', { name: 'GenerateInvoice' })
      .selectOption({ label: 'Command (a request)' });
    await panel(page).getByRole('button', { name: 'Check my answers' }).click();
    expect(await panel(page).locator('.learn-sort .learn-verdict').textContent()).toBe(
      'All sorted correctly.',
    );
    expect(await nextButton(page).isEnabled()).toBe(true);
  });

  it('walkthrough 9: the checklist turns answers about a system into a recommendation with reasons', async () => {
    const { page } = await open();
    await openLearn(page);
    await hub(page)
      .getByRole('button', { name: /^Start walkthrough 9:/ })
      .click();
    await nextButton(page).click();
    const questions = panel(page).locator('.learn-checklist > li');
    expect(await questions.count()).toBe(7);
    const recommend = panel(page).getByRole('button', { name: 'Recommend' });
    expect(await recommend.isDisabled()).toBe(true);
    for (const [i, answer] of ['Yes', 'Yes', 'Yes', 'Yes', 'Yes', 'Yes', 'No'].entries()) {
      await questions.nth(i).getByRole('radio', { name: answer, exact: true }).check();
    }
    await recommend.click();
    const result = panel(page).locator('.learn-recommendation');
    expect(await result.locator('h4').textContent()).toBe('Use events for the asynchronous parts');
    expect(await result.locator('li').count()).toBe(7);
    expect(await panel(page).locator('.learn-ours').textContent()).toContain('same recommendation');
    await expectNoAxeViolations(page);
    expect(await nextButton(page).isEnabled()).toBe(true);
  });

  it('progress is kept across a reload, and the learner chooses when to set the simulator up again', async () => {
    const { page } = await open();
    await openLearn(page);
    await hub(page)
      .getByRole('button', { name: /^Start walkthrough 2:/ })
      .click();
    await nextWhenDone(page, 20_000);
    expect(await panel(page).textContent()).toContain('Step 2 of 5');

    await page.reload();
    const tab = page.getByRole('tab', { name: 'Walkthrough', exact: true });
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    await panel(page).getByRole('heading', { name: 'Events are facts' }).waitFor();
    expect(await panel(page).textContent()).toContain('Step 2 of 5');
    await panel(page).getByRole('button', { name: 'Continue here' }).click();
    await panel(page).getByRole('button', { name: 'Continue here' }).waitFor({ state: 'detached' });
    // Back to step 1: its task stays done (the engine showed it before the reload).
    await panel(page).getByRole('button', { name: 'Back' }).click();
    expect(await panel(page).textContent()).toContain('Step 1 of 5');
    expect(await nextButton(page).isEnabled()).toBe(true);
  });

  it('unreadable saved progress is ignored with a message, and learning still works', async () => {
    const { page } = await open();
    await page.evaluate(() =>
      localStorage.setItem('fanout.learn.v1', '{"version":1,"walkthroughs":'),
    );
    await page.reload();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Saved learning progress');
    await openLearn(page);
    expect(await hub(page).locator('.learn-cards > li').first().textContent()).toContain(
      'Not started',
    );
  });

  it('interview prep: "Show me" sets the simulator up beside the answer; a timed drill keeps notes and reveals key points', async () => {
    const { page } = await open();
    await openLearn(page, 'Interview prep');
    const question = hub(page).locator('details', {
      hasText: 'When would you not use event-driven architecture?',
    });
    await question.locator('summary').click();
    expect(await question.textContent()).toContain('simple CRUD');
    await expectNoAxeViolations(page);
    await question.getByRole('button', { name: /^Show me/ }).click();
    await hub(page).waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: /^Scenario:/ }).textContent()).toContain(
      'notes app',
    );
    await panel(page)
      .getByRole('heading', { name: 'When would you not use event-driven architecture?' })
      .waitFor();
    await expect
      .poll(() => readout(page, 'Direct: response time, 99th percentile'), { timeout: 15_000 })
      .toMatch(/\d+ ms/);
    await expectNoAxeViolations(page);

    await openLearn(page, 'Interview prep');
    await hub(page)
      .getByRole('button', { name: 'Start: Design order processing for a flash sale.' })
      .click();
    await panel(page)
      .getByRole('heading', { name: 'Design order processing for a flash sale.' })
      .waitFor();
    const timer = panel(page).getByRole('timer', { name: 'Time left' });
    expect(await timer.textContent()).toBe('10:00');
    await panel(page).getByRole('button', { name: 'Start timer' }).click();
    await expect.poll(() => timer.textContent(), { timeout: 5000 }).not.toBe('10:00');
    const notes = panel(page).getByRole('textbox', { name: /Your notes/ });
    await notes.fill('publish OrderCreated, queue per consumer, idempotent payment');
    await panel(page).getByRole('button', { name: 'Reveal the key points' }).click();
    const points = panel(page).getByRole('region', {
      name: 'Key points an interviewer listens for',
    });
    await points.waitFor();
    await points
      .getByRole('button', { name: /Show me on the simulator: Idempotent consumers/ })
      .click();
    expect(await page.getByRole('button', { name: /^Scenario:/ }).textContent()).toContain(
      'crashes before it acknowledges',
    );
    await panel(page).getByText('redeliveries happen, double charges do not').waitFor();
    expect(await notes.inputValue()).toContain('idempotent payment');
    await expectNoAxeViolations(page);
  });

  it('large text for projectors: one switch enlarges the lessons, keeps the page fitting the screen, and is remembered', async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 1280, height: 720 });
    await openLearn(page);
    await hub(page)
      .getByRole('button', { name: /^Start walkthrough 1:/ })
      .click();
    const lessonText = () =>
      panel(page)
        .locator('.learn-step p')
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    const before = await lessonText();
    const toggle = panel(page).getByRole('switch', { name: 'Large text' });
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await expect.poll(lessonText).toBeGreaterThan(before * 1.3);
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      const size = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.scrollHeight,
      ]);
      expect(size[0], `${width}x${height}`).toBeLessThanOrEqual(width);
      expect(size[1], `${width}x${height}`).toBeLessThanOrEqual(height);
    }
    await expectNoAxeViolations(page);
    await page.reload();
    await panel(page).locator('.learn-step p').first().waitFor();
    await expect.poll(lessonText).toBeGreaterThan(before * 1.3);
  });
});
