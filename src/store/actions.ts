/**
 * Every keyboard-reachable action in one registry (after excalidraw's actions): a name,
 * the label the shortcuts dialog shows, the key as written for people, the test that
 * matches a key press, and what it does. The key handler and the dialog both read this
 * list, so a shortcut cannot exist without being listed.
 */
import type { Playground } from './playground';

/** The parts of a KeyboardEvent an action looks at. */
export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

export interface PlaygroundAction {
  name: string;
  label: string;
  /** The key as shown to people, e.g. `Space`. */
  keyLabel: string;
  keyTest(press: KeyPress): boolean;
  perform(playground: Playground, press: KeyPress): void;
}

const plain = (press: KeyPress) => !press.ctrlKey && !press.metaKey && !press.altKey;
/** Ctrl (Cmd on a Mac) with `key`, nothing else but perhaps Shift. */
const command = (press: KeyPress, key: string): boolean =>
  (press.ctrlKey === true || press.metaKey === true) &&
  !press.altKey &&
  press.key.toLowerCase() === key;

/** An action on the run: nothing while Edit mode shows the draft (the run is paused, out of sight). */
const onRun =
  (perform: PlaygroundAction['perform']): PlaygroundAction['perform'] =>
  (pg, press) => {
    if (!pg.editor.getState().editing) perform(pg, press);
  };

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
    perform: onRun((pg) => pg.playback.toggle()),
  },
  {
    name: 'step',
    label: 'Step to the next event (pauses)',
    keyLabel: '.',
    keyTest: (p) => plain(p) && p.key === '.',
    perform: onRun((pg) => void pg.playback.step()),
  },
  {
    name: 'stepBack',
    label: 'Step back to the previous event (pauses)',
    keyLabel: ',',
    keyTest: (p) => plain(p) && p.key === ',',
    perform: onRun((pg) => void pg.timeTravel.stepBack()),
  },
  {
    name: 'reset',
    label: 'Reset to t = 0 (same scenario and seed)',
    keyLabel: 'R',
    keyTest: (p) => plain(p) && (p.key === 'r' || p.key === 'R'),
    perform: onRun((pg) => void pg.playback.reset()),
  },
  {
    name: 'toggleOutage',
    label: 'Switch the outage of the n-th service on or off',
    keyLabel: '1 – 9',
    keyTest: (p) => plain(p) && serviceNumber(p.key) >= 0,
    perform: onRun((pg, p) => {
      const service = pg.getState().scenario.services[serviceNumber(p.key)];
      if (service) void toggleOutage(pg, service.id);
    }),
  },
  {
    name: 'toggleEdit',
    label: 'Edit the system on the canvas, or run what you edited',
    keyLabel: 'E',
    keyTest: (p) => plain(p) && (p.key === 'e' || p.key === 'E'),
    perform: (pg) => void pg.editor.toggle(),
  },
  {
    name: 'addService',
    label: 'Add a service (Edit mode)',
    keyLabel: 'A',
    keyTest: (p) => plain(p) && (p.key === 'a' || p.key === 'A'),
    perform: (pg) => {
      if (!pg.editor.getState().editing) return;
      pg.editor.addService();
      pg.ui.setPanelOpen(true);
    },
  },
  {
    name: 'undo',
    label: 'Undo an edit (Edit mode)',
    keyLabel: 'Ctrl+Z',
    keyTest: (p) => command(p, 'z') && !p.shiftKey,
    perform: (pg) => pg.editor.undo(),
  },
  {
    name: 'redo',
    label: 'Redo an edit (Edit mode)',
    keyLabel: 'Ctrl+Shift+Z or Ctrl+Y',
    keyTest: (p) => (command(p, 'z') && p.shiftKey === true) || (command(p, 'y') && !p.shiftKey),
    perform: (pg) => pg.editor.redo(),
  },
  {
    name: 'showShortcuts',
    label: 'Show keyboard shortcuts',
    keyLabel: '?',
    keyTest: (p) => !p.ctrlKey && !p.metaKey && p.key === '?',
    perform: (pg) => pg.ui.setShortcutsOpen(true),
  },
];

/** The action a key press triggers, if any. */
export function actionForKey(press: KeyPress): PlaygroundAction | undefined {
  return actions.find((a) => a.keyTest(press));
}

/**
 * The outage switch: down if it was up on the first side shown, up if it was down. A
 * problem (no such service here) goes to the banner.
 */
/**
 * The broker's own outage switch: the fault action on `"broker"` (the event side only; a
 * request chain has no broker, and the engine leaves it alone).
 */
export async function toggleBrokerOutage(pg: Playground): Promise<void> {
  const run = pg.getState().runs.event;
  if (!run) return;
  const down = !run.report().broker.down;
  const problem = await pg.apply({ kind: 'fault', service: 'broker', patch: { down } });
  if (problem) pg.ui.setError(problem);
}

/**
 * Move a leader for five seconds: a quorum queue's (named by its service) or a
 * partition's. Five seconds is the learner's example, not a product figure: a controlled
 * move takes well under a second, a crashed leader as long as failure detection does.
 */
export async function moveLeader(
  pg: Playground,
  target: { queue: string } | { partition: number },
  durationMs = 5_000,
): Promise<void> {
  const problem = await pg.apply({ kind: 'leader-change', ...target, durationMs });
  if (problem) pg.ui.setError(problem);
}

export async function toggleOutage(pg: Playground, serviceId: string): Promise<void> {
  const s = pg.getState();
  const run = s.runs.chain ?? s.runs.event;
  const index = run ? run.model.services.findIndex((x) => x.id === serviceId) : -1;
  const down = run && index >= 0 ? !run.service(index).down : true;
  const problem = await pg.apply({ kind: 'fault', service: serviceId, patch: { down } });
  if (problem) pg.ui.setError(problem);
}
