import { describe, expect, it } from 'vitest';
import { formatSimTime, formatSpeed } from './formatTime';

describe('formatSimTime', () => {
  it.each([
    [0, '00:00.000'],
    [42_310, '00:42.310'],
    [61_005.9, '01:01.005'],
    [100 * 60_000, '100:00.000'],
    [-5, '00:00.000'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatSimTime(ms)).toBe(text);
  });
});

describe('formatSpeed', () => {
  it.each([
    [0.1, '0.1x'],
    [0.25, '0.25x'],
    [1, '1x'],
    [50, '50x'],
    [1 / 3, '0.33x'],
  ])('%d -> %s', (x, text) => {
    expect(formatSpeed(x)).toBe(text);
  });
});
