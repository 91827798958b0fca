/**
 * Learning in the built app, as a learner does it: open Learn, follow walkthrough 6 step
 * by step on the simulator (predict, reveal, act, the engine decides when a task is
 * done), pass a challenge graded by the engine, rehearse with the interview prep, and
 * come back after a reload. One page for the file; between tests the progress is cleared
 * (in the page and in the browser's storage) and the run reset; simulated time is injected.
 */
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { advanceBy, advanceTo, pause, reset, resetProgress, simNow, tab } from './app';
import { filePage, waitOpened } from './browser';

const app = filePage();
let page: Page;

beforeAll(() => {
  page = app.page;
});

// Between tests: no progress (in the page and in its storage), a fresh paused run.
beforeEach(async () => {
  await resetProgress(page);
  await reset(page);
});

const hub = () => page.getByRole('dialog', { name: 'Learn' });
const panel = () => page.locator('#side-panel-content');
const nextButton = () => panel().getByRole('button', { name: 'Next', exact: true });
const stepTitle = () => panel().locator('.learn-step-title');

/**
 * Waits until the step on screen is set up: the engine has answered its setup (and the
 * playback it asks for), so pausing now is not undone by the step starting to play.
 */
const stepReady = () =>
  panel().locator('section.learn-activity[aria-busy="false"]').waitFor({ state: 'attached' });

/** Presses Next and waits until the next step is set up. */
async function next(): Promise<void> {
  await nextButton().click();
  await stepReady();
}

/** Opens Learn on `section` (the dialog comes back on the section it was last left on). */
async function openLearn(section = 'Walkthroughs'): Promise<void> {
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  await hub().waitFor();
  const chosen = hub().getByRole('tab', { name: section });
  await chosen.click();
  await expect.poll(() => chosen.getAttribute('aria-selected')).toBe('true');
}

async function startWalkthrough(n: number): Promise<void> {
  await openLearn();
  await hub()
    .getByRole('button', { name: new RegExp(`^Start walkthrough ${n}:`) })
    .click();
  await hub().waitFor({ state: 'detached' });
}

/**
 * Moves simulated time on, `chunkMs` at a time, until the engine says the step's task is
 * done (Next is enabled), then goes on. Tasks stay done once done.
 */
async function nextWhenDone(chunkMs = 1000, maxMs = 60_000): Promise<void> {
  await untilDone(chunkMs, maxMs);
  await next();
}

async function untilDone(chunkMs: number, maxMs: number): Promise<void> {
  const start = await simNow(page);
  while (!(await nextButton().isEnabled())) {
    if ((await simNow(page)) - start > maxMs)
      throw new Error(`"${await stepTitle().textContent()}" not done after ${maxMs} ms`);
    await advanceBy(page, chunkMs);
  }
}

/** The number shown for a live readout or measured value, e.g. `Orders failed` -> "0". */
async function readout(label: string): Promise<string> {
  const row = panel()
    .locator('.learn-readout', { has: page.locator('dt', { hasText: label }) })
    .first();
  return ((await row.locator('dd').textContent()) ?? '').trim();
}

/** `1,234 ms` -> 1234; fails on a value that shows no number ("—", "?"). */
function asNumber(text: string): number {
  if (!/\d/.test(text)) throw new Error(`"${text}" shows no number`);
  return Number(text.replace(/[^\d.]/g, ''));
}

const verdict = () => panel().locator('.learn-reveal .learn-verdict');

/** A number prediction: typed, locked in with Enter, revealed; returns the verdict. */
async function predictNumber(value: number): Promise<string> {
  const guess = panel().getByRole('spinbutton', { name: /^Your prediction/ });
  await guess.fill(String(value));
  await guess.press('Enter');
  expect(await guess.isDisabled()).toBe(true);
  await panel().getByRole('button', { name: 'Run and reveal' }).click();
  await verdict().waitFor();
  return (await verdict().textContent()) ?? '';
}

