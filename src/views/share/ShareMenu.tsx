/** The top bar's Share and Present buttons, and the Share dialog they open. */
import { lazy, Suspense, useState } from 'react';
import { enterPresenter } from '../presenter/presenter';
import { usePlayground, usePlaygroundApi } from '../../store/context';

// The dialog (files, snapshot, embed code) loads the first time it is opened.
const ShareDialog = lazy(() => import('./ShareDialog').then((m) => ({ default: m.ShareDialog })));

export function ShareMenu() {
  const open = usePlayground((s) => s.ui.shareOpen);
  const pg = usePlaygroundApi();
  const [used, setUsed] = useState(false);
  if (open && !used) setUsed(true);
  return (
    <>
      <button type="button" className="button" onClick={() => enterPresenter(pg)}>
        Present
      </button>
      <button
        type="button"
        className="button primary"
        aria-haspopup="dialog"
        onClick={() => pg.ui.setShareOpen(true)}
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
