// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlaygroundProvider } from '../../store/context';
import { createPlaygroundStore } from '../../store/playground';
import { InspectorPanel } from './InspectorPanel';
import { PANEL_REFRESH_MS } from './useThrottledSnapshot';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function setup(scenarioId = 'email-outage') {
  const store = createPlaygroundStore({ scenarioId, mode: 'event', playing: false });
  render(
    <PlaygroundProvider store={store} loop={false}>
      <InspectorPanel />
    </PlaygroundProvider>,
  );
  return store;
}

describe('InspectorPanel', () => {
  it('asks for a selection when nothing is selected', () => {
    setup();
    expect(screen.getByText(/Click a service or a queue/)).toBeTruthy();
  });

  it("lists a down consumer's waiting messages with id, type, order, attempt, age and note", () => {
    const store = setup();
    act(() => {
      store.getState().toggleOutage('email');
      store.getState().advanceTo(3000);
      store.getState().select({ side: 'event', nodeId: 'email-queue' });
    });
    const panel = screen.getByTestId('inspector');
    expect(within(panel).getByRole('heading', { name: 'Email queue' })).toBeTruthy();
    const rows = within(panel).getAllByRole('row').slice(1);
    const sim = store.getState().sims.event!;
    const expected = sim.queueMessages(1, 50);
    expect(rows.length).toBe(expected.length);
    expect(rows.length).toBeGreaterThan(5);
    const first = within(rows[0]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    const m = expected[0]!;
    expect(first.slice(0, 4)).toEqual([
      String(m.id),
      'OrderCreated',
      `#${m.corr}`,
      String(m.attempt),
    ]);
    // Trace lines name the node's records in sentences, newest first.
    const lines = within(panel)
      .getAllByRole('listitem')
      .map((li) => li.textContent ?? '');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => /^t=\d+\.\d{3}s .*email queue/.test(l))).toBe(true);
  });

  it('shows a service’s work in hand and the dead-letter queue’s letters', () => {
    const store = setup('poison-message');
    act(() => {
      store.getState().advanceTo(30000);
      store.getState().select({ side: 'event', nodeId: 'dead-letter' });
    });
    const dl = store.getState().sims.event!.deadLetters(50);
    expect(dl.count).toBeGreaterThan(0);
    const panel = screen.getByTestId('inspector');
    expect(within(panel).getAllByRole('row').length - 1).toBe(dl.items.length);
    expect(panel.textContent).toContain('poison');
    act(() => fireEvent.click(within(panel).getByRole('button', { name: 'Clear' })));
    expect(store.getState().selection).toBeNull();
  });

  it('refreshes at most every 250 ms of wall time, and always shows the latest state', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const store = setup();
    act(() => {
      store.getState().toggleOutage('email');
      store.getState().select({ side: 'event', nodeId: 'email-queue' });
    });
    const waitingText = () =>
      within(screen.getByTestId('inspector')).getByText('Waiting').nextSibling?.textContent;
    const before = waitingText();
    act(() => store.getState().advanceTo(4000));
    // Within the interval: not yet.
    expect(waitingText()).toBe(before);
    act(() => vi.advanceTimersByTime(PANEL_REFRESH_MS));
    const sim = store.getState().sims.event!;
    expect(waitingText()).toBe(String(sim.queue(1).waiting));
  });
});
