/**
 * Following one order. The canvas layer is small and always there; the Trace tab
 * (waterfall, hops, exports) loads on first use, outside the initial bundle.
 */
import { lazy, Suspense } from 'react';

export { FollowLayer } from './FollowLayer';

const TracePanelImpl = lazy(() => import('./TracePanel'));

export function TracePanel() {
  return (
    <Suspense fallback={<p className="hint">Loading the trace view…</p>}>
      <TracePanelImpl />
    </Suspense>
  );
}
