/**
 * Decompression of share-link payloads with a ceiling on what it produces.
 *
 * Links are compressed with lz-string (`compressToEncodedURIComponent`): an LZW-style
 * stream of variable-width codes written six bits per URL-safe character. Such a stream
 * can expand quadratically: a few thousand characters may stand for tens of millions.
 * This reader decodes the same format but stops as soon as the output would pass
 * `maxChars`, so a hostile link costs at most that much work and memory. Equivalence with
 * lz-string's own decoder is property-tested (boundedDecompress.test.ts).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE = new Map([...ALPHABET].map((ch, i) => [ch, i]));

/**
 * Reads little-endian bit fields from six-bit characters, highest bit of a character
 * first. Past the end it reads zeros, as lz-string does; `exhausted` says whether every
 * real bit was read.
 */
class BitReader {
  private index = 0;
  private value = 0;
  private mask = 0;

  constructor(private readonly text: string) {}

  /** The next `width` bits as a number (least significant first). */
  read(width: number): number {
    let out = 0;
    for (let bit = 0; bit < width; bit++) {
      if (this.mask === 0) {
        this.value = VALUE.get(this.text.charAt(this.index++)) ?? 0;
        this.mask = 32;
      }
      if (this.value & this.mask) out |= 1 << bit;
      this.mask >>= 1;
    }
    return out;
  }

  get exhausted(): boolean {
    return this.index > this.text.length || (this.index === this.text.length && this.mask === 0);
  }
}

/** Why a payload did not decompress. */
export type DecompressFailure = 'damaged' | 'too-large';

/**
 * Decode an lz-string URI-component payload. Returns the text, or why not: `too-large`
 * as soon as the output would exceed `maxChars`, `damaged` for a stream that is not one.
 */
export function boundedDecompress(payload: string, maxChars: number): string | DecompressFailure {
  const input = payload.replace(/ /g, '+');
  if (input === '') return 'damaged';
  const bits = new BitReader(input);
  const dictionary: string[] = ['', '', ''];
  let width = 2;
  let untilWider = 4;
  let produced = 0;
  const out: string[] = [];

  // Codes 0 and 1 introduce a literal of 8 or 16 bits; 2 ends the stream.
  const literal = (code: number): string | null =>
    code === 0 || code === 1 ? String.fromCharCode(bits.read(code === 0 ? 8 : 16)) : null;

  const first = bits.read(width);
  if (first === 2) return '';
  const start = literal(first);
  if (start === null) return 'damaged';
  dictionary.push(start);
  let previous = start;
  out.push(start);
  produced = 1;
  width = 3;

  for (;;) {
    // A stream must end with its end code before the input does.
    if (bits.exhausted) return 'damaged';
    const code = bits.read(width);
    let entry: string;
    if (code === 2) return out.join('');
    if (code === 0 || code === 1) {
      const ch = literal(code);
      if (ch === null) return 'damaged';
      dictionary.push(ch);
      untilWider--;
      if (untilWider === 0) {
        untilWider = 2 ** width;
        width++;
      }
      entry = ch;
    } else if (code < dictionary.length) {
      entry = dictionary[code] as string;
    } else if (code === dictionary.length) {
      entry = previous + previous.charAt(0);
    } else {
      return 'damaged';
    }
    produced += entry.length;
    if (produced > maxChars) return 'too-large';
    out.push(entry);
    dictionary.push(previous + entry.charAt(0));
    untilWider--;
    previous = entry;
    if (untilWider === 0) {
      untilWider = 2 ** width;
      width++;
    }
  }
}
