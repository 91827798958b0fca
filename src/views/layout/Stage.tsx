import { type CSSProperties, useMemo, useState } from 'react';
import { FLAVOURS } from '../../content/brokerFlavours';
import { usePlayground } from '../../store/context';
import { BrokerSwitch } from '../broker/BrokerSwitch';
import { ChainSafeguards } from '../broker/ChainSafeguards';
import { MODE_LABELS, type Side, sidesOf } from '../../run/modes';
import { layoutModel } from '../canvas/layout';
import { CanvasSwitch } from '../compare/CanvasSwitch';
import { MODE_TAB_PREFIX, STAGE_ID } from '../controls/ArchitectureTabs';
import { useEditor } from '../editor/useEditor';
import { CanvasSlot, EditStageSlot } from './slots';
import { tabId } from './TabList';

const SUBTITLES: Record<Side, string> = {
  chain: 'the order waits while each service calls the next',
  event: 'Order Service publishes OrderCreated; each subscriber reads its own queue',
};

/**
 * Each side's drawing height (flow units), as `--drawing-height` for styles.css: in
 * Compare the two canvases share the height in that proportion, so the one-row chain and
 * the many-row fan-out are drawn at about the same zoom (before, half each drew the
 * fan-out at a third of its size at 1280 x 720).
 */
function useDrawingHeights(): Record<Side, number> {
  const chain = usePlayground((s) => s.runs.chain?.model);
  const event = usePlayground((s) => s.runs.event?.model);
  return useMemo(
    () => ({
      chain: chain ? Math.round(layoutModel(chain).bounds.height) : 1,
      event: event ? Math.round(layoutModel(event).bounds.height) : 1,
    }),
    [chain, event],
  );
}

/** The canvases: one, or in Compare two one above the other on the same clock. */
export function Stage() {
  const mode = usePlayground((s) => s.mode);
  const broker = usePlayground((s) => s.scenario.broker.kind);
  const sides = sidesOf(mode);
  // Which canvas a phone shows in Compare (screens.css hides the other one there).
  // Before the early return: hooks run in the same order on every render.
  const [shown, setShown] = useState<Side>('chain');
  const editing = useEditor((s) => s.editing);
  const heights = useDrawingHeights();
  if (editing)
    return (
      <div id={STAGE_ID} className="stage sides-1 editing">
        <EditStageSlot />
      </div>
    );
  return (
    <div
      id={STAGE_ID}
      role="tabpanel"
      aria-labelledby={tabId(MODE_TAB_PREFIX, mode)}
      className={`stage sides-${sides.length}`}
      data-shown={shown}
    >
      {sides.length > 1 && <CanvasSwitch shown={shown} onShow={setShown} />}
      {sides.map((side) => (
        <section
          key={side}
          className="stage-side"
          aria-labelledby={`stage-${side}-title`}
          data-side={side}
          style={{ '--drawing-height': heights[side] } as CSSProperties}
        >
          <div className="stage-head">
            <h2 id={`stage-${side}-title`} className="stage-title">
              {MODE_LABELS[side]}{' '}
              <span className="stage-subtitle">
                — {side === 'event' ? FLAVOURS[broker].subtitle : SUBTITLES[side]}
              </span>
            </h2>
            {side === 'event' ? <BrokerSwitch /> : <ChainSafeguards />}
          </div>
          <div className="stage-canvas">
            <CanvasSlot side={side} />
          </div>
        </section>
      ))}
    </div>
  );
}
