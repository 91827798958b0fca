/**
 * The broker's part of the inspector, under the summary of the selected node: adding a
 * late subscriber, the idempotent switch and why something happened twice (consumers),
 * partitions, their owners and replay (log), invisible messages and receive counts
 * (SQS), redrive (dead-letter queue) and ordering.
 */
import { durationText } from '../../core/format';
import type { Side } from '../../run/modes';
import { addableSubscribers } from '../../store/broker';
import { usePlayground } from '../../store/context';
import { useThrottledSnapshot } from '../inspector/useThrottledSnapshot';
import { AddSubscriberButton, IdempotentSwitch, RedriveButton, ReplayControl } from './controls';
import { FLAVOURS } from '../../content/brokerFlavours';
import { brokerNodeView } from './nodeView';
import { OrderingLine } from './OrderingTable';
import './broker.css';

const ms = (x: number) => durationText(x, 1);

export function BrokerInspector({ side, nodeId }: { side: Side; nodeId: string }) {
  const view = useThrottledSnapshot(
    (s) => {
      const sim = s.runs[side];
      return sim ? brokerNodeView(sim, nodeId) : null;
    },
    [side, nodeId],
  );
  const addable = usePlayground((s) => {
    const list = addableSubscribers(s.scenario, s.runs.event);
    return list.some((x) => x.id === view?.service?.id);
  });
  if (!view) return null;
  const flavour = FLAVOURS[view.flavour];

  if (view.kind === 'dlq') {
    return (
      <section className="broker-inspector" aria-label="Broker">
        <RedriveButton />
      </section>
    );
  }
  const svc = view.service;
  if (!view.consumer || !svc) return null;
  const title = svc.name;

  return (
    <section className="broker-inspector" aria-label={`${flavour.label}: ${title}`}>
      {view.subscriptionNote && (
        <p
          className={view.subscribed ? 'broker-note' : 'broker-note is-dormant-note'}
          data-testid="subscription-note"
        >
          {view.subscriptionNote}
        </p>
      )}
      {!view.subscribed && addable && <AddSubscriberButton serviceId={svc.id} name={svc.name} />}

      {view.subscribed && (
        <>
          <IdempotentSwitch serviceId={svc.id} label={svc.name} />
          {view.duplicates.length > 0 && (
            <>
              <h3>Repeated messages</h3>
              <ul
                className="broker-duplicates"
                aria-label={`Why ${title} saw messages twice, newest first`}
              >
                {view.duplicates.map((d) => (
                  <li
                    key={`${d.t}-${d.corr}-${d.text}`}
                    className={d.repeated ? 'is-repeat' : 'is-skip'}
                  >
                    <span aria-hidden="true">{d.repeated ? '⚠ ' : '✓ '}</span>
                    {d.text}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}

      {view.flavour === 'log' && view.subscribed && (
        <>
          <h3>
            Partitions{' '}
            <span className="inspector-count">(lag {view.lag.toLocaleString('en-US')})</span>
          </h3>
          <table className="broker-table partitions-table">
            <caption className="visually-hidden">
              {title}'s consumer group: each partition, its owner, committed offset and lag
            </caption>
            <thead>
              <tr>
                <th scope="col">Partition</th>
                <th scope="col">Member</th>
                <th scope="col">Committed / end</th>
                <th scope="col">Lag</th>
              </tr>
            </thead>
            <tbody>
              {view.partitions.map((p) => (
                <tr key={`${p.topic}-${p.partition}`}>
                  <td className="num">
                    {p.topic ? `${p.topic} ` : ''}
                    {p.partition}
                  </td>
                  <td className="num">
                    {view.down ? 'stopped' : `member ${p.member}${p.busy ? ' (busy)' : ''}`}
                  </td>
                  <td>
                    <span className="num">
                      {p.committed} / {p.end}
                    </span>
                    <span className="lag-bar" aria-hidden="true">
                      <span
                        style={{ width: `${p.end > 0 ? (p.committed / p.end) * 100 : 100}%` }}
                      />
                    </span>
                  </td>
                  <td className="num">{p.lag}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="broker-note">
            {view.members} member{view.members === 1 ? '' : 's'} (one per worker).{' '}
            {view.idleMembers.length > 0
              ? `${view.idleMembers.length} idle: a partition has one owner, so members beyond the ${view.partitions.length} partitions wait (member${view.idleMembers.length === 1 ? '' : 's'} ${view.idleMembers.join(', ')}).`
              : 'Every member owns at least one partition.'}
          </p>
          <ReplayControl serviceId={svc.id} name={svc.name} />
        </>
      )}

      {view.flavour === 'sns-sqs' && view.subscribed && (
        <>
          <h3>
            Invisible messages{' '}
            <span className="inspector-count">
              ({view.invisibleTotal.toLocaleString('en-US')}, visibility timeout{' '}
              {ms(view.visibilityTimeoutMs)})
            </span>
          </h3>
          {view.blockedGroups !== null && (
            <p className="broker-note" data-testid="fifo-blocked">
              FIFO: {view.blockedGroups} message group{view.blockedGroups === 1 ? '' : 's'} blocked:
              each has a message in flight, so its next messages wait.
            </p>
          )}
          {view.invisible.length === 0 ? (
            <p className="inspector-none">None received and not yet deleted.</p>
          ) : (
            <table className="broker-table">
              <caption className="visually-hidden">
                Messages received from {title}'s queue and not deleted yet, with their receive
                counts
              </caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Receive count</th>
                  <th scope="col">Visible again in</th>
                </tr>
              </thead>
              <tbody>
                {view.invisible.map((m) => (
                  <tr key={m.id}>
                    <td className="num">#{m.corr}</td>
                    <td className="num">{m.receives}</td>
                    <td className="num">{ms(m.visibleInMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}

      {view.subscribed && view.ordering && (
        <>
          <h3>Order of processing</h3>
          <OrderingLine row={view.ordering} promise={view.orderingPromise} />
        </>
      )}
    </section>
  );
}
