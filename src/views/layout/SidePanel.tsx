import { usePlayground } from '../../store/context';
import type { PanelTab } from '../../store/playground';
import { InspectorSlot, MetricsSlot } from './slots';
import { TabList, tabId } from './TabList';

const PANEL_ID = 'side-panel-content';
const PREFIX = 'panel-tab';
const items: { key: PanelTab; label: string }[] = [
  { key: 'inspector', label: 'Inspector' },
  { key: 'metrics', label: 'Metrics' },
];

export function SidePanel() {
  const tab = usePlayground((s) => s.panelTab);
  const setTab = usePlayground((s) => s.setPanelTab);
  return (
    <aside className="side-panel" aria-label="Side panel">
      <TabList
        label="Side panel"
        idPrefix={PREFIX}
        panelId={PANEL_ID}
        items={items}
        selected={tab}
        onSelect={setTab}
      />
      <div
        id={PANEL_ID}
        role="tabpanel"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: WAI-ARIA tabs pattern: the panel scrolls, and charts have nothing else to focus.
        tabIndex={0}
        aria-labelledby={tabId(PREFIX, tab)}
        className="side-panel-content"
      >
        {tab === 'inspector' ? <InspectorSlot /> : <MetricsSlot />}
      </div>
    </aside>
  );
}
