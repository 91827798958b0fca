/**
 * Presenter mode's own controls, and "freeze and annotate": playback pauses (every token
 * stays exactly where it is: they are drawn from simulated time) and a pen layer covers
 * the page so the teacher can draw and mark. Resuming clears the drawing and plays on.
 */
import './presenter.css';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { exitPresenter } from './presenter';

/** Drawing on the slide: loaded when the presenter first picks up the pen. */
const AnnotationLayer = lazy(() =>
  import('./AnnotationLayer').then((m) => ({ default: m.AnnotationLayer })),
);

export function PresenterLayer() {
  const presenter = usePlayground((s) => s.ui.presenter);
  const annotating = usePlayground((s) => s.ui.annotating);
  const pg = usePlaygroundApi();
  const store = pg.store;
  const wasPlaying = useRef(false);

  const freeze = () => {
    wasPlaying.current = store.getState().playing;
    pg.playback.pause();
    pg.ui.setAnnotating(true);
  };
  const resume = () => {
    pg.ui.setAnnotating(false);
    if (wasPlaying.current) pg.playback.play();
  };

  // Playback started by any means (Space, the Play button) ends the annotation.
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (s.playing && !prev.playing && s.ui.annotating) pg.ui.setAnnotating(false);
      }),
    [store, pg],
  );

  // Esc: first stop annotating, then leave presenter mode (full screen handles its own Esc).
  useEffect(() => {
    if (!presenter) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog:modal'))
        return;
      e.preventDefault();
      if (store.getState().ui.annotating) resume();
      else exitPresenter(pg);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  });

  if (!presenter) return null;

  return (
    <>
      {annotating && (
        <Suspense fallback={null}>
          <AnnotationLayer />
        </Suspense>
      )}
      <nav className="presenter-bar" aria-label="Presenter mode">
        {/* The top bar (and its heading) is hidden while presenting. */}
        <h1 className="sr-only">Fanout, presenter mode</h1>
        {annotating ? (
          <button type="button" className="button primary" onClick={resume}>
            Resume (clears drawing)
          </button>
        ) : (
          <button type="button" className="button primary" onClick={freeze}>
            Freeze and annotate
          </button>
        )}
        <button
          type="button"
          className="button"
          onClick={() => exitPresenter(pg)}
          aria-keyshortcuts="Escape"
        >
          Exit presenter mode
        </button>
      </nav>
    </>
  );
}
