// @vitest-environment happy-dom
/** A crash while drawing shows a way on, and never loses the saved session. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SESSION_KEY } from '../../share/storedState';
import { KEPT_SESSION_KEY } from '../../store/share';
import { ErrorBoundary } from './ErrorBoundary';

function Broken(): never {
  throw new Error('values.indexOf is not a function');
}

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

afterEach(cleanup);

describe('the error boundary', () => {
  it('says what went wrong, offers a fresh start and keeps the saved session aside', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const storage = new MemoryStorage();
    storage.setItem(SESSION_KEY, '{"my":"work"}');
    const assign = vi.fn();
    vi.spyOn(window, 'location', 'get').mockReturnValue({
      ...window.location,
      href: 'https://x.test/app/?scenario=checkout#setup=abc',
      assign,
    } as Location);
    render(
      <ErrorBoundary storage={storage}>
        <Broken />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('alert').textContent).toMatch(
      /Something went wrong on this page: values\.indexOf is not a function\./,
    );
    expect(screen.getByRole('button', { name: 'Download my saved session' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Start fresh' }));
    expect(storage.getItem(KEPT_SESSION_KEY)).toBe('{"my":"work"}');
    expect(storage.getItem(SESSION_KEY)).toBe('{"my":"work"}');
    expect(assign).toHaveBeenCalledWith('https://x.test/app/?scenario=checkout&fresh=1');
    vi.restoreAllMocks();
  });
});
