import { MODE_LABELS, type Mode } from '../../run/modes';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { TabList } from '../layout/TabList';

export const STAGE_ID = 'stage';
export const MODE_TAB_PREFIX = 'arch-tab';

const items: { key: Mode; label: string }[] = (['chain', 'event', 'compare'] as const).map(
  (key) => ({
    key,
    label: MODE_LABELS[key],
  }),
);

export function ArchitectureTabs() {
  const mode = usePlayground((s) => s.mode);
  const pg = usePlaygroundApi();
  return (
    <TabList
      label="Architecture"
      idPrefix={MODE_TAB_PREFIX}
      panelId={STAGE_ID}
      items={items}
      selected={mode}
      onSelect={(m) => void pg.setMode(m)}
      className="arch-tabs"
    />
  );
}
