/** The side panel's Walkthrough tab; its contents (and the lessons) load on first use. */
import { lazy, Suspense } from 'react';

const ActivityPanel = lazy(() => import('./ActivityPanel'));

export function WalkthroughSlot() {
  return (
    <Suspense fallback={<p className="learn-loading">Loading lessons…</p>}>
      <ActivityPanel />
    </Suspense>
  );
}
