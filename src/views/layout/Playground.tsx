import './screens.css';
import { useEffect } from 'react';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { CompareStrip } from '../compare/CompareStrip';
import { PlaybackBar } from '../controls/PlaybackBar';
import { ShortcutsDialog } from '../controls/ShortcutsDialog';
import { TopBar } from '../controls/TopBar';
import { useKeyboardShortcuts } from '../controls/useKeyboardShortcuts';
import { WorkloadBar } from '../controls/WorkloadBar';
import { useEditor } from '../editor/useEditor';
import { LearnLayer } from '../learn/LearnLayer';
import { BranchCompare, ForkDialog, Timeline } from '../timeline';
import { ErrorBanner } from './ErrorBanner';
import { isPhoneScreen } from './screens';
import { SidePanel } from './SidePanel';
import { Stage } from './Stage';
import { useUrlSync } from './useUrlSync';

/** The one screen (DESIGN §9): top bar, canvases + side panel, strip, playback and workload. */
export function Playground() {
  useKeyboardShortcuts();
  useUrlSync();
  const pg = usePlaygroundApi();
  const panelOpen = usePlayground((s) => s.ui.panelOpen);
  // In Edit mode the run is paused and its figures are of the system before the edits:
  // the dock gives its room to the editor's canvas.
  const editing = useEditor((s) => s.editing);
  // Following an order (a token clicked on the canvas) shows its trace in the side panel.
  const followed = usePlayground((s) => s.followed);
  useEffect(() => {
    if (followed !== null) pg.ui.setPanelOpen(true);
  }, [followed, pg]);
  // On a phone the side panel is a sheet over the canvas: it opens when the learner asks
  // (a tap on a node, the Side panel button), not over the canvas they came to see.
  useEffect(() => {
    if (isPhoneScreen()) pg.ui.setPanelOpen(false);
  }, [pg]);
  return (
    <div className={panelOpen ? 'playground' : 'playground panel-closed'}>
      <TopBar />
      <ErrorBanner />
      <main className="workspace">
        <Stage />
        {panelOpen && <SidePanel />}
      </main>
      <footer className="dock" hidden={editing}>
        <CompareStrip />
        <BranchCompare />
        <Timeline />
        <div className="bars">
          <PlaybackBar />
          <WorkloadBar />
        </div>
      </footer>
      <ShortcutsDialog />
      <ForkDialog />
      <LearnLayer />
    </div>
  );
}
