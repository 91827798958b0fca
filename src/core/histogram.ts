/**
 * A bounded latency histogram: exact below 1024 ms, then 64 buckets per power of
 * two (under 1.6% error). Memory stays bounded however long the run.
 */

const EXACT = 1024;
const SUB_BITS = 6;
const SUB = 1 << SUB_BITS;
const MAX_EXP = 31;
const SIZE = EXACT + (MAX_EXP - 10 + 1) * SUB;
/**
 * Buckets a histogram starts with, doubled (up to SIZE) when a value lands past them.
 * Every checkpoint copies every histogram (11 in the engine benchmark): at their full
 * 2,432 buckets that was 107 KB of each checkpoint's 240 KB of typed arrays, mostly
 * zeros past the few hundred milliseconds a service's work takes, kept alive by up to
 * 64 checkpoints and marked by the garbage collector with them.
 */
const FIRST_BUCKETS = 256;

export interface Histogram {
  /** Counts per bucket; buckets past its length are empty. */
  buckets: Uint32Array;
  count: number;
  sum: number;
  max: number;
}

export function createHistogram(): Histogram {
  return { buckets: new Uint32Array(FIRST_BUCKETS), count: 0, sum: 0, max: 0 };
}

/** Room for bucket `b`: the buckets doubled until it fits (never past SIZE). */
function grow(h: Histogram, b: number): Uint32Array {
  let length = h.buckets.length;
  while (length <= b) length *= 2;
  const grown = new Uint32Array(Math.min(length, SIZE));
  grown.set(h.buckets);
  h.buckets = grown;
  return grown;
}

function bucketOf(v: number): number {
  if (v < EXACT) return Math.max(v, 0);
  const e = 31 - Math.clz32(v);
  return EXACT + (e - 10) * SUB + ((v >>> (e - SUB_BITS)) & (SUB - 1));
}

/** The middle of a bucket's range, rounded: what a percentile in that bucket reports. */
function bucketValue(bucket: number): number {
  if (bucket < EXACT) return bucket;
  const k = bucket - EXACT;
  const e = 10 + Math.floor(k / SUB);
  const sub = k % SUB;
  const low = (SUB + sub) * 2 ** (e - SUB_BITS);
  const width = 2 ** (e - SUB_BITS);
  return Math.round(low + width / 2);
}

/** Record one value (integer milliseconds). */
export function histAdd(h: Histogram, v: number): void {
  const b = bucketOf(v);
  const buckets = b < h.buckets.length ? h.buckets : grow(h, b);
  buckets[b] = (buckets[b] as number) + 1;
  h.count++;
  h.sum += v;
  if (v > h.max) h.max = v;
}

/** The p-th percentile (0 < p <= 100) by the nearest-rank rule; 0 when empty. */
export function histPercentile(h: Histogram, p: number): number {
  if (h.count === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * h.count));
  if (rank >= h.count) return h.max;
  let seen = 0;
  for (let b = 0; b < h.buckets.length; b++) {
    seen += h.buckets[b] as number;
    if (seen >= rank) return Math.min(bucketValue(b), h.max);
  }
  return h.max;
}

/** p50, p95, p99 and max, as in the report. */
export function histSummary(h: Histogram): { p50: number; p95: number; p99: number; max: number } {
  return {
    p50: histPercentile(h, 50),
    p95: histPercentile(h, 95),
    p99: histPercentile(h, 99),
    max: h.max,
  };
}