describe('learn', () => {
  it('the Learn button opens the course: seventeen walkthroughs, fifteen challenges, paths, interview prep, quiz, glossary, the checklist', async () => {
    await openLearn();
    const cards = hub().locator('.learn-cards > li');
    expect(await cards.count()).toBe(17);
    expect(await cards.first().textContent()).toContain('1. Request chains');
    expect(await cards.last().textContent()).toContain(
      '17. The same saga, choreographed and orchestrated',
    );
    expect(
      await hub()
        .getByRole('button', { name: /^Start walkthrough \d+:/ })
        .count(),
    ).toBe(17);
    for (const section of [
      'Paths',
      'Challenges',
      'Interview prep',
      'Quiz',
      'Glossary',
      'Decision checklist',
    ]) {
      await hub().getByRole('tab', { name: section }).click();
      expect(await hub().getByRole('tab', { name: section }).getAttribute('aria-selected')).toBe(
        'true',
      );
    }
    expect(await hub().locator('.learn-cards > li').count()).toBe(0); // the checklist has no cards
    await hub().getByRole('tab', { name: 'Challenges' }).click();
    expect(await hub().locator('.learn-cards > li').count()).toBe(15);
    // Escape closes it, from the keyboard.
    await page.keyboard.press('Escape');
    await hub().waitFor({ state: 'detached' });
  });

  it('walkthrough 6, followed step by step: predict, reveal, bring Email back, a wrong prediction about retries, a poison message', async () => {
    await startWalkthrough(6);
    // The side panel shows the walkthrough on its own tab.
    expect(await tab(page, 'Walkthrough').getAttribute('aria-selected')).toBe('true');
    await panel()
      .getByRole('heading', { name: /Reliability/ })
      .waitFor();
    expect(await panel().textContent()).toContain('Step 1 of 7');
    expect(await tab(page, 'Compare').getAttribute('aria-selected')).toBe('true');
    // The step plays the shop; the test holds the clock and moves it itself.
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await pause(page);
    // Next waits for the engine: disabled until the step's 3 simulated seconds have run
    // (at speed 2 a busy machine may get there before the pause lands), enabled after.
    const pausedAt = await simNow(page);
    await expect.poll(() => nextButton().isDisabled()).toBe(pausedAt < 3000);
    await nextWhenDone();

    // Step 2: predict, then reveal.
    expect(await stepTitle().textContent()).toContain('Predict');
    const reveal = panel().getByRole('button', { name: 'Run and reveal' });
    expect(await reveal.count()).toBe(0);
    await panel()
      .getByRole('radio', { name: /They succeed; their emails wait/ })
      .check();
    await panel().getByRole('button', { name: 'Lock in my prediction' }).click();
    expect(
      await panel()
        .getByRole('radio', { name: /They fail, as in the chain/ })
        .isDisabled(),
    ).toBe(true);
    await reveal.click();
    await verdict().waitFor();
    expect(await verdict().textContent()).toContain('Right');
    // The measured numbers sit beside the prediction: the chain failed orders, events did not.
    expect(asNumber(await readout('Chain: orders failed'))).toBeGreaterThan(100);
    expect(await readout('Events: orders failed')).toBe('0');
    expect(asNumber(await readout('Events: emails waiting for Email'))).toBeGreaterThan(100);
    await nextWhenDone();

    // Step 3: the learner brings Email back with its own outage switch, and the queue drains.
    expect(await stepTitle().textContent()).toContain('Email comes back');
    const emailSwitch = page.getByRole('switch', { name: 'Email Service outage' }).first();
    expect(await emailSwitch.getAttribute('aria-checked')).toBe('true');
    expect(await nextButton().isDisabled()).toBe(true);
    await emailSwitch.click();
    await expect.poll(() => emailSwitch.getAttribute('aria-checked')).toBe('false');
    await pause(page);
    await untilDone(2000, 60_000);
    expect(await panel().locator('.learn-task').textContent()).toContain('Done');
    await next();

    // Step 4: Email fails three sends in ten, on events alone. The learner predicts the
    // intuitive answer, and the engine shows it wrong: retries absorb transient failures.
    expect(await stepTitle().textContent()).toBe('Predict: three failures in ten');
    await expect.poll(() => tab(page, 'Event fan-out').getAttribute('aria-selected')).toBe('true');
    expect(await nextButton().isDisabled()).toBe(true);
    await panel()
      .getByRole('radio', { name: /About 180: the three in ten that failed/ })
      .check();
    await panel().getByRole('button', { name: 'Lock in my prediction' }).click();
    expect(await nextButton().isDisabled()).toBe(true);
    await reveal.click();
    await verdict().waitFor();
    expect(await verdict().textContent()).toBe(
      'You predicted "About 180: the three in ten that failed". The engine shows: "A handful at most: five failures in a row are rare".',
    );
    expect(
      await panel().locator('.learn-option', { hasText: 'About 180' }).textContent(),
    ).toContain('your prediction');
    expect(
      await panel().locator('.learn-option', { hasText: 'A handful at most' }).textContent(),
    ).toContain('what happened');
    expect(asNumber(await readout('Emails dead-lettered'))).toBeLessThanOrEqual(20);
    expect(asNumber(await readout('Email retries'))).toBeGreaterThan(100);
    expect(asNumber(await readout('Emails sent'))).toBeGreaterThan(500);
    // A wrong prediction, once revealed, still lets the learner go on.
    expect(await nextButton().isEnabled()).toBe(true);
    await next();

    // Step 5 is reading only: Next is there at once.
    expect(await stepTitle().textContent()).toBe('Why the randomness matters');
    expect(await nextButton().isEnabled()).toBe(true);
    await next();

    // Step 6: a poison message ends in the dead-letter queue, highlighted on the canvas.
    expect(await stepTitle().textContent()).toContain('poison');
    await page.getByTestId('learn-highlight').waitFor({ state: 'attached' });
    const highlighted = page.locator('.react-flow__node[data-id="dead-letter"] > .node');
    await expect
      .poll(() => highlighted.evaluate((el) => getComputedStyle(el).outlineStyle))
      .toBe('solid');
    await pause(page);
    while (asNumber(await readout('Analytics dead letters')) === 0) await advanceBy(page, 2000);
    await nextWhenDone();

    // Last step: Finish, and the walkthrough is marked complete.
    expect(await panel().textContent()).toContain('Step 7 of 7');
    await panel().getByRole('button', { name: 'Finish' }).click();
    await panel().getByRole('heading', { name: 'Walkthrough 6 complete' }).waitFor();
    await openLearn();
    expect(await hub().locator('.learn-cards > li').nth(5).textContent()).toContain('Finished');
  });

  it('the 45-minute class: part 1 opened from Paths and followed to the end, every prediction made before its reveal; then a quiz round', async () => {
    await openLearn('Paths');
    await hub()
      .getByRole('button', { name: 'Open A 45-minute class, part 1: The chain and its limits' })
      .click();
    await hub().waitFor({ state: 'detached' });
    await panel()
      .getByRole('heading', { name: /Request chains/ })
      .waitFor();
    const steps = 10;
    /** A choice prediction: the first option, locked in, then revealed. */
    const predictChoice = async () => {
      await panel().getByRole('radio').first().check();
      await panel().getByRole('button', { name: 'Lock in my prediction' }).click();
      await panel().getByRole('button', { name: 'Run and reveal' }).click();
      await verdict().waitFor();
    };
    const emailSwitch = () => page.getByRole('switch', { name: 'Email Service outage' }).first();
    let predictions = 0;
    for (let n = 1; n <= steps; n++) {
      await expect.poll(async () => panel().textContent()).toContain(`Step ${n} of ${steps}`);
      await stepReady();
      await pause(page);
      const title = (await stepTitle().textContent()) ?? '';
      const asks = await panel().locator('.learn-predict').count();
      if (asks > 0) {
        // Nothing is revealed before the prediction: no verdict, no Next.
        expect(await verdict().count()).toBe(0);
        expect(await nextButton().isDisabled()).toBe(true);
        if (
          (await panel()
            .getByRole('spinbutton', { name: /^Your prediction/ })
            .count()) > 0
        )
          await predictNumber(1000);
        else await predictChoice();
        predictions++;
      } else if (/One outage/.test(title)) {
        await emailSwitch().click();
        await expect.poll(() => emailSwitch().getAttribute('aria-checked')).toBe('true');
        await pause(page);
      } else if (/stays done/.test(title)) {
        await emailSwitch().click();
        await expect.poll(() => emailSwitch().getAttribute('aria-checked')).toBe('false');
        await pause(page);
      }
      if (n === steps) break;
      await untilDone(1000, 60_000);
      await next();
    }
    expect(predictions).toBe(4);
    await panel().getByRole('button', { name: 'Finish' }).click();
    await panel().getByRole('heading', { name: 'Walkthrough 1 complete' }).waitFor();
    // The path marks its first part done.
    await openLearn('Paths');
    const firstPart = hub()
      .locator('.learn-cards > li')
      .first()
      .locator('li', { hasText: 'The chain and its limits' });
    expect(await firstPart.locator('.learn-tag.ok').textContent()).toBe('done');

    // A quiz round: reveal each answer, grade it, until the round is done.
    await hub().getByRole('tab', { name: 'Quiz' }).click();
    await hub().getByRole('button', { name: 'Start a quiz round' }).click();
    const card = hub().getByRole('article', { name: /^Question 1 of (\d+)$/ });
    const total = Number(/of (\d+)/.exec((await card.getAttribute('aria-label')) ?? '')?.[1]);
    expect(total).toBeGreaterThan(1);
    for (let q = 1; q <= total; q++) {
      const current = hub().getByRole('article', { name: `Question ${q} of ${total}` });
      await current.getByRole('button', { name: 'Show the answer' }).click();
      await current.getByRole('button', { name: /^Show me on the simulator:/ }).waitFor();
      await current.getByRole('button', { name: q === 1 ? /^Again:/ : /^Easy:/ }).click();
    }
    await expect
      .poll(() => hub().getByRole('status').first().textContent())
      .toBe(`Round done: ${total} questions graded.`);
    // Missed, the first question is still being learned; the ones taught with ease are known.
    expect(await hub().getByTestId('quiz-stats').textContent()).toContain(
      `1 learning · ${total - 1} known`,
    );
    await page.keyboard.press('Escape');
    await hub().waitFor({ state: 'detached' });
  });

  it('a challenge: the starting settings fail with measured numbers; message ids written after the charge still double-charge; written with it, it passes', async () => {
    await openLearn('Challenges');
    await hub().getByRole('button', { name: 'Open challenge: Stop the double charges' }).click();
    await panel().getByRole('heading', { name: 'Stop the double charges' }).waitFor();

    await panel().getByRole('button', { name: 'Run and grade' }).click();
    const result = panel().locator('.learn-grade');
    await result.waitFor();
    expect(await result.locator('.learn-verdict').textContent()).toContain('Not passed yet');
    const charged = result.locator('tr', { hasText: 'Cards charged twice' });
    expect(asNumber((await charged.locator('td').first().textContent()) ?? '')).toBeGreaterThan(0);
    expect(await charged.locator('td').last().textContent()).toBe('missed');

    await panel()
      .getByRole('combobox', { name: /Payment skips a message when it has already handled/ })
      .selectOption('message-id');
    await panel().getByRole('button', { name: 'Run and grade' }).click();
    // Until the new grade arrives, the old one says it was for the settings of then.
    await expect
      .poll(() => result.locator('.learn-verdict').textContent())
      .toMatch(/Not passed yet$/);
    expect(await charged.locator('td').last().textContent()).toBe('missed');
    await panel()
      .getByRole('combobox', { name: /Payment writes the key to its table/ })
      .selectOption('same-transaction');
    await panel().getByRole('button', { name: 'Run and grade' }).click();
    await expect.poll(() => result.locator('.learn-verdict').textContent()).toContain('Passed');
    expect(await charged.locator('td').first().textContent()).toBe('0');
    expect(await charged.locator('td').last().textContent()).toBe('met');
    expect(await panel().locator('.learn-kicker').textContent()).toContain('passed');
    // The results scroll inside the panel; the page itself does not grow.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThanOrEqual(page.viewportSize()?.height ?? 0);

    // "Watch it" puts the same settings on the simulator.
    await panel().getByRole('button', { name: 'Watch it on the simulator' }).click();
    await expect.poll(() => tab(page, 'Event fan-out').getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => page.getByRole('button', { name: /^Scenario:/ }).textContent())
      .toContain('crashes before it acknowledges');
  });

  it('a number prediction: the learner types a guess, and the engine measures the chain beside it', async () => {
    await startWalkthrough(1);
    await panel()
      .getByRole('heading', { name: /Request chains/ })
      .waitFor();
    await nextWhenDone(2000);
    expect(await stepTitle().textContent()).toContain('Delays add up');
    // Nothing to reveal until a prediction is locked in, and Next waits for the reveal.
    expect(await panel().getByRole('button', { name: 'Run and reveal' }).count()).toBe(0);
    expect(await nextButton().isDisabled()).toBe(true);
    expect(
      await panel().getByRole('spinbutton', { name: 'Your prediction (milliseconds)' }).count(),
    ).toBe(1);
    expect(await predictNumber(250)).toMatch(
      /^You predicted 250 ms; the engine measured \d+ ms\. Close\.$/,
    );
    const median = asNumber(await readout('Median response time (chain)'));
    expect(median).toBeGreaterThan(200);
    expect(median).toBeLessThan(320);
    expect(await nextButton().isEnabled()).toBe(true);
  });

  it('the sorting exercise: wrong answers are marked, and Next waits until all are right', async () => {
    await startWalkthrough(2);
    // Step 1 asks for a number first: a guess far off is told so, and the learner goes on.
    expect(await stepTitle().textContent()).toBe('Something happened');
    expect(await nextButton().isDisabled()).toBe(true);
    expect(await predictNumber(2000)).toMatch(
      /^You predicted 2,000 ms; the engine measured \d+ ms\. Not quite: read why below\.$/,
    );
    await next();
    // Steps 2 and 3 are reading only.
    expect(await stepTitle().textContent()).toBe('Facts and commands');
    await next();
    expect(await stepTitle().textContent()).toBe('What an event carries');
    await next();
    expect(await stepTitle().textContent()).toBe('Sort the names');
    expect(await panel().textContent()).toContain('Step 4 of 6');
    const check = panel().getByRole('button', { name: 'Check my answers' });
    // Nothing to check until every name is placed, and Next waits for a correct sort.
    expect(await check.isDisabled()).toBe(true);
    expect(await nextButton().isDisabled()).toBe(true);
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
      await panel().getByRole('combobox', { name }).selectOption({ label: bucket });
    }
    await check.click();
    expect(await panel().locator('.learn-sort .learn-verdict').textContent()).toContain('1 to fix');
    const wrong = panel().locator('.learn-sort li.is-wrong');
    expect(await wrong.count()).toBe(1);
    expect(await wrong.textContent()).toContain('GenerateInvoice');
    expect(await wrong.textContent()).toContain('Not quite.');
    expect(await panel().locator('.learn-sort li.is-right').count()).toBe(9);
    expect(await nextButton().isDisabled()).toBe(true);
    await panel()
      .getByRole('combobox', { name: 'GenerateInvoice' })
      .selectOption({ label: 'Command (a request)' });
    await check.click();
    expect(await panel().locator('.learn-sort .learn-verdict').textContent()).toBe(
      'All sorted correctly.',
    );
    expect(await wrong.count()).toBe(0);
    expect(await nextButton().isEnabled()).toBe(true);
    await next();
    expect(await stepTitle().textContent()).toBe('One fact, several reactions');
  });

  it('walkthrough 9: the checklist turns answers about a system into a recommendation with reasons', async () => {
    await startWalkthrough(9);
    await next();
    expect(await stepTitle().textContent()).toBe('System 1: an online shop');
    const questions = panel().locator('.learn-checklist > li');
    expect(await questions.count()).toBe(7);
    const recommend = panel().getByRole('button', { name: 'Recommend' });
    expect(await recommend.isDisabled()).toBe(true);
    for (const [i, answer] of ['Yes', 'Yes', 'Yes', 'Yes', 'Yes', 'Yes', 'No'].entries()) {
      await questions.nth(i).getByRole('radio', { name: answer, exact: true }).check();
    }
    await recommend.click();
    const result = panel().locator('.learn-recommendation');
    expect(await result.locator('h4').textContent()).toBe('Use events for the asynchronous parts');
    expect(await result.locator('li').count()).toBe(7);
    expect(await panel().locator('.learn-ours').textContent()).toContain('same recommendation');
    expect(await panel().locator('.learn-ours li').count()).toBe(0);
    expect(await nextButton().isEnabled()).toBe(true);
    await next();

    // System 2, the notes app: one answer differs from ours, and the reading says which.
    expect(await stepTitle().textContent()).toBe('System 2: a small notes app');
    expect(await nextButton().isDisabled()).toBe(true);
    for (const [i, answer] of ['No', 'No', 'No', 'No', 'Yes', 'No', 'Yes'].entries()) {
      await questions.nth(i).getByRole('radio', { name: answer, exact: true }).check();
    }
    await recommend.click();
    expect(await result.locator('h4').textContent()).toBe('Stay with plain request-response');
    const ours = panel().locator('.learn-ours');
    expect(await ours.textContent()).toContain('same recommendation');
    expect(await ours.locator('li').count()).toBe(1);
    expect(await ours.locator('li').textContent()).toBe(
      'Is it acceptable that other parts see a change a little later? We would answer no.',
    );
    expect(await nextButton().isEnabled()).toBe(true);
  });

  it('progress is kept across a reload, and the learner chooses when to set the simulator up again', async () => {
    await startWalkthrough(2);
    await predictNumber(40);
    await next();
    expect(await panel().textContent()).toContain('Step 2 of 6');
    // The step's world is the reveal's run to 10 s; the learner runs the simulator on.
    expect(await simNow(page)).toBe(10_000);
    await advanceTo(page, 15_000);

    await page.reload();
    await waitOpened(page);
    await expect.poll(() => tab(page, 'Walkthrough').getAttribute('aria-selected')).toBe('true');
    await panel().getByRole('heading', { name: 'Events are facts' }).waitFor();
    expect(await panel().textContent()).toContain('Step 2 of 6');
    expect(await stepTitle().textContent()).toBe('Facts and commands');
    // Until the learner says so, the simulator stays as it was restored.
    const continueHere = panel().getByRole('button', { name: 'Continue here' });
    await continueHere.waitFor();
    expect(await simNow(page)).toBe(15_000);
    await continueHere.click();
    await continueHere.waitFor({ state: 'detached' });
    // Now it is set up as at the start of step 2: step 1 played through again, to 10 s.
    await expect.poll(() => simNow(page)).toBe(10_000);
    // Back to step 1: its prediction stays locked in and revealed.
    await panel().getByRole('button', { name: 'Back' }).click();
    expect(await panel().textContent()).toContain('Step 1 of 6');
    await verdict().waitFor();
    expect(await verdict().textContent()).toMatch(/^You predicted 40 ms; the engine measured/);
    const guess = panel().getByRole('spinbutton', { name: /^Your prediction/ });
    expect(await guess.inputValue()).toBe('40');
    expect(await guess.isDisabled()).toBe(true);
    expect(await nextButton().isEnabled()).toBe(true);
  });

  it('unreadable saved progress is ignored with a message, and learning still works', async () => {
    await page.evaluate(() =>
      localStorage.setItem('fanout.learn.v1', '{"version":1,"walkthroughs":'),
    );
    await page.reload();
    await waitOpened(page);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Saved learning progress');
    await openLearn();
    expect(await hub().locator('.learn-cards > li').first().textContent()).toContain('Not started');
  });

  it('interview prep: "Show me" sets the simulator up beside the answer; a timed drill keeps notes and reveals key points', async () => {
    await openLearn('Interview prep');
    const question = hub().locator('details', {
      hasText: 'When would you not use event-driven architecture?',
    });
    await question.locator('summary').click();
    expect(await question.textContent()).toContain('simple CRUD');
    await question.getByRole('button', { name: /^Show me/ }).click();
    await hub().waitFor({ state: 'detached' });
    await expect
      .poll(() => page.getByRole('button', { name: /^Scenario:/ }).textContent())
      .toContain('notes app');
    await panel()
      .getByRole('heading', { name: 'When would you not use event-driven architecture?' })
      .waitFor();
    await expect.poll(() => readout('Direct: response time, 99th percentile')).toMatch(/\d+ ms/);

    await openLearn('Interview prep');
    await hub()
      .getByRole('button', { name: 'Start: Design order processing for a flash sale.' })
      .click();
    await panel()
      .getByRole('heading', { name: 'Design order processing for a flash sale.' })
      .waitFor();
    const timer = panel().getByRole('timer', { name: 'Time left' });
    expect(await timer.textContent()).toBe('10:00');
    // The drill's countdown is a person's time (wall clock), not the simulator's.
    await panel().getByRole('button', { name: 'Start timer' }).click();
    // It counts down (a loaded machine may show 9:58 or later before the first read).
    await expect.poll(() => timer.textContent()).toMatch(/^9:[0-5]\d$/);
    const notes = panel().getByRole('textbox', { name: /Your notes/ });
    await notes.fill('publish OrderCreated, queue per consumer, idempotent payment');
    await panel().getByRole('button', { name: 'Reveal the key points' }).click();
    const points = panel().getByRole('region', { name: 'Key points an interviewer listens for' });
    await points.waitFor();
    await points
      .getByRole('button', { name: /Show me on the simulator: Idempotent consumers/ })
      .click();
    await expect
      .poll(() => page.getByRole('button', { name: /^Scenario:/ }).textContent())
      .toContain('crashes before it acknowledges');
    await panel().getByText('redeliveries happen, double charges do not').waitFor();
    expect(await notes.inputValue()).toContain('idempotent payment');
  });

  it('large text for projectors: one switch enlarges the lessons, keeps the page fitting the screen, and is remembered', async () => {
    await startWalkthrough(1);
    const lessonText = () =>
      panel()
        .locator('.learn-step p')
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    const before = await lessonText();
    const toggle = panel().getByRole('switch', { name: 'Large text' });
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await expect.poll(lessonText).toBeGreaterThan(before * 1.3);
    try {
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
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
    await page.reload();
    await waitOpened(page);
    await panel().locator('.learn-step p').first().waitFor();
    await expect.poll(lessonText).toBeGreaterThan(before * 1.3);
  });
});
