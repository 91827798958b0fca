import { useId } from 'react';
import { MODE_LABELS, type Side } from '../../run/modes';

/**
 * Compare on a phone: one canvas at a time (two stacked canvases would each be a few
 * pixels tall), and this choice of which. Native radio buttons, so arrow keys move the
 * choice and a screen reader says "1 of 2". Shown by screens.css on narrow screens only;
 * wider screens draw both canvases and do not need it.
 */
export function CanvasSwitch({
  sides,
  shown,
  onShow,
}: {
  sides: readonly Side[];
  shown: Side;
  onShow(side: Side): void;
}) {
  const name = useId();
  return (
    <fieldset className="canvas-switch">
      <legend className="sr-only">Canvas shown</legend>
      {sides.map((side) => (
        <label key={side} className="canvas-switch-option">
          <input
            type="radio"
            name={name}
            value={side}
            checked={shown === side}
            onChange={() => onShow(side)}
          />
          <span>{MODE_LABELS[side]}</span>
        </label>
      ))}
    </fieldset>
  );
}
