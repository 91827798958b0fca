/** How times and counts read on screen, in messages and in the CLI. One definition each. */

/** `42310` -> `00:42.310` (the playground clock); minutes grow past 99 rather than wrap. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  const minutes = Math.floor(total / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
}

/** `12345` -> `12.345 s` (`decimals` digits after the point). */
export function secondsText(ms: number, decimals = 3): string {
  return `${(ms / 1000).toFixed(decimals)} s`;
}

/**
 * A duration as a person reads it: `87 ms` under a second, `1.42 s` under a minute
 * (`decimals` digits), `2 min 5 s` beyond.
 */
export function durationText(ms: number, decimals = 2): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return secondsText(ms, decimals);
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `1234567` -> `1,234,567`. */
export function countText(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
