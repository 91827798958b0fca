/**
 * Sharing and saving: the current setup (what a link, a file and the saved session
 * carry), opening one (through `loadRun`, all or nothing), deciding at start-up what to
 * open, and saving the session as the learner works.
 *
 * A learner's saved work is never overwritten by accident: a session that cannot be read
 * (damaged, or saved by a newer Fanout) is kept aside before anything is saved; a link
 * that cannot be opened falls back to the saved session; `?fresh=1` opens without it
 * (and keeps it aside); a failed save is said once; a session too large to read back is
 * never written.
 */
import type { Scenario } from '../core/scenario';
import { clockText } from '../core/format';
import { sidesOf, type Side } from '../run/modes';
import { isSetupHash, readSetupHash } from '../share/link';
import { fail, ok, type Result } from '../share/result';
import { type BuildCheck, isBuiltIn, type Setup } from '../share/setup';
import { MAX_SESSION_CHARS, readSession, SESSION_KEY, sessionText } from '../share/storedState';
import { type Kernel, setupOf } from './kernel';
import type { Notice, PlaygroundState } from './state';

/** Where a saved session that could not be opened is kept, so it is never lost. */
export const KEPT_SESSION_KEY = 'fanout:session:kept';

// Built-in detection stringifies the scenario: do it once per scenario object.
const builtInCache = new WeakMap<Scenario, boolean>();
function builtIn(scenario: Scenario): boolean {
  let known = builtInCache.get(scenario);
  if (known === undefined) {
    known = isBuiltIn(scenario);
    builtInCache.set(scenario, known);
  }
  return known;
}

/** The current setup: what a link, a file or the saved session carries. */
export function setupFromState(s: PlaygroundState): Setup {
  const run = setupOf(s);
  return {
    scenario: s.scenario,
    builtIn: builtIn(s.scenario),
    seed: s.seed,
    mode: s.mode,
    speed: s.speed,
    at: run.at,
    interventions: run.interventions,
  };
}

/** The trace hash of each visible side: equal fingerprints mean the very same run. */
export function runFingerprints(s: PlaygroundState): Partial<Record<Side, string>> {
  const out: Partial<Record<Side, string>> = {};
  for (const side of sidesOf(s.mode)) {
    const run = s.runs[side];
    if (run) out[side] = run.traceHash;
  }
  return out;
}

export interface SharingPart {
  setup(): Setup;
  /**
   * Open a setup (a link, a file, the saved session): all or nothing. Returns a note when
   * it opened at an earlier moment than it asked for (the replay budget), else null.
   */
  open(
    setup: Setup,
    options?: { playing?: boolean; maxEvents?: number },
  ): Promise<Result<string | null>>;
  /** A scenario file opened on its own: t = 0, its own seed, the current view and speed. */
  openScenario(scenario: Scenario): Promise<Result<string | null>>;
}

export function createSharing(k: Kernel): SharingPart {
  const part: SharingPart = {
    setup: () => setupFromState(k.get()),
    async open(setup, options = {}) {
      const r = await k.loadRun({
        ...setup,
        playing: options.playing,
        maxEvents: options.maxEvents,
      });
      if (!r.ok) return fail(r.message);
      if (r.cut)
        return ok(
          `Opened at t = ${clockText(r.at)} instead of t = ${clockText(setup.at)}: replaying that far would take too long here. Press Play to go on from there.`,
        );
      return ok(null);
    },
    async openScenario(scenario) {
      const s = k.get();
      return part.open(
        {
          scenario,
          builtIn: builtIn(scenario),
          seed: scenario.seed,
          mode: s.mode,
          speed: s.speed,
          at: 0,
          interventions: {},
        },
        { playing: true },
      );
    },
  };
  return part;
}

// ---------------------------------------------------------------------------------
// Start-up

/** The part of `localStorage` this needs (tests pass a Map-backed one). */
export interface SessionStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface BootInput {
  /** `location.hash`, e.g. `#setup=...` */
  hash: string;
  /** `location.search` */
  search: string;
  /** The saved session's text (`null` when none, or storage is unavailable). */
  saved: string | null;
  /** Embedded in another page: a link is opened, the saved session is neither read nor written. */
  embed: boolean;
  /** The engine's last check on a custom scenario in the link or the session (see `BuildCheck`). */
  builds?: BuildCheck;
}

