/**
 * A node's counter: digits that say which number just moved. When the value changes, a
 * tint behind it flares and fades and the digits tick in from the side they moved to
 * (up for more, down for fewer), so a learner watching a run sees the failed count start
 * to climb while the others stand still.
 *
 * Cheap on purpose (issue 17): framer-motion's mini `animate`, which hands opacity and
 * transform to the browser's Web Animations, run by the compositor without the page's
 * main thread; nothing animates a size or a position, so no box is laid out again, and the
 * digits are tabular so a new value takes the old one's width. Counters change on the
 * figure beat (a few times a second), never per frame. With reduced motion the number
 * changes and nothing moves.
 *
 * The running animation is cancelled before the next starts. Left to framer-motion, it
 * would be stopped by committing its current styles to the element, which reads style four
 * times a second and throws on an element that is not rendered (the canvas Compare hides
 * on a phone, the rows a compact node hides); cancelled, it has nothing to commit, and the
 * next one starts from its own first keyframe anyway.
 */
import { animate } from 'framer-motion/dom/mini';
import { useEffect, useRef } from 'react';
import { usePlayground } from '../../../store/context';
import { fmt } from './common';

/** How long one change stays visible, and the digits' tick (s). */
const FLASH_S = 0.7;
const TICK_S = 0.18;

type Running = ReturnType<typeof animate>;

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
  const running = useRef<Running[]>([]);
  const reduced = usePlayground((s) => s.reducedMotion);

  useEffect(() => {
    const before = shown.current;
    shown.current = value;
    if (before === value || reduced || !flash.current || !digits.current) return;
    if (typeof flash.current.animate !== 'function') return;
    for (const animation of running.current) animation.cancel();
    const from = value > before ? '0.3em' : '-0.3em';
    // Elements in a list: framer-motion's own element check is realm-bound (it fails under
    // a DOM emulation in tests); a list is taken as given.
    running.current = [
      animate([flash.current], { opacity: [0.35, 0] }, { duration: FLASH_S, ease: 'easeOut' }),
      animate(
        [digits.current],
        { transform: [`translateY(${from})`, 'translateY(0)'] },
        { duration: TICK_S, ease: 'easeOut' },
      ),
    ];
  }, [value, reduced]);

  // Nothing left running on an element that is gone.
  useEffect(
    () => () => {
      for (const animation of running.current) animation.cancel();
    },
    [],
  );

  return (
    <span className={`num counter counter-${tone}`} data-testid={testId}>
      <span ref={flash} className="counter-flash" aria-hidden="true" />
      <span ref={digits} className="counter-digits">
        {text}
      </span>
    </span>
  );
}
