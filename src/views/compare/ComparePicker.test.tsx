// @vitest-environment happy-dom
/**
 * Compare any two sides: the request chain, event fan-out (choreography) and orchestration.
 * One picker per canvas; the pair is the mode, so the address bar and share links keep it.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeSetup } from '../../share/link';
import { encodeSetup } from '../../share/writeLink';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { playgroundSearch, parsePlaygroundUrl } from '../../store/urlParams';
import { ArchitectureTabs } from '../controls/ArchitectureTabs';
import { ComparePicker } from './ComparePicker';

afterEach(cleanup);

async function open(mode: 'compare' | 'chain' = 'compare') {
  const pg = createHeadlessPlayground({
    scenarioId: 'orchestrated-checkout',
    mode,
    playing: false,
  });
  await pg.ready;
  render(
    <PlaygroundProvider playground={pg} loop={false}>
      <ArchitectureTabs />
      {pg.getState().mode.startsWith('compare') && <ComparePicker />}
    </PlaygroundProvider>,
  );
  return pg;
}

describe('the Compare picker', () => {
  it('opens on the chain above events, as Compare always did, and runs whichever two sides are picked', async () => {
    const pg = await open();
    const top = screen.getByRole('combobox', { name: 'Top' });
    const bottom = screen.getByRole('combobox', { name: 'Bottom' });
    expect([(top as HTMLSelectElement).value, (bottom as HTMLSelectElement).value]).toEqual([
      'chain',
      'event',
    ]);
    await act(async () => {
      fireEvent.change(bottom, { target: { value: 'orchestration' } });
    });
    await vi.waitFor(() => expect(pg.getState().mode).toBe('compare:chain:orchestration'));
    expect(Object.keys(pg.getState().runs).sort()).toEqual(['chain', 'orchestration']);
    expect(pg.getState().runs.orchestration?.model.saga).not.toBeNull();
    // The Compare tab stays the selected one.
    const tabs = screen.getByRole('tablist', { name: 'Architecture' });
    expect(within(tabs).getByRole('tab', { selected: true }).textContent).toBe('Compare');
    pg.dispose();
  });

  it('picking the side the other canvas shows swaps the two', async () => {
    const pg = await open();
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Top' }), {
        target: { value: 'event' },
      });
    });
    await vi.waitFor(() => expect(pg.getState().mode).toBe('compare:event:chain'));
    pg.dispose();
  });

  it('keeps the pair in the address bar and in a share link', async () => {
    const pg = await open();
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Top' }), {
        target: { value: 'orchestration' },
      });
    });
    await vi.waitFor(() => expect(pg.getState().mode).toBe('compare:orchestration:event'));
    const search = playgroundSearch(pg.getState());
    expect(parsePlaygroundUrl(search).init.mode).toBe('compare:orchestration:event');
    const s = pg.getState();
    const link = decodeSetup(
      encodeSetup({
        scenario: s.scenario,
        builtIn: true,
        seed: s.seed,
        mode: s.mode,
        speed: 1,
        at: 0,
        interventions: {},
      }),
    );
    expect(link.ok && link.value.mode).toBe('compare:orchestration:event');
    pg.dispose();
  });

  it('the Orchestration tab shows one side, and Compare comes back to the pair last picked', async () => {
    const pg = await open();
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Bottom' }), {
        target: { value: 'orchestration' },
      });
    });
    await vi.waitFor(() => expect(pg.getState().mode).toBe('compare:chain:orchestration'));
    const tabs = screen.getByRole('tablist', { name: 'Architecture' });
    await act(async () => {
      fireEvent.click(within(tabs).getByRole('tab', { name: 'Orchestration' }));
    });
    await vi.waitFor(() => expect(pg.getState().mode).toBe('orchestration'));
    // Arrow keys move between the tabs, as in every tab list.
    await act(async () => {
      fireEvent.keyDown(tabs, { key: 'ArrowRight' });
    });
    await vi.waitFor(() => expect(pg.getState().mode).toBe('compare:chain:orchestration'));
    pg.dispose();
  });
});
