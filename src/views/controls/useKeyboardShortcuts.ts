import { useEffect } from 'react';
import { actionForKey } from '../../store/actions';
import { usePlaygroundApi } from '../../store/context';

/** Where typing has its own meaning: no shortcut fires there. */
const TEXT_ENTRY =
  'input:not([type="range"]):not([type="checkbox"]):not([type="radio"]), textarea, select, [contenteditable=""], [contenteditable="true"]';
/** Where Space already activates the focused control. */
const SPACE_ACTIVATES =
  'button, a[href], input, summary, [role="button"], [role="switch"], [role="tab"], [role="checkbox"], [role="menuitem"], [role="option"]';

/** One window listener dispatching key presses to the action registry. */
export function useKeyboardShortcuts(): void {
  const pg = usePlaygroundApi();
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = e.target instanceof Element ? e.target : null;
      if (target?.closest(TEXT_ENTRY)) return;
      if (e.key === ' ' && target?.closest(SPACE_ACTIVATES)) return;
      // A modal dialog is open: its own keys only (Escape closes it natively).
      if (document.querySelector('dialog:modal')) return;
      const action = actionForKey(e);
      // Holding a key repeats a step (either way), not a toggle.
      if (!action || (e.repeat && action.name !== 'step' && action.name !== 'stepBack')) return;
      e.preventDefault();
      action.perform(pg, e);
    };
    // Capture phase: React Flow listens on window for Space (its pan key) and cancels it,
    // so a bubbling listener would never see Space while a canvas is on the page.
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [pg]);
}
