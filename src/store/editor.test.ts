/** Edit mode as a learner drives it: building a system from the blank template, undo/redo, problems placed on the right service, running it. */
import { describe, expect, it } from 'vitest';
import { Simulation, SETTING_FIELDS } from '../core';
import { BROKER_SETTINGS } from '../core/scenario';
import { findScenario } from '../content/scenarios';
import { findTemplate } from '../content/templates';
import { decodeSetup } from '../share/link';
import { encodeSetup } from '../share/writeLink';
import { actionForKey } from './actions';
import {
  addService,
  chainRows,
  checkDraft,
  deleteService,
  draftOf,
  eventNodeLinks,
  implicitChain,
  moveInChain,
  renameService,
} from './draft';
import { DRAFT_KEY, HISTORY_LIMIT } from './editor';
import {
  EDIT_NODE,
  EVENT_NODE,
  EVENTS_SPREAD,
  eventsViewPositions,
  nearestFree,
  positionsOf,
} from './editLayout';
import { createHeadlessPlayground } from './headless';
import { setupFromState } from './share';

function blankPlayground() {
  const pg = createHeadlessPlayground({ playing: false, mode: 'event' });
  const blank = findTemplate('blank')?.scenario;
  if (!blank) throw new Error('no blank template');
  return { pg, blank };
}

async function editingBlank() {
  const { pg, blank } = blankPlayground();
  await pg.loadRun({ scenario: blank, playing: false });
  pg.editor.enter();
  return pg;
}

/** The blank template turned into app -> OrderPlaced -> billing, mailer. */
async function threeServices() {
  const pg = await editingBlank();
  const ed = pg.editor;
  ed.addEventType('app', 'OrderPlaced');
  // A new service's id follows its name.
  ed.renameService(ed.addService(), 'Billing');
  ed.setSubscribes('billing', 'OrderPlaced', true);
  ed.renameService(ed.addService(), 'Mailer');
  ed.setSubscribes('mailer', 'OrderPlaced', true);
  return { pg, billing: 'billing', mailer: 'mailer' };
}

describe('entering and leaving Edit mode', () => {
  it('pauses the run and starts from the scenario on screen', async () => {
    const { pg, blank } = blankPlayground();
    await pg.loadRun({ scenario: blank, playing: true });
    expect(pg.getState().playing).toBe(true);
    pg.editor.enter();
    expect(pg.getState().playing).toBe(false);
    expect(pg.editor.getState().editing).toBe(true);
    expect(pg.editor.getState().draft.services.map((s) => s.id)).toEqual(['app']);
    expect(pg.editor.getState().problems).toEqual([]);
  });

  it('leaving runs the edited system from t = 0 with the same seed and view', async () => {
    const { pg } = await threeServices();
    await pg.playback.advanceTo(1000);
    const seed = pg.getState().seed;
    expect(await pg.editor.leave()).toBeNull();
    const s = pg.getState();
    expect(pg.editor.getState().editing).toBe(false);
    expect(s.now).toBe(0);
    expect(s.seed).toBe(seed);
    expect(s.mode).toBe('event');
    expect(s.scenario.services.map((x) => x.name)).toEqual(['My Service', 'Billing', 'Mailer']);
    await pg.playback.advanceTo(5000);
    expect(pg.getState().runs.event?.report().services.billing?.processed).toBeGreaterThan(0);
  });

  it('an unchanged draft leaves the run where it was', async () => {
    const pg = await editingBlank();
    await pg.playback.advanceTo(800);
    const build = pg.getState().build;
    await pg.editor.leave();
    expect(pg.getState().build).toBe(build);
    expect(pg.getState().now).toBe(800);
  });
});

