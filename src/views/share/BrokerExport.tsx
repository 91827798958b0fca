/**
 * The Share dialog's broker export: the scenario on screen (built-in, edited or imported)
 * as a real broker's configuration, one file to download. The exporters load on the first
 * click, as the AsyncAPI one does, so none of it weighs on the initial bundle.
 *
 * The example producers/consumers are several files; with no zip library in the app, they
 * come from the command line (`--out DIR`), and the hint says so.
 */
import { useId, useState } from 'react';
import type { Scenario } from '../../core/scenario';
import { exportFileName } from '../../share/setupFile';
import { downloadBlob } from './download';

const FORMATS = [
  { id: 'rabbitmq', label: 'RabbitMQ definitions (JSON)', button: 'RabbitMQ definitions' },
  { id: 'kafka', label: 'Kafka topics script (bash)', button: 'Kafka topics script' },
  {
    id: 'sns-sqs',
    label: 'AWS SNS + SQS CloudFormation (YAML)',
    button: 'CloudFormation template',
  },
] as const;
type Format = (typeof FORMATS)[number]['id'];

export function BrokerExport({ scenario }: { scenario: Scenario }) {
  const [format, setFormat] = useState<Format>('rabbitmq');
  const [status, setStatus] = useState<string | null>(null);
  const name = useId();
  const headingId = useId();
  const chosen = FORMATS.find((f) => f.id === format) ?? FORMATS[0];

  const download = async () => {
    try {
      const files = await import('../../share/export/files');
      const main = files.mainFile(scenario, format);
      if (!main.ok) {
        setStatus(main.message);
        return;
      }
      const fileName = files.downloadName(scenario.id, format);
      downloadBlob(new Blob([main.value.text], { type: files.MAIN_FILE[format].type }), fileName);
      setStatus(`Saved ${fileName}.`);
    } catch (error) {
      setStatus(
        `The ${chosen.button} could not be written (${error instanceof Error ? error.message : 'unknown error'}).`,
      );
    }
  };

  return (
    <section className="asyncapi-export broker-export" aria-labelledby={headingId}>
      <h3 id={headingId}>Real broker configuration</h3>
      <p className="hint">
        The topology this run simulates, for the real product: exchanges, queues and bindings;
        topics and consumer groups; or SNS topics and SQS queues. Each file says at its top which
        scenario produced it and what the target cannot express.
      </p>
      <fieldset className="asyncapi-shape">
        <legend className="sr-only">Broker</legend>
        {FORMATS.map((f) => (
          <label key={f.id}>
            <input
              type="radio"
              name={name}
              checked={format === f.id}
              onChange={() => setFormat(f.id)}
            />{' '}
            {f.label}
          </label>
        ))}
      </fieldset>
      <div className="share-row wrap">
        <button type="button" className="button" onClick={() => void download()}>
          Download {chosen.button}
        </button>
      </div>
      <p className="hint">
        Example producers and consumers for Node (amqplib, kafkajs, AWS SDK v3), one per service,
        come from the command line: save the scenario file, then{' '}
        <code>
          npm run sim -- {exportFileName(scenario.id, 'scenario')} --export {format} --out examples/
        </code>
        .
      </p>
      <p className="hint" role="status">
        {status}
      </p>
    </section>
  );
}
