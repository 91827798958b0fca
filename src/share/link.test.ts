import fc from 'fast-check';
import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../core';
import { compactSetup, decodeSetup, LINK_COMFORTABLE_CHARS, readSetupHash } from './link';
import type { Setup } from './setup';
import { checkout, learnerActions, sampleSetup } from './testSetups';
import { encodeSetup, shareLink } from './writeLink';

const encodeRaw = (value: unknown) => compressToEncodedURIComponent(JSON.stringify(value));

describe('share link', () => {
  it('round-trips a built-in setup with every kind of learner action', () => {
    const setup = sampleSetup();
    const decoded = decodeSetup(encodeSetup(setup));
    expect(decoded).toEqual({ ok: true, value: setup });
  });

  it('round-trips a crash-before-publish switch on the entry service', () => {
    const actions = [
      {
        at: 300,
        kind: 'fault' as const,
        service: 'orders',
        patch: { publishCrashRate: 0.05, crashRate: 0.1 },
      },
    ];
    const setup = sampleSetup({ interventions: { chain: actions, event: actions } });
    expect(decodeSetup(encodeSetup(setup))).toEqual({ ok: true, value: setup });
  });

  it('names a built-in scenario by id and keeps the link short', () => {
    const compact = compactSetup(sampleSetup());
    expect(compact.b).toBe('checkout');
    expect(compact.c).toBeUndefined();
    const link = shareLink(
      sampleSetup(),
      'https://school.example/courses/eda/fanout/index.html?scenario=x#y',
    );
    expect(link.url).toMatch(
      /^https:\/\/school\.example\/courses\/eda\/fanout\/index\.html#setup=[A-Za-z0-9+\-$]+$/,
    );
    expect(link.length).toBeLessThan(400);
    expect(link.fit).toBe('comfortable');
  });

  it('keeps extra query parameters such as embed=1', () => {
    expect(shareLink(sampleSetup(), 'http://h/a/', 'embed=1').url).toMatch(
      /^http:\/\/h\/a\/\?embed=1#setup=/,
    );
  });

  it('carries a whole custom scenario, and says when a link gets long', () => {
    const custom = parseScenario({
      ...checkout(),
      id: 'custom',
      description: 'x'.repeat(200),
      broker: { kind: 'sns-sqs', fifo: true },
    });
    if (!custom.ok) throw new Error('invalid');
    const setup: Setup = sampleSetup({ scenario: custom.scenario, builtIn: false });
    const decoded = decodeSetup(encodeSetup(setup));
    expect(decoded.ok && decoded.value.scenario).toEqual(custom.scenario);
    expect(decoded.ok && decoded.value.builtIn).toBe(false);

    const many = Array.from({ length: 1500 }, (_, i) => ({
      at: i * 37,
      kind: 'fault' as const,
      service: 'email',
      patch: { down: i % 2 === 0, slowFactor: 1 + (i % 7) / 3 },
    }));
    const big = shareLink(
      { ...setup, interventions: { chain: many, event: many } },
      'https://x.test/',
    );
    expect(big.length).toBeGreaterThan(LINK_COMFORTABLE_CHARS);
    expect(['long', 'too-long']).toContain(big.fit);
  });

  it('stores each side separately only when they differ', () => {
    const setup = sampleSetup({
      interventions: { chain: learnerActions.slice(0, 2), event: learnerActions },
    });
    const compact = compactSetup(setup);
    expect(compact.i).toBeUndefined();
    expect(compact.j).toBeDefined();
    expect(decodeSetup(encodeSetup(setup))).toEqual({ ok: true, value: setup });
  });

  it('ignores a fragment that holds no setup, and reads one that does', () => {
    expect(readSetupHash('')).toBeNull();
    expect(readSetupHash('#section-2')).toBeNull();
    expect(readSetupHash(`#setup=${encodeSetup(sampleSetup())}`)?.ok).toBe(true);
  });

  it('survives percent-encoding by chat apps', () => {
    const payload = encodeSetup(sampleSetup());
    expect(decodeSetup(payload.replace(/\$/g, '%24')).ok).toBe(true);
  });
});

