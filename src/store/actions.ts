/**
 * Every keyboard-reachable action in one registry (after excalidraw's actions): a name,
 * the label the shortcuts dialog shows, the key as written for people, the test that
 * matches a key press, and what it does. The key handler and the dialog both read this
 * list, so a shortcut cannot exist without being listed.
 */
import type { PlaygroundState } from './playground';

/** The parts of a KeyboardEvent an action looks at. */
export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

export interface PlaygroundAction {
  name: string;
  label: string;
  /** The key as shown to people, e.g. `Space`. */
  keyLabel: string;
  keyTest(press: KeyPress): boolean;
  perform(state: PlaygroundState, press: KeyPress): void;
}

const plain = (press: KeyPress) => !press.ctrlKey && !press.metaKey && !press.altKey;

/** `1`..`9` -> 0..8, anything else -> -1. */
export function serviceNumber(key: string): number {
  return /^[1-9]$/.test(key) ? Number(key) - 1 : -1;
}

export const actions: readonly PlaygroundAction[] = [
  {
    name: 'togglePlay',
    label: 'Play or pause',
    keyLabel: 'Space',
    keyTest: (p) => plain(p) && (p.key === ' ' || p.key === 'Spacebar'),
    perform: (s) => s.togglePlay(),
  },
  {
    name: 'step',
    label: 'Step to the next event (pauses)',
    keyLabel: '.',
    keyTest: (p) => plain(p) && p.key === '.',
    perform: (s) => s.step(),
  },
  {
    name: 'stepBack',
    label: 'Step back to the previous event (pauses)',
    keyLabel: ',',
    keyTest: (p) => plain(p) && p.key === ',',
    perform: (s) => s.stepBack(),
  },
  {
    name: 'reset',
    label: 'Reset to t = 0 (same scenario and seed)',
    keyLabel: 'R',
    keyTest: (p) => plain(p) && (p.key === 'r' || p.key === 'R'),
    perform: (s) => s.reset(),
  },
  {
    name: 'toggleOutage',
    label: 'Switch the outage of the n-th service on or off',
    keyLabel: '1 – 9',
    keyTest: (p) => plain(p) && serviceNumber(p.key) >= 0,
    perform: (s, p) => {
      const service = s.scenario.services[serviceNumber(p.key)];
      if (service) s.toggleOutage(service.id);
    },
  },
  {
    name: 'showShortcuts',
    label: 'Show keyboard shortcuts',
    keyLabel: '?',
    keyTest: (p) => !p.ctrlKey && !p.metaKey && p.key === '?',
    perform: (s) => s.setShortcutsOpen(true),
  },
];

/** The action a key press triggers, if any. */
export function actionForKey(press: KeyPress): PlaygroundAction | undefined {
  return actions.find((a) => a.keyTest(press));
}