/** Does start-up have a setup to read (a `#setup=` link or a saved session)? */
export function hasSetupToRead(input: Pick<BootInput, 'hash' | 'saved' | 'embed'>): boolean {
  return isSetupHash(input.hash) || (!input.embed && input.saved !== null);
}

export interface BootPlan {
  /** The setup to open first, and where it came from. */
  open: { setup: Setup; from: 'link' | 'session'; savedAt: number | null } | null;
  /** If the first choice cannot be opened (a link that fails to replay): the saved session. */
  fallback: { setup: Setup; savedAt: number | null } | null;
  /** Messages about a broken link or an unreadable saved session. */
  problems: string[];
  /** The fragment held a setup (good or bad): it should be removed from the address bar once read. */
  hadLink: boolean;
  /** When a link opens over a saved session: that session, so the learner can go back to it. */
  previous: Setup | null;
  /** The saved session must be kept aside before anything is saved (unreadable, newer, or `?fresh=1`). */
  keepAside: string | null;
}

/** `?fresh=1`: open without the saved session (it is kept aside, not lost). */
export function wantsFresh(search: string): boolean {
  return new URLSearchParams(search).get('fresh') === '1';
}

/**
 * What to open at start-up: a link's setup first; else the saved session, unless the
 * address asks for another scenario explicitly or for a fresh start. A broken link is
 * named, and the saved session is opened as if the link had not been there.
 */
export function planBoot(input: BootInput): BootPlan {
  const problems: string[] = [];
  const link = readSetupHash(input.hash, input.builds);
  const hadLink = link !== null;
  const none = { fallback: null, previous: null, keepAside: null };
  if (input.embed) {
    if (link && !link.ok) problems.push(link.message);
    const open = link?.ok ? { setup: link.value, from: 'link' as const, savedAt: null } : null;
    return { ...none, open, problems, hadLink };
  }
  const session = readSession(input.saved, input.builds);
  const saved = session?.ok ? session.value : null;
  let keepAside: string | null = null;
  if (session && !session.ok) {
    problems.push(
      `${session.message} It is kept aside, not deleted: you can download it from the notice.`,
    );
    keepAside = input.saved;
  }
  if (wantsFresh(input.search) && input.saved && !keepAside) keepAside = input.saved;
  const fallback =
    saved && !wantsFresh(input.search) ? { setup: saved.setup, savedAt: saved.savedAt } : null;
  if (link?.ok) {
    // The link becomes the learner's session; the one it replaces is kept aside, not lost.
    if (saved && keepAside === null) keepAside = input.saved;
    return {
      open: { setup: link.value, from: 'link', savedAt: null },
      fallback,
      problems,
      hadLink,
      previous: saved?.setup ?? null,
      keepAside,
    };
  }
  if (link && !link.ok) problems.push(link.message);
  if (fallback) {
    const asked = new URLSearchParams(input.search).get('scenario');
    if (asked === null || asked === fallback.setup.scenario.id) {
      return {
        open: { ...fallback, from: 'session' },
        fallback: null,
        problems,
        hadLink,
        previous: null,
        keepAside,
      };
    }
  }
  return { open: null, fallback: null, problems, hadLink, previous: null, keepAside };
}

function describe(setup: Setup): string {
  return `${setup.scenario.name} at t = ${clockText(setup.at)}`;
}

/**
 * Open what the plan says, in the playground. The first frame already shows the learner's
 * setup; problems are named in one message, and the learner's saved work is kept.
 */
/** What start-up and saving use of a playground (a `Playground` has it). */
export interface SharingHost {
  readonly store: Kernel['store'];
  getState(): PlaygroundState;
  readonly sharing: SharingPart;
  readonly ui: { notify(notice: Notice | null): void; setError(message: string | null): void };
}

