/** `42310` -> `00:42.310`; minutes grow past 99 rather than wrap. */
export function formatSimTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  const minutes = Math.floor(total / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
}

/** `0.25` -> `0.25x`, `5` -> `5x`. */
export function formatSpeed(x: number): string {
  return `${Number(x.toFixed(2))}x`;
}
