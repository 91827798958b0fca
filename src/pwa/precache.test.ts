import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { precacheable, serviceWorkerText } from './precache';

const template = readFileSync(resolve(import.meta.dirname, 'sw.js'), 'utf8');

describe('service worker build step', () => {
  it('precaches the built files, relative to the worker, never itself or source maps', () => {
    const text = serviceWorkerText(
      template,
      [
        'index.html',
        'assets\\index-abc.js',
        './assets/index-abc.js',
        'sw.js',
        'assets/index-abc.js.map',
        '.DS_Store',
        'favicon.svg',
      ],
      'abc123',
    );
    expect(text).toContain(`const FILES = ["assets/index-abc.js","favicon.svg","index.html"];`);
    expect(text).toContain(`const BUILD_ID = 'abc123';`);
    expect(text).not.toContain('__FANOUT_');
    expect(precacheable('assets/x.js')).toBe(true);
    expect(precacheable('.well-known/x')).toBe(false);
  });

  it('a different build gives a different worker (that is what makes browsers update)', () => {
    expect(serviceWorkerText(template, ['index.html'], 'one')).not.toBe(
      serviceWorkerText(template, ['index.html'], 'two'),
    );
  });

  it('refuses an unsafe build id and a template without placeholders', () => {
    expect(() => serviceWorkerText(template, [], "x'; alert(1); '")).toThrow(/URL-safe/);
    expect(() => serviceWorkerText('self.addEventListener()', [], 'a')).toThrow(/placeholders/);
  });
});
