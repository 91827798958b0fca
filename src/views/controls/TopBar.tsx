import { usePlayground, usePlaygroundApi } from '../../store/context';
import { EditButton } from '../editor/EditButton';
import { NewButton } from '../gallery/NewButton';
import { LearnButton } from '../learn/LearnButton';
import { ShareMenu } from '../share/ShareMenu';
import { ArchitectureTabs } from './ArchitectureTabs';
import { ScenarioPicker } from './ScenarioPicker';

export function TopBar() {
  const description = usePlayground((s) => s.scenario.description);
  const panelOpen = usePlayground((s) => s.ui.panelOpen);
  const pg = usePlaygroundApi();
  return (
    <header className="topbar">
      <div className="topbar-row">
        <h1 className="brand">Fanout</h1>
        <NewButton />
        <EditButton />
        <ScenarioPicker />
        <ArchitectureTabs />
        <div className="topbar-end">
          <button
            type="button"
            className="button"
            aria-pressed={panelOpen}
            onClick={() => pg.ui.setPanelOpen(!panelOpen)}
          >
            Side panel
          </button>
          <button
            type="button"
            className="button shortcuts-button"
            onClick={() => pg.ui.setShortcutsOpen(true)}
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
