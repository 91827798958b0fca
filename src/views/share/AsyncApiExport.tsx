/**
 * The Share dialog's AsyncAPI export: the scenario as one AsyncAPI 3.0 document for the
 * system, or one per service (the learner picks), in YAML. The exporter and its YAML
 * writer load on the first click.
 */
import { useId, useState } from 'react';
import type { Scenario } from '../../core/scenario';
import { downloadBlob } from './download';

type Shape = 'system' | 'per-service';

export function AsyncApiExport({ scenario }: { scenario: Scenario }) {
  const [shape, setShape] = useState<Shape>('system');
  const [status, setStatus] = useState<string | null>(null);
  const name = useId();
  const headingId = useId();

  const download = async () => {
    try {
      const asyncapi = await import('../../share/asyncapi');
      const docs = asyncapi.exportAsyncApi(scenario, shape);
      for (const doc of docs) {
        const text = asyncapi.documentText(doc.document, 'yaml');
        downloadBlob(new Blob([text], { type: 'application/yaml' }), doc.fileName);
      }
      setStatus(`Saved ${docs.map((d) => d.fileName).join(', ')}.`);
    } catch (error) {
      setStatus(
        `The AsyncAPI document could not be written (${error instanceof Error ? error.message : 'unknown error'}).`,
      );
    }
  };

  return (
    <section className="asyncapi-export" aria-labelledby={headingId}>
      <h3 id={headingId}>AsyncAPI</h3>
      <p className="hint">
        The system as AsyncAPI 3.0, the standard description of event-driven systems: channels for
        events, send and receive operations for each service, the broker in bindings, and
        Fanout&apos;s own settings under <code>x-fanout</code> so it opens here as the same run.
      </p>
      <fieldset className="asyncapi-shape">
        <legend className="sr-only">Documents</legend>
        <label>
          <input
            type="radio"
            name={name}
            checked={shape === 'system'}
            onChange={() => setShape('system')}
          />{' '}
          One document for the system
        </label>
        <label>
          <input
            type="radio"
            name={name}
            checked={shape === 'per-service'}
            onChange={() => setShape('per-service')}
          />{' '}
          One document per service ({scenario.services.length})
        </label>
      </fieldset>
      <div className="share-row wrap">
        <button type="button" className="button" onClick={() => void download()}>
          Download AsyncAPI
        </button>
      </div>
      <p className="hint" role="status">
        {status}
      </p>
    </section>
  );
}
