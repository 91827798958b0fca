// @vitest-environment happy-dom
import { act, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import type { SideStats } from './sideStats';
import { useSideStats } from './useSideStats';

type Seen = { chain: SideStats | null; event: SideStats | null };

/** Renders both rows' numbers and records what each render showed. */
function Probe({ seen }: { seen: Seen[] }) {
  const chain = useSideStats('chain');
  const event = useSideStats('event');
  seen.push({ chain, event });
  return null;
}

describe('the comparison strip while playing', () => {
  it('shows both sides at the same moment: fan-out never reads fewer answered orders than the chain', async () => {
    const pg = createHeadlessPlayground({
      scenarioId: 'checkout',
      mode: 'compare',
      speed: 2,
      playing: true,
    });
    await pg.ready;
    const seen: Seen[] = [];
    render(
      <PlaygroundProvider playground={pg} loop={false}>
        <Probe seen={seen} />
      </PlaygroundProvider>,
    );
    // Uneven frames, as a real browser gives them.
    for (let i = 0; i < 400; i++) {
      act(() => pg.playback.tick(i % 3 === 0 ? 33 : 16));
    }
    const compared = seen.filter((s) => s.chain && s.event && s.chain.succeeded > 0);
    expect(compared.length).toBeGreaterThan(20);
    // The same orders arrive on both sides; the fan-out answers each in ~40 ms, the chain in
    // ~260 ms. Read at the same moment, fan-out is always ahead or level.
    for (const { chain, event } of compared) {
      // The same moment on both rows: the same orders have arrived.
      expect(event?.sent).toBe(chain?.sent);
      expect(event?.succeeded).toBeGreaterThanOrEqual(chain?.succeeded ?? 0);
    }
  });
});
