// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario, type Scenario } from '../../core';
import { RoutingTable } from './RoutingTable';

afterEach(cleanup);

function scenario(exchange: 'fanout' | 'direct'): Scenario {
  const r = parseScenario({
    version: 1,
    id: 'two-types',
    name: 'Two types',
    seed: 1,
    duration_ms: 1000,
    broker: { kind: 'queue', exchange },
    entry: 'orders',
    services: [
      { id: 'orders', name: 'Orders', latency_ms: 5, emits: ['OrderCreated', 'OrderPaid'] },
      { id: 'email', name: 'Email', latency_ms: 5, subscribes: ['OrderCreated'] },
      { id: 'ledger', name: 'Ledger', latency_ms: 5, subscribes: ['OrderPaid'] },
    ],
    workload: { rate_per_s: 1 },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** The cells of one exchange's table, row by row. */
function cells(container: HTMLElement, exchange: string): string[][] {
  const table = container.querySelector(`table[data-exchange="${exchange}"]`);
  if (!table) throw new Error(`no ${exchange} table`);
  return [...table.querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('td')].map((td) => td.getAttribute('data-gets') ?? ''),
  );
}

describe('the Broker tab’s routing table', () => {
  it('shows fanout giving every queue every event (acked unread without a handler), direct only the bound ones', () => {
    const { container } = render(<RoutingTable scenario={scenario('direct')} />);
    // Rows: email queue, ledger queue; columns: OrderCreated, OrderPaid.
    expect(cells(container, 'direct')).toEqual([
      ['yes', 'no'],
      ['no', 'yes'],
    ]);
    expect(cells(container, 'fanout')).toEqual([
      ['yes', 'unread'],
      ['unread', 'yes'],
    ]);
    expect(container.querySelector('table.is-current')?.getAttribute('data-exchange')).toBe(
      'direct',
    );
  });

  it('marks the scenario’s own exchange', () => {
    const { container } = render(<RoutingTable scenario={scenario('fanout')} />);
    expect(container.querySelector('table.is-current')?.getAttribute('data-exchange')).toBe(
      'fanout',
    );
  });
});
