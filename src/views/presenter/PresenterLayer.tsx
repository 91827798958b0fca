/**
 * Presenter mode's own controls, and "freeze and annotate": playback pauses (every token
 * stays exactly where it is: they are drawn from simulated time) and a pen layer covers
 * the page so the teacher can draw and mark. Resuming clears the drawing and plays on.
 */
import './presenter.css';
import { useEffect, useRef } from 'react';
import { usePlaygroundStore } from '../../store/context';
import { shareUi, useShareUi } from '../share/shareUi';
import { AnnotationLayer } from './AnnotationLayer';
import { exitPresenter } from './presenter';

export function PresenterLayer() {
  const presenter = useShareUi((s) => s.presenter);
  const annotating = useShareUi((s) => s.annotating);
  const store = usePlaygroundStore();
  const wasPlaying = useRef(false);

  const freeze = () => {
    const s = store.getState();
    wasPlaying.current = s.playing;
    s.pause();
    shareUi.setState({ annotating: true });
  };
  const resume = () => {
    shareUi.setState({ annotating: false });
    if (wasPlaying.current) store.getState().play();
  };

  // Playback started by any means (Space, the Play button) ends the annotation.
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (s.playing && !prev.playing && shareUi.getState().annotating)
          shareUi.setState({ annotating: false });
      }),
    [store],
  );

  // Esc: first stop annotating, then leave presenter mode (full screen handles its own Esc).
  useEffect(() => {
    if (!presenter) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog:modal'))
        return;
      e.preventDefault();
      if (shareUi.getState().annotating) resume();
      else exitPresenter();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  });

  if (!presenter) return null;

  return (
    <>
      {annotating && <AnnotationLayer />}
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
        <button type="button" className="button" onClick={exitPresenter} aria-keyshortcuts="Escape">
          Exit presenter mode
        </button>
      </nav>
    </>
  );
}
