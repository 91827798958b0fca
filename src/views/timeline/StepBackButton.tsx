import { usePlaygroundApi } from '../../store/context';

/**
 * `Step back`: the previous moment something happened (the mirror of `Step`). Never
 * disabled: at t = 0 it does nothing, and a button that disables itself under the
 * keyboard focus would drop the focus.
 */
export function StepBackButton() {
  const pg = usePlaygroundApi();
  return (
    <button
      type="button"
      className="button"
      onClick={() => void pg.timeTravel.stepBack()}
      aria-keyshortcuts=","
      title="Back to the previous event (,)"
    >
      <span aria-hidden="true" className="icon">
        |◀
      </span>
      Step back
    </button>
  );
}
