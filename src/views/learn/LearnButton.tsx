import { useLearn } from './LearnContext';

/** `[Learn]` in the top bar: opens the walkthroughs, challenges and interview prep. */
export function LearnButton() {
  const openHub = useLearn((s) => s.openHub);
  const hubOpen = useLearn((s) => s.hubOpen);
  return (
    <button
      type="button"
      className="button learn-button"
      aria-haspopup="dialog"
      aria-expanded={hubOpen}
      onClick={() => openHub()}
    >
      Learn
    </button>
  );
}
