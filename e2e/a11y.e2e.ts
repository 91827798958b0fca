/**
 * Accessibility: every screen of the app visited once, checked with axe. The first check
 * covers the whole playground; after that each check is scoped to what the screen adds
 * (a view of the stage, a side-panel tab, a dialog, a lesson), so nothing is checked
 * twice. This is the one place axe runs; the behaviour of these screens is tested in the
 * other files.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, it } from 'vitest';
import { advanceTo, reset, resetProgress, sidePanel, tab } from './app';
import { expectNoAxeViolations, load, filePage } from './browser';

const app = filePage();
let page: Page;

beforeAll(() => {
  page = app.page;
});

const SIDE_PANEL = 'aside[aria-label="Side panel"]';
const DIALOG = 'dialog[open], [role="dialog"]';

describe('accessibility (axe)', () => {
  it('the playground: compare, then each view of the stage, light and dark', async () => {
    await reset(page, { scenario: 'email-outage' });
    await advanceTo(page, 12_000);
    await expectNoAxeViolations(page);
    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      await expectNoAxeViolations(page);
    } finally {
      await page.emulateMedia({ colorScheme: null });
    }
    await reset(page, { scenario: 'email-outage', mode: 'chain' });
    await advanceTo(page, 12_000);
    await expectNoAxeViolations(page, '#stage');
    await reset(page, { scenario: 'email-outage', mode: 'event' });
    await advanceTo(page, 12_000);
    await expectNoAxeViolations(page, '#stage');
    // Orchestration beside choreography: the orchestrator's node and the Compare pickers.
    await reset(page, { scenario: 'orchestrated-checkout', mode: 'compare:event:orchestration' });
    await advanceTo(page, 8_000);
    await expectNoAxeViolations(page, '#stage');
  });

  it('the side panel: inspector, metrics, broker and trace tabs', async () => {
    await reset(page, { scenario: 'poison-message', mode: 'event' });
    await advanceTo(page, 15_000);
    await page.getByRole('button', { name: 'Email queue', exact: true }).click();
    await page.getByTestId('inspector').getByRole('heading', { name: 'Email queue' }).waitFor();
    await expectNoAxeViolations(page, SIDE_PANEL);
    await page.getByRole('button', { name: 'Dead-letter queue', exact: true }).click();
    await page
      .getByTestId('inspector')
      .getByRole('button', { name: 'Redrive dead letters' })
      .waitFor();
    await expectNoAxeViolations(page, SIDE_PANEL);

    await tab(page, 'Metrics').click();
    await page.getByTestId('report-table').waitFor();
    await page.locator('.uplot-host canvas').first().waitFor();
    await expectNoAxeViolations(page, SIDE_PANEL);

    await tab(page, 'Broker').click();
    await sidePanel(page).getByRole('heading', { name: 'RabbitMQ-style queue' }).waitFor();
    await expectNoAxeViolations(page, SIDE_PANEL);

    await tab(page, 'Trace').click();
    await page.getByLabel('Order number').fill('36');
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page
      .getByTestId('follow-event')
      .getByRole('list', { name: /^Hops of/ })
      .waitFor();
    await expectNoAxeViolations(page, SIDE_PANEL);
  });

  it('dialogs and messages: fault menu, shortcuts, scenario picker, change the past, branch A', async () => {
    await reset(page, { mode: 'chain' });
    await advanceTo(page, 6000);
    await page.getByRole('button', { name: 'Email Service fault settings' }).click();
    await page.getByRole('dialog', { name: 'Email Service fault settings' }).waitFor();
    await expectNoAxeViolations(page, DIALOG);
    await page.keyboard.press('Escape');

    await page.getByRole('heading', { level: 1, name: 'Fanout' }).click();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await expectNoAxeViolations(page, DIALOG);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: /^Scenario:/ }).click();
    await page.getByRole('list', { name: 'Built-in scenarios' }).waitFor();
    await expectNoAxeViolations(page, '.topbar');
    await page.keyboard.press('Escape');

    // In the past, a change asks first; kept as branch A, both outcomes side by side.
    const timeline = page.getByRole('slider', { name: 'Timeline' });
    await timeline.focus();
    await page.keyboard.press('Home');
    await page.getByText('Viewing the past').waitFor();
    await page.getByRole('switch', { name: 'Payment Service outage' }).click();
    const fork = page.getByRole('dialog', { name: 'Change the past?' });
    await fork.waitFor();
    await expectNoAxeViolations(page, DIALOG);
    await fork.getByRole('button', { name: 'Keep it as branch A' }).click();
    await page.getByRole('region', { name: /^Branch A/ }).waitFor();
    await advanceTo(page, 6000);
    await expectNoAxeViolations(page, '.strip');
    await expectNoAxeViolations(page, '.timeline');
  });

  it('sharing: the Share dialog, a file that was not opened, notices, messages, the update prompt', async () => {
    await reset(page);
    await advanceTo(page, 3000);
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('dialog', { name: 'Share this moment' }).waitFor();
    await expectNoAxeViolations(page, DIALOG);
    await page.keyboard.press('Escape');

    // The other messages, shown through the playground's UI slice.
    await page.evaluate(() => {
      const ui = window.__fanout?.playground.ui;
      ui?.showImportProblems({
        message: 'lesson.json was not opened: 2 problems. Your current setup is unchanged.',
        details: ['services[1].latency_ms: must be >= 0', 'surprise: unknown key'],
      });
    });
    await page.getByRole('dialog', { name: 'The file was not opened' }).waitFor();
    await expectNoAxeViolations(page, DIALOG);
    await page.keyboard.press('Escape');
    await page.evaluate(() => {
      const ui = window.__fanout?.playground.ui;
      ui?.showImportProblems(null);
      ui?.notify({
        kind: 'restored',
        text: 'Restored your last session: Checkout at t = 00:03.000.',
        previous: null,
      });
      ui?.setError('URL parameter "arch": "bogus" is not one of chain, event, compare.');
      ui?.offerUpdate(() => {});
    });
    await page.getByRole('region', { name: 'Restored session' }).waitFor();
    await page.getByRole('region', { name: 'Update' }).waitFor();
    await page.getByRole('alert').waitFor();
    await expectNoAxeViolations(page, '[aria-label="Restored session"]');
    await expectNoAxeViolations(page, '[aria-label="Update"]');
    await expectNoAxeViolations(page, '.banner');
    await page.evaluate(() => {
      const ui = window.__fanout?.playground.ui;
      ui?.notify(null);
      ui?.setError(null);
      ui?.offerUpdate(null);
    });
  });

  it('learning: the Learn hub, a walkthrough step with its reveal, a challenge, interview prep, large text', async () => {
    await resetProgress(page);
    await reset(page);
    const hub = page.getByRole('dialog', { name: 'Learn' });
    const openLearn = async (section: string) => {
      await page.getByRole('button', { name: 'Learn', exact: true }).click();
      await hub.waitFor();
      await hub.getByRole('tab', { name: section }).click();
    };
    await openLearn('Walkthroughs');
    await expectNoAxeViolations(page, DIALOG);
    for (const section of ['Challenges', 'Interview prep', 'Decision checklist']) {
      await hub.getByRole('tab', { name: section }).click();
      await expectNoAxeViolations(page, DIALOG);
    }
    await hub.getByRole('tab', { name: 'Interview prep' }).click();
    const question = hub.locator('details', {
      hasText: 'When would you not use event-driven architecture?',
    });
    await question.locator('summary').click();
    await expectNoAxeViolations(page, DIALOG);

    // Walkthrough 6, step 2: a prediction, locked in and revealed beside the measured numbers.
    await hub.getByRole('tab', { name: 'Walkthroughs' }).click();
    await hub.getByRole('button', { name: /^Start walkthrough 6:/ }).click();
    await hub.waitFor({ state: 'detached' });
    const panel = sidePanel(page);
    const next = panel.getByRole('button', { name: 'Next', exact: true });
    await panel.getByRole('heading', { name: /Reliability/ }).waitFor();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await expectNoAxeViolations(page, SIDE_PANEL);
    await page.evaluate(() => window.__fanout?.playground.playback.pause());
    await advanceTo(page, 4000);
    await next.click();
    await panel.getByRole('radio', { name: /They succeed; their emails wait/ }).check();
    await panel.getByRole('button', { name: 'Lock in my prediction' }).click();
    await panel.getByRole('button', { name: 'Run and reveal' }).click();
    await panel.locator('.learn-reveal .learn-verdict').waitFor();
    await expectNoAxeViolations(page, SIDE_PANEL);
    await expectNoAxeViolations(page, '#stage');

    // A challenge, graded.
    await openLearn('Challenges');
    await hub.getByRole('button', { name: 'Open challenge: Stop the double charges' }).click();
    await panel.getByRole('heading', { name: 'Stop the double charges' }).waitFor();
    await panel.getByRole('button', { name: 'Run and grade' }).click();
    await panel.locator('.learn-grade').waitFor();
    await expectNoAxeViolations(page, SIDE_PANEL);

    // Interview prep: a timed drill with its key points.
    await openLearn('Interview prep');
    await hub
      .getByRole('button', { name: 'Start: Design order processing for a flash sale.' })
      .click();
    await panel.getByRole('button', { name: 'Reveal the key points' }).click();
    await panel.getByRole('region', { name: 'Key points an interviewer listens for' }).waitFor();
    await expectNoAxeViolations(page, SIDE_PANEL);

    // Large text for projectors.
    await panel.getByRole('switch', { name: 'Large text' }).click();
    await expectNoAxeViolations(page);
    await panel.getByRole('switch', { name: 'Large text' }).click();
  });

  it('the classroom: presenter mode (and its drawing layer), and the embed', async () => {
    await resetProgress(page);
    await reset(page);
    await advanceTo(page, 3000);
    await page.getByRole('button', { name: 'Present', exact: true }).click();
    const bar = page.getByRole('navigation', { name: 'Presenter mode' });
    await bar.waitFor();
    await expectNoAxeViolations(page);
    await bar.getByRole('button', { name: 'Freeze and annotate' }).click();
    await page.getByRole('img', { name: /Drawing layer/ }).waitFor();
    await expectNoAxeViolations(page);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await bar.waitFor({ state: 'detached' });

    await load(app, '?embed=1&paused=1');
    await page.locator('.embed').waitFor();
    await advanceTo(page, 3000);
    await expectNoAxeViolations(page);
  });
});
