/**
 * A long press on touch: a finger resting on a node opens what a right click would (its
 * fault menu), the way a phone's long press does elsewhere. `contextmenu` covers Chromium
 * on Android (its own long press) and a right click; the timer covers browsers that send
 * no `contextmenu` for a long press (Safari on iOS). The tap that ends a long press is
 * swallowed, so it does not also select the node.
 */
import type { MouseEvent, PointerEvent } from 'react';
import { useEffect, useRef } from 'react';

/** How long a finger rests on a node before the long press counts (a common platform value). */
export const LONG_PRESS_MS = 500;
/** A finger that moves further than this is panning the canvas, not pressing. */
const SLOP_PX = 10;

export function useLongPress(onLongPress: () => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const start = useRef<{ x: number; y: number } | null>(null);
  const lastPointer = useRef('mouse');
  const fired = useRef(false);
  const action = useRef(onLongPress);
  action.current = onLongPress;

  const cancel = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  };
  // A pending press ends with the node (unmounted while a finger rests on it).
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  const fire = () => {
    cancel();
    // The tap that ends a long press on a touch screen must not select the node too.
    fired.current = lastPointer.current !== 'mouse';
    action.current();
  };

  return {
    onPointerDown(e: PointerEvent) {
      lastPointer.current = e.pointerType;
      fired.current = false;
      if (e.pointerType === 'mouse') return;
      start.current = { x: e.clientX, y: e.clientY };
      cancel();
      timer.current = setTimeout(fire, LONG_PRESS_MS);
    },
    onPointerMove(e: PointerEvent) {
      const from = start.current;
      if (!from || timer.current === null) return;
      if (Math.hypot(e.clientX - from.x, e.clientY - from.y) > SLOP_PX) cancel();
    },
    onPointerUp: cancel,
    onPointerCancel: cancel,
    onContextMenu(e: MouseEvent) {
      e.preventDefault();
      if (timer.current === null && fired.current) return; // the timer already opened it
      fire();
    },
    onClickCapture(e: MouseEvent) {
      if (!fired.current) return;
      fired.current = false;
      e.stopPropagation();
      e.preventDefault();
    },
  };
}
