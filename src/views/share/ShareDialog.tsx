/**
 * The Share dialog: a link to this exact moment (or, when the setup is too big for a
 * link, the file instead), the two files, opening a file, the AsyncAPI and broker
 * exports, the embed code and a PNG snapshot. Opening it pauses playback, so the link
 * shows what the learner sees.
 */
import { useId, useMemo, useRef, useState } from 'react';
import { useModalDialog } from '../controls/useModalDialog';
import { DialogBody, DialogFooter } from '../motion/DialogBody';
import { LINK_COMFORTABLE_CHARS, LINK_MAX_CHARS } from '../../share/link';
import { shareLink } from '../../share/writeLink';
import { clockText } from '../../core/format';
import { scenarioWithChanges } from '../../share/scenarioFile';
import { exportFileName, setupFileText } from '../../share/setupFile';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { MODE_LABELS, sidesOf } from '../../run/modes';
import { runFingerprints, setupFromState } from '../../store/share';
import { downloadBlob, downloadText } from './download';
import { pageAddress } from './pageAddress';
import { AsyncApiExport } from './AsyncApiExport';
import { BrokerExport } from './BrokerExport';
import { importFiles } from './importFile';
import { saveSnapshot } from './snapshot';

const count = (n: number) => n.toLocaleString('en-US');

