/**
 * A node's counter: digits that say which number just moved. When the value changes, a
 * tint behind it flares and fades and the digits tick in from the side they moved to
 * (up for more, down for fewer), so a learner watching a run sees the failed count start
 * to climb while the others stand still.
 *
 * Cheap on purpose (issue 17): Web Animations on opacity and transform only, which the
 * compositor runs without the page's main thread; nothing animates a size or a position,
 * so no box is laid out again, and the digits are tabular so a new value takes the old
 * one's width. Counters change on the figure beat (a few times a second), never per frame.
 * With reduced motion the number changes and nothing moves.
 *
 * Not framer-motion's `animate`, though the rest of the app's motion is: it stops the
 * running animation of an element before starting the next and commits its styles, which
 * reads style and throws on an element that is not rendered (the canvas Compare hides on
 * a phone, the rows a compact node hides) four times a second. A new animation here simply
 * takes over from the old one, which ends on its own.
 */
import { useEffect, useRef } from 'react';
import { usePlayground } from '../../../store/context';
import { fmt } from './common';

/** How long one change stays visible (ms). */
const FLASH_MS = 700;
const TICK_MS = 180;

export function Counter({
  value,
  text = fmt(value),
  tone = 'plain',
  testId,
}: {
  value: number;
  /** The value as shown (default: digits grouped by thousands). */
  text?: string;
  /** `bad`: a number a learner reads as trouble (failed, dead, refused): a red tint. */
  tone?: 'plain' | 'bad';
  testId?: string;
}) {
  const flash = useRef<HTMLSpanElement>(null);
  const digits = useRef<HTMLSpanElement>(null);
  const shown = useRef(value);
  const reduced = usePlayground((s) => s.reducedMotion);

  useEffect(() => {
    const before = shown.current;
    shown.current = value;
    if (before === value || reduced || !flash.current || !digits.current) return;
    if (typeof flash.current.animate !== 'function') return;
    const from = value > before ? '0.3em' : '-0.3em';
    flash.current.animate({ opacity: [0.35, 0] }, { duration: FLASH_MS, easing: 'ease-out' });
    digits.current.animate(
      { transform: [`translateY(${from})`, 'translateY(0)'] },
      { duration: TICK_MS, easing: 'ease-out' },
    );
  }, [value, reduced]);

  return (
    <span className={`num counter counter-${tone}`} data-testid={testId}>
      <span ref={flash} className="counter-flash" aria-hidden="true" />
      <span ref={digits} className="counter-digits">
        {text}
      </span>
    </span>
  );
}
