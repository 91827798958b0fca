import { useId } from 'react';
import { compareMode, type Mode, SIDE_LABELS, SIDES, type Side, sidesOf } from '../../run/modes';
import { usePlayground, usePlaygroundApi } from '../../store/context';

/**
 * Compare any two of the request chain, event fan-out (choreography) and orchestration:
 * one picker per canvas, top and bottom. Native selects, so the keyboard and screen
 * readers work as everywhere else. Picking the side the other canvas shows swaps them.
 * The pair is part of the mode, so links, setups and the address bar keep it.
 */
export function ComparePicker() {
  const mode = usePlayground((s) => s.mode);
  const pg = usePlaygroundApi();
  const id = useId();
  const [top, bottom] = sidesOf(mode) as [Side, Side];
  const pick = (which: 0 | 1, side: Side) => {
    const pair: [Side, Side] = [top, bottom];
    const other = pair[1 - which] as Side;
    pair[which] = side;
    // The same side twice would compare nothing: the other canvas takes the one it left.
    if (side === other) pair[1 - which] = which === 0 ? top : bottom;
    const next: Mode = compareMode(pair[0], pair[1]);
    void pg.setMode(next);
  };
  return (
    <fieldset className="compare-picker" data-testid="compare-picker">
      <legend className="sr-only">Sides to compare</legend>
      {([0, 1] as const).map((which) => (
        <label key={which} className="compare-picker-side" htmlFor={`${id}-${which}`}>
          <span>{which === 0 ? 'Top' : 'Bottom'}</span>
          <select
            id={`${id}-${which}`}
            value={which === 0 ? top : bottom}
            onChange={(e) => pick(which, e.target.value as Side)}
          >
            {SIDES.map((side) => (
              <option key={side} value={side}>
                {SIDE_LABELS[side]}
              </option>
            ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}