export function ShareDialog() {
  const open = usePlayground((s) => s.ui.shareOpen);
  const pg = usePlaygroundApi();
  const store = pg.store;
  const version = usePlayground((s) => s.version);
  const ref = useRef<HTMLDialogElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const linkId = useId();
  const linkHelpId = useId();
  const embedId = useId();
  const [copied, setCopied] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  useModalDialog(ref, open, () => {
    // What the link shows is what is on screen: stop the clock first.
    pg.playback.pause();
    setCopied(null);
    setStatus(null);
  });

  // Recomputed while open only (the clock is paused then, so this is once per change).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` marks every change of the runs
  const view = useMemo(() => {
    if (!open) return null;
    const s = store.getState();
    const setup = setupFromState(s);
    return {
      setup,
      link: shareLink(setup, pageAddress()),
      embed: shareLink(setup, pageAddress(), 'embed=1'),
      scenarioFile: scenarioWithChanges(setup),
      prints: runFingerprints(s),
      sides: sidesOf(s.mode),
    };
  }, [open, version, store]);

  const close = () => pg.ui.setShareOpen(false);

  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`${what} copied.`);
    } catch {
      setCopied(
        `Copying is not allowed here: select the ${what.toLowerCase()} above and press Ctrl+C (⌘C on a Mac).`,
      );
    }
  };

  const exportSetup = () => {
    if (!view) return;
    downloadText(setupFileText(view.setup), exportFileName(view.setup.scenario.id, 'setup'));
    setStatus(`Saved ${exportFileName(view.setup.scenario.id, 'setup')}.`);
  };
  const exportScenario = () => {
    if (!view) return;
    if (!view.scenarioFile.ok) {
      setStatus(view.scenarioFile.message);
      return;
    }
    downloadText(view.scenarioFile.value.text, exportFileName(view.setup.scenario.id, 'scenario'));
    setStatus(`Saved ${exportFileName(view.setup.scenario.id, 'scenario')}.`);
  };
  const snapshot = () => {
    const root = document.querySelector('.stage') ?? document;
    saveSnapshot(store, root, downloadBlob).then(
      (name) => setStatus(`Saved ${name}.`),
      (error: Error) => setStatus(error.message),
    );
  };
  const onFile = (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length === 0) return;
    void importFiles(pg, files).then((opened) => {
      if (opened) close();
    });
  };

  const embedCode = view
    ? `<iframe src="${view.embed.url.replace(/"/g, '&quot;')}" title="Fanout playground: ${view.setup.scenario.name.replace(/[<>"&]/g, '')}" width="960" height="600" loading="lazy"></iframe>`
    : '';

  return (
    <dialog ref={ref} className="dialog share-dialog" aria-labelledby={titleId} onClose={close}>
      {view && (
        <DialogBody>
          <h2 id={titleId}>Share this moment</h2>
          <p className="hint">
            Paused at <strong className="num">t = {clockText(view.setup.at)}</strong>. Whoever opens
            the link sees {view.setup.scenario.name} exactly as it is now (
            {MODE_LABELS[view.setup.mode]}, seed {view.setup.seed}, your changes included), paused
            at this moment.
          </p>

          {view.link.fit === 'too-long' ? (
            <p className="share-warning" role="alert">
              This setup is too big for a link ({count(view.link.length)} characters; links stop at{' '}
              {count(LINK_MAX_CHARS)}). Download the setup file below and send that instead.
            </p>
          ) : (
            <div className="share-field">
              <label htmlFor={linkId}>Link</label>
              <div className="share-row">
                <input
                  id={linkId}
                  className="share-input"
                  readOnly
                  value={view.link.url}
                  aria-describedby={linkHelpId}
                  onFocus={(e) => e.currentTarget.select()}
                />
                <button
                  type="button"
                  className="button primary"
                  onClick={() => copy(view.link.url, 'Link')}
                >
                  Copy link
                </button>
              </div>
              <p id={linkHelpId} className={view.link.fit === 'long' ? 'share-warning' : 'hint'}>
                {view.link.fit === 'long'
                  ? `This link is ${count(view.link.length)} characters long: browsers open it, but some chat apps and mail programs cut links over ${count(LINK_COMFORTABLE_CHARS)}. The setup file is the safer way to send it.`
                  : `${count(view.link.length)} characters.`}
              </p>
            </div>
          )}
          <p className="hint" role="status">
            {copied}
          </p>

          <h3>Run fingerprint</h3>
          <p className="hint">
            The same fingerprint on another screen means the very same run, message for message.
          </p>
          <dl className="share-prints">
            {view.sides.map((side) => (
              <div key={side}>
                <dt>{MODE_LABELS[side]}</dt>
                <dd>
                  <code data-fingerprint={side}>{view.prints[side]}</code>
                </dd>
              </div>
            ))}
          </dl>

          <h3>Files</h3>
          <div className="share-row wrap">
            <button type="button" className="button" onClick={exportSetup}>
              Download setup file
            </button>
            <button type="button" className="button" onClick={exportScenario}>
              Download scenario file
            </button>
            <button type="button" className="button" onClick={() => fileInput.current?.click()}>
              Open a file…
            </button>
            <input
              ref={fileInput}
              type="file"
              accept=".json,.yaml,.yml,application/json,application/yaml"
              multiple
              className="sr-only"
              tabIndex={-1}
              aria-label="Scenario, setup or AsyncAPI files to open"
              onChange={(e) => onFile(e.currentTarget)}
            />
          </div>
          <ul className="hint share-file-notes">
            <li>The setup file reopens this exact moment, in Fanout.</li>
            <li>
              The scenario file runs with the command-line simulator too (
              <code>npm run sim -- file.json</code>); your changes are written into it as faults,
              spikes and orders.
              {view.scenarioFile.ok && view.scenarioFile.value.leftOut.length > 0 && (
                <>
                  {' '}
                  Not in it (the setup file keeps them):{' '}
                  {view.scenarioFile.value.leftOut.join('; ')}.
                </>
              )}
            </li>
            <li>
              <em>Open a file…</em> also opens AsyncAPI 3.0 and 3.1 documents (YAML or JSON); pick
              several, one per service, to open them as one system.
            </li>
            <li>You can also drop a file anywhere on the page to open it.</li>
          </ul>
          <AsyncApiExport
            scenario={view.scenarioFile.ok ? view.scenarioFile.value.scenario : view.setup.scenario}
          />
          <BrokerExport
            scenario={view.scenarioFile.ok ? view.scenarioFile.value.scenario : view.setup.scenario}
          />

          <h3>Classroom</h3>
          <div className="share-row wrap">
            <button type="button" className="button" onClick={snapshot}>
              Save PNG snapshot
            </button>
          </div>
          {view.embed.fit !== 'too-long' && (
            <div className="share-field">
              <label htmlFor={embedId}>Embed in a course page or slides</label>
              <textarea
                id={embedId}
                className="share-input share-embed"
                readOnly
                rows={3}
                value={embedCode}
                onFocus={(e) => e.currentTarget.select()}
              />
              <div className="share-row">
                <button
                  type="button"
                  className="button"
                  onClick={() => copy(embedCode, 'Embed code')}
                >
                  Copy embed code
                </button>
              </div>
            </div>
          )}
          <DialogFooter status={status} primary />
        </DialogBody>
      )}
    </dialog>
  );
}
