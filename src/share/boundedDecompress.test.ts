/** The bounded decoder reads exactly what lz-string writes, and stops early on a bomb. */
import fc from 'fast-check';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { boundedDecompress } from './boundedDecompress';

describe('bounded decompression of link payloads', () => {
  it('gives back what lz-string compressed, for any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 3000 }),
          fc.string({ unit: 'binary', maxLength: 500 }),
          fc.json(),
        ),
        (text) => {
          const payload = compressToEncodedURIComponent(text);
          expect(boundedDecompress(payload, 1_000_000)).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("agrees with lz-string on random payloads: any text it gives is lz-string's text, and it never throws", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9+$-]{1,200}$/), (payload) => {
        let theirs: string | null;
        try {
          theirs = decompressFromEncodedURIComponent(payload);
        } catch {
          // lz-string throws on some damaged input; ours never does.
          theirs = null;
        }
        const ours = boundedDecompress(payload, 10_000_000);
        // Stricter than lz-string (which reads on through a damaged first code): whatever
        // text it does give is lz-string's text.
        if (ours !== 'damaged' && ours !== 'too-large') expect(ours).toBe(theirs ?? '');
      }),
      { numRuns: 500 },
    );
  });

  it('stops as soon as a payload would expand past the ceiling', () => {
    // 200,000 identical characters compress to under 2,000: a short link, a big expansion.
    const bomb = compressToEncodedURIComponent('a'.repeat(200_000));
    expect(bomb.length).toBeLessThan(2000);
    expect(boundedDecompress(bomb, 50_000)).toBe('too-large');
    expect(boundedDecompress(bomb, 300_000)).toHaveLength(200_000);
  });
});
