import { memo, useLayoutEffect, useRef } from 'react';
import { usePlaygroundStore } from '../../store/context';
import { clockText } from '../../core/format';

/**
 * The simulated clock. It changes every frame, so it writes its text straight from a
 * store subscription instead of re-rendering through React. React renders the span
 * empty and never touches its text, so the two cannot disagree.
 */
export const SimClock = memo(function SimClock() {
  const store = usePlaygroundStore();
  const ref = useRef<HTMLSpanElement>(null);

  useLayoutEffect(() => {
    let shown = '';
    const write = (now: number) => {
      const text = `t = ${clockText(now)}`;
      if (text !== shown && ref.current) {
        shown = text;
        ref.current.textContent = text;
      }
    };
    write(store.getState().now);
    return store.subscribe((s, prev) => {
      if (s.now !== prev.now) write(s.now);
    });
  }, [store]);

  return (
    <span className="clock" role="timer" aria-label="Simulated time">
      <span ref={ref} className="clock-value" />
    </span>
  );
});
