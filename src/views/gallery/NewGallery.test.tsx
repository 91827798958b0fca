// @vitest-environment happy-dom
/**
 * The New gallery as a learner uses it: the New button opens a dialog of templates, each
 * with its story, experiment and a named button; starting one loads its run through the
 * playground (the notice offers the way back); the dialog is axe-clean.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { templates } from '../../content/templates';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { NewButton } from './NewButton';

afterEach(cleanup);

async function openGallery() {
  const pg = createHeadlessPlayground({ scenarioId: 'checkout', mode: 'event', playing: false });
  await pg.ready;
  render(
    <PlaygroundProvider playground={pg} loop={false}>
      <main>
        <NewButton />
      </main>
    </PlaygroundProvider>,
  );
  fireEvent.click(screen.getByRole('button', { name: 'New' }));
  // The gallery is a lazy chunk: its first import is transformed on the spot.
  const dialog = await screen.findByRole(
    'dialog',
    { name: 'Start something new' },
    { timeout: 10_000 },
  );
  return { pg, dialog };
}

describe('New gallery', () => {
  it('opens from the New button and lists every template with its story, experiment and a named button', async () => {
    const { pg, dialog } = await openGallery();
    expect(pg.getState().ui.galleryOpen).toBe(true);
    const cards = within(dialog).getAllByRole('listitem');
    expect(cards).toHaveLength(templates.length);
    templates.forEach((t, i) => {
      const card = cards[i] as HTMLElement;
      expect(within(card).getByRole('heading', { name: t.scenario.name })).toBeTruthy();
      expect(card.textContent).toContain(t.story);
      expect(card.textContent).toContain(t.experiment);
      expect(
        within(card).getByRole('button', { name: `Start with ${t.scenario.name}` }),
      ).toBeTruthy();
    });
    expect(within(dialog).getByRole('button', { name: 'Import AsyncAPI…' })).toBeTruthy();
  });

  it('starts a template through loadRun, closes, and offers the way back', async () => {
    const { pg, dialog } = await openGallery();
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Start with Ride hailing' }));
    });
    await waitFor(() => expect(pg.getState().scenario.id).toBe('ride-hailing'));
    const s = pg.getState();
    expect(s.ui.galleryOpen).toBe(false);
    expect(s.mode).toBe('event');
    expect(s.runs.event?.model.services.map((m) => m.id)).toEqual([
      'trips',
      'matching',
      'pricing',
      'notifications',
    ]);
    expect(s.ui.notice?.text).toMatch(
      /^Started from the template “Ride hailing”\. Try this: Make Matching slow/,
    );
    expect(s.ui.notice?.previous?.scenario.id).toBe('checkout');
    // And it runs: time moves, orders flow.
    await act(async () => {
      await pg.playback.advanceTo(2000);
    });
    expect(pg.getState().runs.event?.report().requests.sent).toBeGreaterThan(0);
  });

  it('closes with its Close button, changing nothing', async () => {
    const { pg, dialog } = await openGallery();
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
      // The native form submits and closes the dialog; happy-dom may leave the close event to us.
      (dialog as HTMLDialogElement).close();
    });
    expect(pg.getState().ui.galleryOpen).toBe(false);
    expect(pg.getState().scenario.id).toBe('checkout');
  });

  it('has no axe violations', async () => {
    const { dialog } = await openGallery();
    const result = await axe.run(dialog, {
      // happy-dom computes no layout or colours: contrast is checked in the browser (e2e).
      rules: { 'color-contrast': { enabled: false } },
    });
    // The rules that matter here did run, and passed: names on buttons, lists, headings.
    expect(result.passes.map((p) => p.id)).toEqual(
      expect.arrayContaining(['button-name', 'list', 'listitem', 'heading-order']),
    );
    expect(
      result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
});
