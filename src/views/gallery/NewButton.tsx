/** `[New]` in the top bar: opens the gallery of templates (loaded the first time it opens). */
import { lazy, Suspense, useState } from 'react';
import { usePlayground, usePlaygroundApi } from '../../store/context';

// The gallery and its templates are not part of the page's first load.
const NewGallery = lazy(() => import('./NewGallery').then((m) => ({ default: m.NewGallery })));

export function NewButton() {
  const pg = usePlaygroundApi();
  const open = usePlayground((s) => s.ui.galleryOpen);
  const [used, setUsed] = useState(false);
  if (open && !used) setUsed(true);
  return (
    <>
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => pg.ui.setGalleryOpen(true)}
      >
        New
      </button>
      {used && (
        <Suspense fallback={null}>
          <NewGallery />
        </Suspense>
      )}
    </>
  );
}
