/**
 * Seeded random numbers with independent named streams.
 *
 * Each stream is a small sfc32 generator whose four words live in a plain array, so
 * the whole simulation state can be checkpointed with `structuredClone`. Streams are
 * derived from (seed, name): drawing more from one stream (say, a service's latency)
 * never shifts the numbers another stream (say, arrivals) produces.
 */

/** The four 32-bit words of one sfc32 generator. */
export type RngState = [number, number, number, number];

/** FNV-1a over a string, 32 bits. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A well-mixed 32-bit hash of one word (splitmix32's finaliser): for choices fixed by an id. */
export function hashWord(x: number): number {
  return splitmix32(x);
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A fresh stream for `name` under `seed`. */
export function createStream(seed: number, name: string): RngState {
  let x = splitmix32((seed >>> 0) ^ hashString(name));
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    x = splitmix32(x + i);
    words.push(x);
  }
  const state = words as RngState;
  // Warm up: sfc32 mixes poorly during its first few outputs.
  for (let i = 0; i < 12; i++) nextUint32(state);
  return state;
}

/** Next 32-bit unsigned integer; advances the stream. */
export function nextUint32(s: RngState): number {
  const t = (((s[0] + s[1]) | 0) + s[3]) | 0;
  s[3] = (s[3] + 1) | 0;
  s[0] = s[1] ^ (s[1] >>> 9);
  s[1] = (s[2] + (s[2] << 3)) | 0;
  s[2] = (s[2] << 21) | (s[2] >>> 11);
  s[2] = (s[2] + t) | 0;
  return t >>> 0;
}

/** Uniform in [0, 1). */
export function nextFloat(s: RngState): number {
  return nextUint32(s) / 4294967296;
}

/** Exponentially distributed with the given mean. */
export function nextExponential(s: RngState, mean: number): number {
  return -mean * Math.log(1 - nextFloat(s));
}

/** Standard normal (Box–Muller; the second value is discarded to keep the state plain). */
export function nextNormal(s: RngState): number {
  const u = 1 - nextFloat(s);
  const v = nextFloat(s);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
