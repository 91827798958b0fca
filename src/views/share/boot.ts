/**
 * Start-up: build the playground store from the address (URL parameters), then open a
 * share link's setup or restore the saved session before anything is drawn, so the
 * first frame already shows the learner's setup.
 */
import type { StoreApi } from 'zustand/vanilla';
import { SESSION_KEY } from '../../share/storedState';
import type { Setup } from '../../share/setup';
import { createPlaygroundStore, type PlaygroundState } from '../../store/playground';
import { applySetup, planBoot, type SessionStorage } from '../../store/share';
import { parsePlaygroundUrl } from '../../store/urlParams';
import { clockText } from '../../share/clock';
import { shareUi } from './shareUi';

export interface Boot {
  store: StoreApi<PlaygroundState>;
  /** `?embed=1`: canvas and minimal controls, nothing saved. */
  embed: boolean;
  /** localStorage, or null where it is switched off (some embeds, private modes). */
  storage: SessionStorage | null;
}

/** localStorage if the browser lets this page use it. */
export function pageStorage(): SessionStorage | null {
  try {
    const storage = window.localStorage;
    storage.getItem(SESSION_KEY);
    return storage;
  } catch {
    return null;
  }
}

/** Remove the `#setup=` fragment once read: a reload then restores the session instead. */
export function dropSetupFragment(): void {
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}`);
}

function describe(setup: Setup): string {
  return `${setup.scenario.name} at t = ${clockText(setup.at)}`;
}

let booted: Boot | undefined;

/** Once per page (React may call a state initializer twice in development). */
export function bootPlayground(): Boot {
  booted ??= boot();
  return booted;
}

function boot(): Boot {
  const { init, problems: urlProblems } = parsePlaygroundUrl(window.location.search);
  const embed = new URLSearchParams(window.location.search).get('embed') === '1';
  const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  const storage = embed ? null : pageStorage();
  let saved: string | null = null;
  try {
    saved = storage?.getItem(SESSION_KEY) ?? null;
  } catch {
    saved = null;
  }
  const plan = planBoot({
    hash: window.location.hash,
    search: window.location.search,
    saved,
    embed,
  });
  const problems = [...plan.problems];
  const store = createPlaygroundStore({
    ...init,
    reducedMotion,
    error: urlProblems.length > 0 ? urlProblems.join(' ') : null,
  });

  if (plan.open) {
    const { setup, from } = plan.open;
    const applied = applySetup(store, setup);
    if (applied.ok) {
      // The setup replaces what the URL parameters asked for, and their complaints with it.
      if (applied.value) problems.push(applied.value);
      store.getState().setError(problems.length > 0 ? problems.join(' ') : null);
      if (from === 'session') {
        shareUi.setState({
          notice: {
            kind: 'restored',
            text: `Restored your last session: ${describe(setup)}.`,
            previous: null,
          },
        });
      } else if (!embed) {
        const before = plan.previous;
        shareUi.setState({
          notice: {
            kind: 'opened',
            text: `Opened a shared setup: ${describe(setup)}${setup.at > 0 ? ', paused' : ''}.`,
            previous: before,
            previousLabel: 'Back to my last session',
          },
        });
      }
    } else {
      problems.push(applied.message);
      const base = store.getState().error;
      store.getState().setError([base, ...problems].filter(Boolean).join(' '));
    }
  } else if (problems.length > 0) {
    const base = store.getState().error;
    store.getState().setError([base, ...problems].filter(Boolean).join(' '));
  }
  if (plan.hadLink && !embed) dropSetupFragment();
  return { store, embed, storage };
}
