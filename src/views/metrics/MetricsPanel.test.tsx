// @vitest-environment happy-dom
import '../canvas/testSetup';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Simulation } from '../../core';
import { findScenario } from '../../content/scenarios';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { ArchitectureCanvas } from '../canvas';
import { PANEL_REFRESH_MS } from '../inspector/useThrottledSnapshot';
import { MetricsPanel } from '.';
import { formatValue } from './MetricsPanelImpl';
import { REPORT_ROWS } from './reportRows';

// uPlot needs a real 2D canvas; here only the numbers and the wiring are under test.
const created: Array<{ setData: ReturnType<typeof vi.fn> }> = [];
vi.mock('uplot', () => ({
  default: class {
    width = 300;
    setData = vi.fn();
    setSize = vi.fn();
    destroy = vi.fn();
    constructor() {
      created.push(this);
    }
  },
}));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('MetricsPanel', () => {
  it('shows the engine report numbers for each side at the same scenario and moment', async () => {
    const pg = createHeadlessPlayground({
      scenarioId: 'email-outage',
      mode: 'compare',
      playing: false,
    });
    await pg.playback.advanceTo(25000);
    render(
      <PlaygroundProvider playground={pg} loop={false}>
        <MetricsPanel />
      </PlaygroundProvider>,
    );
    // A limit, not a wait: the panel's code is loaded lazily, which a busy machine slows.
    const table = await screen.findByTestId('report-table', {}, { timeout: 10_000 });
    const scenario = findScenario('email-outage')!;
    for (const side of ['chain', 'event'] as const) {
      // An independent run of the same scenario to the same moment.
      const sim = new Simulation(scenario, { architecture: side, openEnded: true });
      sim.runUntil(25000);
      const report = sim.report();
      for (const row of REPORT_ROWS) {
        const cell = table.querySelector(`tr[data-key="${row.key}"] td[data-side="${side}"]`);
        const expected = row.eventOnly && side === 'chain' ? '–' : formatValue(row.value(report));
        expect(cell?.textContent, `${side} ${row.key}`).toBe(expected);
      }
    }
    // The story of the scenario, in the table: the chain failed orders, fan-out did not.
    const failed = within(table).getByText('Failed').closest('tr')!;
    expect(
      Number(failed.querySelector('td[data-side="chain"]')!.textContent!.replace(/,/g, '')),
    ).toBeGreaterThan(0);
    expect(failed.querySelector('td[data-side="event"]')!.textContent).toBe('0');
    expect(screen.getAllByRole('figure').length).toBe(4);
    // The charts are made in an effect after the lazily loaded panel commits: on a busy
    // machine that can come after the table is found.
    await waitFor(() => expect(created.length).toBe(4), { timeout: 10_000 });
  });

  it('refreshing the charts does not re-render the canvas', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const pg = createHeadlessPlayground({
      scenarioId: 'email-outage',
      mode: 'event',
      playing: false,
    });
    let canvasCommits = 0;
    render(
      <PlaygroundProvider playground={pg} loop={false}>
        <Profiler id="canvas" onRender={() => canvasCommits++}>
          <div style={{ width: 900, height: 400 }}>
            <ArchitectureCanvas side="event" />
          </div>
        </Profiler>
        <MetricsPanel />
      </PlaygroundProvider>,
    );
    await act(async () => {
      await vi.dynamicImportSettled();
    });
    const table = await vi.waitFor(() => screen.getByTestId('report-table'), { timeout: 10_000 });
    await act(() => pg.playback.advanceTo(2000));
    const before = canvasCommits;
    const sent = () => table.querySelector('tr[data-key="sent"] td')?.textContent;
    const shownBefore = sent();
    // The trailing refresh of the metrics panel fires on its own timer...
    act(() => vi.advanceTimersByTime(PANEL_REFRESH_MS));
    expect(sent()).not.toBe(shownBefore);
    // ...and the canvas does not render for it.
    expect(canvasCommits).toBe(before);
  });
});
