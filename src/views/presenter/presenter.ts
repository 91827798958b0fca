/**
 * Presenter mode: the page goes full screen (where the browser allows it), type gets
 * large and colours high-contrast, and only the canvas, the comparison strip and the
 * playback bar stay (presenter.css, keyed on `html[data-presenter]`). Keyboard
 * shortcuts keep working. Leaving full screen (Esc) leaves presenter mode too.
 */
import { shareUi } from '../share/shareUi';

let enteredFullscreen = false;

function onFullscreenChange(): void {
  if (!document.fullscreenElement && enteredFullscreen) {
    enteredFullscreen = false;
    exitPresenter();
  }
}

export function enterPresenter(): void {
  if (shareUi.getState().presenter) return;
  document.documentElement.dataset.presenter = '';
  shareUi.setState({ presenter: true, annotating: false });
  const root = document.documentElement;
  if (root.requestFullscreen && !document.fullscreenElement) {
    document.addEventListener('fullscreenchange', onFullscreenChange);
    root.requestFullscreen({ navigationUI: 'hide' }).then(
      () => {
        enteredFullscreen = true;
      },
      () => {
        // Not allowed here (an iframe without allowfullscreen, a headless browser): the
        // page still switches to presenter mode, just not full screen.
        document.removeEventListener('fullscreenchange', onFullscreenChange);
      },
    );
  }
}

export function exitPresenter(): void {
  delete document.documentElement.dataset.presenter;
  shareUi.setState({ presenter: false, annotating: false });
  document.removeEventListener('fullscreenchange', onFullscreenChange);
  if (enteredFullscreen && document.fullscreenElement) {
    enteredFullscreen = false;
    document.exitFullscreen().catch(() => {});
  }
  enteredFullscreen = false;
}
