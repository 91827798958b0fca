// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findScenario } from '../../content/scenarios';
import { type Intervention, Simulation } from '../../core';
import { toggleOutage } from '../../store/actions';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { InspectorPanel } from './InspectorPanel';
import { PANEL_REFRESH_MS } from './useThrottledSnapshot';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function setup(scenarioId = 'email-outage') {
  const pg = createHeadlessPlayground({ scenarioId, mode: 'event', playing: false });
  render(
    <PlaygroundProvider playground={pg} loop={false}>
      <InspectorPanel />
    </PlaygroundProvider>,
  );
  return pg;
}

/** The same run made directly on the engine, for what the panel should list. */
function engineRun(scenarioId: string, until: number, interventions: Intervention[] = []) {
  const scenario = findScenario(scenarioId);
  if (!scenario) throw new Error(`no scenario ${scenarioId}`);
  const sim = new Simulation(scenario, { architecture: 'event', openEnded: true, interventions });
  sim.runUntil(until);
  return sim;
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent);

describe('InspectorPanel', () => {
  it('the entry service’s publish mode can be switched to the outbox there (a new run), and the summary says so', async () => {
    const pg = setup('dual-write');
    await act(async () => {
      pg.ui.select({ side: 'event', nodeId: 'orders' });
    });
    const select = screen.getByLabelText(/Order Service publishes/) as HTMLSelectElement;
    expect(select.value).toBe('after-commit');
    await act(async () => {
      fireEvent.change(select, { target: { value: 'outbox' } });
    });
    expect(pg.getState().scenario.services[0]?.publish).toBe('outbox');
    expect(pg.getState().runs.event?.model.nodes.some((n) => n.kind === 'outbox')).toBe(true);
    // A consumer has no such choice.
    await act(async () => {
      pg.ui.select({ side: 'event', nodeId: 'payment' });
    });
    expect(screen.queryByLabelText(/publishes/)).toBeNull();
  });

  it('asks for a selection when nothing is selected', () => {
    setup();
    expect(screen.getByText(/Click a service or a queue/)).toBeTruthy();
  });

  it("lists a down consumer's waiting messages with id, type, order, attempt, age and note", async () => {
    const pg = setup();
    await act(async () => {
      await toggleOutage(pg, 'email');
      await pg.playback.advanceTo(3000);
      pg.ui.select({ side: 'event', nodeId: 'email-queue' });
    });
    const panel = screen.getByTestId('inspector');
    expect(within(panel).getByRole('heading', { name: 'Email queue' })).toBeTruthy();
    const rows = within(panel).getAllByRole('row').slice(1);
    const sim = engineRun('email-outage', 3000, [
      { at: 0, kind: 'fault', service: 'email', patch: { down: true } },
    ]);
    const expected = sim.queueMessages(1, 50);
    expect(rows.length).toBe(expected.length);
    expect(rows.length).toBeGreaterThan(5);
    const m = expected[0]!;
    expect(cells(rows[0]!).slice(0, 4)).toEqual([
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

  it('shows a service’s work in hand and the dead-letter queue’s letters', async () => {
    const pg = setup('poison-message');
    await act(async () => {
      await pg.playback.advanceTo(30000);
      pg.ui.select({ side: 'event', nodeId: 'dead-letter' });
    });
    const sim = engineRun('poison-message', 30000);
    const dl = sim.deadLetters(50);
    expect(dl.count).toBeGreaterThan(0);
    const panel = screen.getByTestId('inspector');
    const letters = within(panel).getAllByRole('row').slice(1);
    expect(letters.length).toBe(dl.items.length);
    expect(cells(letters[0]!)[0]).toBe(String(dl.items[0]!.id));
    expect(panel.textContent).toContain('poison');

    // Another node: its own messages come with the next frame.
    act(() => pg.ui.select({ side: 'event', nodeId: 'payment' }));
    const payment = sim.model.services.findIndex((s) => s.id === 'payment');
    const work = sim.serviceWork(payment, 50);
    expect(work.length).toBeGreaterThan(0);
    const inHand = within(screen.getByTestId('inspector')).getAllByRole('row').slice(1);
    expect(inHand.map((r) => cells(r)[0])).toEqual(work.map((w) => String(w.id)));

    act(() =>
      fireEvent.click(
        within(screen.getByTestId('inspector')).getByRole('button', { name: 'Clear' }),
      ),
    );
    expect(pg.getState().ui.selection).toBeNull();
  });

  it('refreshes at most every 250 ms of wall time, and always shows the latest state', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const pg = setup();
    await act(async () => {
      await toggleOutage(pg, 'email');
      pg.ui.select({ side: 'event', nodeId: 'email-queue' });
    });
    const waitingText = () =>
      within(screen.getByTestId('inspector')).getByText('Waiting').nextSibling?.textContent;
    const before = waitingText();
    await act(() => pg.playback.advanceTo(4000));
    // Within the interval: not yet.
    expect(waitingText()).toBe(before);
    act(() => vi.advanceTimersByTime(PANEL_REFRESH_MS));
    const run = pg.getState().runs.event!;
    expect(Number(waitingText())).toBeGreaterThan(Number(before));
    expect(waitingText()).toBe(String(run.queue(1).waiting));
  });
});