describe('editing the draft', () => {
  it('adds services with fresh ids and names, placed without overlaps', async () => {
    const { pg, billing, mailer } = await threeServices();
    const d = pg.editor.getState().draft;
    expect(d.services.map((s) => s.id)).toEqual(['app', billing, mailer]);
    expect(d.services.find((s) => s.id === 'app')?.emits).toEqual(['OrderPlaced']);
    const boxes = [...positionsOf(d).values()];
    for (const a of boxes)
      for (const b of boxes)
        if (a !== b)
          expect(
            Math.abs(a.x - b.x) >= EDIT_NODE.width || Math.abs(a.y - b.y) >= EDIT_NODE.height,
          ).toBe(true);
    expect(pg.editor.getState().problems).toEqual([]);
    expect(pg.editor.getState().selected).toBe(mailer);
  });

  it('a service the run already knows keeps its id when renamed', async () => {
    const pg = await editingBlank();
    pg.editor.renameService('app', 'Shop Front');
    expect(pg.editor.getState().draft.services[0]).toMatchObject({ id: 'app', name: 'Shop Front' });
  });

  it('renaming letter by letter is one undo step; a new service takes its id from its name', async () => {
    const pg = await editingBlank();
    let id = pg.editor.addService();
    expect(id).toBe('service-2');
    for (const name of ['B', 'Bi', 'Bil', 'Bill']) {
      pg.editor.renameService(id, name);
      id = pg.editor.getState().selected ?? '';
    }
    expect(id).toBe('bill');
    pg.editor.undo();
    expect(pg.editor.getState().draft.services[1]).toMatchObject({
      id: 'service-2',
      name: 'Service 2',
    });
    pg.editor.redo();
    expect(pg.editor.getState().draft.services[1]).toMatchObject({ id: 'bill', name: 'Bill' });
  });

  it('undo and redo walk the drafts; a new edit clears what was undone', async () => {
    const { pg, mailer } = await threeServices();
    pg.editor.deleteService(mailer);
    expect(pg.editor.getState().draft.services).toHaveLength(2);
    pg.editor.undo();
    expect(pg.editor.getState().draft.services).toHaveLength(3);
    pg.editor.redo();
    expect(pg.editor.getState().draft.services).toHaveLength(2);
    pg.editor.undo();
    pg.editor.setRate(7);
    expect(pg.editor.getState().future).toEqual([]);
    pg.editor.redo();
    expect(pg.editor.getState().draft.services).toHaveLength(3);
  });

  it('keeps a bounded history', async () => {
    const pg = await editingBlank();
    // Alternating fields: edits of one field in a row would merge into one step.
    for (let i = 0; i < HISTORY_LIMIT + 20; i++)
      pg.editor.updateService(
        'app',
        i % 2 ? { replicas: (i % 3) + 1 } : { concurrency: (i % 5) + 1 },
      );
    expect(pg.editor.getState().past).toHaveLength(HISTORY_LIMIT);
  });

  it('deleting the entry says what to choose instead, and the draft cannot run until it is chosen', async () => {
    const { pg, billing } = await threeServices();
    pg.editor.deleteService('app');
    const s = pg.editor.getState();
    expect(s.note).toMatch(/My Service was the entry service.*Choose another entry service/);
    expect(s.valid).toBeNull();
    expect(s.problems.map((p) => p.text)).toContain(
      'Entry service: choose which service users call (the one it named was deleted)',
    );
    // Nobody emits OrderPlaced any more: each subscriber shows it on its own node.
    const onBilling = s.problems.filter((p) => p.service === billing).map((p) => p.text);
    expect(onBilling).toEqual(['Subscribes to OrderPlaced: no service emits "OrderPlaced"']);
    expect(await pg.editor.run()).toMatch(/problems? to fix before it can run/);
    expect(pg.editor.getState().editing).toBe(true);
  });

  it('a bad setting shows on the service it concerns, naming the field', async () => {
    const { pg, mailer } = await threeServices();
    pg.editor.updateService(mailer, { latency_ms: 90_000 });
    pg.editor.renameService('app', '');
    const { problems } = pg.editor.getState();
    expect(problems.filter((p) => p.service === mailer).map((p) => p.text)).toEqual([
      'Latency: must be <= 60000',
    ]);
    expect(problems.filter((p) => p.service === 'app').map((p) => p.text)).toEqual([
      'Name: must not be empty',
    ]);
  });

  it('a line drawn from one service to another subscribes the second to what the first emits', async () => {
    const pg = await editingBlank();
    const ed = pg.editor;
    ed.renameService(ed.addService(), 'Ledger');
    ed.connect('app', 'ledger');
    expect(ed.getState().note).toMatch(/My Service emits nothing yet/);
    ed.addEventType('app', 'OrderPlaced');
    ed.connect('app', 'ledger');
    expect(ed.getState().draft.services[1]?.subscribes).toEqual(['OrderPlaced']);
    ed.connect('app', 'ledger');
    expect(ed.getState().note).toMatch(/already subscribes to everything My Service emits/);
    ed.undo();
    expect(ed.getState().draft.services[1]?.subscribes).toEqual([]);
  });

  it('schedules faults: each kind takes its own setting; a problem names the fault and its field', async () => {
    const { pg, mailer } = await threeServices();
    const ed = pg.editor;
    ed.addFault(mailer);
    ed.updateFault(0, { mode: 'slow' });
    expect(ed.getState().draft.faults?.[0]).toMatchObject({ mode: 'slow', factor: 5 });
    ed.updateFault(0, { mode: 'flaky' });
    expect(ed.getState().draft.faults?.[0]).toEqual({
      service: mailer,
      at_ms: 10_000,
      duration_ms: 10_000,
      mode: 'flaky',
      error_rate: 0.3,
    });
    expect(ed.getState().problems).toEqual([]);
    ed.updateFault(0, { at_ms: -5 });
    expect(ed.getState().problems.map((p) => p.text)).toEqual([
      'Fault 1 (starts at): must be >= 0',
    ]);
    ed.updateFault(0, { at_ms: 1000, duration_ms: undefined });
    await ed.run();
    expect(pg.getState().scenario.faults).toEqual([
      { service: mailer, at_ms: 1000, mode: 'flaky', error_rate: 0.3 },
    ]);
    pg.editor.enter();
    pg.editor.removeFault(0);
    expect(pg.editor.getState().draft.faults).toEqual([]);
  });

  it("schedules the broker's own faults: a leader change is the broker's, needs its queue, and runs", async () => {
    const { pg, mailer } = await threeServices();
    const ed = pg.editor;
    ed.addFault(mailer);
    ed.updateFault(0, { mode: 'leader-change' });
    expect(ed.getState().draft.faults?.[0]).toEqual({
      service: 'broker',
      at_ms: 10_000,
      duration_ms: 10_000,
      mode: 'leader-change',
    });
    expect(ed.getState().problems.map((p) => p.text)).toEqual([
      'Fault 1 (queue): is required: the service whose quorum queue loses its leader',
    ]);
    ed.updateFault(0, { queue: mailer, at_ms: 1_000, duration_ms: 3_000 });
    expect(ed.getState().problems).toEqual([]);
    await ed.run();
    await pg.playback.advanceTo(2_000);
    expect(pg.getState().runs.event?.report().broker.electing).toEqual([mailer]);
    await pg.playback.advanceTo(5_000);
    expect(pg.getState().runs.event?.report().broker.electing).toEqual([]);
    // The broker can be down or slow from the same list.
    pg.editor.enter();
    pg.editor.updateFault(0, { mode: 'down' });
    expect(pg.editor.getState().draft.faults?.[0]).toMatchObject({
      service: 'broker',
      mode: 'down',
    });
    expect(pg.editor.getState().draft.faults?.[0]?.queue).toBeUndefined();
    expect(pg.editor.getState().problems).toEqual([]);
  });

  it('a bad part of a latency distribution is named', async () => {
    const { pg, billing } = await threeServices();
    pg.editor.updateService(billing, {
      latency_ms: { dist: 'lognormal', median_ms: 90_000, sigma: 0.5 },
    });
    expect(pg.editor.getState().problems.map((p) => [p.service, p.field, p.text])).toEqual([
      [billing, 'latency_ms.median_ms', 'Latency (median): must be <= 60000'],
    ]);
  });

  it('the entry cannot subscribe: said on the entry', async () => {
    const { pg } = await threeServices();
    pg.editor.setSubscribes('app', 'OrderPlaced', true);
    const texts = pg.editor.getState().problems.filter((p) => p.service === 'app');
    expect(texts.map((p) => p.text).join(' ')).toMatch(/cannot also subscribe/);
  });

  it('sets service settings, call order, rate and broker flavour', async () => {
    const { pg, billing, mailer } = await threeServices();
    const ed = pg.editor;
    ed.updateService(billing, {
      latency_ms: { dist: 'lognormal', median_ms: 40, sigma: 0.4 },
      concurrency: 2,
      replicas: 3,
      idempotent: true,
    });
    ed.updateService('app', { publish: 'outbox' });
    ed.moveInChain(mailer, -1);
    ed.setRate(12);
    ed.setBroker('log');
    const s = ed.getState();
    expect(s.problems).toEqual([]);
    expect(s.valid?.chain).toEqual(['app', mailer, billing]);
    expect(s.valid?.broker.kind).toBe('log');
    expect(s.valid?.workload.rate_per_s).toBe(12);
    expect(s.valid?.services.find((x) => x.id === billing)).toMatchObject({
      concurrency: 2,
      replicas: 3,
      idempotent: true,
    });
    await ed.run();
    expect(pg.getState().scenario.broker.kind).toBe('log');
  });

  it('a draft with problems is kept when leaving, and comes back with Edit', async () => {
    const { pg } = await threeServices();
    pg.editor.renameService('app', '');
    expect(await pg.editor.leave()).toMatch(/still shows the last working system/);
    expect(pg.editor.getState().editing).toBe(false);
    expect(pg.getState().scenario.services).toHaveLength(1);
    // Another scenario opened meanwhile does not replace it.
    const checkout = findScenario('checkout');
    if (!checkout) throw new Error('no checkout');
    await pg.loadRun({ scenario: checkout, playing: false });
    pg.editor.enter();
    expect(pg.editor.getState().draft.services).toHaveLength(3);
    expect(pg.editor.getState().problems[0]?.service).toBe('app');
    // Discard is the one way to drop it.
    pg.editor.discard();
    pg.editor.enter();
    expect(pg.editor.getState().draft.id).toBe('checkout');
    expect(pg.editor.getState().problems).toEqual([]);
  });
});

