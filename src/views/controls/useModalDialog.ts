import { type RefObject, useEffect, useRef } from 'react';

/**
 * Keeps a native `<dialog>` shown as a modal exactly while `open` is true. `onOpen` runs
 * just before it is shown (reset its state, pause the clock, move focus after showing).
 */
export function useModalDialog(
  ref: RefObject<HTMLDialogElement | null>,
  open: boolean,
  onOpen?: () => void,
  afterOpen?: () => void,
): void {
  // The latest callbacks, without re-running the effect when they change identity.
  const callbacks = useRef({ onOpen, afterOpen });
  callbacks.current = { onOpen, afterOpen };
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      callbacks.current.onOpen?.();
      dialog.showModal();
      callbacks.current.afterOpen?.();
    } else if (!open && dialog.open) dialog.close();
  }, [ref, open]);
}
