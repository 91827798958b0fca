/**
 * Flows: what the token layer draws on an edge whose tokens would overlap.
 *
 * From about 5x up, a busy edge holds more tokens than it has room for (at 20x and 10
 * orders a second, some fifty on an edge a hundred pixels long) and they merge into a
 * smear where nobody can count or tell a retry from an event. Such an edge, for each kind
 * of token on it, is drawn as a band instead: its width grows with the rate, dashes drift
 * along it in the direction of travel, and a label says how many a (simulated) second
 * pass. Each kind keeps its own band, colour and glyph, so a trickle of dead letters or
 * retries stays visible beside a flood of events. At 2x and below every token is drawn,
 * whatever the load.
 *
 * Which edges are bands, and their rates, come from one whole bucket of simulated time
 * (one token lifetime: a quarter second of wall time), the last one that has ended, or
 * the one under way once it holds more (a spike): the picture is still a pure function of
 * the simulated moment, and in steady traffic a label changes at most four times a
 * second, slowly enough to read.
 */
/** Bands are drawn only above this speed: at 0.1x-2x every token stays individual. */
export const BAND_MIN_SPEED = 2;

/**
 * Screen pixels each token of one kind needs on its edge to be seen as one: with fewer,
 * the kind's tokens on that edge become a band.
 */
export const BAND_MIN_GAP_PX = 12;

/** How fast the dashes drift along a band: screen pixels per wall-clock second. */
export const BAND_DRIFT_PX_PER_S = 48;

/** One period of a band's dash pattern, in screen pixels (the drift wraps at it). */
export const BAND_DASH_PERIOD_PX = 16;

/**
 * The end of the last whole bucket of simulated time before `now`: band decisions count
 * the records in [end - lifetimeMs, end), `lifetimeMs` being a token's time on an edge.
 */
export function bandBucketEnd(now: number, lifetimeMs: number): number {
  return Math.floor(now / lifetimeMs) * lifetimeMs;
}

/** Messages per simulated second from a count over one bucket. */
export function bandRate(count: number, lifetimeMs: number): number {
  return (count * 1000) / lifetimeMs;
}

/**
 * Does one kind with `count` tokens in the last bucket overflow an edge `lengthPx` long
 * on screen? (A token lives about one bucket, so the count is about how many are on it.)
 */
export function overflows(count: number, lengthPx: number): boolean {
  return count * BAND_MIN_GAP_PX > lengthPx;
}

/** A band's width in screen pixels: 3 at one a second, growing with the log of the rate, at most 12. */
export function bandWidthPx(rate: number): number {
  return Math.min(12, 3 + 1.6 * Math.log2(1 + rate));
}

/**
 * How far the dashes have drifted, in screen pixels within one period: a function of
 * simulated time and speed (so it stands still while paused), and 0 with reduced motion.
 */
export function bandShiftPx(now: number, speed: number, reducedMotion: boolean): number {
  if (reducedMotion) return 0;
  const wallMs = now / speed;
  return ((wallMs * BAND_DRIFT_PX_PER_S) / 1000) % BAND_DASH_PERIOD_PX;
}

/** A band's label: `40/s`, `2.5/s`, `0.4/s`. */
export function formatRate(rate: number): string {
  if (rate >= 10) return `${Math.round(rate)}/s`;
  return `${Number(rate.toFixed(1))}/s`;
}
