/**
 * Presenter mode: the page goes full screen (where the browser allows it), type gets
 * large and colours high-contrast, and only the canvas, the comparison strip and the
 * playback bar stay (presenter.css, keyed on `html[data-presenter]`). Keyboard
 * shortcuts keep working. Leaving full screen (Esc) leaves presenter mode too.
 */
import type { Playground } from '../../store/playground';

let enteredFullscreen = false;
let presenting: Playground | null = null;

function onFullscreenChange(): void {
  if (!document.fullscreenElement && enteredFullscreen && presenting) {
    enteredFullscreen = false;
    exitPresenter(presenting);
  }
}

export function enterPresenter(pg: Playground): void {
  if (pg.getState().ui.presenter) return;
  presenting = pg;
  document.documentElement.dataset.presenter = '';
  pg.ui.setPresenter(true);
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

export function exitPresenter(pg: Playground): void {
  delete document.documentElement.dataset.presenter;
  pg.ui.setPresenter(false);
  presenting = null;
  document.removeEventListener('fullscreenchange', onFullscreenChange);
  if (enteredFullscreen && document.fullscreenElement) {
    enteredFullscreen = false;
    document.exitFullscreen().catch(() => {});
  }
  enteredFullscreen = false;
}
