/**
 * Everything open or closed on screen, in one slice of the playground's state: the
 * selected node and the side panel, dialogs, presenter mode, notices. Made with the
 * playground (no module singletons), so each test and each page has its own.
 */
import type { Kernel } from './kernel';
import type { HubSection } from './learn';
import type { ImportProblems, Notice, PanelTab, Selection, UiState } from './state';

export interface UiPart {
  /** Inspect a node (the side panel opens on the inspector), or nothing. */
  select(selection: Selection | null): void;
  setPanelTab(tab: PanelTab): void;
  setPanelOpen(open: boolean): void;
  setShortcutsOpen(open: boolean): void;
  setShareOpen(open: boolean): void;
  /** Open or close the New gallery. */
  setGalleryOpen(open: boolean): void;
  setPresenter(on: boolean): void;
  setAnnotating(on: boolean): void;
  notify(notice: Notice | null): void;
  showImportProblems(problems: ImportProblems | null): void;
  offerUpdate(apply: (() => void) | null): void;
  setDragging(dragging: boolean): void;
  setReducedMotion(reduced: boolean): void;
  /** Open the Learn dialog (on a section), or close it with null. */
  openLearnHub(section?: HubSection | null): void;
  /** Show a message (or clear it with null). */
  setError(message: string | null): void;
}

export function createUi(k: Kernel): UiPart {
  const patch = (p: Partial<UiState>) => k.set({ ui: { ...k.get().ui, ...p } });
  return {
    select(selection) {
      patch(
        selection ? { selection, panelTab: 'inspector', panelOpen: true } : { selection: null },
      );
      k.setInterests({ inspect: selection });
    },
    setPanelTab: (panelTab) => patch({ panelTab }),
    setPanelOpen: (panelOpen) => patch({ panelOpen }),
    setShortcutsOpen: (shortcutsOpen) => patch({ shortcutsOpen }),
    setShareOpen: (shareOpen) => patch({ shareOpen }),
    setGalleryOpen: (galleryOpen) => patch({ galleryOpen }),
    setPresenter: (presenter) => patch({ presenter, annotating: false }),
    setAnnotating: (annotating) => patch({ annotating }),
    notify: (notice) => patch({ notice }),
    showImportProblems: (importProblems) => patch({ importProblems }),
    offerUpdate: (update) => patch({ update }),
    setDragging: (dragging) => patch({ dragging }),
    setReducedMotion: (reducedMotion) => k.set({ reducedMotion }),
    openLearnHub(section) {
      const hub = k.get().ui.learnHub;
      patch({
        learnHub:
          section === null
            ? { ...hub, open: false }
            : { open: true, section: section ?? hub.section },
      });
    },
    setError: (message) => k.report(message),
  };
}
