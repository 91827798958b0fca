import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../core';
import { findScenario } from '../content/scenarios';
import { decodeSetup, encodeSetup, readSetupHash, shareLink } from '../share/link';
import { readImportedText, setupFileText } from '../share/setupFile';
import { readSession, SESSION_KEY, sessionText } from '../share/storedState';
import { createPlaygroundStore, type PlaygroundState } from './playground';
import {
  applyScenario,
  applySetup,
  clearSession,
  planBoot,
  replaySetup,
  runFingerprints,
  saveSession,
  setupFromState,
  startAutosave,
} from './share';

const paused = (init: Parameters<typeof createPlaygroundStore>[0] = {}) =>
  createPlaygroundStore({ playing: false, ...init });

/** A learner at work: an outage, a rate change, a spike, one order, recovery. */
function workedStore(init: Parameters<typeof createPlaygroundStore>[0] = {}) {
  const store = paused(init);
  const s = () => store.getState();
  s().advanceTo(2500.4);
  s().toggleOutage('email');
  s().setRate(25);
  s().advanceTo(6100);
  s().spike();
  s().sendOrder();
  s().setFault('payment', { slowFactor: 3 });
  s().advanceTo(9000.7);
  s().toggleOutage('email');
  s().scale('payment', 2, 4);
  s().advanceTo(12_345.6);
  return store;
}

/** Everything a learner can see and compare, per side. */
function observed(s: PlaygroundState) {
  return {
    scenario: s.scenario.id,
    seed: s.seed,
    mode: s.mode,
    speed: s.speed,
    now: Math.floor(s.now),
    rate: s.rate,
    fingerprints: runFingerprints(s),
    reports: Object.fromEntries(
      Object.entries(s.sims).map(([side, sim]) => {
        const { trace_hash, ...report } = sim.report() as unknown as Record<string, unknown>;
        return [side, { report, trace_hash }];
      }),
    ),
  };
}

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

describe('a share link reproduces the exact run', () => {
  it('opens at the same moment with the same trace hash and numbers on both sides', () => {
    const source = workedStore({ speed: 5 });
    const link = shareLink(
      setupFromState(source.getState()),
      'https://example.org/courses/eda/fanout/?scenario=checkout#old',
    );
    expect(link.url.startsWith('https://example.org/courses/eda/fanout/#setup=')).toBe(true);
    expect(link.fit).toBe('comfortable');

    const decoded = readSetupHash(new URL(link.url).hash);
    if (!decoded?.ok) throw new Error(decoded?.message);
    const target = paused({ scenarioId: 'signup', mode: 'chain' });
    const applied = applySetup(target, decoded.value);
    expect(applied).toEqual({ ok: true, value: null });

    const want = observed(source.getState());
    expect(observed(target.getState())).toEqual({ ...want, now: 12_345 });
    // Not trivially equal: the same moment without the learner's actions is another run.
    expect(decoded.value.interventions.event).toHaveLength(7);
    const without = replaySetup({ ...decoded.value, interventions: {} });
    expect(without.ok && without.value.sims.event?.traceHash).not.toBe(want.fingerprints.event);
    expect(target.getState().sims.chain?.traceHash).toBe(source.getState().sims.chain?.traceHash);
    expect(target.getState().sims.event?.traceHash).toBe(source.getState().sims.event?.traceHash);
    // It opens paused at that moment, so what the sender saw is what the receiver sees.
    expect(target.getState().playing).toBe(false);
  });

  it('carries a changed broker (a custom scenario) in full', () => {
    const checkout = findScenario('checkout');
    if (!checkout) throw new Error('no checkout');
    const custom = parseScenario({
      ...checkout,
      id: 'my-lesson',
      broker: { kind: 'log', partitions: 2 },
    });
    if (!custom.ok) throw new Error('custom scenario invalid');
    const source = paused({ mode: 'event' });
    applyScenario(source, custom.scenario);
    source.getState().pause();
    source.getState().advanceTo(1500);
    source.getState().toggleOutage('email');
    source.getState().advanceTo(4000);

    const setup = setupFromState(source.getState());
    expect(setup.builtIn).toBe(false);
    const decoded = decodeSetup(encodeSetup(setup));
    if (!decoded.ok) throw new Error(decoded.message);
    expect(decoded.value.scenario.broker).toEqual(custom.scenario.broker);
    const target = paused();
    applySetup(target, decoded.value);
    expect(observed(target.getState())).toEqual(observed(source.getState()));
  });

  it('keeps going identically after opening: the future is the same too', () => {
    const source = workedStore();
    const target = paused();
    const decoded = decodeSetup(encodeSetup(setupFromState(source.getState())));
    if (!decoded.ok) throw new Error(decoded.message);
    applySetup(target, decoded.value);
    for (const store of [source, target]) {
      store.getState().advanceTo(20_000);
      store.getState().toggleOutage('analytics');
      store.getState().advanceTo(25_000);
    }
    expect(observed(target.getState())).toEqual(observed(source.getState()));
  });

  it('a setup file and a saved session reproduce it too', () => {
    const source = workedStore({ mode: 'event' });
    const setup = setupFromState(source.getState());
    const fromFile = readImportedText(setupFileText(setup), 'lesson.fanout-setup.json');
    if (!fromFile.ok || fromFile.value.kind !== 'setup') throw new Error('file did not read back');
    const fromSession = readSession(sessionText(setup, 1));
    if (!fromSession?.ok) throw new Error('session did not read back');
    for (const s of [fromFile.value.setup, fromSession.value.setup]) {
      const target = paused();
      applySetup(target, s);
      expect(observed(target.getState())).toEqual(observed(source.getState()));
    }
  });
});

