/**
 * The Broker tab's routing table (queue flavour): for the current scenario, which queue
 * gets a copy of which event type through a fanout, a direct and a topic exchange, side
 * by side. Every cell comes from the engine's own routing (`routingTables` in
 * src/core/model.ts); nothing is decided here.
 */
import { useMemo } from 'react';
import { buildModel, routingTables } from '../../core/model';
import type { Scenario } from '../../core/scenario';

const WHAT: Record<'fanout' | 'direct' | 'topic', string> = {
  fanout: 'every bound queue gets every event; the routing key is ignored',
  direct: 'a queue gets the events whose name equals one of its bindings',
  topic: 'bindings are patterns over dotted keys: * one word, # any number',
};

export function RoutingTable({ scenario }: { scenario: Scenario }) {
  const { model, tables } = useMemo(() => {
    const m = buildModel(scenario, 'event');
    return { model: m, tables: routingTables(m) };
  }, [scenario]);
  if (scenario.broker.kind !== 'queue' || model.queues.length === 0) return null;
  const current = scenario.broker.exchange;
  return (
    <div className="routing-tables">
      {tables.map((table) => (
        <table
          key={table.exchange}
          className={`routing-table${table.exchange === current ? ' is-current' : ''}`}
          data-exchange={table.exchange}
        >
          <caption>
            <strong>{table.exchange}</strong>
            {table.exchange === current ? ' (this scenario)' : ''}: {WHAT[table.exchange]}
          </caption>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              {model.eventTypes.map((type) => (
                <th key={type} scope="col">
                  {type}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {model.queues.map((q, qi) => {
              const handled = model.services[q.service]?.subscribes ?? [];
              return (
                <tr key={q.id}>
                  <th scope="row">{q.name}</th>
                  {model.eventTypes.map((type, t) => {
                    const gets = table.receives[qi]?.[t] === true;
                    // A copy its consumer has no handler for is acked unread.
                    const unread = gets && !handled.includes(t);
                    return (
                      <td key={type} data-gets={gets ? (unread ? 'unread' : 'yes') : 'no'}>
                        {gets ? (unread ? 'copy, acked unread' : 'copy') : '—'}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </div>
  );
}
