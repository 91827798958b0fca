import { isCompare, MODE_LABELS, type Mode } from '../../run/modes';
import { useRef } from 'react';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { TabList } from '../layout/TabList';

export const STAGE_ID = 'stage';
export const MODE_TAB_PREFIX = 'arch-tab';

type TabKey = 'chain' | 'event' | 'orchestration' | 'compare';

const items: { key: TabKey; label: string }[] = (
  ['chain', 'event', 'orchestration', 'compare'] as const
).map((key) => ({
  key,
  label: MODE_LABELS[key],
}));

/** The tab of a mode: every pair of sides compared is the one Compare tab. */
export function modeTab(mode: Mode): TabKey {
  return isCompare(mode) ? 'compare' : mode;
}

export function ArchitectureTabs() {
  const mode = usePlayground((s) => s.mode);
  const pg = usePlaygroundApi();
  // Compare opens on the pair last compared in this session, chain and events at first.
  const lastCompare = useRef<Mode>('compare');
  if (isCompare(mode)) lastCompare.current = mode;
  return (
    <TabList
      label="Architecture"
      idPrefix={MODE_TAB_PREFIX}
      panelId={STAGE_ID}
      items={items}
      selected={modeTab(mode)}
      onSelect={(m) => {
        if (m !== modeTab(mode)) void pg.setMode(m === 'compare' ? lastCompare.current : m);
      }}
      className="arch-tabs"
    />
  );
}
