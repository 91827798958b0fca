/**
 * The phone layout's width (screens.css uses the same number in its media queries): up
 * to 640 px, one canvas at a time, controls in rows that fit, and the side panel as a
 * sheet over the canvas that starts closed.
 */
export const PHONE_QUERY = '(max-width: 640px)';

/** Whether the page is laid out for a phone right now (false where matchMedia is missing). */
export function isPhoneScreen(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(PHONE_QUERY).matches;
}
