import { m } from 'framer-motion';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import type { PanelTab } from '../../store/playground';
import { TracePanel } from '../follow';
import { WalkthroughSlot } from '../learn/WalkthroughSlot';
import { useEditor } from '../editor/useEditor';
import { useHasMounted } from '../motion/useHasMounted';
import { BrokerSlot, EditPanelSlot, InspectorSlot, MetricsSlot } from './slots';
import { TabList, tabId } from './TabList';

const PANEL_ID = 'side-panel-content';
const PREFIX = 'panel-tab';
const items: { key: PanelTab; label: string }[] = [
  { key: 'inspector', label: 'Inspector' },
  { key: 'metrics', label: 'Metrics' },
  { key: 'broker', label: 'Broker' },
  { key: 'trace', label: 'Trace' },
  { key: 'walkthrough', label: 'Walkthrough' },
];

export function SidePanel() {
  const tab = usePlayground((s) => s.ui.panelTab);
  const pg = usePlaygroundApi();
  const editing = useEditor((s) => s.editing);
  const changed = useHasMounted();
  if (editing)
    return (
      <aside className="side-panel" aria-label="Side panel">
        <h2 className="edit-panel-title">Edit the system</h2>
        <div className="side-panel-content">
          <EditPanelSlot />
        </div>
      </aside>
    );
  return (
    <aside className="side-panel" aria-label="Side panel">
      {/* On a phone the panel is a sheet over the canvas: it needs its own way out. */}
      <button
        type="button"
        className="button side-panel-close"
        aria-label="Close side panel"
        onClick={() => pg.ui.setPanelOpen(false)}
      >
        <span aria-hidden="true">✕</span> Close
      </button>
      <TabList
        label="Side panel"
        idPrefix={PREFIX}
        panelId={PANEL_ID}
        items={items}
        selected={tab}
        onSelect={(t) => pg.ui.setPanelTab(t)}
      />
      <div
        id={PANEL_ID}
        role="tabpanel"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: WAI-ARIA tabs pattern: the panel scrolls, and charts have nothing else to focus.
        tabIndex={0}
        aria-labelledby={tabId(PREFIX, tab)}
        className="side-panel-content"
      >
        {/* The new tab's content slides in a little: the eye sees the panel changed. */}
        <m.div
          key={tab}
          initial={changed ? { opacity: 0, x: 12 } : false}
          animate={{ opacity: 1, x: 0 }}
        >
          {tab === 'walkthrough' ? (
            <WalkthroughSlot />
          ) : tab === 'trace' ? (
            <TracePanel />
          ) : tab === 'broker' ? (
            <BrokerSlot />
          ) : tab === 'metrics' ? (
            <MetricsSlot />
          ) : (
            <InspectorSlot />
          )}
        </m.div>
      </div>
    </aside>
  );
}
