import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../core';
import { findScenario } from '../content/scenarios';
import { LocalHost } from '../run/localHost';
import { RunSession } from '../run/session';
import { decodeSetup, readSetupHash } from '../share/link';
import { encodeSetup, shareLink } from '../share/writeLink';
import { readImportedText, setupFileText } from '../share/setupFile';
import { readSession, SESSION_KEY, sessionText } from '../share/storedState';
import type { Setup } from '../share/setup';
import { toggleOutage } from './actions';
import { MAX_ACTIONS } from './kernel';
import { type Playground, type PlaygroundOptions } from './playground';
import { createHeadlessPlayground } from './headless';
import {
  boot,
  clearSession,
  KEPT_SESSION_KEY,
  planBoot,
  runFingerprints,
  saveSession,
  setupFromState,
  startAutosave,
} from './share';
import type { PlaygroundState } from './state';

const paused = (options: Partial<PlaygroundOptions> = {}) =>
  createHeadlessPlayground({ playing: false, ...options });

/** A learner at work: an outage, a rate change, a spike, one order, recovery. */
async function worked(options: Partial<PlaygroundOptions> = {}): Promise<Playground> {
  const pg = paused(options);
  await pg.playback.advanceTo(2500.4);
  await toggleOutage(pg, 'email');
  await pg.apply({ kind: 'rate', rate: 25 });
  await pg.playback.advanceTo(6100);
  await pg.apply({ kind: 'spike', rate: 200, durationMs: 5000 });
  await pg.apply({ kind: 'order' });
  await pg.apply({ kind: 'fault', service: 'payment', patch: { slowFactor: 3 } });
  await pg.playback.advanceTo(9000.7);
  await toggleOutage(pg, 'email');
  await pg.apply({ kind: 'scale', service: 'payment', replicas: 2, concurrency: 4 });
  await pg.playback.advanceTo(12_345.6);
  return pg;
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
      Object.entries(s.runs).map(([side, run]) => {
        const { trace_hash, ...report } = run.report() as unknown as Record<string, unknown>;
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

/** The trace hash of a side run fresh from a setup (the engine's own replay, no playground). */
function replayedHash(setup: Setup, side: 'chain' | 'event'): string | undefined {
  const session = new RunSession(setup.scenario, { mode: setup.mode, seed: setup.seed });
  session.load(setup);
  return session.sims[side]?.traceHash;
}

describe('a share link reproduces the exact run', () => {
  it('opens at the same moment with the same trace hash and numbers on both sides', async () => {
    const source = await worked({ speed: 5 });
    const link = shareLink(
      setupFromState(source.getState()),
      'https://example.org/courses/eda/fanout/?scenario=checkout#old',
    );
    expect(link.url.startsWith('https://example.org/courses/eda/fanout/#setup=')).toBe(true);
    expect(link.fit).toBe('comfortable');

    const decoded = readSetupHash(new URL(link.url).hash);
    if (!decoded?.ok) throw new Error(decoded?.message);
    const target = paused({ scenarioId: 'signup', mode: 'chain' });
    const applied = await target.sharing.open(decoded.value);
    expect(applied).toEqual({ ok: true, value: null });

    const want = observed(source.getState());
    expect(observed(target.getState())).toEqual({ ...want, now: 12_345 });
    // Not trivially equal: the same moment without the learner's actions is another run.
    expect(decoded.value.interventions.event).toHaveLength(7);
    expect(replayedHash({ ...decoded.value, interventions: {} }, 'event')).not.toBe(
      want.fingerprints.event,
    );
    // It opens paused at that moment, so what the sender saw is what the receiver sees.
    expect(target.getState().playing).toBe(false);
  });

  it('carries a changed broker (a custom scenario) in full', async () => {
    const checkout = findScenario('checkout');
    if (!checkout) throw new Error('no checkout');
    const custom = parseScenario({
      ...checkout,
      id: 'my-lesson',
      broker: { kind: 'log', partitions: 2 },
    });
    if (!custom.ok) throw new Error('custom scenario invalid');
    const source = paused({ mode: 'event' });
    await source.sharing.openScenario(custom.scenario);
    source.playback.pause();
    await source.playback.advanceTo(1500);
    await toggleOutage(source, 'email');
    await source.playback.advanceTo(4000);

    const setup = setupFromState(source.getState());
    expect(setup.builtIn).toBe(false);
    const decoded = decodeSetup(encodeSetup(setup));
    if (!decoded.ok) throw new Error(decoded.message);
    expect(decoded.value.scenario.broker).toEqual(custom.scenario.broker);
    const target = paused();
    await target.sharing.open(decoded.value);
    expect(observed(target.getState())).toEqual(observed(source.getState()));
  });

  it('keeps going identically after opening: the future is the same too', async () => {
    const source = await worked();
    const target = paused();
    const decoded = decodeSetup(encodeSetup(setupFromState(source.getState())));
    if (!decoded.ok) throw new Error(decoded.message);
    await target.sharing.open(decoded.value);
    for (const pg of [source, target]) {
      await pg.playback.advanceTo(20_000);
      await toggleOutage(pg, 'analytics');
      await pg.playback.advanceTo(25_000);
    }
    expect(observed(target.getState())).toEqual(observed(source.getState()));
  });

  it('a setup file and a saved session reproduce it too', async () => {
    const source = await worked({ mode: 'event' });
    const setup = setupFromState(source.getState());
    const fromFile = readImportedText(setupFileText(setup), 'lesson.fanout-setup.json');
    if (!fromFile.ok || fromFile.value.kind !== 'setup') throw new Error('file did not read back');
    const fromSession = readSession(sessionText(setup, 1));
    if (!fromSession?.ok) throw new Error('session did not read back');
    for (const s of [fromFile.value.setup, fromSession.value.setup]) {
      const target = paused();
      await target.sharing.open(s);
      expect(observed(target.getState())).toEqual(observed(source.getState()));
    }
  });
});

describe('a setup that cannot be opened changes nothing', () => {
  it('stops replaying at the budget and says where it opened', async () => {
    const source = await worked();
    const setup = setupFromState(source.getState());
    const target = paused();
    const applied = await target.sharing.open(setup, { maxEvents: 100 });
    expect(applied.ok && applied.value).toMatch(
      /^Opened at t = 00:01\.000 instead of t = 00:12\.345/,
    );
    expect(target.getState().now).toBe(1000);
    expect(target.getState().playing).toBe(false);
  });

  it('fuzz: random and mutated links never throw and never touch the current setup', async () => {
    const pg = await worked();
    const before = observed(pg.getState());
    const good = encodeSetup(setupFromState(pg.getState()));
    const mutated = fc
      .tuple(
        fc.nat({ max: good.length - 1 }),
        fc.string({ minLength: 0, maxLength: 3 }),
        fc.nat({ max: 4 }),
      )
      .map(([at, insert, cut]) => good.slice(0, at) + insert + good.slice(at + cut));
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, fc.string(), fc.base64String()), async (payload) => {
        const result = decodeSetup(payload);
        if (result.ok) {
          // A mutation may still decode to a valid setup: opening it must not throw either.
          const other = paused();
          await other.sharing.open(result.value, { maxEvents: 200_000 });
        } else {
          expect(result.message).toMatch(/share link/);
        }
        expect(observed(pg.getState())).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });
});

describe('opening is all or nothing', () => {
  it('an engine error while replaying leaves the current setup exactly as it was', async () => {
    const pg = await worked();
    const before = observed(pg.getState());
    const runs = pg.getState().runs;
    const setup = setupFromState(pg.getState());
    // Past validation (which would refuse it): an action on a service the scenario lacks.
    const broken: Setup = {
      ...setup,
      interventions: {
        chain: [
          { at: 5, kind: 'order' },
          { at: 10, kind: 'scale', service: 'ghost', replicas: 1, concurrency: 1 },
        ],
      },
    };
    const applied = await pg.sharing.open(broken);
    expect(applied.ok).toBe(false);
    expect(!applied.ok && applied.message).toMatch(
      /^This setup could not be opened \(unknown service "ghost"\)\. Nothing was changed\.$/,
    );
    expect(pg.getState().runs).toBe(runs);
    expect(observed(pg.getState())).toEqual(before);
  });

  it('fuzz: random fragments and saved sessions never throw at start-up, and a refused one opens nothing', async () => {
    const good = sessionText(setupFromState((await worked()).getState()), 1);
    const link = `#setup=${encodeSetup(setupFromState((await worked()).getState()))}`;
    const mutate = (text: string) =>
      fc
        .tuple(fc.nat({ max: text.length - 1 }), fc.string({ maxLength: 4 }), fc.nat({ max: 6 }))
        .map(([at, insert, cut]) => text.slice(0, at) + insert + text.slice(at + cut));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutate(link), fc.string()),
        fc.oneof(mutate(good), fc.string(), fc.constant(null)),
        async (hash, saved) => {
          const plan = planBoot({ hash, search: '', saved, embed: false });
          if (plan.open) await paused().sharing.open(plan.open.setup, { maxEvents: 100_000 });
          for (const problem of plan.problems)
            expect(problem).toMatch(/^(This share link|Your saved session)/);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('start-up: link, then saved session, then the address', () => {
  const session = async () =>
    sessionText(setupFromState((await worked({ scenarioId: 'email-outage' })).getState()), 42);

  it('opens a link first, keeping the session it replaces aside', async () => {
    const saved = await session();
    const link = shareLink(setupFromState((await worked()).getState()), 'https://x.test/');
    const plan = planBoot({ hash: new URL(link.url).hash, search: '', saved, embed: false });
    expect(plan.open?.from).toBe('link');
    expect(plan.open?.setup.scenario.id).toBe('checkout');
    expect(plan.hadLink).toBe(true);
    // The saved session it replaces stays one click away, and is kept aside in storage.
    expect(plan.previous?.scenario.id).toBe('email-outage');
    expect(plan.keepAside).toBe(saved);
  });

  it('a broken link is named and the saved session (the previous setup) opens instead', async () => {
    const plan = planBoot({
      hash: '#setup=garbage!!',
      search: '',
      saved: await session(),
      embed: false,
    });
    expect(plan.problems).toEqual([
      expect.stringMatching(/^This share link is damaged or incomplete/),
    ]);
    expect(plan.open?.from).toBe('session');
    expect(plan.open?.setup.scenario.id).toBe('email-outage');
    expect(plan.open?.savedAt).toBe(42);
  });

  it('restores the saved session unless the address asks for another scenario or a fresh start', async () => {
    const saved = await session();
    expect(
      planBoot({ hash: '', search: '?scenario=email-outage&seed=1', saved, embed: false }).open
        ?.from,
    ).toBe('session');
    expect(planBoot({ hash: '', search: '?scenario=signup', saved, embed: false }).open).toBeNull();
    const fresh = planBoot({ hash: '', search: '?fresh=1', saved, embed: false });
    expect(fresh.open).toBeNull();
    expect(fresh.keepAside).toBe(saved);
    expect(planBoot({ hash: '', search: '', saved: null, embed: false })).toEqual({
      open: null,
      fallback: null,
      problems: [],
      hadLink: false,
      previous: null,
      keepAside: null,
    });
  });

  it('an embedded page opens its link but never the saved session', async () => {
    const saved = await session();
    expect(planBoot({ hash: '', search: '?embed=1', saved, embed: true }).open).toBeNull();
    const link = shareLink(
      setupFromState((await worked()).getState()),
      'https://x.test/',
      'embed=1',
    );
    expect(
      planBoot({ hash: new URL(link.url).hash, search: '?embed=1', saved, embed: true }).open?.from,
    ).toBe('link');
  });

  it('a damaged saved session is named, not opened, and kept aside', () => {
    const damaged = '{"fanout_session":1,"setup":{"fanout_setup":1}}';
    const plan = planBoot({ hash: '', search: '', saved: damaged, embed: false });
    expect(plan.open).toBeNull();
    expect(plan.problems[0]).toMatch(/^Your saved session could not be restored: .*kept aside/);
    expect(plan.keepAside).toBe(damaged);
  });
});

describe('never losing the saved session', () => {
  /** Boot a page with this storage and address, and let it work for a while. */
  async function page(storage: MemoryStorage, hash = '', search = '') {
    const pg = createHeadlessPlayground({ playing: false, load: false });
    const plan = planBoot({ hash, search, saved: storage.getItem(SESSION_KEY), embed: false });
    const opened = await boot(pg, plan, storage, false);
    if (!opened) await pg.loadScenario('checkout');
    const timers: (() => void)[] = [];
    const autosave = startAutosave(pg, {
      storage,
      now: () => 1,
      later: (run) => {
        timers.push(run);
        return () => {};
      },
    });
    await pg.playback.advanceTo(5000);
    for (const t of timers.splice(0)) t();
    autosave.stop();
    return pg;
  }

  it('a session saved by a newer Fanout is kept aside before anything is saved, and said so', async () => {
    const storage = new MemoryStorage();
    const newer = JSON.stringify({ fanout_session: 99, saved_at: 1, setup: {} });
    storage.setItem(SESSION_KEY, newer);
    const pg = await page(storage);
    expect(pg.getState().error).toMatch(/newer version of Fanout.*kept aside/);
    expect(pg.getState().ui.notice?.kind).toBe('kept-aside');
    expect(pg.getState().ui.notice?.keptText).toBe(newer);
    expect(storage.getItem(KEPT_SESSION_KEY)).toBe(newer);
  });

  it('a link that validates but cannot be replayed falls back to the saved session', async () => {
    const storage = new MemoryStorage();
    const mine = await worked({ scenarioId: 'email-outage' });
    storage.setItem(SESSION_KEY, sessionText(setupFromState(mine.getState()), 42));
    // An engine error while replaying (what validation would refuse, spelled so it passes it).
    const host = new LocalHost();
    const send = host.send.bind(host);
    let first = true;
    host.send = ((command: Parameters<LocalHost['send']>[0]) => {
      if (command.op === 'load' && first) {
        first = false;
        return Promise.reject(new Error('replay failed'));
      }
      return send(command);
    }) as LocalHost['send'];
    const pg = createHeadlessPlayground({ playing: false, load: false, host });
    const link = shareLink(setupFromState((await worked()).getState()), 'https://x.test/');
    const plan = planBoot({
      hash: new URL(link.url).hash,
      search: '',
      saved: storage.getItem(SESSION_KEY),
      embed: false,
    });
    expect(await boot(pg, plan, storage, false)).toBe(true);
    expect(pg.getState().scenario.id).toBe('email-outage');
    expect(pg.getState().now).toBe(12_345);
    expect(pg.getState().error).toMatch(
      /could not be opened.*Your last session was opened instead/,
    );
  });

  it('Keeps the learner session when a link opens over it, and one click brings it back', async () => {
    const storage = new MemoryStorage();
    const mine = sessionText(
      setupFromState((await worked({ scenarioId: 'email-outage' })).getState()),
      42,
    );
    storage.setItem(SESSION_KEY, mine);
    const link = shareLink(setupFromState((await worked()).getState()), 'https://x.test/');
    const pg = await page(storage, new URL(link.url).hash);
    expect(pg.getState().scenario.id).toBe('checkout');
    expect(storage.getItem(KEPT_SESSION_KEY)).toBe(mine);
    const previous = pg.getState().ui.notice?.previous;
    expect(previous?.scenario.id).toBe('email-outage');
    if (previous) await pg.sharing.open(previous);
    expect(pg.getState().scenario.id).toBe('email-outage');
  });

  it('refuses an action past the limit a session can carry, when the action happens', async () => {
    const pg = paused({ mode: 'event' });
    for (let i = 0; i < MAX_ACTIONS; i++) expect(await pg.apply({ kind: 'order' })).toBeNull();
    expect(await pg.apply({ kind: 'order' })).toMatch(/already holds 5,000 actions/);
    expect(pg.getState().runs.event?.interventions).toHaveLength(MAX_ACTIONS);
    // What is saved reads back.
    const text = sessionText(setupFromState(pg.getState()), 1);
    expect(readSession(text)?.ok).toBe(true);
  });
});

describe('saving the session', () => {
  it('saves after changes, at most once per interval, and flushes on demand', async () => {
    const pg = paused();
    const storage = new MemoryStorage();
    const timers: (() => void)[] = [];
    const autosave = startAutosave(pg, {
      storage,
      now: () => 7,
      later: (run) => {
        timers.push(run);
        return () => {};
      },
    });
    await pg.playback.advanceTo(1000);
    await toggleOutage(pg, 'email');
    await pg.playback.advanceTo(2000);
    expect(timers).toHaveLength(1);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    timers[0]?.();
    const saved = readSession(storage.getItem(SESSION_KEY));
    expect(saved?.ok && saved.value.setup.at).toBe(2000);
    expect(saved?.ok && saved.value.savedAt).toBe(7);

    await pg.playback.advanceTo(3000);
    autosave.flush();
    const flushed = readSession(storage.getItem(SESSION_KEY));
    expect(flushed?.ok && flushed.value.setup.at).toBe(3000);
    autosave.stop();
    clearSession(storage);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
  });

  it('a full or disabled storage is said once, and never throws', async () => {
    const pg = paused();
    const broken = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(saveSession(pg.getState(), broken, 1)).toBe('refused');
    expect(() => clearSession(broken)).not.toThrow();
    const autosave = startAutosave(pg, { storage: broken, now: () => 1, later: () => () => {} });
    await pg.playback.advanceTo(1000);
    autosave.flush();
    expect(pg.getState().error).toMatch(/could not be saved in this browser/);
    pg.ui.setError(null);
    await pg.playback.advanceTo(2000);
    autosave.flush();
    expect(pg.getState().error).toBeNull();
    autosave.stop();
  });
});
