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
import { isSetupHash, readSetupHash } from '../../share/link';
import { clockText } from '../../core/format';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { DEFAULT_MODE, DEFAULT_SCENARIO } from '../../store/playground';
import { DEFAULT_SPEED } from '../../run/speeds';
import {
  clearSession,
  KEPT_SESSION_KEY,
  type SessionStorage,
  setupFromState,
  startAutosave,
} from '../../store/share';
import { dropSetupFragment } from '../../page';
import { downloadText } from './download';

export function ShareLayer({ storage }: { storage: SessionStorage | null }) {
  const pg = usePlaygroundApi();
  useAutosave(storage);
  useLinkInAddressBar();
  useFileDrop();
  useEffect(() => registerServiceWorker({ onUpdate: (apply) => pg.ui.offerUpdate(apply) }), [pg]);
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
  const pg = usePlaygroundApi();
  useEffect(() => {
    if (!storage) return;
    const autosave = startAutosave(pg, { storage, now: () => Date.now() });
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
  }, [pg, storage]);
}

/** A share link pasted into this tab's address bar changes only the fragment: open it here. */
function useLinkInAddressBar(): void {
  const pg = usePlaygroundApi();
  useEffect(() => {
    const onHashChange = async () => {
      if (!isSetupHash(window.location.hash)) return;
      // The engine's check that a custom scenario builds: loaded when a link is pasted.
      const builds = await import('../../core/runnable').then(
        (m) => m.checkScenarioBuilds,
        () => undefined,
      );
      const link = readSetupHash(window.location.hash, builds);
      if (!link) return;
      dropSetupFragment();
      if (!link.ok) {
        pg.ui.setError(link.message);
        return;
      }
      const previous = setupFromState(pg.getState());
      const applied = await pg.sharing.open(link.value);
      if (!applied.ok) {
        pg.ui.setError(applied.message);
        return;
      }
      pg.ui.setError(applied.value);
      pg.ui.notify({
        kind: 'opened',
        text: `Opened a shared setup: ${link.value.scenario.name} at t = ${clockText(pg.getState().now)}.`,
        previous,
        previousLabel: 'Undo',
      });
    };
    const listener = () => void onHashChange();
    window.addEventListener('hashchange', listener);
    return () => window.removeEventListener('hashchange', listener);
  }, [pg]);
}

const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');

/** Drop a scenario or setup file, or AsyncAPI documents, anywhere on the page to open them. */
function useFileDrop(): void {
  const pg = usePlaygroundApi();
  useEffect(() => {
    let depth = 0;
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      pg.ui.setDragging(true);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) pg.ui.setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Without this the browser would navigate away to the dropped file.
      e.preventDefault();
      depth = 0;
      pg.ui.setDragging(false);
      // Several AsyncAPI documents (one per application) open together as one system.
      const files = [...(e.dataTransfer?.files ?? [])];
      // The reader loads with the first file dropped (the page's first load does without it).
      if (files.length > 0) void import('./importFile').then((m) => m.importFiles(pg, files));
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
  }, [pg]);
}

function SessionNotice({ storage }: { storage: SessionStorage | null }) {
  const pg = usePlaygroundApi();
  const notice = usePlayground((s) => s.ui.notice);
  // Pressing Play answers the question too: the learner goes on with what is on screen.
  useEffect(
    () =>
      pg.store.subscribe((s, prev) => {
        if (s.playing && !prev.playing && s.ui.notice && s.ui.notice.kind !== 'kept-aside')
          pg.ui.notify(null);
      }),
    [pg],
  );
  if (!notice) return null;
  const close = () => pg.ui.notify(null);
  const startFresh = async () => {
    if (storage) clearSession(storage);
    const s = pg.getState();
    close();
    pg.ui.setError(null);
    await pg.loadScenario(DEFAULT_SCENARIO);
    await pg.setMode(DEFAULT_MODE);
    pg.playback.setSpeed(DEFAULT_SPEED);
    if (!s.playing) pg.playback.play();
  };
  const goBack = async () => {
    close();
    if (notice.previous) {
      const applied = await pg.sharing.open(notice.previous);
      if (!applied.ok) pg.ui.setError(applied.message);
    }
  };
  const downloadKept = () => {
    if (notice.keptText === undefined) return;
    downloadText(notice.keptText, 'fanout-saved-session.json');
    if (storage) {
      try {
        storage.removeItem(KEPT_SESSION_KEY);
      } catch {
        // Storage switched off: the downloaded copy is what counts.
      }
    }
  };
  const label =
    notice.kind === 'restored'
      ? 'Restored session'
      : notice.kind === 'kept-aside'
        ? 'Saved session kept aside'
        : 'Opened setup';
  return (
    <section className="share-notice" aria-label={label}>
      <p className="share-notice-text" role="status">
        {notice.text}
        {notice.kind === 'restored' && ' Start fresh?'}
      </p>
      {notice.details && notice.details.length > 0 && (
        <ul className="share-notice-details">
          {notice.details.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <div className="share-notice-actions">
        {notice.kind === 'restored' ? (
          <>
            <button type="button" className="button" onClick={() => void startFresh()}>
              Start fresh
            </button>
            <button type="button" className="button primary" onClick={close}>
              Keep my session
            </button>
          </>
        ) : notice.kind === 'kept-aside' ? (
          <>
            <button type="button" className="button" onClick={downloadKept}>
              Download it
            </button>
            <button type="button" className="button primary" onClick={close}>
              OK
            </button>
          </>
        ) : (
          <>
            {notice.previous && (
              <button type="button" className="button" onClick={() => void goBack()}>
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
  const problems = usePlayground((s) => s.ui.importProblems);
  const pg = usePlaygroundApi();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useModalDialog(ref, Boolean(problems));
  return (
    <dialog
      ref={ref}
      className="dialog share-problems"
      aria-labelledby={titleId}
      onClose={() => pg.ui.showImportProblems(null)}
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
  const dragging = usePlayground((s) => s.ui.dragging);
  if (!dragging) return null;
  return (
    <div className="share-drop" role="status">
      <p>Drop a scenario file, a setup file or AsyncAPI documents to open them</p>
    </div>
  );
}

function UpdatePrompt() {
  const update = usePlayground((s) => s.ui.update);
  const pg = usePlaygroundApi();
  if (!update) return null;
  return (
    <section className="share-update" aria-label="Update">
      <p role="status">Update available: a new version of Fanout is ready.</p>
      <button type="button" className="button primary" onClick={update}>
        Reload
      </button>
      <button type="button" className="button" onClick={() => pg.ui.offerUpdate(null)}>
        Later
      </button>
    </section>
  );
}
