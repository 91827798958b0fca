/**
 * UI state of sharing, saving and the classroom modes: which notice is showing, the
 * problems of a file that was not opened, the Share dialog, presenter mode, the update
 * prompt. Page-level state beside the playground store (one page has one of each), kept
 * in a small vanilla store so the top bar, the layer and the presenter read the same.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { Setup } from '../../share/setup';

export interface Notice {
  kind: 'restored' | 'opened' | 'imported';
  text: string;
  /** What was on screen before (or the saved session a link replaced): one click brings it back. */
  previous: Setup | null;
  previousLabel?: string;
}

export interface ImportProblems {
  message: string;
  details: string[];
}

export interface ShareUiState {
  notice: Notice | null;
  problems: ImportProblems | null;
  shareOpen: boolean;
  presenter: boolean;
  /** Presenter mode's "freeze and annotate": paused, with a pen layer on top. */
  annotating: boolean;
  /** A new version is installed and waiting; calling it reloads into that version. */
  update: (() => void) | null;
  /** A file is being dragged over the page. */
  dragging: boolean;
}

export function createShareUi() {
  return createStore<ShareUiState>()(() => ({
    notice: null,
    problems: null,
    shareOpen: false,
    presenter: false,
    annotating: false,
    update: null,
    dragging: false,
  }));
}

/** The page's share UI state. Tests reset it with `shareUi.setState(createShareUi().getState())`. */
export const shareUi = createShareUi();

export function useShareUi<T>(selector: (s: ShareUiState) => T): T {
  return useStore(shareUi, selector);
}