describe('a setup that cannot be opened changes nothing', () => {
  it('stops replaying at the budget and says where it opened', () => {
    const source = workedStore();
    const setup = setupFromState(source.getState());
    const cut = replaySetup(setup, 100);
    expect(cut.ok && cut.value.cut).toBe(true);
    const target = paused();
    const applied = applySetup(target, setup, { budget: 100 });
    expect(applied.ok && applied.value).toMatch(
      /^Opened at t = 00:01\.000 instead of t = 00:12\.345/,
    );
    expect(target.getState().now).toBe(1000);
  });

  it('fuzz: random and mutated links never throw and never touch the current setup', () => {
    const store = workedStore();
    const before = observed(store.getState());
    const good = encodeSetup(setupFromState(store.getState()));
    const mutated = fc
      .tuple(
        fc.nat({ max: good.length - 1 }),
        fc.string({ minLength: 0, maxLength: 3 }),
        fc.nat({ max: 4 }),
      )
      .map(([at, insert, cut]) => good.slice(0, at) + insert + good.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string(), fc.base64String()), (payload) => {
        const result = decodeSetup(payload);
        if (result.ok) {
          // A mutation may still decode to a valid setup: opening it must not throw either.
          const other = paused();
          expect(() => applySetup(other, result.value, { budget: 200_000 })).not.toThrow();
        } else {
          expect(result.message).toMatch(/share link/);
        }
        expect(observed(store.getState())).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});

describe('opening is all or nothing', () => {
  it('an engine error while replaying leaves the current setup exactly as it was', () => {
    const store = workedStore();
    const before = observed(store.getState());
    const sims = store.getState().sims;
    const setup = setupFromState(store.getState());
    // Past validation (which would refuse it): an action on a service the scenario lacks.
    const broken = {
      ...setup,
      interventions: {
        chain: [
          { at: 5, kind: 'order' as const },
          { at: 10, kind: 'scale' as const, service: 'ghost', replicas: 1, concurrency: 1 },
        ],
      },
    };
    const applied = applySetup(store, broken);
    expect(applied.ok).toBe(false);
    expect(!applied.ok && applied.message).toMatch(
      /^This setup could not be replayed \(unknown service "ghost"\)\. Nothing was changed\.$/,
    );
    expect(store.getState().sims).toBe(sims);
    expect(observed(store.getState())).toEqual(before);
  });

  it('fuzz: random fragments and saved sessions never throw at start-up, and a refused one opens nothing', () => {
    const good = sessionText(setupFromState(workedStore().getState()), 1);
    const link = `#setup=${encodeSetup(setupFromState(workedStore().getState()))}`;
    const mutate = (text: string) =>
      fc
        .tuple(fc.nat({ max: text.length - 1 }), fc.string({ maxLength: 4 }), fc.nat({ max: 6 }))
        .map(([at, insert, cut]) => text.slice(0, at) + insert + text.slice(at + cut));
    fc.assert(
      fc.property(
        fc.oneof(mutate(link), fc.string()),
        fc.oneof(mutate(good), fc.string(), fc.constant(null)),
        (hash, saved) => {
          const plan = planBoot({ hash, search: '', saved, embed: false });
          if (plan.open) {
            const store = paused();
            expect(() =>
              applySetup(store, plan.open?.setup as never, { budget: 100_000 }),
            ).not.toThrow();
          }
          for (const problem of plan.problems)
            expect(problem).toMatch(/^(This share link|Your saved session)/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('start-up: link, then saved session, then the address', () => {
  const session = () =>
    sessionText(setupFromState(workedStore({ scenarioId: 'email-outage' }).getState()), 42);

  it('opens a link first', () => {
    const link = shareLink(setupFromState(workedStore().getState()), 'https://x.test/');
    const plan = planBoot({
      hash: new URL(link.url).hash,
      search: '',
      saved: session(),
      embed: false,
    });
    expect(plan.open?.from).toBe('link');
    expect(plan.open?.setup.scenario.id).toBe('checkout');
    expect(plan.hadLink).toBe(true);
    // The saved session it replaces stays one click away.
    expect(plan.previous?.scenario.id).toBe('email-outage');
  });

  it('a broken link is named and the saved session (the previous setup) opens instead', () => {
    const plan = planBoot({ hash: '#setup=garbage!!', search: '', saved: session(), embed: false });
    expect(plan.problems).toEqual([
      expect.stringMatching(/^This share link is damaged or incomplete/),
    ]);
    expect(plan.open?.from).toBe('session');
    expect(plan.open?.setup.scenario.id).toBe('email-outage');
    expect(plan.open?.savedAt).toBe(42);
  });

  it('restores the saved session unless the address asks for another scenario', () => {
    expect(
      planBoot({
        hash: '',
        search: '?scenario=email-outage&seed=1',
        saved: session(),
        embed: false,
      }).open?.from,
    ).toBe('session');
    expect(
      planBoot({ hash: '', search: '?scenario=signup', saved: session(), embed: false }).open,
    ).toBeNull();
    expect(planBoot({ hash: '', search: '', saved: null, embed: false })).toEqual({
      open: null,
      problems: [],
      hadLink: false,
      previous: null,
    });
  });

  it('an embedded page opens its link but never the saved session', () => {
    expect(
      planBoot({ hash: '', search: '?embed=1', saved: session(), embed: true }).open,
    ).toBeNull();
    const link = shareLink(setupFromState(workedStore().getState()), 'https://x.test/', 'embed=1');
    expect(
      planBoot({ hash: new URL(link.url).hash, search: '?embed=1', saved: session(), embed: true })
        .open?.from,
    ).toBe('link');
  });

  it('a damaged saved session is named, not opened', () => {
    const plan = planBoot({
      hash: '',
      search: '',
      saved: '{"fanout_session":1,"setup":{"fanout_setup":1}}',
      embed: false,
    });
    expect(plan.open).toBeNull();
    expect(plan.problems[0]).toMatch(/^Your saved session could not be restored: /);
  });
});

describe('saving the session', () => {
  it('saves after changes, at most once per interval, and flushes on demand', () => {
    const store = paused();
    const storage = new MemoryStorage();
    const timers: (() => void)[] = [];
    const autosave = startAutosave(store, {
      storage,
      now: () => 7,
      later: (run) => {
        timers.push(run);
        return () => {};
      },
    });
    store.getState().advanceTo(1000);
    store.getState().toggleOutage('email');
    store.getState().advanceTo(2000);
    expect(timers).toHaveLength(1);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    timers[0]?.();
    const saved = readSession(storage.getItem(SESSION_KEY));
    expect(saved?.ok && saved.value.setup.at).toBe(2000);
    expect(saved?.ok && saved.value.savedAt).toBe(7);

    store.getState().advanceTo(3000);
    autosave.flush();
    const flushed = readSession(storage.getItem(SESSION_KEY));
    expect(flushed?.ok && flushed.value.setup.at).toBe(3000);
    autosave.stop();
    clearSession(storage);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
  });

  it('a full or disabled storage is not an error', () => {
    const store = paused();
    const broken = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(saveSession(store, broken, 1)).toBe(false);
    expect(() => clearSession(broken)).not.toThrow();
  });
});
