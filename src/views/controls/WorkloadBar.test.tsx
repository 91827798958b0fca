// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { RATE_SETTLE_MS, WorkloadBar } from './WorkloadBar';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const rateActions = (pg: ReturnType<typeof createHeadlessPlayground>) =>
  Object.values(pg.getState().runs).map(
    (run) => run?.interventions.filter((i) => i.kind === 'rate') ?? [],
  );

describe('the rate slider', () => {
  it('makes one action of a drag across many steps, once it settles', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pg = createHeadlessPlayground({
      scenarioId: 'checkout',
      mode: 'compare',
      playing: false,
    });
    await pg.ready;
    render(
      <PlaygroundProvider playground={pg} loop={false}>
        <WorkloadBar />
      </PlaygroundProvider>,
    );
    const slider = screen.getByRole('slider', { name: 'Orders per second' });
    // A drag of a thousand steps (5,001 made a session that saved but could not be read back).
    for (let i = 0; i < 1000; i++) {
      fireEvent.change(slider, { target: { value: String(20 + (i % 180)) } });
      vi.advanceTimersByTime(RATE_SETTLE_MS / 10);
    }
    // Nothing applied while the learner is still dragging.
    expect(rateActions(pg)).toEqual([[], []]);
    await act(async () => {
      vi.advanceTimersByTime(RATE_SETTLE_MS);
    });
    await vi.waitFor(() => expect(rateActions(pg).map((list) => list.length)).toEqual([1, 1]));
    // The last value the slider showed, as one action on each side.
    expect(rateActions(pg).map((list) => list[0]?.rate)).toEqual([
      20 + (999 % 180),
      20 + (999 % 180),
    ]);
    pg.dispose();
  });
});
