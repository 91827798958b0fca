import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setupToJson } from './setup';
import { readSession, sessionText } from './storedState';
import { sampleSetup } from './testSetups';

describe('saved session', () => {
  it('reads back what was saved, with when', () => {
    const setup = sampleSetup();
    expect(readSession(sessionText(setup, 1_700_000_000_000))).toEqual({
      ok: true,
      value: { setup, savedAt: 1_700_000_000_000 },
    });
  });

  it('nothing saved is not an error', () => {
    expect(readSession(null)).toBeNull();
    expect(readSession('')).toBeNull();
  });

  it('a damaged or newer session gets one message', () => {
    const msg = (text: string) => {
      const r = readSession(text);
      if (!r || r.ok) throw new Error('expected a failure');
      return r.message;
    };
    expect(msg('{"fanout_session":1,')).toBe(
      'Your saved session could not be restored: it is damaged (not valid JSON).',
    );
    expect(msg('[]')).toBe('Your saved session could not be restored: it is damaged.');
    expect(msg(JSON.stringify({ fanout_session: 9, setup: {} }))).toBe(
      'Your saved session could not be restored: it was saved by a newer version of Fanout.',
    );
    expect(
      msg(
        JSON.stringify({ fanout_session: 1, setup: { ...setupToJson(sampleSetup()), seed: 'x' } }),
      ),
    ).toBe(
      'Your saved session could not be restored: seed: must be a whole number from 0 to 4294967295.',
    );
    expect(
      msg(
        JSON.stringify({
          fanout_session: 1,
          setup: { ...setupToJson(sampleSetup()), fanout_setup: 5 },
        }),
      ),
    ).toBe(
      'Your saved session could not be restored: it was made by a newer version of Fanout (setup format 5); this version reads format 1 only. Update Fanout to open it.',
    );
  });

  it('fuzz: mutated and random stored text never throws', () => {
    const good = sessionText(sampleSetup(), 5);
    const mutate = fc
      .tuple(fc.nat({ max: good.length - 1 }), fc.string({ maxLength: 5 }), fc.nat({ max: 8 }))
      .map(([at, insert, cut]) => good.slice(0, at) + insert + good.slice(at + cut));
    fc.assert(
      fc.property(
        fc.oneof(
          mutate,
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const r = readSession(text);
          if (r && !r.ok)
            expect(r.message).toMatch(/^Your saved session could not be restored: .+\.$/);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
