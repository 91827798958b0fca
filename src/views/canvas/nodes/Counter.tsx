/**
 * A node's counter: digits that say which number just moved. When the value changes, a
 * tint behind it flares and fades and the digits tick in from the side they moved to
 * (up for more, down for fewer), so a learner watching a run sees the failed count start
 * to climb while the others stand still.
 *
 * Cheap on purpose (issue 17): the motion is the browser's own (Web Animations, through
 * framer-motion's mini `animate`) on opacity and transform only, which the compositor runs
 * without the page's main thread; nothing animates a size or a position, so no box is laid
 * out again, and the digits are tabular so a new value takes the old one's width. Counters
 * change on the figure beat (a few times a second), never per frame. With reduced motion
 * the number changes and nothing moves.
 */
import { animate } from 'framer-motion/dom/mini';
import { useEffect, useRef } from 'react';
import { usePlayground } from '../../../store/context';
import { fmt } from './common';

/** How long one change stays visible. */
const FLASH_S = 0.7;

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
    const from = value > before ? '0.3em' : '-0.3em';
    // Elements in a list: framer-motion's own element check is realm-bound (it fails under
    // a DOM emulation in tests); a list is taken as given.
    animate([flash.current], { opacity: [0.35, 0] }, { duration: FLASH_S, ease: 'easeOut' });
    animate(
      [digits.current],
      { transform: [`translateY(${from})`, 'translateY(0)'] },
      { duration: 0.18, ease: 'easeOut' },
    );
    // Not stopped on the next change: framer-motion hands the element's value over to the
    // next animation itself, and one left to end costs nothing.
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
