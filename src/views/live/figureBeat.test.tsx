// @vitest-environment happy-dom
import '../canvas/testSetup';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { clockText } from '../../core/format';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { ArchitectureCanvas } from '../canvas/ArchitectureCanvas';
import { fmt } from '../canvas/nodes/common';
import { CLOCK_REFRESH_MS, SimClock } from '../controls/SimClock';
import { Timeline } from '../timeline';
import { FIGURE_REFRESH_MS, refreshSlot } from './figureBeat';

afterEach(cleanup);

async function playing(speed = 1) {
  const pg = createHeadlessPlayground({
    scenarioId: 'checkout',
    mode: 'event',
    playing: true,
    speed,
  });
  await pg.ready;
  render(
    <PlaygroundProvider playground={pg} loop={false}>
      <div style={{ width: 1000, height: 500 }}>
        <ArchitectureCanvas side="event" />
      </div>
      <SimClock />
      <Timeline />
    </PlaygroundProvider>,
  );
  const run = () => {
    const r = pg.getState().runs.event;
    if (!r) throw new Error('no event side');
    return r;
  };
  const email = run().model.services.findIndex((s) => s.id === 'email');
  const processedText = () =>
    within(screen.getByTestId('service-event-email'))
      .getByTitle(/Pieces of work done/)
      .querySelector('.num')?.textContent;
  const clock = () => screen.getByRole('timer').textContent;
  const timeline = () => screen.getByRole('slider', { name: 'Timeline' }) as HTMLInputElement;
  const tokens = () =>
    document.querySelector<HTMLCanvasElement>('canvas.token-layer')?.dataset.tokenDigest;
  return { pg, run, email, processedText, clock, timeline, tokens };
}

/** Frames as a browser gives them: uneven, about 60 a second. */
const frameMs = (i: number) => (i % 3 === 0 ? 20 : 16);

// Hundreds of rendered frames each: slow on a busy machine.
describe('numbers while playing', { timeout: 30_000 }, () => {
  it('a node’s counter changes only on the figure beat, and shows the exact figure once paused', async () => {
    const { pg, run, email, processedText } = await playing(2);
    const changedAt: number[] = [];
    let shown = processedText();
    for (let i = 0; i < 300; i++) {
      const before = pg.getState();
      act(() => pg.playback.tick(frameMs(i)));
      const text = processedText();
      if (text !== shown) {
        shown = text;
        // It changed in a frame that crossed into a new beat, not in any other.
        expect(refreshSlot(pg.getState(), FIGURE_REFRESH_MS)).not.toBe(
          refreshSlot(before, FIGURE_REFRESH_MS),
        );
        changedAt.push(pg.getState().now);
      }
    }
    // About 5 s of wall time at 4 beats a second: it did move, and at most once a beat.
    expect(changedAt.length).toBeGreaterThan(5);
    expect(changedAt.length).toBeLessThanOrEqual(5 * (1000 / FIGURE_REFRESH_MS) + 1);
    // Between beats the page may be behind the engine; paused, it is not.
    act(() => pg.playback.pause());
    expect(processedText()).toBe(fmt(run().service(email).processed));
  });

  it('a learner’s action shows at once, between beats', async () => {
    const { pg, run, email } = await playing();
    for (let i = 0; i < 20; i++) act(() => pg.playback.tick(16));
    const sw = screen.getByRole('switch', { name: 'Email Service outage' });
    expect(sw.getAttribute('aria-checked')).toBe('false');
    await act(async () => fireEvent.click(sw));
    expect(run().service(email).down).toBe(true);
    expect(sw.getAttribute('aria-checked')).toBe('true');
    expect(pg.getState().playing).toBe(true);
  });

  it('the clock reads ten times a second while playing and shows the exact time once paused', async () => {
    const { pg, clock } = await playing(0.5);
    let shown = clock();
    let changes = 0;
    for (let i = 0; i < 120; i++) {
      const before = pg.getState();
      act(() => pg.playback.tick(frameMs(i)));
      if (clock() !== shown) {
        shown = clock();
        changes++;
        expect(refreshSlot(pg.getState(), CLOCK_REFRESH_MS)).not.toBe(
          refreshSlot(before, CLOCK_REFRESH_MS),
        );
        expect(clock()).toBe(`t = ${clockText(pg.getState().now)}`);
      }
    }
    // 2 s of wall time: about 20 readings, not 120.
    expect(changes).toBeGreaterThan(10);
    expect(changes).toBeLessThanOrEqual(21);
    act(() => pg.playback.pause());
    expect(clock()).toBe(`t = ${clockText(pg.getState().now)}`);
  });

  it('the timeline’s value follows the beat while playing and is exact once paused', async () => {
    const { pg, timeline } = await playing();
    for (let i = 0; i < 100; i++) act(() => pg.playback.tick(frameMs(i)));
    const now = pg.getState().now;
    expect(Math.abs(Number(timeline().value) - now)).toBeLessThanOrEqual(FIGURE_REFRESH_MS);
    act(() => pg.playback.pause());
    expect(timeline().value).toBe(String(Math.round(pg.getState().now)));
    expect(timeline().getAttribute('aria-valuetext')).toBe(clockText(pg.getState().now));
  });

  it('the token layer says what it draws on the beat while playing, and on every picture once paused', async () => {
    const { pg, tokens } = await playing();
    let shown = tokens();
    let changes = 0;
    for (let i = 0; i < 120; i++) {
      const before = pg.getState();
      act(() => pg.playback.tick(frameMs(i)));
      if (tokens() !== shown) {
        shown = tokens();
        changes++;
        expect(refreshSlot(pg.getState(), FIGURE_REFRESH_MS)).not.toBe(
          refreshSlot(before, FIGURE_REFRESH_MS),
        );
      }
    }
    expect(changes).toBeGreaterThan(2);
    act(() => pg.playback.pause());
    const paused = tokens();
    await act(() => pg.playback.advanceTo(pg.getState().now + 40));
    expect(tokens()).not.toBe(paused);
  });
});