describe('broken and hostile links get one clear message', () => {
  const message = (payload: string) => {
    const r = decodeSetup(payload);
    if (r.ok) throw new Error('expected a failure');
    return r.message;
  };

  it('names what is wrong', () => {
    expect(message('')).toBe(
      'This share link is damaged or incomplete: it holds no setup. Nothing was changed.',
    );
    expect(message('<script>alert(1)</script>')).toMatch(/characters a Fanout link never has/);
    expect(message(encodeSetup(sampleSetup()).slice(0, 40))).toMatch(
      /^This share link is damaged or incomplete: /,
    );
    expect(message(encodeRaw({ v: 1, b: 'nope', s: 1, m: 'x', x: 1, t: 0 }))).toMatch(
      /scenario: "nope" is not a built-in scenario/,
    );
    expect(message(encodeRaw({ v: 1, b: 'checkout', s: -1, m: 'x', x: 1, t: 0 }))).toMatch(
      /seed: must be a whole number/,
    );
    expect(
      message(
        encodeRaw({ v: 1, b: 'checkout', s: 1, m: 'x', x: 1, t: 0, i: [[0, 'f', 9, { d: 1 }]] }),
      ),
    ).toMatch(/interventions\[0\]\.service: 9 is not a service of scenario "checkout"/);
    expect(
      message(encodeRaw({ v: 1, b: 'checkout', s: 1, m: 'x', x: 1, t: 0, i: [[0, 'q']] })),
    ).toMatch(/actions\[0\]: unknown action/);
    expect(message(encodeRaw({ v: 1, b: 'checkout', s: 1, m: 'x', x: 1, t: 0, evil: 1 }))).toMatch(
      /unknown part "evil"/,
    );
  });

  it('refuses a link from a newer Fanout, or with a newer scenario version', () => {
    expect(message(encodeRaw({ v: 2, b: 'checkout' }))).toMatch(
      /newer version of Fanout \(link format 2\).*Update Fanout/,
    );
    expect(
      message(encodeRaw({ v: 1, c: { ...checkout(), version: 3 }, s: 1, m: 'x', x: 1, t: 0 })),
    ).toMatch(/newer version of Fanout \(scenario version 3\)/);
  });

  it('refuses payloads longer than any link the app writes, before decompressing them', () => {
    expect(message('A'.repeat(70_000))).toMatch(/more than any Fanout link/);
    expect(message('A'.repeat(8001))).toMatch(/is 8001 characters long, more than any Fanout link/);
  });

  it('stops decompressing a short payload that expands past any setup', () => {
    // A few thousand characters for a megabyte of text: refused as soon as it passes the ceiling.
    const bomb = compressToEncodedURIComponent(`{"v":1,"b":"${'a'.repeat(1_050_000)}"}`);
    expect(bomb.length).toBeLessThan(8000);
    expect(message(bomb)).toMatch(/expands to far more than any setup/);
  });

  it('names the loop in a valid-looking scenario that would never let time advance', () => {
    // A service that re-emits what it subscribes to, with no latency and no network time.
    const looping = {
      ...checkout(),
      id: 'loop',
      network_ms: 0,
      services: [
        ...checkout().services,
        {
          id: 'echo',
          name: 'Echo Service',
          latency_ms: 0,
          subscribes: ['OrderCreated'],
          emits: ['OrderCreated'],
        },
      ],
    };
    const r = decodeSetup(encodeRaw({ v: 1, c: looping, s: 1, m: 'e', x: 1, t: 0 }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(
      /Echo Service re-emits OrderCreated, which it subscribes to, with no delay/,
    );
  });

  it('fuzz: no input makes decoding throw; failures always carry a message', () => {
    const good = encodeSetup(sampleSetup());
    const mutated = fc
      .tuple(fc.nat({ max: good.length - 1 }), fc.string({ maxLength: 4 }), fc.nat({ max: 6 }))
      .map(([at, insert, cut]) => good.slice(0, at) + insert + good.slice(at + cut));
    const jsonish = fc.jsonValue().map(encodeRaw);
    const shaped = fc
      .record(
        {
          v: fc.constantFrom(1, 2, '1'),
          b: fc.constantFrom('checkout', 'signup', 3),
          s: fc.anything(),
          m: fc.string(),
          x: fc.anything(),
          t: fc.anything(),
          i: fc.array(fc.array(fc.jsonValue(), { maxLength: 5 }), { maxLength: 5 }),
        },
        { requiredKeys: [] },
      )
      .map(encodeRaw);
    fc.assert(
      fc.property(
        fc.oneof(mutated, fc.string(), fc.string({ unit: 'binary' }), jsonish, shaped),
        (payload) => {
          const result = decodeSetup(payload);
          if (!result.ok) expect(result.message).toMatch(/^This share link/);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
