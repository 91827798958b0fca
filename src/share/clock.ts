/** `42310` -> `00:42.310` (the playground clock's format), for messages and file names. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  const m = Math.floor(total / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(total % 1000).padStart(3, '0')}`;
}
