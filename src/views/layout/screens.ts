import { useCallback, useSyncExternalStore } from 'react';

/**
 * The phone layouts (screens.css uses the same numbers in its media queries): up to 640 px
 * wide, or a phone on its side (at most 500 px tall, 641-1100 px wide). One canvas at a
 * time, controls in rows that fit, and the side panel as a sheet over the canvas that
 * starts closed.
 */
export const PHONE_QUERY =
  '(max-width: 640px), (max-height: 500px) and (min-width: 641px) and (max-width: 1100px)';

/** Whether the page is laid out for a phone right now (false where matchMedia is missing). */
export function isPhoneScreen(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(PHONE_QUERY).matches;
}

/**
 * An upright phone: the canvas is narrow, so a request chain is drawn in two rows
 * (`layoutModel`'s `twoRows`) instead of one row at a third of its size.
 */
export const NARROW_UPRIGHT_QUERY = '(max-width: 640px) and (orientation: portrait)';

/** Whether a media query matches, kept up to date (false where matchMedia is missing). */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (typeof window.matchMedia !== 'function') return () => {};
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  const matches = () => typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
  return useSyncExternalStore(subscribe, matches, () => false);
}
