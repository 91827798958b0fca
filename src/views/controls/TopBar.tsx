import { usePlayground } from '../../store/context';
import { LearnButton } from '../learn/LearnButton';
import { ShareMenu } from '../share/ShareMenu';
import { ArchitectureTabs } from './ArchitectureTabs';
import { ScenarioPicker } from './ScenarioPicker';

export interface TopBarProps {
  panelOpen: boolean;
  onTogglePanel(): void;
}

export function TopBar({ panelOpen, onTogglePanel }: TopBarProps) {
  const description = usePlayground((s) => s.scenario.description);
  const openShortcuts = usePlayground((s) => s.setShortcutsOpen);
  return (
    <header className="topbar">
      <div className="topbar-row">
        <h1 className="brand">Fanout</h1>
        <ScenarioPicker />
        <ArchitectureTabs />
        <div className="topbar-end">
          <button type="button" className="button" aria-pressed={panelOpen} onClick={onTogglePanel}>
            Side panel
          </button>
          <button
            type="button"
            className="button"
            onClick={() => openShortcuts(true)}
            aria-keyshortcuts="?"
          >
            Shortcuts (?)
          </button>
          <LearnButton />
          <ShareMenu />
        </div>
      </div>
      <p className="scenario-description">{description}</p>
    </header>
  );
}