export async function boot(
  pg: SharingHost,
  plan: BootPlan,
  storage: SessionStorage | null,
  embed: boolean,
): Promise<boolean> {
  const problems = [...plan.problems];
  const notify = (notice: Notice | null) => pg.ui.notify(notice);
  const sharing = pg.sharing;
  if (plan.keepAside !== null && storage) {
    try {
      storage.setItem(KEPT_SESSION_KEY, plan.keepAside);
    } catch {
      // Storage refuses: the notice still offers the text for download.
    }
  }
  let opened = false;
  if (plan.open) {
    const { setup, from } = plan.open;
    const r = await sharing.open(setup);
    if (r.ok) {
      opened = true;
      if (r.value) problems.push(r.value);
      if (from === 'session') {
        notify({
          kind: 'restored',
          text: `Restored your last session: ${describe(setup)}.`,
          previous: null,
        });
      } else if (!embed) {
        notify({
          kind: 'opened',
          text: `Opened a shared setup: ${describe(setup)}${setup.at > 0 ? ', paused' : ''}.`,
          previous: plan.previous,
          previousLabel: 'Back to my last session',
        });
      }
    } else {
      problems.push(r.message);
      if (plan.fallback) {
        const back = await sharing.open(plan.fallback.setup);
        if (back.ok) {
          opened = true;
          problems.push('Your last session was opened instead.');
          notify({
            kind: 'restored',
            text: `Restored your last session: ${describe(plan.fallback.setup)}.`,
            previous: null,
          });
        }
      }
    }
  }
  if (!opened && plan.keepAside !== null) {
    notify({
      kind: 'kept-aside',
      text: wantsFreshText(plan, problems),
      previous: null,
      keptText: plan.keepAside,
    });
  }
  const base = pg.getState().error;
  if (problems.length > 0) pg.ui.setError([base, ...problems].filter(Boolean).join(' '));
  return opened;
}

function wantsFreshText(plan: BootPlan, problems: string[]): string {
  return problems.length > 0 && plan.problems.length > 0
    ? 'Your saved session is kept aside: download it to keep a copy.'
    : 'Opened without your saved session (?fresh=1). It is kept aside: download it to keep a copy.';
}

// ---------------------------------------------------------------------------------
// Saving as the learner works

export interface AutosaveOptions {
  storage: SessionStorage;
  /** Wall clock for `saved_at` (injected: tests pass their own). */
  now: () => number;
  /** Schedules the next save; returns a cancel function. */
  later?: (run: () => void, ms: number) => () => void;
  /** At most one save per this many milliseconds while the learner works. */
  everyMs?: number;
}

const defaultLater = (run: () => void, ms: number) => {
  const id = setTimeout(run, ms);
  return () => clearTimeout(id);
};

export type SaveOutcome = 'saved' | 'too-large' | 'refused';

/** Save the current setup now. A session too large to read back is not written. */
export function saveSession(
  s: PlaygroundState,
  storage: SessionStorage,
  savedAt: number,
): SaveOutcome {
  const text = sessionText(setupFromState(s), savedAt);
  if (text.length > MAX_SESSION_CHARS) return 'too-large';
  try {
    storage.setItem(SESSION_KEY, text);
    return 'saved';
  } catch {
    return 'refused';
  }
}

export function clearSession(storage: SessionStorage): void {
  try {
    storage.removeItem(SESSION_KEY);
  } catch {
    // Nothing saved, or storage switched off: nothing to clear.
  }
}

/**
 * Keep the saved session up to date: after a change, at most once per `everyMs`, and
 * never before the first frame of the opened setup. A save that fails is said once.
 * Returns `{ flush, stop }`: flush saves at once (page hidden or closing).
 */
export function startAutosave(
  pg: SharingHost,
  options: AutosaveOptions,
): { flush(): void; stop(): void } {
  const later = options.later ?? defaultLater;
  const everyMs = options.everyMs ?? 1000;
  let cancel: (() => void) | null = null;
  let dirty = false;
  let warned = false;
  const flush = () => {
    cancel?.();
    cancel = null;
    dirty = false;
    const s = pg.getState();
    if (s.loading) return;
    const outcome = saveSession(s, options.storage, options.now());
    if (outcome !== 'saved' && !warned) {
      warned = true;
      pg.ui.setError(
        outcome === 'too-large'
          ? 'This session is too large to save in the browser; Share > Download keeps it as a file.'
          : 'Your session could not be saved in this browser (storage is full or switched off); Share > Download keeps it as a file.',
      );
    }
  };
  const unsubscribe = pg.store.subscribe((s, prev) => {
    if (s.loading) return;
    if (s.version === prev.version && s.speed === prev.speed && s.now === prev.now) return;
    dirty = true;
    if (!cancel) {
      cancel = later(() => {
        cancel = null;
        if (dirty) flush();
      }, everyMs);
    }
  });
  return {
    flush,
    stop() {
      unsubscribe();
      cancel?.();
      cancel = null;
    },
  };
}
