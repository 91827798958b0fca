/**
 * The New gallery: start from a working system of another domain (ride hailing, a bank
 * transfer, IoT telemetry...), or bring your own as AsyncAPI documents. A template opens
 * through `pg.loadRun`, like any other run, and the notice offers the way back.
 */
import { useId, useRef, useState } from 'react';
import { FLAVOURS } from '../../content/brokerFlavours';
import { type Template, templates } from '../../content/templates';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { setupFromState } from '../../store/share';
import { useModalDialog } from '../controls/useModalDialog';
import { DialogBody, DialogFooter } from '../motion/DialogBody';
import { importFiles } from '../share/importFile';

export function NewGallery() {
  const open = usePlayground((s) => s.ui.galleryOpen);
  const pg = usePlaygroundApi();
  const ref = useRef<HTMLDialogElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useModalDialog(ref, open, () => setStatus(null));
  const close = () => pg.ui.setGalleryOpen(false);

  const start = async (t: Template) => {
    setBusy(true);
    setStatus(`Opening ${t.scenario.name}…`);
    const previous = setupFromState(pg.getState());
    const r = await pg.loadRun({
      scenario: t.scenario,
      seed: t.scenario.seed,
      at: 0,
      playing: true,
    });
    setBusy(false);
    if (!r.ok) {
      setStatus(r.message);
      return;
    }
    setStatus(null);
    close();
    pg.ui.notify({
      kind: 'opened',
      text: `Started from the template “${t.scenario.name}”. Try this: ${t.experiment}`,
      previous,
      previousLabel: 'Back to what I had',
    });
  };

  const onFiles = (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length === 0) return;
    void importFiles(pg, files).then((opened) => {
      if (opened) close();
    });
  };

  return (
    <dialog ref={ref} className="dialog gallery-dialog" aria-labelledby={titleId} onClose={close}>
      <DialogBody>
        <h2 id={titleId}>Start something new</h2>
        <p className="hint">
          Each template is a working system: it runs as a request chain and as events. Pick one,
          then try its experiment.
        </p>
        <ul className="gallery-list" aria-label="Templates">
          {templates.map((t) => (
            <TemplateCard key={t.id} template={t} busy={busy} onStart={start} />
          ))}
        </ul>
        <h3>Bring your own system</h3>
        <p className="hint">
          Open AsyncAPI 3.0 or 3.1 documents (YAML or JSON): one for the whole system, or one per
          service, picked together. What AsyncAPI does not say (latency, workers, the workload) is
          filled in, and the notice lists it.
        </p>
        <div className="share-row wrap">
          <button type="button" className="button" onClick={() => fileInput.current?.click()}>
            Import AsyncAPI…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".yaml,.yml,.json,application/yaml,application/json"
            multiple
            className="sr-only"
            tabIndex={-1}
            aria-label="AsyncAPI documents to open"
            onChange={(e) => onFiles(e.currentTarget)}
          />
        </div>
        <DialogFooter status={status} />
      </DialogBody>
    </dialog>
  );
}

function TemplateCard({
  template: t,
  busy,
  onStart,
}: {
  template: Template;
  busy: boolean;
  onStart: (t: Template) => void;
}) {
  const nameId = useId();
  const storyId = useId();
  const services = t.scenario.services.length;
  return (
    <li className="gallery-card">
      <article aria-labelledby={nameId}>
        <p className="gallery-domain">{t.domain}</p>
        <h3 id={nameId}>{t.scenario.name}</h3>
        <p id={storyId}>{t.story}</p>
        <p className="gallery-try">
          <strong>Try:</strong> {t.experiment}
        </p>
        <p className="gallery-meta">
          {services} service{services === 1 ? '' : 's'} · {FLAVOURS[t.scenario.broker.kind].label}
        </p>
        <button
          type="button"
          className="button primary"
          disabled={busy}
          aria-describedby={storyId}
          onClick={() => onStart(t)}
        >
          Start with {t.scenario.name}
        </button>
      </article>
    </li>
  );
}
