import type { NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import type { Side } from '../../../run/modes';
import type { RunView } from '../../../run/view';
import { moveLeader, toggleBrokerOutage } from '../../../store/actions';
import { usePlayground, usePlaygroundApi } from '../../../store/context';
import type { PlaygroundState } from '../../../store/playground';
import { useFigures } from '../../live/useFigures';
import type { BrokerNodeType } from '../nodeTypes';
import { brokerStatus } from '../status';
import { Handles, OutageSwitch, StatusPill } from './common';
import { Counter } from './Counter';

/** The broker's health and refused publishes, from the core report, as primitives. */
function selectBroker(s: PlaygroundState, side: Side) {
  const sim = s.runs[side];
  if (!sim) return null;
  const r = sim.report();
  return {
    down: r.broker.down,
    slowFactor: r.broker.slow_factor,
    refused: r.events.refused,
    // Joined: the figures hook compares primitives.
    electing: r.broker.electing.join(', '),
  };
}

/**
 * What can lose its leader on this run's broker: each quorum queue (by its service), or
 * each partition. None on SNS + SQS or classic queues (the engine refuses those too).
 */
function leaderTargets(sim: RunView | undefined): { value: string; label: string }[] {
  if (!sim) return [];
  const b = sim.scenario.broker;
  if (b.kind === 'log')
    return Array.from({ length: b.partitions }, (_, p) => ({
      value: `p${p}`,
      label: `partition ${p}`,
    }));
  if (b.kind !== 'queue' || b.queue_type === 'classic') return [];
  return sim.model.queues.map((q) => ({
    value: `q${q.id}`,
    label: `${sim.model.services[q.service]?.name ?? q.id}'s queue`,
  }));
}

/** "Move a leader": a five-second election on a quorum queue or a partition. */
export function MoveLeader({ side }: { side: Side }) {
  const pg = usePlaygroundApi();
  // Read once per run: the targets change only with the run, never with its figures.
  const sim = usePlayground((s) => s.runs[side]);
  const targets = useMemo(() => leaderTargets(sim), [sim]);
  if (targets.length === 0) return null;
  return (
    <select
      className="node-select nodrag"
      aria-label="Move a leader (5 s election)"
      title="A leader moves: publishes to it wait and its consumers get nothing for 5 s"
      value=""
      onChange={(e) => {
        const v = e.target.value;
        if (!v) return;
        void moveLeader(
          pg,
          v.startsWith('p') ? { partition: Number(v.slice(1)) } : { queue: v.slice(1) },
        );
      }}
    >
      <option value="">Move a leader…</option>
      {targets.map((t) => (
        <option key={t.value} value={t.value}>
          {t.label}
        </option>
      ))}
    </select>
  );
}

/** The exchange: every bound queue gets its own copy of each event. */
export const BrokerNode = memo(function BrokerNode({ data }: NodeProps<BrokerNodeType>) {
  const live = useFigures((s) => selectBroker(s, data.side));
  const pg = usePlaygroundApi();
  const status = brokerStatus({
    down: live?.down ?? false,
    slow_factor: live?.slowFactor ?? 1,
    electing: live?.electing ? [live.electing] : [],
  });
  return (
    <div className={`node node-broker tone-${status.tone}`} data-testid={`broker-${data.side}`}>
      <Handles />
      <div className="node-head">
        <span className="node-name">{data.label}</span>
      </div>
      <div className="node-row">
        <StatusPill status={status} testId="broker-status" />
        <span className="node-actions">
          <OutageSwitch
            down={live?.down ?? false}
            label="Broker outage"
            title={live?.down ? 'Bring the broker back up' : 'Take the broker down'}
            onToggle={() => void toggleBrokerOutage(pg)}
          />
        </span>
      </div>
      <div className="node-row small muted">{data.details[0]}</div>
      {data.side === 'event' && <MoveLeader side={data.side} />}
      <div className="event-types">
        {data.eventTypes.map((t) => (
          <span key={t} className="event-type">
            {t}
          </span>
        ))}
      </div>
      {live && live.refused > 0 ? (
        // Publishes it turned away while down: each a failed order, a retry or an outbox row that waits.
        <div
          className="node-row small"
          title="Publishes refused while the broker was down (events.refused)"
        >
          <Counter value={live.refused} tone="bad" /> publishes refused
        </div>
      ) : (
        <div className="node-row small muted">{data.details[1]}</div>
      )}
    </div>
  );
});
