import type { OrderingRow } from './ordering';

const n = (x: number) => x.toLocaleString('en-US');

/** "3 of 120 orders processed out of publish order", and what the broker promises. */
export function OrderingLine({ row, promise }: { row: OrderingRow; promise: string }) {
  return (
    <div className="broker-ordering" data-testid={`ordering-${row.service}`}>
      <p>
        <span className="num">{n(row.outOfOrder)}</span> of{' '}
        <span className="num">{n(row.processed)}</span> recent orders processed out of publish order
        {row.outOfOrderInPartition !== null && (
          <>
            ; <span className="num">{n(row.outOfOrderInPartition)}</span> out of order within a
            partition
          </>
        )}
        .
      </p>
      <p className="broker-note">{promise}</p>
    </div>
  );
}

/** Every consumer's ordering numbers, for the Broker tab. */
export function OrderingTable({
  rows,
  promise,
  log,
}: {
  rows: OrderingRow[];
  promise: string;
  log: boolean;
}) {
  return (
    <>
      <table className="broker-table" data-testid="ordering-table">
        <caption className="visually-hidden">
          Recent orders each consumer processed, and how many out of publish order
        </caption>
        <thead>
          <tr>
            <th scope="col">Consumer</th>
            <th scope="col">Processed</th>
            <th scope="col">Out of order</th>
            {log && <th scope="col">In a partition</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.service}>
              <th scope="row">{row.name}</th>
              <td className="num">{n(row.processed)}</td>
              <td className="num">{n(row.outOfOrder)}</td>
              {log && <td className="num">{n(row.outOfOrderInPartition ?? 0)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="broker-note">
        Counted over the latest trace records: an order is out of order when its consumer finished
        it after an order published later. {promise}
      </p>
    </>
  );
}
