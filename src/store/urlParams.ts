/**
 * URL parameters `?scenario=<id>&seed=<n>&arch=<mode>&speed=<x>` (a mode: chain, event,
 * orchestration, compare, or `compare:<top>:<bottom>` for another pair): they open
 * an exact setup, and the share link is the same URL. A bad value never stops the page:
 * it is named in one message and the default is used instead.
 */
import { findScenario } from '../content/scenarios';
import { MODE_LABELS, MODES, type Mode } from '../run/modes';
import { DEFAULT_SPEED, MAX_SPEED, MIN_SPEED } from '../run/speeds';
import { DEFAULT_MODE, DEFAULT_SCENARIO, type PlaygroundOptions } from './playground';
import type { PlaygroundState } from './state';

type PlaygroundInit = Pick<PlaygroundOptions, 'scenarioId' | 'seed' | 'mode' | 'speed'>;
const MAX_SEED = 0xffff_ffff;

export interface UrlSetup {
  init: Partial<PlaygroundInit>;
  /** One sentence per bad parameter, naming it and saying what is used instead. */
  problems: string[];
}

const shown = (value: string) => `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;

export function parsePlaygroundUrl(search: string): UrlSetup {
  const params = new URLSearchParams(search);
  const init: Partial<PlaygroundInit> = {};
  const problems: string[] = [];

  const scenario = params.get('scenario');
  if (scenario !== null) {
    if (findScenario(scenario)) init.scenarioId = scenario;
    else
      problems.push(
        `URL parameter "scenario": ${shown(scenario)} is not a built-in scenario; showing "${DEFAULT_SCENARIO}".`,
      );
  }

  const seed = params.get('seed');
  if (seed !== null) {
    const n = Number(seed);
    if (/^\d+$/.test(seed.trim()) && Number.isSafeInteger(n) && n <= MAX_SEED) init.seed = n;
    else
      problems.push(
        `URL parameter "seed": ${shown(seed)} is not a whole number from 0 to ${MAX_SEED}; using the scenario's own seed.`,
      );
  }

  const arch = params.get('arch');
  if (arch !== null) {
    if ((MODES as readonly string[]).includes(arch)) init.mode = arch as Mode;
    else
      problems.push(
        `URL parameter "arch": ${shown(arch)} is not one of ${MODES.join(', ')}; showing ${MODE_LABELS[DEFAULT_MODE]}.`,
      );
  }

  const speed = params.get('speed');
  if (speed !== null) {
    const x = Number(speed.trim().replace(/x$/i, ''));
    if (speed.trim() !== '' && Number.isFinite(x) && x >= MIN_SPEED && x <= MAX_SPEED)
      init.speed = x;
    else
      problems.push(
        `URL parameter "speed": ${shown(speed)} is not a number from ${MIN_SPEED} to ${MAX_SPEED}; playing at ${DEFAULT_SPEED}x.`,
      );
  }

  return { init, problems };
}

/** The query string for the current setup; other parameters in `current` are kept. */
export function playgroundSearch(
  state: Pick<PlaygroundState, 'scenario' | 'seed' | 'mode' | 'speed'>,
  current = '',
): string {
  const params = new URLSearchParams(current);
  params.set('scenario', state.scenario.id);
  params.set('seed', String(state.seed));
  params.set('arch', state.mode);
  params.set('speed', String(state.speed));
  return `?${params.toString()}`;
}
