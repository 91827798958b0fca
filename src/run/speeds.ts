/** Playback speeds: simulated time per wall-clock time. One definition for slider, links and lessons. */

export const MIN_SPEED = 0.1;
export const MAX_SPEED = 50;
/** The stops of the speed slider. Any value between MIN and MAX is accepted. */
export const SPEED_STOPS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50] as const;
export const DEFAULT_SPEED = 1;

export function clampSpeed(x: number): number {
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, x));
}

/** `0.25` -> `0.25x`, `5` -> `5x`. */
export function formatSpeed(x: number): string {
  return `${Number(x.toFixed(2))}x`;
}
