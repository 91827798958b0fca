import { describe, expect, it } from 'vitest';
import { actionForKey, actions } from './actions';
import { createHeadlessPlayground } from './headless';

const press = async (
  key: string,
  mods: { ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean } = {},
) => {
  const pg = createHeadlessPlayground({ playing: false });
  const action = actionForKey({ key, ...mods });
  action?.perform(pg, { key, ...mods });
  // Actions that reach the engine answer on the next microtask with an in-process engine.
  await Promise.resolve();
  await Promise.resolve();
  return { pg, action };
};

describe('keyboard actions', () => {
  it('has one entry per name, each with a label and a key', () => {
    expect(new Set(actions.map((a) => a.name)).size).toBe(actions.length);
    for (const a of actions) {
      expect(a.label).not.toBe('');
      expect(a.keyLabel).not.toBe('');
    }
  });

  it('Space plays and pauses', async () => {
    const { pg, action } = await press(' ');
    expect(action?.name).toBe('togglePlay');
    expect(pg.getState().playing).toBe(true);
  });

  it('. steps', async () => {
    const { pg } = await press('.');
    expect(pg.getState().now).toBeGreaterThan(0);
  });

  it('r resets', async () => {
    const pg = createHeadlessPlayground({ playing: false });
    await pg.playback.advanceTo(4000);
    actionForKey({ key: 'r' })?.perform(pg, { key: 'r' });
    await Promise.resolve();
    expect(pg.getState().now).toBe(0);
  });

  it('digits toggle the outage of the n-th service on every side', async () => {
    const { pg } = await press('3');
    const third = pg.getState().scenario.services[2]?.id as string;
    for (const run of [pg.getState().runs.chain, pg.getState().runs.event]) {
      expect(run?.service(run.model.services.findIndex((s) => s.id === third)).down).toBe(true);
    }
  });

  it('a digit past the last service does nothing', async () => {
    const { pg } = await press('9');
    expect(pg.getState().runs.event?.interventions).toEqual([]);
    expect(pg.getState().error).toBeNull();
  });

  it('? opens the shortcuts dialog', async () => {
    const { pg } = await press('?');
    expect(pg.getState().ui.shortcutsOpen).toBe(true);
  });

  it('ignores keys with Ctrl, Cmd or Alt (browser shortcuts)', () => {
    expect(actionForKey({ key: 'r', ctrlKey: true })).toBeUndefined();
    expect(actionForKey({ key: 'r', metaKey: true })).toBeUndefined();
    expect(actionForKey({ key: '1', altKey: true })).toBeUndefined();
    expect(actionForKey({ key: 'x' })).toBeUndefined();
  });
});
