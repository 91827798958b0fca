import { describe, expect, it } from 'vitest';
import { actionForKey, actions } from './actions';
import { createPlaygroundStore } from './playground';

const press = (
  key: string,
  mods: { ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean } = {},
) => {
  const store = createPlaygroundStore({ playing: false });
  const action = actionForKey({ key, ...mods });
  action?.perform(store.getState(), { key, ...mods });
  return { store, action };
};

describe('keyboard actions', () => {
  it('has one entry per name, each with a label and a key', () => {
    expect(new Set(actions.map((a) => a.name)).size).toBe(actions.length);
    for (const a of actions) {
      expect(a.label).not.toBe('');
      expect(a.keyLabel).not.toBe('');
    }
  });

  it('Space plays and pauses', () => {
    const { store, action } = press(' ');
    expect(action?.name).toBe('togglePlay');
    expect(store.getState().playing).toBe(true);
  });

  it('. steps', () => {
    const { store } = press('.');
    expect(store.getState().now).toBeGreaterThan(0);
  });

  it('r resets', () => {
    const store = createPlaygroundStore({ playing: false });
    store.getState().advanceTo(4000);
    actionForKey({ key: 'r' })?.perform(store.getState(), { key: 'r' });
    expect(store.getState().now).toBe(0);
  });

  it('digits toggle the outage of the n-th service on every side', () => {
    const { store } = press('3');
    const third = store.getState().scenario.services[2]?.id as string;
    for (const sim of [store.getState().sims.chain, store.getState().sims.event]) {
      expect(sim?.service(sim.serviceIndex(third)).down).toBe(true);
    }
  });

  it('a digit past the last service does nothing', () => {
    const { store } = press('9');
    expect(store.getState().sims.event?.interventions).toEqual([]);
    expect(store.getState().error).toBeNull();
  });

  it('? opens the shortcuts dialog', () => {
    const { store } = press('?');
    expect(store.getState().shortcutsOpen).toBe(true);
  });

  it('ignores keys with Ctrl, Cmd or Alt (browser shortcuts)', () => {
    expect(actionForKey({ key: 'r', ctrlKey: true })).toBeUndefined();
    expect(actionForKey({ key: 'r', metaKey: true })).toBeUndefined();
    expect(actionForKey({ key: '1', altKey: true })).toBeUndefined();
    expect(actionForKey({ key: 'x' })).toBeUndefined();
  });
});
