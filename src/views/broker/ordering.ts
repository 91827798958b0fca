/**
 * Is work done in publish order? Event ids grow in publish order, so a consumer that
 * does its work for an event with a smaller id than one it already did has processed
 * it out of order. On a log, the partition of each event is known from its `Appended`
 * record: within one partition (same key) the order must hold.
 *
 * Computed over the trace records the engine keeps (the latest few thousand), so the
 * counts describe the recent past.
 */
import type { Model } from '../../core/model';
import { Effect, Rec, type TraceRecord } from '../../core/trace';

export interface OrderingRow {
  service: number;
  name: string;
  /** First side effects seen in the records. */
  processed: number;
  /** ...done after one with a later publish. */
  outOfOrder: number;
  /** Log: out of order within one partition (null when not a log). */
  outOfOrderInPartition: number | null;
}

export function orderingStats(model: Model, records: readonly TraceRecord[]): OrderingRow[] {
  const log = model.broker.kind === 'log';
  const consumers = model.services.filter((s) => s.queue >= 0 && s.index !== model.entry);
  const byNode = new Map(consumers.map((s, k) => [s.node, k]));
  const rows: OrderingRow[] = consumers.map((s) => ({
    service: s.index,
    name: s.name,
    processed: 0,
    outOfOrder: 0,
    outOfOrderInPartition: log ? 0 : null,
  }));
  const highest = consumers.map(() => -1);
  const highestInPartition = consumers.map(() => new Map<number, number>());
  const partitionOf = new Map<number, number>();
  for (const r of records) {
    if (r.kind === Rec.Appended) {
      partitionOf.set(r.msg, r.code);
      continue;
    }
    if (r.kind !== Rec.Processed || r.from !== r.to || (r.code & 3) !== Effect.First) continue;
    const k = byNode.get(r.from);
    if (k === undefined) continue;
    const row = rows[k] as OrderingRow;
    row.processed++;
    if (r.msg < (highest[k] as number)) row.outOfOrder++;
    else highest[k] = r.msg;
    const partition = partitionOf.get(r.msg);
    if (log && partition !== undefined) {
      const seen = highestInPartition[k] as Map<number, number>;
      if (r.msg < (seen.get(partition) ?? -1))
        row.outOfOrderInPartition = (row.outOfOrderInPartition ?? 0) + 1;
      else seen.set(partition, r.msg);
    }
  }
  return rows;
}

/** One sentence on what ordering this broker promises, for under the numbers. */
export function orderingPromise(model: Model): string {
  const b = model.broker;
  if (b.kind === 'log') {
    if (b.group_type === 'share')
      return 'Share group: any member takes any record, each acknowledged on its own; a released record is delivered again later. No order is promised, even within a partition.';
    if (b.retry === 'retry-topic')
      return 'Same key -> same partition -> in order, except a record that failed: your consumer sent it to the retry topic and read on, so it comes back after records written later.';
    return b.partitions === 1
      ? 'One partition: every record is read in the order it was written.'
      : `Same key -> same partition -> in order. Across ${b.partitions} partitions read by different members, nothing is promised.`;
  }
  if (b.kind === 'sns-sqs') {
    return b.fifo
      ? 'FIFO: in order within a message group (one customer); a group is blocked while one of its messages is in flight.'
      : 'Standard queue: best-effort order only. Messages are received roughly, not exactly, in the order they were sent.';
  }
  return 'One queue, several competing workers: a message that takes longer, or is retried, finishes after later ones.';
}
