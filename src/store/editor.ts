/**
 * Edit mode: the canvas becomes an editor of the scenario. The editor keeps a draft (a
 * scenario as a file would say it), a bounded history of drafts for undo/redo, and the
 * draft's problems, checked with the schema files are read with.
 *
 * Entering pauses the run. Leaving (or Run) opens the edited scenario through the one
 * door, `loadRun`, from t = 0 with the same seed and view, so it is an ordinary scenario
 * from then on (links, files, autosave, time travel). A draft with problems cannot run,
 * and is never thrown away: leaving keeps it, and Edit brings it back.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Scenario } from '../core/scenario';
import {
  addFault,
  addService,
  addOrder,
  addSpike,
  autoLayout,
  type BrokerKind,
  checkDraft,
  connect,
  type Draft,
  type DraftFault,
  deleteService,
  draftOf,
  freeIdFor,
  moveInChain,
  moveService,
  type PlacedProblem,
  type Point,
  placeProblems,
  removeFault,
  removeOrder,
  removeSpike,
  renameService,
  type ServicePatch,
  setAttribute,
  setBroker,
  setCircuitBreaker,
  setFilterPolicy,
  setKeys,
  setPoison,
  setEmits,
  setEntry,
  setParallel,
  link,
  setRate,
  setScenarioName,
  type SettingsSection,
  type SettingValue,
  setSetting,
  setSubscribes,
  updateFault,
  type DraftSpike,
  updateService,
  updateOrder,
  updateSpike,
} from './draft';
import { freeSpot, positionsOf } from './editLayout';
import type { Kernel } from './kernel';
import type { PlaybackPart } from './playback';
import type { UiPart } from './ui';

/** Drafts kept for undo: enough for a lesson's worth of edits, bounded in memory. */
export const HISTORY_LIMIT = 100;

export interface EditorState {
  editing: boolean;
  draft: Draft;
  /** Earlier drafts, oldest first (undo takes the last). */
  past: Draft[];
  /** Drafts undone, the next redo last. */
  future: Draft[];
  /** The draft's problems, each placed on its service or on the system. */
  problems: PlacedProblem[];
  /** The draft as a runnable scenario, or null while it has problems. */
  valid: Scenario | null;
  /** The service shown in the editor's inspector. */
  selected: string | null;
  /** The run's scenario when editing began: a draft kept for it comes back with Edit. */
  base: Scenario | null;
  /** What the last edit needs the learner to know (e.g. choose a new entry). */
  note: string | null;
  /**
   * A draft waits to be taken up again (left with problems, or saved when the page closed
   * mid-edit): Edit resumes it instead of starting from the run.
   */
  kept: boolean;
  /** The canvas shows each event type and topic pattern as a node of its own. */
  showEvents: boolean;
}

/** Where a draft is saved while it is edited (the page passes localStorage). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
/** The saved draft's key; versioned so a future format change does not misread it. */
export const DRAFT_KEY = 'fanout.editDraft.v1';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A saved draft, if it has the shape the editor can show (its values are checked as usual). */
function readSavedDraft(storage: DraftStorage | null): Draft | null {
  try {
    const text = storage?.getItem(DRAFT_KEY);
    if (!text) return null;
    const saved: unknown = JSON.parse(text);
    if (!isObject(saved) || !isObject(saved.draft)) return null;
    const d = saved.draft;
    const services = d.services;
    if (!Array.isArray(services) || !isObject(d.workload)) return null;
    if (
      !services.every((x) => isObject(x) && typeof x.id === 'string' && typeof x.name === 'string')
    )
      return null;
    if (d.broker !== undefined && !isObject(d.broker)) return null;
    if (d.layout !== undefined && !isObject(d.layout)) return null;
    return d as unknown as Draft;
  } catch {
    return null;
  }
}

