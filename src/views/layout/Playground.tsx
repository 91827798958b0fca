import { useEffect, useState } from 'react';
import { usePlayground } from '../../store/context';
import { CompareStrip } from '../compare/CompareStrip';
import { PlaybackBar } from '../controls/PlaybackBar';
import { ShortcutsDialog } from '../controls/ShortcutsDialog';
import { TopBar } from '../controls/TopBar';
import { useKeyboardShortcuts } from '../controls/useKeyboardShortcuts';
import { WorkloadBar } from '../controls/WorkloadBar';
import { useLearn } from '../learn/LearnContext';
import { LearnLayer } from '../learn/LearnLayer';
import { BranchCompare, ForkDialog, Timeline } from '../timeline';
import { useTimeTravel } from '../timeline/useTimeTravel';
import { ErrorBanner } from './ErrorBanner';
import { SidePanel } from './SidePanel';
import { Stage } from './Stage';
import { useUrlSync } from './useUrlSync';

/** The one screen (DESIGN §9): top bar, canvases + side panel, strip, playback and workload. */
export function Playground() {
  useKeyboardShortcuts();
  useUrlSync();
  const [panelOpen, setPanelOpen] = useState(true);
  // Clicking a node to inspect it brings the side panel back if it was closed.
  const selection = usePlayground((s) => s.selection);
  useEffect(() => {
    if (selection) setPanelOpen(true);
  }, [selection]);
  // Opening a walkthrough, challenge or interview drill shows it in the side panel.
  const learnRequest = useLearn((s) => s.panelRequest);
  useEffect(() => {
    if (learnRequest > 0) setPanelOpen(true);
  }, [learnRequest]);
  // Following an order (a token clicked on the canvas) shows its trace in the side panel.
  const followed = useTimeTravel((s) => s.followed);
  useEffect(() => {
    if (followed !== null) setPanelOpen(true);
  }, [followed]);
  return (
    <div className={panelOpen ? 'playground' : 'playground panel-closed'}>
      <TopBar panelOpen={panelOpen} onTogglePanel={() => setPanelOpen((o) => !o)} />
      <ErrorBanner />
      <main className="workspace">
        <Stage />
        {panelOpen && <SidePanel />}
      </main>
      <footer className="dock">
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
