import './screens.css';
import { lazy, Suspense, useEffect, useState } from 'react';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { CompareStrip } from '../compare/CompareStrip';
import { PlaybackBar } from '../controls/PlaybackBar';
import { TopBar } from '../controls/TopBar';
import { useKeyboardShortcuts } from '../controls/useKeyboardShortcuts';
import { WorkloadBar } from '../controls/WorkloadBar';
import { useEditor } from '../editor/useEditor';
import { LearnLayer } from '../learn/LearnLayer';
import { Timeline } from '../timeline';
import { ErrorBanner } from './ErrorBanner';
import { isPhoneScreen } from './screens';
import { SidePanel } from './SidePanel';
import { Stage } from './Stage';
import { useUrlSync } from './useUrlSync';

/** Only a forked run (time travel) has two branches to compare: loaded the first time one does. */
const BranchCompare = lazy(() =>
  import('../timeline/BranchCompare').then((m) => ({ default: m.BranchCompare })),
);

// Dialogs that open on request: loaded the first time they open, then kept (a native
// dialog returns focus to where it came from when it closes, not when it is removed).
const ShortcutsDialog = lazy(() =>
  import('../controls/ShortcutsDialog').then((m) => ({ default: m.ShortcutsDialog })),
);
const ForkDialog = lazy(() =>
  import('../timeline/ForkDialog').then((m) => ({ default: m.ForkDialog })),
);

/** True from the first time `on` is, for good. */
function useOnceTrue(on: boolean): boolean {
  const [was, setWas] = useState(on);
  if (on && !was) setWas(true);
  return was || on;
}

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
  const forked = usePlayground((s) => s.branch !== null);
  const shortcutsUsed = useOnceTrue(usePlayground((s) => s.ui.shortcutsOpen));
  const forkAsked = useOnceTrue(usePlayground((s) => s.pendingFork !== null));
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
        {forked && (
          <Suspense fallback={null}>
            <BranchCompare />
          </Suspense>
        )}
        <Timeline />
        <div className="bars">
          <PlaybackBar />
          <WorkloadBar />
        </div>
      </footer>
      <Suspense fallback={null}>
        {shortcutsUsed && <ShortcutsDialog />}
        {forkAsked && <ForkDialog />}
      </Suspense>
      <LearnLayer />
    </div>
  );
}
