/** The top bar's Share and Present buttons, and the Share dialog they open. */
import { lazy, Suspense, useState } from 'react';
import { enterPresenter } from '../presenter/presenter';
import { shareUi, useShareUi } from './shareUi';

// The dialog (files, snapshot, embed code) loads the first time it is opened.
const ShareDialog = lazy(() => import('./ShareDialog').then((m) => ({ default: m.ShareDialog })));

export function ShareMenu() {
  const open = useShareUi((s) => s.shareOpen);
  const [used, setUsed] = useState(false);
  if (open && !used) setUsed(true);
  return (
    <>
      <button type="button" className="button" onClick={() => enterPresenter()}>
        Present
      </button>
      <button
        type="button"
        className="button primary"
        aria-haspopup="dialog"
        onClick={() => shareUi.setState({ shareOpen: true })}
      >
        Share
      </button>
      {used && (
        <Suspense fallback={null}>
          <ShareDialog />
        </Suspense>
      )}
    </>
  );
}
