/** How times and counts read on screen, in messages and in the CLI. One definition each. */

/** `42310` -> `00:42.310` (the playground clock); minutes grow past 99 rather than wrap. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  const minutes = Math.floor(total / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
}

/** `12345` -> `12.345 s`. */
export function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** `1234567` -> `1,234,567`. */
export function countText(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
