/**
 * A consumer group's partitions on its canvas node: one small bar per partition, as
 * long as that partition's log (longest = full width), filled up to the group's
 * committed offset. The unfilled end is the lag. Numbers are in each bar's tooltip and
 * in the inspector's partition table.
 */
import { memo } from 'react';
import type { PlaygroundState } from '../../store/playground';
import type { Side } from '../../run/modes';
import { useFigures } from '../live/useFigures';
import './broker.css';

/** More partitions than this are summed up in the last bar's tooltip, not drawn. */
export const MAX_BARS = 12;

/** [committed, end, owner, inFlight ? 1 : 0] per partition, flat, for a shallow compare. */
function selectParts(s: PlaygroundState, side: Side, queue: number): number[] {
  const sim = s.runs[side];
  if (sim?.model.broker.kind !== 'log' || queue >= sim.model.queues.length) return [];
  // A group that has not subscribed reads nothing: no bars yet.
  if (!sim.service(sim.model.queues[queue]?.service ?? 0).subscribed) return [];
  const out: number[] = [];
  for (const p of sim.partitions(queue)) out.push(p.committed, p.end, p.owner, p.inFlight ? 1 : 0);
  return out;
}

export const PartitionBars = memo(function PartitionBars({
  side,
  queue,
}: {
  side: Side;
  queue: number;
}) {
  const flat = useFigures((s) => selectParts(s, side, queue));
  const count = flat.length / 4;
  let longest = 1;
  for (let p = 0; p < count; p++) longest = Math.max(longest, flat[p * 4 + 1] as number);
  const shown = Math.min(count, MAX_BARS);
  return (
    <div
      className="partition-bars"
      aria-hidden="true"
      data-partitions={count}
      style={{ gridTemplateRows: `repeat(${Math.max(1, Math.min(shown, 4))}, 1fr)` }}
    >
      {Array.from({ length: shown }, (_, p) => {
        const committed = flat[p * 4] as number;
        const end = flat[p * 4 + 1] as number;
        const owner = flat[p * 4 + 2] as number;
        const busy = flat[p * 4 + 3] === 1;
        return (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: a partition's number is its identity
            key={p}
            className={`partition-bar${end - committed > 0 ? ' has-lag' : ''}${busy ? ' is-busy' : ''}`}
            title={`Partition ${p}: committed ${committed} of ${end} (lag ${end - committed}), read by member ${owner}`}
          >
            <span className="partition-log" style={{ width: `${(end / longest) * 100}%` }}>
              <span
                className="partition-committed"
                style={{ transform: `scaleX(${end > 0 ? committed / end : 1})` }}
              />
            </span>
          </span>
        );
      })}
    </div>
  );
});