export interface EditorPart {
  readonly store: StoreApi<EditorState>;
  getState(): EditorState;
  /** Enter Edit mode (the run pauses), or leave it (the edited scenario runs when valid). */
  toggle(): Promise<string | null>;
  enter(): void;
  /** Leave Edit mode. A valid, changed draft is run from t = 0; one with problems is kept. */
  leave(): Promise<string | null>;
  /** Run the draft now, from t = 0, same seed and view (and leave Edit mode). */
  run(): Promise<string | null>;
  /** Leave without running the draft: the run on screen stays, the draft is dropped. */
  discard(): void;
  select(id: string | null): void;
  addService(at?: Point): string;
  renameService(id: string, name: string): void;
  deleteService(id: string): void;
  setEntry(id: string): void;
  setEmits(id: string, type: string, on: boolean): void;
  setSubscribes(id: string, type: string, on: boolean): void;
  /** A line drawn on the canvas from `from` to `to`: `to` subscribes to an event `from` emits. */
  connect(from: string, to: string): void;
  /**
   * A line drawn on the canvas with events shown as nodes: service -> event (it emits it),
   * event or pattern -> service (it subscribes), service -> service (`connect`).
   */
  link(from: string, to: string): void;
  /** Show event types and topic patterns as nodes on the canvas, or not (a view: no edit). */
  showEvents(on: boolean): void;
  /** Subscribe a service to an event name or topic pattern typed in; returns why not, or null. */
  addSubscription(id: string, binding: string): string | null;
  /** A new event type the service emits; returns why not (empty, already emitted), or null. */
  addEventType(id: string, type: string): string | null;
  updateService(id: string, patch: ServicePatch): void;
  moveInChain(id: string, by: -1 | 1): void;
  /** Call a service in the parallel (last) step of the call order, or take it out. */
  setParallel(id: string, on: boolean): void;
  setRate(rate: number): void;
  /** Schedule a fault on a service (down at 10 s for 10 s), change one, or remove one. */
  addFault(service: string): void;
  updateFault(index: number, patch: Partial<DraftFault>): void;
  removeFault(index: number): void;
  setBroker(kind: BrokerKind): void;
  /** One setting of the broker, of consumer delivery or of the request chain (undefined: its default). */
  setSetting(section: SettingsSection, key: string, value: SettingValue): void;
  /** A circuit breaker on every service-to-service call, or none. */
  setCircuitBreaker(on: boolean): void;
  /** SNS + SQS: the values of `attribute` a service's subscription accepts (undefined: any). */
  setFilterPolicy(service: string, attribute: string, values: string[] | undefined): void;
  /** Workload: bursts of orders, how many keys orders carry, their attributes. */
  addSpike(): void;
  updateSpike(index: number, patch: Partial<DraftSpike>): void;
  removeSpike(index: number): void;
  setKeys(keys: number | undefined): void;
  /** Poison orders: null turns them off; a patch turns them on or changes their share or services. */
  setPoison(patch: { rate?: number; services?: string[] } | null): void;
  /** Single orders at exact moments, on top of the random arrivals. */
  addOrder(): void;
  updateOrder(index: number, at_ms: number): void;
  removeOrder(index: number): void;
  /** An order attribute's values (undefined removes it). */
  setAttribute(name: string, values: string[] | undefined): void;
  /** A new order attribute with its values; returns why not (no name, already there), or null. */
  addAttribute(name: string, values: string[]): string | null;
  setScenarioName(name: string): void;
  moveService(id: string, at: Point): void;
  /**
   * Move a service's box by (dx, dy) canvas units from where it is drawn (the arrow keys),
   * saved as a layout hint. Moves of one box in a row are one undo step; each says where
   * the box is now (the toolbar's status, read out by screen readers).
   */
  nudgeService(id: string, dx: number, dy: number): void;
  /** Drop the dragged positions: every service is placed again, in columns by event hops. */
  autoLayout(): void;
  undo(): void;
  redo(): void;
}

