// @vitest-environment happy-dom
/**
 * The strip counts orders a saga cancelled after the user heard "accepted", beside the
 * chain that says "failed" at once, and only where orders can be cancelled at all.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { CompareStrip } from './CompareStrip';

afterEach(() => cleanup());

async function strip(scenarioId: string, atMs: number) {
  const pg = createHeadlessPlayground({ scenarioId, mode: 'compare', playing: false });
  await pg.playback.advanceTo(atMs);
  render(
    <PlaygroundProvider playground={pg} loop={false}>
      <CompareStrip />
    </PlaygroundProvider>,
  );
  return screen.getByRole('table');
}

const cell = (table: HTMLElement, side: string, metric: string) =>
  table.querySelector(`tr[data-side="${side}"] td[data-metric="${metric}"]`)?.textContent;

describe('the strip with sagas', () => {
  it('payment-declined-saga: the event side counts orders cancelled after "accepted"; the chain failed them in the answer', async () => {
    const table = await strip('payment-declined-saga', 30_000);
    expect(within(table).getByRole('columnheader', { name: /Cancelled/ })).toBeTruthy();
    expect(Number(cell(table, 'event', 'cancelled'))).toBeGreaterThan(10);
    expect(cell(table, 'event', 'failed')).toBe('0');
    expect(cell(table, 'chain', 'cancelled')).toBe('0');
    expect(Number(cell(table, 'chain', 'failed'))).toBeGreaterThan(10);
  });

  it('checkout has no sagas: no Cancelled column', async () => {
    const table = await strip('checkout', 5_000);
    expect(within(table).queryByRole('columnheader', { name: /Cancelled/ })).toBeNull();
    expect(within(table).getByRole('columnheader', { name: /Lost/ })).toBeTruthy();
  });

  it('orchestrated-checkout orchestrated beside events: both count their cancelled orders', async () => {
    const pg = createHeadlessPlayground({
      scenarioId: 'orchestrated-checkout',
      mode: 'compare:event:orchestration',
      playing: false,
    });
    await pg.playback.advanceTo(30_000);
    render(
      <PlaygroundProvider playground={pg} loop={false}>
        <CompareStrip />
      </PlaygroundProvider>,
    );
    const table = screen.getByRole('table');
    expect(within(table).getByRole('columnheader', { name: /Cancelled/ })).toBeTruthy();
    expect(Number(cell(table, 'orchestration', 'cancelled'))).toBeGreaterThan(0);
  });
});
