import { memo, useLayoutEffect, useRef } from 'react';
import { usePlaygroundStore } from '../../store/context';
import { clockText } from '../../core/format';
import { refreshSlot } from '../live/figureBeat';

/**
 * Wall time between two readings of the clock while playing. Its last digits change
 * faster than anyone reads them; each new reading costs a layout and a paint, so ten a
 * second (issue 17: the clock alone was a style + layout pass every frame). Paused,
 * stepping or seeking, it shows every change at once.
 */
export const CLOCK_REFRESH_MS = 100;

/**
 * The simulated clock. It moves with playback, so it writes its text straight from a
 * store subscription instead of re-rendering through React, every `CLOCK_REFRESH_MS`
 * while playing. React renders the span empty and never touches its text, so the two
 * cannot disagree. Its box is fixed and contained (styles.css, `.clock-value`): a new
 * time re-lays out only these characters.
 */
export const SimClock = memo(function SimClock() {
  const store = usePlaygroundStore();
  const ref = useRef<HTMLSpanElement>(null);

  useLayoutEffect(() => {
    const span = ref.current;
    if (!span) return;
    // One text node whose characters change: replacing the node (textContent) would
    // insert a new node into the tree every frame, a style pass on top of the layout.
    const node = document.createTextNode('');
    span.replaceChildren(node);
    const write = (now: number) => {
      const text = `t = ${clockText(now)}`;
      if (text !== node.data) node.data = text;
    };
    write(store.getState().now);
    return store.subscribe((s, prev) => {
      if (s.now === prev.now && s.playing === prev.playing) return;
      if (
        !s.playing ||
        s.now < prev.now ||
        refreshSlot(s, CLOCK_REFRESH_MS) !== refreshSlot(prev, CLOCK_REFRESH_MS)
      )
        write(s.now);
    });
  }, [store]);

  return (
    <span className="clock" role="timer" aria-label="Simulated time">
      <span ref={ref} className="clock-value" />
    </span>
  );
});