function checked(draft: Draft): Pick<EditorState, 'draft' | 'problems' | 'valid'> {
  const r = checkDraft(draft);
  return { draft, problems: placeProblems(draft, r.problems), valid: r.scenario };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function createEditor(
  k: Kernel,
  playback: Pick<PlaybackPart, 'play' | 'pause'>,
  ui: Pick<UiPart, 'notify' | 'setPanelOpen'>,
  storage: DraftStorage | null = null,
): EditorPart {
  const saved = readSavedDraft(storage);
  const store = createStore<EditorState>()(() => ({
    editing: false,
    ...checked(saved ?? draftOf(k.get().scenario)),
    past: [],
    future: [],
    selected: null,
    base: null,
    note: null,
    kept: saved !== null,
    showEvents: false,
  }));
  const get = store.getState;
  // Autosave: the draft being edited (or kept) survives a closed tab; nothing else is saved.
  store.subscribe((s, prev) => {
    if (!storage || (s.draft === prev.draft && s.kept === prev.kept && s.editing === prev.editing))
      return;
    try {
      if (s.editing || s.kept) storage.setItem(DRAFT_KEY, JSON.stringify({ draft: s.draft }));
      else storage.removeItem(DRAFT_KEY);
    } catch {
      // Full or refused storage: the draft still lives in the page.
    }
  });
  // Typing a name is one step, not one per key: edits with the same key in a row merge.
  let lastKey: string | null = null;
  let wasPlaying = false;

  const commit = (next: Draft, key: string | null = null, extra: Partial<EditorState> = {}) => {
    const s = get();
    if (!s.editing || next === s.draft) return;
    const merge = key !== null && key === lastKey;
    lastKey = key;
    store.setState({
      ...checked(next),
      past: merge ? s.past : [...s.past, s.draft].slice(-HISTORY_LIMIT),
      future: [],
      note: null,
      ...extra,
    });
  };
  const edit =
    <A extends unknown[]>(f: (d: Draft, ...args: A) => Draft, key?: (...args: A) => string) =>
    (...args: A) =>
      commit(f(get().draft, ...args), key ? key(...args) : null);

  const runDraft = async (): Promise<string | null> => {
    const s = get();
    if (!s.valid) {
      return `The edited system has ${s.problems.length} problem${s.problems.length === 1 ? '' : 's'} to fix before it can run: ${s.problems[0]?.text ?? ''}`;
    }
    const p = k.get();
    const r = await k.loadRun({
      scenario: s.valid,
      seed: p.seed,
      mode: p.mode,
      at: 0,
      interventions: {},
      playing: wasPlaying,
    });
    if (!r.ok) {
      store.setState({ note: r.message });
      return r.message;
    }
    lastKey = null;
    store.setState({ editing: false, base: null, past: [], future: [], note: null, kept: false });
    return null;
  };

  // Another run opened while editing (the scenario picker, a link): an untouched draft
  // follows it; a draft with edits stays as it is (never thrown away).
  k.store.subscribe((p, prev) => {
    const s = get();
    if (!s.editing || p.scenario === prev.scenario || p.scenario === s.valid) return;
    if (s.past.length > 0 || s.future.length > 0) return;
    lastKey = null;
    store.setState({ ...checked(draftOf(p.scenario)), selected: null, base: p.scenario });
  });

  const part: EditorPart = {
    store,
    getState: get,
    async toggle() {
      if (get().editing) return part.leave();
      part.enter();
      return null;
    },
    enter() {
      const s = get();
      if (s.editing) return;
      const p = k.get();
      wasPlaying = p.playing;
      playback.pause();
      // A notice about the run (a template opened, a link...) would cover the editor's tools.
      ui.notify(null);
      // The editor's inspector lives in the side panel.
      ui.setPanelOpen(true);
      lastKey = null;
      // A kept draft comes back (never thrown away), whatever opened meanwhile.
      if (s.kept) {
        store.setState({ editing: true, note: null });
        return;
      }
      store.setState({
        editing: true,
        ...checked(draftOf(p.scenario)),
        past: [],
        future: [],
        selected: null,
        base: p.scenario,
        note: null,
      });
    },
    async leave() {
      const s = get();
      if (!s.editing) return null;
      if (!s.valid) {
        // Never thrown away: kept for the next Edit; the run shows the last working system.
        lastKey = null;
        store.setState({ editing: false, kept: true });
        const message = `Your edits have ${s.problems.length} problem${s.problems.length === 1 ? '' : 's'}, so the run still shows the last working system. Press Edit to go on with them.`;
        k.report(message);
        if (wasPlaying) playback.play();
        return message;
      }
      if (s.base && sameJson(s.valid, s.base)) {
        store.setState({ editing: false, base: null, past: [], future: [] });
        if (wasPlaying) playback.play();
        return null;
      }
      return runDraft();
    },
    run: () => runDraft(),
    discard() {
      lastKey = null;
      store.setState({
        ...checked(draftOf(k.get().scenario)),
        editing: false,
        base: null,
        past: [],
        future: [],
        selected: null,
        note: null,
        kept: false,
      });
      if (wasPlaying) playback.play();
    },
    select(id) {
      store.setState({ selected: id });
    },
    addService(at) {
      const s = get();
      if (!s.editing) return '';
      const r = addService(s.draft, at ?? freeSpot(s.draft));
      commit(r.draft, null, { selected: r.id });
      return r.id;
    },
    renameService(id, name) {
      const s = get();
      const index = s.draft.services.findIndex((x) => x.id === id);
      if (index < 0) return;
      // A service added in this edit takes its id from its name (`Mail Sender` -> `mail-sender`):
      // files, queues and links then read well. A service the run knows keeps its id.
      const isNew = s.base !== null && !s.base.services.some((x) => x.id === id);
      const newId = isNew ? freeIdFor(s.draft, id, name) : undefined;
      commit(renameService(s.draft, id, name, newId), `name:${index}`, {
        selected: s.selected === id && newId ? newId : s.selected,
      });
    },
    deleteService(id) {
      const s = get();
      const svc = s.draft.services.find((x) => x.id === id);
      if (!svc) return;
      const wasEntry = s.draft.entry === id;
      commit(deleteService(s.draft, id), null, {
        selected: s.selected === id ? null : s.selected,
        note: wasEntry
          ? `${svc.name} was the entry service, the one users call. Choose another entry service to run this system.`
          : null,
      });
    },
    setEntry: edit(setEntry),
    setEmits: edit(setEmits),
    setSubscribes: edit(setSubscribes),
    connect(from, to) {
      const r = connect(get().draft, from, to);
      if ('problem' in r) store.setState({ note: r.problem });
      else commit(r.draft);
    },
    link(from, to) {
      const r = link(get().draft, from, to);
      if ('problem' in r) store.setState({ note: r.problem });
      else commit(r.draft);
    },
    showEvents(on) {
      store.setState({ showEvents: on });
    },
    addSubscription(id, binding) {
      const name = binding.trim();
      const svc = get().draft.services.find((x) => x.id === id);
      if (!svc) return `There is no service "${id}".`;
      if (name === '') return 'Type an event name (OrderPlaced) or a topic pattern (order.*).';
      if ((svc.subscribes ?? []).includes(name))
        return `${svc.name} already subscribes to ${name}.`;
      commit(setSubscribes(get().draft, id, name, true));
      return null;
    },
    addEventType(id, type) {
      const name = type.trim();
      const svc = get().draft.services.find((x) => x.id === id);
      if (!svc) return `There is no service "${id}".`;
      if (name === '') return 'Type a name for the event, such as OrderPlaced.';
      if ((svc.emits ?? []).includes(name)) return `${svc.name} already emits ${name}.`;
      commit(setEmits(get().draft, id, name, true));
      return null;
    },
    updateService: edit(updateService, (id, patch) => `set:${id}:${Object.keys(patch).join(',')}`),
    moveInChain: edit(moveInChain),
    setParallel: edit(setParallel),
    setRate: edit(setRate, () => 'rate'),
    addFault: edit(addFault),
    updateFault: edit(updateFault, (i, patch) => `fault:${i}:${Object.keys(patch).join(',')}`),
    removeFault: edit(removeFault),
    setBroker: edit(setBroker),
    setSetting: edit(setSetting, (section, key) => `setting:${section}.${key}`),
    setCircuitBreaker: edit(setCircuitBreaker),
    setFilterPolicy: edit(setFilterPolicy, (svc, attribute) => `policy:${svc}:${attribute}`),
    addSpike: edit(addSpike),
    updateSpike: edit(updateSpike, (i, patch) => `spike:${i}:${Object.keys(patch).join(',')}`),
    removeSpike: edit(removeSpike),
    setKeys: edit(setKeys, () => 'keys'),
    // Typing a share is one step; switching on or off, or a service ticked, one each.
    setPoison: edit(setPoison, (patch) => (patch?.rate !== undefined ? 'poison-rate' : '')),
    addOrder: edit(addOrder),
    updateOrder: edit(updateOrder, (i) => `order:${i}`),
    removeOrder: edit(removeOrder),
    setAttribute: edit(setAttribute, (name) => `attribute:${name}`),
    addAttribute(name, values) {
      const key = name.trim();
      if (key === '') return 'Type a name for the attribute, such as tier.';
      if (Object.hasOwn(get().draft.workload.attributes ?? {}, key))
        return `Orders already carry ${key}: change its values below.`;
      commit(setAttribute(get().draft, key, values));
      return null;
    },
    setScenarioName: edit(setScenarioName, () => 'scenario-name'),
    moveService(id, at) {
      // A click on a box ends a "drag" that moved nothing: no edit, no undo step.
      const now = positionsOf(get().draft).get(id);
      if (now && now.x === Math.round(at.x) && now.y === Math.round(at.y)) return;
      commit(moveService(get().draft, id, at));
    },
    nudgeService(id, dx, dy) {
      const s = get();
      const svc = s.draft.services.find((x) => x.id === id);
      const from = positionsOf(s.draft).get(id);
      if (!svc || !from || (dx === 0 && dy === 0)) return;
      const to = { x: from.x + dx, y: from.y + dy };
      const way = dx !== 0 ? (dx > 0 ? 'right' : 'left') : dy > 0 ? 'down' : 'up';
      commit(moveService(s.draft, id, to), `nudge:${id}`, {
        note: `${svc.name || id} moved ${way}, to x ${Math.round(to.x)}, y ${Math.round(to.y)}.`,
      });
    },
    autoLayout: edit(autoLayout),
    undo() {
      const s = get();
      const previous = s.past.at(-1);
      if (!s.editing || !previous) return;
      lastKey = null;
      store.setState({
        ...checked(previous),
        past: s.past.slice(0, -1),
        future: [...s.future, s.draft],
        note: null,
      });
    },
    redo() {
      const s = get();
      const next = s.future.at(-1);
      if (!s.editing || !next) return;
      lastKey = null;
      store.setState({
        ...checked(next),
        past: [...s.past, s.draft].slice(-HISTORY_LIMIT),
        future: s.future.slice(0, -1),
        note: null,
      });
    },
  };
  return part;
}
