import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { PlaygroundState } from '../../../store/playground';
import type { Side } from '../../../run/modes';
import { FLAVOUR_NAMES } from '../../../content/flavourNames';
import { PartitionBars } from '../../broker/PartitionBars';
import { useFigures } from '../../live/useFigures';
import type { QueueNodeType } from '../nodeTypes';
import { Handles, NodeTitle, useIsSelected } from './common';
import { Counter } from './Counter';

/** Blocks drawn one per message; beyond this the stack is full and a bar grows instead. */
export const STACK_BLOCKS = 20;
/** The overflow bar is full at this many waiting messages (logarithmic in between). */
const BAR_FULL_AT = 5000;
/** Fixed slots of the stack, filled from the left. */
const SLOTS = Array.from({ length: STACK_BLOCKS }, (_, i) => `slot-${i}`);

function selectQueue(s: PlaygroundState, side: Side, queue: number) {
  const sim = s.runs[side];
  if (!sim || queue >= sim.model.queues.length) return null;
  const q = sim.queue(queue);
  const consumer = sim.model.queues[queue]?.service ?? 0;
  return {
    kind: sim.model.broker.kind,
    subscribed: sim.service(consumer).subscribed,
    waiting: q.waiting,
    retrying: q.retrying,
    inFlight: q.inFlight,
    deadLettered: q.deadLettered,
    // Queue flavour with a retry queue: copies waiting to retry sit there, not here.
    retryElsewhere: sim.model.retryNode >= 0,
  };
}

export const QueueNode = memo(function QueueNode({ id, data }: NodeProps<QueueNodeType>) {
  const { side, queue, label } = data;
  // On the figure beat: the stack and counters change a few times a second, not per frame.
  const live = useFigures((s) => selectQueue(s, side, queue));
  const selected = useIsSelected(side, id);
  if (!live) return null;

  const flavour = FLAVOUR_NAMES[live.kind];
  const ready = live.waiting - live.retrying;
  const here = live.retryElsewhere ? ready : live.waiting;
  const solid = Math.min(ready, STACK_BLOCKS);
  const dashed = live.retryElsewhere ? 0 : Math.min(live.retrying, STACK_BLOCKS - solid);
  const overflow = here > STACK_BLOCKS;
  const bar = overflow
    ? Math.min(1, Math.log(here / STACK_BLOCKS) / Math.log(BAR_FULL_AT / STACK_BLOCKS))
    : 0;
  return (
    <div
      className={`node node-queue${here > 0 ? ' has-backlog' : ''}${selected ? ' is-selected' : ''}${live.subscribed ? '' : ' is-dormant'}`}
      data-testid={`queue-${side}-${id}`}
    >
      <Handles />
      <div className="node-head">
        <NodeTitle label={label} selected={selected} />
      </div>
      {live.kind === 'log' ? (
        <PartitionBars side={side} queue={queue} />
      ) : (
        <>
          <div className="stack" aria-hidden="true" data-blocks={solid + dashed}>
            {SLOTS.map((slot, i) => (
              <span
                key={slot}
                className={i < solid ? 'block' : i < solid + dashed ? 'block retry' : 'block empty'}
              />
            ))}
          </div>
          <div className={`overflow-bar${overflow ? '' : ' is-empty'}`} aria-hidden="true">
            <span style={{ transform: `scaleX(${bar})` }} />
          </div>
        </>
      )}
      {!live.subscribed ? (
        <div
          className="node-row dormant-note"
          title="It exists, but has not subscribed: it gets nothing until it is added"
        >
          not subscribed
        </div>
      ) : (
        <div className="node-row">
          <span
            className="waiting"
            title={
              live.retryElsewhere
                ? 'Messages in the queue (those waiting to retry are in the retry queue)'
                : 'Messages in the queue, including those waiting out a retry backoff'
            }
          >
            {/* Plain digits: `N waiting` is read by people and by tests alike. */}
            <Counter value={here} text={String(here)} /> waiting
          </span>
        </div>
      )}
      <div className="node-row small">
        <span title={flavour.inFlightHelp}>
          <Counter value={live.inFlight} /> {flavour.inFlightWord}
        </span>
        {live.kind !== 'sns-sqs' && (
          <span
            title={
              live.retryElsewhere
                ? 'Of this queue’s messages, those waiting in the retry queue for their next try'
                : 'Waiting out a backoff before the next try'
            }
          >
            <Counter value={live.retrying} /> {live.retryElsewhere ? 'in retry queue' : 'retrying'}
          </span>
        )}
        <span title="Moved to the dead-letter queue from this queue">
          <Counter value={live.deadLettered} tone="bad" /> dead
        </span>
      </div>
    </div>
  );
});
