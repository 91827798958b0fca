import { usePlayground, usePlaygroundApi } from '../../store/context';

/** `[Learn]` in the top bar: opens the walkthroughs, challenges and interview prep. */
export function LearnButton() {
  const pg = usePlaygroundApi();
  const hubOpen = usePlayground((s) => s.ui.learnHub.open);
  return (
    <button
      type="button"
      className="button learn-button"
      aria-haspopup="dialog"
      aria-expanded={hubOpen}
      onClick={() => pg.ui.openLearnHub()}
    >
      Learn
    </button>
  );
}
