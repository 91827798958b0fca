/**
 * The parts of learning that sit over the playground: the Learn dialog (loaded on first
 * use), the canvas highlight of the current step, and, once, the note about saved
 * progress that could not be read. Lessons, challenges and questions load lazily, so the
 * initial page carries only this and the store.
 */
import { lazy, Suspense, useEffect } from 'react';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { useLearn, useLearnStore } from './LearnContext';

const LearnHub = lazy(() => import('./LearnHub'));
const CanvasHighlight = lazy(() => import('./CanvasHighlight'));

export function LearnLayer() {
  const hubOpen = usePlayground((s) => s.ui.learnHub.open);
  const active = useLearn((s) => s.active);
  const note = useLearn((s) => s.storageNote);
  const learn = useLearnStore();
  const pg = usePlaygroundApi();

  // Saved progress that could not be used is said once, in the app's message banner.
  useEffect(() => {
    // Read the store, not this render: a second run of the effect must not say it twice.
    const pending = learn.getState().storageNote;
    if (!note || !pending) return;
    const current = pg.getState().error;
    pg.ui.setError(current ? `${current} ${pending}` : pending);
    learn.getState().dismissStorageNote();
  }, [note, learn, pg]);

  // Back after a reload with an activity open: show it in the side panel.
  useEffect(() => {
    if (learn.getState().active) pg.ui.setPanelTab('walkthrough');
  }, [learn, pg]);

  return (
    <Suspense fallback={null}>
      {hubOpen && <LearnHub />}
      {active && <CanvasHighlight />}
    </Suspense>
  );
}
