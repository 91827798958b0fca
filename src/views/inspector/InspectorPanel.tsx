/**
 * The inspector: what the selected service, queue or dead-letter queue holds right now
 * (id, event type, order number, attempt, age, note) and the latest trace lines that
 * involve it. Refreshed at most four times a second, never per frame.
 */
import './inspector.css';
import { durationText } from '../../core/format';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { MODE_LABELS } from '../../run/modes';
import { BrokerInspector } from '../broker';
import { PublishFailureSelect, PublishModeSelect } from '../broker/controls';
import { inspectNode, MESSAGE_LIMIT } from './inspect';
import { InspectorHint } from './InspectorHint';
import { useThrottledSnapshot } from './useThrottledSnapshot';

export const formatAge = (ms: number): string => durationText(ms, 1);

export function InspectorPanel() {
  const selection = usePlayground((s) => s.ui.selection);
  const pg = usePlaygroundApi();
  // The entry service of event fan-out that emits: its publish mode can be changed here.
  const publisher = usePlayground((s) => {
    const sel = s.ui.selection;
    const run = sel ? s.runs[sel.side] : undefined;
    if (!sel || !run || run.model.architecture !== 'event') return null;
    const entry = run.model.services[run.model.entry];
    return entry && entry.id === sel.nodeId && entry.emits.length > 0 ? entry : null;
  });
  const view = useThrottledSnapshot(
    (s) => {
      const sel = s.ui.selection;
      const sim = sel ? s.runs[sel.side] : undefined;
      return sel && sim ? inspectNode(sim, sel.nodeId) : null;
    },
    [selection],
  );

  if (!selection || !view) return <InspectorHint />;

  const shown = view.messages.length;
  return (
    <section className="inspector" aria-labelledby="inspector-title" data-testid="inspector">
      <header className="inspector-head">
        <h2 id="inspector-title">{view.title}</h2>
        <span className="inspector-side">{MODE_LABELS[selection.side]}</span>
        <button type="button" className="inspector-clear" onClick={() => pg.ui.select(null)}>
          Clear
        </button>
      </header>
      <dl className="inspector-summary">
        {view.summary.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {publisher && <PublishModeSelect serviceId={publisher.id} label={publisher.name} />}
      {publisher && <PublishFailureSelect serviceId={publisher.id} label={publisher.name} />}
      <BrokerInspector side={selection.side} nodeId={selection.nodeId} />

      <h3>
        {view.kind === 'dlq'
          ? 'Dead letters'
          : view.kind === 'queue'
            ? 'Messages in flight and waiting'
            : 'Work in hand'}
        <span className="inspector-count">
          {' '}
          (
          {shown < view.messagesTotal
            ? `${shown} of ${view.messagesTotal.toLocaleString('en-US')}`
            : shown}
          )
        </span>
      </h3>
      {shown === 0 ? (
        <p className="inspector-none">Nothing here right now.</p>
      ) : (
        <section
          className="inspector-table-wrap"
          aria-label={`${view.title}: messages`}
          // A scrollable region must be reachable from the keyboard (axe: scrollable-region-focusable).
          // biome-ignore lint/a11y/noNoninteractiveTabindex: see the line above
          tabIndex={0}
        >
          <table className="inspector-table">
            <caption className="visually-hidden">
              {view.title}: up to {MESSAGE_LIMIT} messages, in flight first
            </caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Type</th>
                <th scope="col">Order</th>
                <th scope="col">Attempt</th>
                <th scope="col">Age</th>
                <th scope="col">State</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {view.messages.map((m) => (
                <tr key={`${m.state}-${m.type}-${m.id}`} data-state={m.state}>
                  <td className="num">{m.id}</td>
                  <td>{m.type}</td>
                  <td className="num">#{m.corr}</td>
                  <td className="num">{m.attempt}</td>
                  <td className="num">{formatAge(m.ageMs)}</td>
                  <td>{m.state}</td>
                  <td>{m.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <h3>Latest trace</h3>
      {view.trace.length === 0 ? (
        <p className="inspector-none">No records yet.</p>
      ) : (
        <ol
          className="trace-lines"
          aria-label={`Latest trace lines for ${view.title}, newest first`}
        >
          {view.trace.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines are replaced as a whole each refresh
            <li key={i}>{line}</li>
          ))}
        </ol>
      )}
    </section>
  );
}
