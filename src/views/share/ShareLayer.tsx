/**
 * Everything of sharing and saving that is not a button in the top bar: saving the
 * session as the learner works, opening a link pasted into the address bar, the notices
 * ("Restored your last session — start fresh?"), files dropped onto the page, the list
 * of problems of a file that was not opened, and the "Update available" prompt.
 */
import './share.css';
import { useEffect, useId, useRef } from 'react';
import { useModalDialog } from '../controls/useModalDialog';
import { registerServiceWorker } from '../../pwa/register';
import { readSetupHash } from '../../share/link';
import { clockText } from '../../share/clock';
import { usePlaygroundStore } from '../../store/context';
import { DEFAULT_MODE, DEFAULT_SCENARIO, DEFAULT_SPEED } from '../../store/playground';
import {
  applySetup,
  clearSession,
  type SessionStorage,
  setupFromState,
  startAutosave,
} from '../../store/share';
import { dropSetupFragment } from './boot';
import { importFile } from './importFile';
import { shareUi, useShareUi } from './shareUi';

export function ShareLayer({ storage }: { storage: SessionStorage | null }) {
  useAutosave(storage);
  useLinkInAddressBar();
  useFileDrop();
  useEffect(
    () => registerServiceWorker({ onUpdate: (apply) => shareUi.setState({ update: apply }) }),
    [],
  );
  return (
    <>
      <SessionNotice storage={storage} />
      <ImportProblemsDialog />
      <DropOverlay />
      <UpdatePrompt />
    </>
  );
}

function useAutosave(storage: SessionStorage | null): void {
  const store = usePlaygroundStore();
  useEffect(() => {
    if (!storage) return;
    const autosave = startAutosave(store, { storage, now: () => Date.now() });
    // A closing or hidden page saves at once: the next visit starts exactly here.
    const onHide = () => {
      if (document.visibilityState === 'hidden') autosave.flush();
    };
    window.addEventListener('pagehide', autosave.flush);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      autosave.stop();
      window.removeEventListener('pagehide', autosave.flush);
      document.removeEventListener('visibilitychange', onHide);
    };
  }, [store, storage]);
}

/** A share link pasted into this tab's address bar changes only the fragment: open it here. */
function useLinkInAddressBar(): void {
  const store = usePlaygroundStore();
  useEffect(() => {
    const onHashChange = () => {
      const link = readSetupHash(window.location.hash);
      if (!link) return;
      dropSetupFragment();
      if (!link.ok) {
        store.getState().setError(link.message);
        return;
      }
      const previous = setupFromState(store.getState());
      const applied = applySetup(store, link.value);
      if (!applied.ok) {
        store.getState().setError(applied.message);
        return;
      }
      store.getState().setError(applied.value);
      shareUi.setState({
        notice: {
          kind: 'opened',
          text: `Opened a shared setup: ${link.value.scenario.name} at t = ${clockText(store.getState().now)}.`,
          previous,
          previousLabel: 'Undo',
        },
      });
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [store]);
}

const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');

/** Drop a scenario or setup file anywhere on the page to open it. */
function useFileDrop(): void {
  const store = usePlaygroundStore();
  useEffect(() => {
    let depth = 0;
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      shareUi.setState({ dragging: true });
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) shareUi.setState({ dragging: false });
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Without this the browser would navigate away to the dropped file.
      e.preventDefault();
      depth = 0;
      shareUi.setState({ dragging: false });
      const file = e.dataTransfer?.files[0];
      if (file) void importFile(store, file);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [store]);
}

function SessionNotice({ storage }: { storage: SessionStorage | null }) {
  const store = usePlaygroundStore();
  const notice = useShareUi((s) => s.notice);
  // Pressing Play answers the question too: the learner goes on with what is on screen.
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (s.playing && !prev.playing && shareUi.getState().notice)
          shareUi.setState({ notice: null });
      }),
    [store],
  );
  if (!notice) return null;
  const close = () => shareUi.setState({ notice: null });
  const startFresh = () => {
    if (storage) clearSession(storage);
    const s = store.getState();
    s.loadScenario(DEFAULT_SCENARIO);
    store.getState().setMode(DEFAULT_MODE);
    store.getState().setSpeed(DEFAULT_SPEED);
    store.getState().setError(null);
    store.getState().play();
    close();
  };
  const goBack = () => {
    if (notice.previous) {
      const applied = applySetup(store, notice.previous);
      if (!applied.ok) store.getState().setError(applied.message);
    }
    close();
  };
  return (
    <section
      className="share-notice"
      aria-label={notice.kind === 'restored' ? 'Restored session' : 'Opened setup'}
    >
      <p className="share-notice-text" role="status">
        {notice.text}
        {notice.kind === 'restored' && ' Start fresh?'}
      </p>
      <div className="share-notice-actions">
        {notice.kind === 'restored' ? (
          <>
            <button type="button" className="button" onClick={startFresh}>
              Start fresh
            </button>
            <button type="button" className="button primary" onClick={close}>
              Keep my session
            </button>
          </>
        ) : (
          <>
            {notice.previous && (
              <button type="button" className="button" onClick={goBack}>
                {notice.previousLabel ?? 'Undo'}
              </button>
            )}
            <button type="button" className="button primary" onClick={close}>
              OK
            </button>
          </>
        )}
      </div>
    </section>
  );
}

/** The problems of a file that was not opened, one `path: problem` per line. */
function ImportProblemsDialog() {
  const problems = useShareUi((s) => s.problems);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useModalDialog(ref, Boolean(problems));
  return (
    <dialog
      ref={ref}
      className="dialog share-problems"
      aria-labelledby={titleId}
      onClose={() => shareUi.setState({ problems: null })}
    >
      <div className="dialog-body">
        <h2 id={titleId}>The file was not opened</h2>
        <p role="alert">{problems?.message}</p>
        {problems && problems.details.length > 0 && (
          <ul className="share-problem-list" aria-label="Problems, each with where it is">
            {problems.details.slice(0, 50).map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines can repeat; their order is their identity
              <li key={i}>
                <code>{line}</code>
              </li>
            ))}
            {problems.details.length > 50 && <li>… and {problems.details.length - 50} more</li>}
          </ul>
        )}
        <form method="dialog">
          <button type="submit" className="button primary">
            Close
          </button>
        </form>
      </div>
    </dialog>
  );
}

function DropOverlay() {
  const dragging = useShareUi((s) => s.dragging);
  if (!dragging) return null;
  return (
    <div className="share-drop" role="status">
      <p>Drop a scenario file or a setup file to open it</p>
    </div>
  );
}

function UpdatePrompt() {
  const update = useShareUi((s) => s.update);
  if (!update) return null;
  return (
    <section className="share-update" aria-label="Update">
      <p role="status">Update available: a new version of Fanout is ready.</p>
      <button type="button" className="button primary" onClick={update}>
        Reload
      </button>
      <button type="button" className="button" onClick={() => shareUi.setState({ update: null })}>
        Later
      </button>
    </section>
  );
}
