/**
 * The page's composition root: read the address and the browser's storage, start the
 * engine in its worker, build the playground, and open what the address and the saved
 * session say (store/share.ts decides; this only gathers the inputs). Views are handed
 * the result: none of them decides how the app boots.
 */
import { createLearnStorage } from './store/learn';
import { createPlayground, DEFAULT_SCENARIO, type Playground } from './store/playground';
import { type BootInput, boot, hasSetupToRead, planBoot, type SessionStorage } from './store/share';
import { parsePlaygroundUrl } from './store/urlParams';
import type { Scenario } from './core';
import { findScenario } from './content/scenarios';
import type { BuildCheck } from './share/setup';
import { SESSION_KEY } from './share/storedState';
import { WorkerHost } from './run/workerHost';

export interface Page {
  playground: Playground;
  /** `?embed=1`: canvas and minimal controls, nothing saved. */
  embed: boolean;
  /** localStorage, or null where it is switched off (some embeds, private modes). */
  storage: SessionStorage | null;
  /** Resolves when the first setup is on screen. */
  opened: Promise<void>;
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

/**
 * The test and scripting handle: `window.__fanout.playground` is the playground (its
 * doors and parts), so end-to-end tests move simulated time directly instead of waiting
 * for it. Nothing a learner sees depends on it.
 */
export interface PageHandle {
  playground: Playground;
  opened: Promise<void>;
  /** A built-in scenario by id, e.g. for `playground.loadRun({ scenario: scenario('checkout') })`. */
  scenario(id: string): Scenario | undefined;
}

declare global {
  interface Window {
    __fanout?: PageHandle;
  }
}

/**
 * The engine's last check on a custom scenario (see `BuildCheck`), loaded only when
 * start-up has a link or a saved session to read: a first visit does not load the engine
 * on the page at all. If it cannot load (offline, never cached), the engine's worker still
 * refuses a setup it cannot build when it is opened.
 */
async function buildCheckFor(input: BootInput): Promise<BuildCheck | undefined> {
  if (!hasSetupToRead(input)) return undefined;
  try {
    return (await import('./core/runnable')).checkScenarioBuilds;
  } catch {
    return undefined;
  }
}

let page: Page | undefined;

/** Once per page (React may call a state initializer twice in development). */
export function startPage(): Page {
  page ??= start();
  return page;
}

function start(): Page {
  const search = window.location.search;
  const { init, problems: urlProblems } = parsePlaygroundUrl(search);
  const params = new URLSearchParams(search);
  const embed = params.get('embed') === '1';
  // Tests open pages paused (`?paused=1`) and move the clock themselves.
  const paused = params.get('paused') === '1';
  const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  const storage = embed ? null : pageStorage();
  let saved: string | null = null;
  try {
    saved = storage?.getItem(SESSION_KEY) ?? null;
  } catch {
    saved = null;
  }
  const input: BootInput = { hash: window.location.hash, search, saved, embed };
  const playground = createPlayground({
    host: new WorkerHost(),
    ...init,
    playing: !paused,
    reducedMotion,
    error: urlProblems.length > 0 ? urlProblems.join(' ') : null,
    load: false,
    learnStorage: embed ? null : createLearnStorage(),
    draftStorage: storage,
  });
  const opened = (async () => {
    const plan = planBoot({ ...input, builds: await buildCheckFor(input) });
    if (plan.hadLink && !embed) dropSetupFragment();
    const done = await boot(playground, plan, storage, embed);
    if (!done) {
      const scenario =
        findScenario(init.scenarioId ?? DEFAULT_SCENARIO) ?? findScenario(DEFAULT_SCENARIO);
      if (scenario)
        await playground.loadRun({
          scenario,
          seed: init.seed ?? scenario.seed,
          mode: playground.getState().mode,
          playing: !paused,
        });
    }
    if (paused) playground.playback.pause();
  })();
  const result: Page = { playground, embed, storage, opened };
  window.__fanout = { playground, opened, scenario: findScenario };
  return result;
}