describe('an edited system is an ordinary scenario', () => {
  it('a share link carries it, layout hints included, and opens the same run', async () => {
    const { pg } = await threeServices();
    pg.editor.moveService('mailer', { x: 640, y: 320 });
    await pg.editor.run();
    await pg.apply({ kind: 'fault', service: 'mailer', patch: { down: true } });
    await pg.playback.advanceTo(4000);
    const setup = setupFromState(pg.getState());
    expect(setup.builtIn).toBe(false);
    const decoded = decodeSetup(encodeSetup(setup));
    if (!decoded.ok) throw new Error(decoded.message);
    expect(decoded.value.scenario).toEqual(pg.getState().scenario);
    const other = createHeadlessPlayground({ playing: false, mode: 'event' });
    await other.sharing.open(decoded.value);
    expect(other.getState().now).toBe(4000);
    expect(pg.getState().runs.event?.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(other.getState().runs.event?.traceHash).toBe(pg.getState().runs.event?.traceHash);
    expect(other.getState().scenario.layout?.mailer).toEqual({ x: 640, y: 320 });
  });
});

describe('layout hints', () => {
  it('a dragged position is kept in the scenario and changes no trace hash', async () => {
    const pg = await editingBlank();
    pg.editor.moveService('app', { x: 120.4, y: 300 });
    await pg.editor.run();
    const scenario = pg.getState().scenario;
    expect(scenario.layout).toEqual({ app: { x: 120, y: 300 } });
    const checkout = findScenario('checkout');
    if (!checkout) throw new Error('no checkout');
    const hash = (s: typeof checkout) => {
      const sim = new Simulation(s, { architecture: 'event' });
      sim.runUntil(10_000);
      return sim.traceHash;
    };
    expect(hash({ ...checkout, layout: { orders: { x: 1, y: 2 } } })).toBe(hash(checkout));
  });

  it('a service dropped on another is moved down until it covers none', async () => {
    const { pg } = await threeServices();
    const d = pg.editor.getState().draft;
    const billing = positionsOf(d).get('billing');
    if (!billing) throw new Error('no billing box');
    const at = nearestFree(d, { x: billing.x + 10, y: billing.y + 10 });
    for (const box of positionsOf(d).values())
      expect(
        Math.abs(box.x - at.x) >= EDIT_NODE.width || Math.abs(box.y - at.y) >= EDIT_NODE.height,
      ).toBe(true);
    expect(at.x).toBe(billing.x + 10);
    expect(nearestFree(d, { x: 5000, y: 5000 })).toEqual({ x: 5000, y: 5000 });
  });

  it('auto-layout forgets dragged positions, as one undoable step', async () => {
    const { pg } = await threeServices();
    pg.editor.moveService('mailer', { x: 900, y: 900 });
    pg.editor.autoLayout();
    expect(pg.editor.getState().draft.layout).toBeUndefined();
    pg.editor.undo();
    expect(pg.editor.getState().draft.layout?.mailer).toEqual({ x: 900, y: 900 });
  });
});

describe('another run opened while editing', () => {
  it('an untouched draft follows it; a draft with edits is kept', async () => {
    const pg = await editingBlank();
    const checkout = findScenario('checkout');
    if (!checkout) throw new Error('no checkout');
    await pg.loadRun({ scenario: checkout, playing: false });
    expect(pg.editor.getState().draft.id).toBe('checkout');
    pg.editor.setRate(3);
    const blank = findTemplate('blank')?.scenario;
    if (!blank) throw new Error('no blank');
    await pg.loadRun({ scenario: blank, playing: false });
    expect(pg.editor.getState().draft.id).toBe('checkout');
    expect(pg.editor.getState().draft.workload.rate_per_s).toBe(3);
  });
});

describe('keys', () => {
  it('E enters and leaves, A adds a service, Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo', async () => {
    const { pg, blank } = blankPlayground();
    await pg.loadRun({ scenario: blank, playing: false });
    const press = (key: string, mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}) => {
      const action = actionForKey({ key, ...mods });
      action?.perform(pg, { key, ...mods });
      return action?.name;
    };
    // Outside Edit mode, A does nothing.
    expect(press('a')).toBe('addService');
    expect(pg.editor.getState().past).toHaveLength(0);
    expect(press('e')).toBe('toggleEdit');
    expect(pg.editor.getState().editing).toBe(true);
    // The run is paused and out of sight: its keys wait until Edit mode ends.
    press(' ');
    press('1');
    expect(pg.getState().playing).toBe(false);
    expect(pg.getState().runs.chain?.interventions ?? []).toEqual([]);
    press('a');
    press('A');
    expect(pg.editor.getState().draft.services).toHaveLength(3);
    expect(press('z', { ctrlKey: true })).toBe('undo');
    expect(pg.editor.getState().draft.services).toHaveLength(2);
    expect(press('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(pg.editor.getState().draft.services).toHaveLength(3);
    press('z', { ctrlKey: true });
    expect(press('y', { ctrlKey: true })).toBe('redo');
    expect(pg.editor.getState().draft.services).toHaveLength(3);
  });
});

describe('autosave of the draft', () => {
  it('a draft being edited survives a closed page, comes back with Edit, and is forgotten once run', async () => {
    const saved = new Map<string, string>();
    const storage = {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v),
      removeItem: (k: string) => void saved.delete(k),
    };
    const blank = findTemplate('blank')?.scenario;
    if (!blank) throw new Error('no blank');
    const first = createHeadlessPlayground({ playing: false, draftStorage: storage });
    await first.loadRun({ scenario: blank, playing: false });
    first.editor.enter();
    first.editor.renameService(first.editor.addService(), 'Ledger');
    first.editor.renameService('app', '');
    expect(saved.has(DRAFT_KEY)).toBe(true);

    // The next page: the draft is kept, with its problem, until Edit takes it up.
    const next = createHeadlessPlayground({ playing: false, draftStorage: storage });
    expect(next.editor.getState()).toMatchObject({ kept: true, editing: false });
    next.editor.enter();
    expect(next.editor.getState().draft.services.map((x) => x.id)).toEqual(['app', 'ledger']);
    expect(next.editor.getState().problems.map((p) => p.text)).toEqual(['Name: must not be empty']);
    next.editor.renameService('app', 'Till');
    expect(await next.editor.run()).toBeNull();
    expect(saved.has(DRAFT_KEY)).toBe(false);
  });

  it('a saved draft of the wrong shape is ignored', () => {
    const storage = {
      getItem: () => JSON.stringify({ draft: { services: 'nope' } }),
      setItem: () => {},
      removeItem: () => {},
    };
    const pg = createHeadlessPlayground({ playing: false, draftStorage: storage });
    expect(pg.editor.getState().kept).toBe(false);
  });
});

describe('editing a call order with a parallel step (fair-chain)', () => {
  const draft = () => {
    const fair = findScenario('fair-chain');
    if (!fair) throw new Error('no fair-chain');
    return draftOf(fair);
  };

  it('renames, deletes and adds around the parallel step, and the result still runs', () => {
    let d = draft();
    expect(d.chain).toEqual(['orders', 'payment', ['email', 'analytics']]);
    d = renameService(d, 'email', 'Mailer', 'mailer');
    expect(d.chain).toEqual(['orders', 'payment', ['mailer', 'analytics']]);
    // A new service joins before the parallel step, which stays last.
    const added = addService(d);
    expect(added.draft.chain).toEqual(['orders', 'payment', added.id, ['mailer', 'analytics']]);
    // A parallel step left with one service is a plain step again.
    d = deleteService(d, 'analytics');
    expect(d.chain).toEqual(['orders', 'payment', 'mailer']);
    expect(checkDraft(d).ok).toBe(true);
  });

  it('lists the order flat, and does not move a service into or out of the parallel step', () => {
    const d = draft();
    expect(implicitChain(d)).toEqual(['orders', 'payment', 'email', 'analytics']);
    expect(moveInChain(d, 'payment', 1)).toBe(d);
    expect(moveInChain(d, 'email', -1)).toBe(d);
    // So the list's buttons for them are off, and it says which are called at once.
    expect(chainRows(d)).toEqual([
      { id: 'orders', earlier: false, later: false, parallel: false, canJoin: false },
      { id: 'payment', earlier: false, later: false, parallel: false, canJoin: true },
      { id: 'email', earlier: false, later: false, parallel: true, canJoin: false },
      { id: 'analytics', earlier: false, later: false, parallel: true, canJoin: false },
    ]);
  });
});

describe('parallel steps from the editor', () => {
  it('puts two services in one parallel step and takes them out again, one undo step each; the run calls them at once', async () => {
    const { pg } = await threeServices();
    const ed = pg.editor;
    expect(implicitChain(ed.getState().draft)).toEqual(['app', 'billing', 'mailer']);
    // The entry answers the user: it is never called in parallel.
    expect(chainRows(ed.getState().draft)[0]?.canJoin).toBe(false);
    ed.setParallel('billing', true);
    expect(ed.getState().draft.chain).toEqual(['app', ['mailer', 'billing']]);
    expect(ed.getState().problems).toEqual([]);
    // A third joins the same step.
    ed.renameService(ed.addService(), 'Audit');
    ed.setSubscribes('audit', 'OrderPlaced', true);
    expect(ed.getState().draft.chain).toEqual(['app', 'audit', ['mailer', 'billing']]);
    ed.setParallel('audit', true);
    expect(ed.getState().draft.chain).toEqual(['app', ['mailer', 'billing', 'audit']]);
    // Out again: called just before the services left in the step.
    ed.setParallel('mailer', false);
    expect(ed.getState().draft.chain).toEqual(['app', 'mailer', ['billing', 'audit']]);
    ed.setParallel('audit', false);
    expect(ed.getState().draft.chain).toEqual(['app', 'mailer', 'audit', 'billing']);
    ed.undo();
    expect(ed.getState().draft.chain).toEqual(['app', 'mailer', ['billing', 'audit']]);
    // It runs as a chain whose last step calls both at once.
    await pg.setMode('chain');
    expect(await ed.run()).toBeNull();
    expect(pg.getState().scenario.chain).toEqual(['app', 'mailer', ['billing', 'audit']]);
    const model = pg.getState().runs.chain?.model;
    const id = (i: number) => model?.services[i]?.id;
    expect(model?.chainSteps.map((step) => step.map(id))).toEqual([
      ['app'],
      ['mailer'],
      ['billing', 'audit'],
    ]);
  });
});

describe('moving a box with the keyboard', () => {
  it('moves the service from where it is drawn, saved as a layout hint; a run of moves is one undo step and each says where the box is', async () => {
    const { pg, billing } = await threeServices();
    const ed = pg.editor;
    ed.autoLayout();
    const from = positionsOf(ed.getState().draft).get(billing) as { x: number; y: number };
    ed.nudgeService(billing, 20, 0);
    ed.nudgeService(billing, 20, 0);
    ed.nudgeService(billing, 0, -100);
    expect(ed.getState().draft.layout?.[billing]).toEqual({ x: from.x + 40, y: from.y - 100 });
    expect(ed.getState().note).toBe(`Billing moved up, to x ${from.x + 40}, y ${from.y - 100}.`);
    // Another edit in between ends the run of moves.
    ed.setRate(5);
    ed.nudgeService(billing, -20, 0);
    ed.undo();
    expect(ed.getState().draft.layout?.[billing]).toEqual({ x: from.x + 40, y: from.y - 100 });
    ed.undo();
    ed.undo();
    expect(ed.getState().draft.layout?.[billing]).toBeUndefined();
    expect(positionsOf(ed.getState().draft).get(billing)).toEqual(from);
  });
});

describe('broker, delivery, request chain and workload settings', () => {
  it('offers every plain setting each broker flavour, delivery and the request chain have (maps such as filter policies aside)', () => {
    expect(SETTING_FIELDS.queue.map((f) => f.key)).toEqual(BROKER_SETTINGS.queue);
    expect(SETTING_FIELDS.log.map((f) => f.key)).toEqual(BROKER_SETTINGS.log);
    expect(SETTING_FIELDS['sns-sqs'].map((f) => f.key)).toEqual(
      BROKER_SETTINGS['sns-sqs'].filter((k) => k !== 'filter_policies'),
    );
    expect(SETTING_FIELDS.delivery.map((f) => f.key)).toEqual([
      'max_attempts',
      'backoff',
      'base_ms',
      'cap_ms',
      'jitter',
      'dead_letter',
    ]);
    expect(SETTING_FIELDS.sync.map((f) => f.key)).toEqual(['timeout_ms', 'retries', 'deadline_ms']);
  });

  it('sets broker settings, checked live: a bad one is named at its field; a new flavour starts from its own defaults; the run uses them', async () => {
    const { pg } = await threeServices();
    const ed = pg.editor;
    ed.setSetting('broker', 'max_length', 2_000_000);
    expect(ed.getState().valid).toBeNull();
    expect(ed.getState().problems).toEqual([
      expect.objectContaining({
        service: null,
        field: 'broker.max_length',
        text: expect.stringMatching(/^Broker \(broker\.max_length\): .*1000000/),
      }),
    ]);
    ed.setSetting('broker', 'max_length', 5);
    ed.setSetting('broker', 'overflow', 'reject-publish');
    ed.setSetting('delivery', 'max_attempts', 3);
    ed.setSetting('sync', 'retries', 2);
    expect(ed.getState().problems).toEqual([]);
    // Typing a number is one step: the bad value and its fix undo together.
    for (let i = 0; i < 4; i++) ed.undo();
    expect(ed.getState().draft.broker).toMatchObject({ kind: 'queue', overflow: 'drop-head' });
    expect(ed.getState().draft.broker).not.toHaveProperty('max_length');
    for (let i = 0; i < 4; i++) ed.redo();
    expect(await ed.run()).toBeNull();
    const scenario = pg.getState().scenario;
    expect(scenario.broker).toMatchObject({
      kind: 'queue',
      max_length: 5,
      overflow: 'reject-publish',
    });
    expect(scenario.delivery.max_attempts).toBe(3);
    expect(scenario.sync.retries).toBe(2);

    pg.editor.enter();
    ed.setBroker('log');
    expect(ed.getState().draft.broker).toEqual({ kind: 'log' });
    ed.setSetting('broker', 'partitions', 6);
    // Back to its default: the key is left out.
    ed.setSetting('broker', 'retention_ms', 60_000);
    ed.setSetting('broker', 'retention_ms', undefined);
    expect(ed.getState().draft.broker).toEqual({ kind: 'log', partitions: 6 });
    expect(await ed.run()).toBeNull();
    expect(pg.getState().runs.event?.model.broker).toMatchObject({ kind: 'log', partitions: 6 });
  });

  it('adds, changes and removes workload spikes, keys and order attributes, each problem named', async () => {
    const { pg } = await threeServices();
    const ed = pg.editor;
    ed.setRate(20);
    ed.addSpike();
    expect(ed.getState().draft.workload.spikes).toEqual([
      { at_ms: 20_000, duration_ms: 5_000, rate_per_s: 100 },
    ]);
    ed.updateSpike(0, { duration_ms: 0 });
    expect(ed.getState().problems.map((p) => [p.field, p.text])).toEqual([
      ['workload.spikes[0].duration_ms', expect.stringMatching(/^Spike 1 \(lasts\): /)],
    ]);
    ed.updateSpike(0, { duration_ms: 3_000 });
    ed.setKeys(8);
    expect(ed.addAttribute('tier', ['gold', 'silver'])).toBeNull();
    expect(ed.addAttribute('tier', ['bronze'])).toBe(
      'Orders already carry tier: change its values below.',
    );
    expect(ed.addAttribute('  ', ['x'])).toBe('Type a name for the attribute, such as tier.');
    ed.setAttribute('tier', ['gold', '']);
    expect(ed.getState().problems.map((p) => p.text)).toEqual([
      expect.stringMatching(/^Order attribute tier: /),
    ]);
    ed.setAttribute('tier', ['gold', 'silver', 'bronze']);
    expect(ed.getState().problems).toEqual([]);
    expect(await ed.run()).toBeNull();
    const workload = pg.getState().scenario.workload;
    expect(workload.spikes).toEqual([{ at_ms: 20_000, duration_ms: 3_000, rate_per_s: 100 }]);
    expect(workload.keys).toBe(8);
    expect(workload.attributes).toEqual({ tier: ['gold', 'silver', 'bronze'] });

    ed.enter();
    ed.removeSpike(0);
    ed.setKeys(undefined);
    ed.setAttribute('tier', undefined);
    expect(ed.getState().draft.workload).toEqual({
      ...ed.getState().draft.workload,
      spikes: [],
      attributes: {},
    });
    expect(ed.getState().draft.workload.keys).toBeUndefined();
  });
});

describe('a click on a box', () => {
  it('ends a drag that moved nothing: no layout hint, no undo step', async () => {
    const { pg, billing } = await threeServices();
    const ed = pg.editor;
    // Placed by the editor, not dragged.
    ed.autoLayout();
    const steps = ed.getState().past.length;
    const at = positionsOf(ed.getState().draft).get(billing) as { x: number; y: number };
    ed.moveService(billing, { x: at.x + 0.2, y: at.y - 0.3 });
    expect(ed.getState().past.length).toBe(steps);
    expect(ed.getState().draft.layout?.[billing]).toBeUndefined();
    ed.moveService(billing, { x: at.x + 40, y: at.y });
    expect(ed.getState().past.length).toBe(steps + 1);
  });
});

describe('events and topic patterns as nodes', () => {
  it('a line from a service to an event makes it emit it; from an event or pattern to a service subscribes it; other lines say why not', async () => {
    const { pg } = await threeServices();
    const ed = pg.editor;
    ed.addEventType('billing', 'PaymentTaken');
    ed.link('mailer', 'event:PaymentTaken');
    expect(ed.getState().draft.services.find((s) => s.id === 'mailer')?.emits).toEqual([
      'PaymentTaken',
    ]);
    ed.undo();
    ed.link('event:PaymentTaken', 'mailer');
    expect(ed.getState().draft.services.find((s) => s.id === 'mailer')?.subscribes).toEqual([
      'OrderPlaced',
      'PaymentTaken',
    ]);
    ed.link('event:PaymentTaken', 'mailer');
    expect(ed.getState().note).toBe('Mailer already subscribes to PaymentTaken.');
    ed.link('event:PaymentTaken', 'event:OrderPlaced');
    expect(ed.getState().note).toMatch(/^Draw from a service to an event it emits/);
    // Service to service still subscribes the second to what the first emits.
    ed.link('app', 'billing');
    expect(ed.getState().note).toBe('Billing already subscribes to everything My Service emits.');
  });

  it('a topic pattern subscription is checked live: only a topic exchange matches wildcards', async () => {
    const { pg } = await threeServices();
    const ed = pg.editor;
    ed.renameService(ed.addService(), 'Audit');
    expect(ed.addSubscription('audit', '  ')).toMatch(/^Type an event name/);
    expect(ed.addSubscription('audit', 'order.*')).toBeNull();
    expect(ed.addSubscription('audit', 'order.*')).toBe('Audit already subscribes to order.*.');
    expect(ed.getState().problems.map((p) => [p.service, p.text])).toContainEqual([
      'audit',
      expect.stringMatching(
        /^Subscribes to order\.\*: wildcards \* and # only work with broker\.exchange "topic"/,
      ),
    ]);
    ed.setSetting('broker', 'exchange', 'topic');
    // Allowed now, but it matches nothing yet: OrderPlaced is not a dotted routing key.
    expect(ed.getState().problems.map((p) => p.text)).toEqual([
      expect.stringMatching(/^Subscribes to order\.\*: matches no event any service emits/),
    ]);
    ed.addEventType('app', 'order.placed');
    expect(ed.getState().problems).toEqual([]);
    expect(eventNodeLinks(ed.getState().draft)).toContainEqual({
      from: 'event:order.placed',
      to: 'pattern:order.*',
      kind: 'matches',
    });
    expect(eventNodeLinks(ed.getState().draft)).toContainEqual({
      from: 'pattern:order.*',
      to: 'audit',
      kind: 'subscribes',
    });
    expect(await ed.run()).toBeNull();
    const model = pg.getState().runs.event?.model;
    const audit = model?.services.find((s) => s.id === 'audit');
    expect(audit?.subscribes.map((t) => model?.eventTypes[t])).toEqual(['order.placed']);
  });

  it('places event and pattern boxes between the services, overlapping nothing; services keep their arrangement, spread across', async () => {
    const { pg } = await threeServices();
    const ed = pg.editor;
    ed.setSetting('broker', 'exchange', 'topic');
    ed.addEventType('billing', 'PaymentTaken');
    ed.addSubscription('mailer', '#');
    const d = ed.getState().draft;
    const at = eventsViewPositions(d);
    const plain = positionsOf(d);
    for (const s of d.services)
      expect(at.get(s.id)).toEqual({
        x: (plain.get(s.id)?.x ?? 0) * EVENTS_SPREAD,
        y: plain.get(s.id)?.y,
      });
    const size = (id: string) => (id.includes(':') ? EVENT_NODE : EDIT_NODE);
    const ids = [...at.keys()];
    expect(ids).toEqual(
      expect.arrayContaining(['event:OrderPlaced', 'event:PaymentTaken', 'pattern:#']),
    );
    for (const a of ids)
      for (const b of ids) {
        if (a === b) continue;
        const p = at.get(a) as { x: number; y: number };
        const q = at.get(b) as { x: number; y: number };
        const apart =
          p.x + size(a).width <= q.x ||
          q.x + size(b).width <= p.x ||
          p.y + size(a).height <= q.y ||
          q.y + size(b).height <= p.y;
        expect(apart, `${a} / ${b}`).toBe(true);
      }
    // OrderPlaced sits right of its emitter and left of its subscribers.
    const event = at.get('event:OrderPlaced') as { x: number };
    expect(event.x).toBeGreaterThan((at.get('app')?.x ?? 0) + EDIT_NODE.width);
    expect(event.x + EVENT_NODE.width).toBeLessThan(at.get('billing')?.x ?? 0);
  });
});

describe('circuit breaker and SNS filter policies', () => {
  it('puts a circuit breaker on the calls and takes it off; a bad setting is named', async () => {
    const { pg } = await threeServices();
    const ed = pg.editor;
    expect(SETTING_FIELDS.circuit_breaker.map((f) => f.key)).toEqual([
      'failure_rate',
      'window_ms',
      'open_ms',
      'min_calls',
    ]);
    ed.setCircuitBreaker(true);
    ed.setSetting('circuit_breaker', 'failure_rate', 0);
    expect(ed.getState().problems.map((p) => p.field)).toEqual([
      'sync.circuit_breaker.failure_rate',
    ]);
    ed.setSetting('circuit_breaker', 'failure_rate', 0.25);
    expect(await ed.run()).toBeNull();
    expect(pg.getState().scenario.sync.circuit_breaker).toEqual({
      failure_rate: 0.25,
      window_ms: 10_000,
      open_ms: 5_000,
      min_calls: 10,
    });
    ed.enter();
    ed.setCircuitBreaker(false);
    expect(ed.getState().draft.sync).not.toHaveProperty('circuit_breaker');
  });

  it('a subscriber takes only the orders its filter policy accepts; a policy on an attribute orders no longer carry is shown on its service', async () => {
    const { pg } = await threeServices();
    const ed = pg.editor;
    ed.setBroker('sns-sqs');
    ed.setRate(20);
    ed.addAttribute('tier', ['gold', 'silver']);
    ed.setFilterPolicy('mailer', 'tier', ['gold']);
    expect(ed.getState().problems).toEqual([]);
    expect(await ed.run()).toBeNull();
    expect(pg.getState().scenario.broker).toMatchObject({
      kind: 'sns-sqs',
      filter_policies: { mailer: { tier: ['gold'] } },
    });
    // About half the orders are gold: Mailer gets those, Billing every order.
    await pg.playback.advanceTo(20_000);
    const services = pg.getState().runs.event?.report().services;
    const billing = services?.billing?.processed ?? 0;
    const mailer = services?.mailer?.processed ?? 0;
    expect(billing).toBeGreaterThan(100);
    expect(mailer).toBeGreaterThan(billing * 0.3);
    expect(mailer).toBeLessThan(billing * 0.7);
    ed.enter();
    ed.setAttribute('tier', undefined);
    expect(ed.getState().problems).toEqual([
      expect.objectContaining({
        service: 'mailer',
        field: 'filter_policy.tier',
        text: 'Filter policy (tier): orders carry no attribute "tier" (declare it in workload.attributes)',
      }),
    ]);
    // Taken off, the service gets every order again, and its empty policy is dropped.
    ed.setFilterPolicy('mailer', 'tier', undefined);
    expect(ed.getState().problems).toEqual([]);
    const broker = ed.getState().draft.broker;
    expect(broker?.kind === 'sns-sqs' && broker.filter_policies).toEqual({});
  });
});

describe('poison orders and single orders', () => {
  it('poisons a share of orders for the services ticked, which dead-letter them; single orders arrive at their moment', async () => {
    const { pg } = await threeServices();
    const ed = pg.editor;
    ed.setRate(0);
    ed.setPoison({});
    expect(ed.getState().problems.map((p) => p.field)).toEqual(['workload.poison.services']);
    ed.setPoison({ services: ['mailer'] });
    ed.setPoison({ rate: 1 });
    for (const at of [500, 1_000]) {
      ed.addOrder();
      ed.updateOrder((ed.getState().draft.workload.orders?.length ?? 1) - 1, at);
    }
    ed.addOrder();
    ed.updateOrder(2, -5);
    expect(ed.getState().problems.map((p) => p.text)).toEqual([
      expect.stringMatching(/^Workload \(workload\.orders\[2\]\.at_ms\): must be >= 0/),
    ]);
    ed.removeOrder(2);
    expect(ed.getState().problems).toEqual([]);
    expect(await ed.run()).toBeNull();
    await pg.playback.advanceTo(30_000);
    const report = pg.getState().runs.event?.report();
    // Two orders, no random ones: Billing handles both; Mailer fails on every attempt.
    expect(report?.services.billing?.processed).toBe(2);
    expect(report?.services.mailer?.processed).toBe(0);
    expect(report?.events.dead_lettered).toBe(2);

    ed.enter();
    ed.setPoison(null);
    expect(ed.getState().draft.workload).not.toHaveProperty('poison');
  });
});
