/**
 * The learning store: progress a learner would notice (where they are, what they
 * predicted, what they passed) survives a reload; anything unreadable is ignored with a
 * note, never an exception.
 */
import { describe, expect, it } from 'vitest';
import { createHeadlessPlayground } from './headless';
import { createLearnStore, LEARN_STORAGE_KEY, type LearnStorage, readSaved } from './learn';

function memoryStorage(
  initial: Record<string, string> = {},
): LearnStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => {
      data[key] = value;
    },
  };
}

/** A promise and the function that settles it: an engine answer the test sends when it likes. */
function deferred(): [Promise<void>, () => void] {
  let answer = () => {};
  const promise = new Promise<void>((done) => {
    answer = done;
  });
  return [promise, answer];
}

describe('learn store', () => {
  it('starts empty, with no note, when nothing was saved', () => {
    const store = createLearnStore({ storage: memoryStorage() });
    const s = store.getState();
    expect(s.active).toBeNull();
    expect(s.walkthroughs).toEqual({});
    expect(s.storageNote).toBeNull();
    expect(s.resumePending).toBe(false);
  });

  it('keeps the step, the latched checks and the predictions across a reload', () => {
    const storage = memoryStorage();
    const first = createLearnStore({ storage });
    first.getState().startWalkthrough('reliability');
    first.getState().markStepDone('reliability', 'two-shops');
    first.getState().goToStep('reliability', 1);
    first.getState().recordPrediction('reliability', 'predict-outage', 'wait');
    first.getState().recordReveal('reliability', 'predict-outage', {
      measured: [194, 0],
      trueOptions: ['wait'],
      actual: null,
    });
    first.getState().setLargeText(true);

    const again = createLearnStore({ storage });
    const s = again.getState();
    expect(s.active).toEqual({ kind: 'walkthrough', id: 'reliability' });
    expect(s.walkthroughs.reliability?.step).toBe(1);
    expect(s.walkthroughs.reliability?.done).toEqual(['two-shops', 'predict-outage']);
    expect(s.walkthroughs.reliability?.predictions['predict-outage']).toMatchObject({
      answer: 'wait',
      revealed: true,
      measured: [194, 0],
    });
    expect(s.largeText).toBe(true);
    // Back after a reload: the simulator is not replaced until the learner asks.
    expect(s.resumePending).toBe(true);
    s.resume();
    expect(again.getState().resumePending).toBe(false);
  });

  it('a step is "setting up" until the engine answers its setup, and a late answer for an earlier step changes nothing', async () => {
    const store = createLearnStore({ storage: memoryStorage() });
    const [first, answerFirst] = deferred();
    store.getState().setPreparedFor('reliability:0', first);
    expect(store.getState().settingUp).toBe('reliability:0');
    // The learner pressed Next before the engine answered step 1.
    const [second, answerSecond] = deferred();
    store.getState().setPreparedFor('reliability:1', second);
    answerFirst();
    await first;
    expect(store.getState()).toMatchObject({
      preparedFor: 'reliability:1',
      settingUp: 'reliability:1',
    });
    // The same step set up again ("Set up this step again"): it waits for the new setup.
    const [again, answerAgain] = deferred();
    store.getState().setPreparedFor('reliability:1', again);
    answerSecond();
    await second;
    expect(store.getState().settingUp).toBe('reliability:1');
    answerAgain();
    await again;
    expect(store.getState().settingUp).toBeNull();
    // An engine that refused still ends the wait (the step then shows what it has).
    const refused = Promise.reject(new Error('gone'));
    store.getState().setPreparedFor('reliability:2', refused);
    await refused.catch(() => {});
    expect(store.getState().settingUp).toBeNull();
  });

  it('a revealed prediction cannot be changed afterwards', () => {
    const store = createLearnStore({ storage: null });
    store.getState().recordPrediction('w', 's', 'a');
    store.getState().recordReveal('w', 's', { measured: [1], trueOptions: ['b'], actual: null });
    store.getState().recordPrediction('w', 's', 'b');
    expect(store.getState().walkthroughs.w?.predictions.s?.answer).toBe('a');
  });

  it('restarting a walkthrough clears its step, checks and answers, and nothing else', () => {
    const store = createLearnStore({ storage: null });
    store.getState().goToStep('w', 3);
    store.getState().markStepDone('w', 'x');
    store.getState().placeSortItem('w', 'sort', 'OrderCreated', 'event');
    store.getState().goToStep('other', 2);
    store.getState().restartWalkthrough('w');
    expect(store.getState().walkthroughs.w).toEqual({
      step: 0,
      done: [],
      predictions: {},
      sorts: {},
      checklists: {},
      finished: false,
    });
    expect(store.getState().walkthroughs.other?.step).toBe(2);
  });

  it('changing a sorted item asks for a new check', () => {
    const store = createLearnStore({ storage: null });
    store.getState().placeSortItem('w', 's', 'ChargeCard', 'event');
    store.getState().checkSort('w', 's');
    expect(store.getState().walkthroughs.w?.sorts.s?.checked).toBe(true);
    store.getState().placeSortItem('w', 's', 'ChargeCard', 'command');
    expect(store.getState().walkthroughs.w?.sorts.s).toEqual({
      placed: { ChargeCard: 'command' },
      checked: false,
    });
  });

  it('a challenge counts as passed once passed, even if a later try fails', () => {
    const store = createLearnStore({ storage: null });
    const goal = { label: 'g', unit: 'count' as const, value: 0, atMost: 0, passed: true };
    store.getState().recordGrade('c', { passed: true, goals: [goal], settings: { a: true } });
    store.getState().recordGrade('c', {
      passed: false,
      goals: [{ ...goal, value: 3, passed: false }],
      settings: { a: false },
    });
    expect(store.getState().challenges.c?.passed).toBe(true);
    expect(store.getState().challenges.c?.last?.passed).toBe(false);
  });

  it('opening an activity closes the Learn dialog and shows it in the side panel', () => {
    const pg = createHeadlessPlayground({ playing: false });
    pg.ui.openLearnHub('challenges');
    pg.ui.setPanelOpen(false);
    expect(pg.getState().ui.learnHub).toEqual({ open: true, section: 'challenges' });
    pg.progress.getState().openActivity({ kind: 'challenge', id: 'double-charges' });
    expect(pg.getState().ui.learnHub.open).toBe(false);
    expect(pg.getState().ui.panelOpen).toBe(true);
    expect(pg.getState().ui.panelTab).toBe('walkthrough');
    expect(pg.progress.getState().active).toEqual({ kind: 'challenge', id: 'double-charges' });
  });

  it('drill notes are kept, and cut at 20,000 characters', () => {
    const storage = memoryStorage();
    const store = createLearnStore({ storage });
    store.getState().setDrillNotes('flash-sale', 'x'.repeat(25_000));
    expect(store.getState().drills['flash-sale']?.notes).toHaveLength(20_000);
    expect(createLearnStore({ storage }).getState().drills['flash-sale']?.notes).toHaveLength(
      20_000,
    );
  });

  it.each([
    ['not JSON', '{"version":1,', 'not valid JSON'],
    ['another version', JSON.stringify({ version: 2 }), 'did not match'],
    ['a wrong shape', JSON.stringify({ version: 1, largeText: 'yes' }), 'did not match'],
  ])('saved progress that is %s is ignored with a note', (_what, raw, words) => {
    const storage = memoryStorage({ [LEARN_STORAGE_KEY]: raw });
    const store = createLearnStore({ storage });
    expect(store.getState().walkthroughs).toEqual({});
    expect(store.getState().storageNote).toContain(words);
    // The next change replaces the unreadable value with a good one.
    store.getState().setLargeText(true);
    expect(readSaved(storage).note).toBeNull();
    expect(readSaved(storage).saved.largeText).toBe(true);
  });

  it('blocked storage is a note, not a crash', () => {
    const blocked: LearnStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    const store = createLearnStore({ storage: blocked });
    expect(store.getState().storageNote).toContain('blocked');
    expect(() => store.getState().setLargeText(true)).not.toThrow();
    expect(store.getState().largeText).toBe(true);
  });
});
