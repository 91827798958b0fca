import { useLearn } from './LearnContext';

/** Large text for projectors, kept with the learner's progress. */
export function LargeTextSwitch() {
  const on = useLearn((s) => s.largeText);
  const set = useLearn((s) => s.setLargeText);
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      className="button learn-switch"
      onClick={() => set(!on)}
    >
      <span aria-hidden="true" className="learn-switch-track">
        <span className="learn-switch-thumb" />
      </span>
      Large text
    </button>
  );
}
