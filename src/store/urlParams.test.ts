import { describe, expect, it } from 'vitest';
import { createHeadlessPlayground } from './headless';
import { parsePlaygroundUrl, playgroundSearch } from './urlParams';

describe('URL parameters', () => {
  it('reads an exact setup', () => {
    expect(parsePlaygroundUrl('?scenario=email-outage&seed=7&arch=chain&speed=5')).toEqual({
      init: { scenarioId: 'email-outage', seed: 7, mode: 'chain', speed: 5 },
      problems: [],
    });
  });

  it('nothing given: nothing set', () => {
    expect(parsePlaygroundUrl('')).toEqual({ init: {}, problems: [] });
  });

  it.each([
    ['?arch=bogus', 'arch'],
    ['?scenario=nope', 'scenario'],
    ['?seed=-1', 'seed'],
    ['?seed=1.5', 'seed'],
    ['?seed=99999999999', 'seed'],
    ['?speed=abc', 'speed'],
    ['?speed=0', 'speed'],
    ['?speed=51', 'speed'],
    ['?speed=', 'speed'],
  ])('%s: names the parameter and falls back', (search, name) => {
    const { init, problems } = parsePlaygroundUrl(search);
    expect(init).toEqual({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`"${name}"`);
  });

  it('keeps the good parameters when one is bad', () => {
    const { init, problems } = parsePlaygroundUrl('?arch=bogus&speed=2x&seed=3');
    expect(init).toEqual({ speed: 2, seed: 3 });
    expect(problems).toHaveLength(1);
  });

  it('round-trips the store setup and keeps other parameters', () => {
    const s = createHeadlessPlayground({
      scenarioId: 'signup',
      seed: 11,
      mode: 'event',
      speed: 0.5,
    }).getState();
    const search = playgroundSearch(s, '?lesson=3');
    expect(new URLSearchParams(search).get('lesson')).toBe('3');
    expect(parsePlaygroundUrl(search)).toEqual({
      init: { scenarioId: 'signup', seed: 11, mode: 'event', speed: 0.5 },
      problems: [],
    });
  });
});
