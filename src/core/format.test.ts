import { describe, expect, it } from 'vitest';
import { formatSpeed } from '../run/speeds';
import { clockText, countText, secondsText } from './format';

describe('clockText', () => {
  it.each([
    [0, '00:00.000'],
    [42_310, '00:42.310'],
    [61_005.9, '01:01.005'],
    [100 * 60_000, '100:00.000'],
    [-5, '00:00.000'],
  ])('%d ms -> %s', (ms, text) => {
    expect(clockText(ms)).toBe(text);
  });
});

describe('secondsText and countText', () => {
  it('write seconds with milliseconds and counts with thousands separators', () => {
    expect(secondsText(12_345)).toBe('12.345 s');
    expect(countText(1_234_567.4)).toBe('1,234,567');
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
