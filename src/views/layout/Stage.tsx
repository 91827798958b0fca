import { type CSSProperties, useMemo, useState } from 'react';
import { FLAVOUR_NAMES } from '../../content/flavourNames';
import { usePlayground } from '../../store/context';
import { BrokerSwitch } from '../broker/BrokerSwitch';
import { ChainSafeguards } from '../broker/ChainSafeguards';
import { MODE_LABELS, type Side, sidesOf } from '../../run/modes';
import { layoutModel } from '../canvas/layout';
import { CanvasSwitch } from '../compare/CanvasSwitch';
import { ComparePicker } from '../compare/ComparePicker';
import { MODE_TAB_PREFIX, modeTab, STAGE_ID } from '../controls/ArchitectureTabs';
import { TouchFaultBar } from '../controls/TouchFaultBar';
import { useEditor } from '../editor/useEditor';
import { CanvasSlot, EditStageSlot } from './slots';
import { tabId } from './TabList';

const SUBTITLES: Record<Side, string> = {
  chain: 'the order waits while each service calls the next',
  event: 'Order Service publishes OrderCreated; each subscriber reads its own queue',
  orchestration:
    'the entry service orchestrates each order: a command to each step, then it waits for the reply',
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
  const orchestration = usePlayground((s) => s.runs.orchestration?.model);
  return useMemo(() => {
    const height = (model: typeof chain) =>
      model ? Math.round(layoutModel(model).bounds.height) : 1;
    return { chain: height(chain), event: height(event), orchestration: height(orchestration) };
  }, [chain, event, orchestration]);
}

/** The canvases: one, or in Compare two one above the other on the same clock. */
export function Stage() {
  const mode = usePlayground((s) => s.mode);
  const broker = usePlayground((s) => s.scenario.broker.kind);
  const sides = sidesOf(mode);
  // Which canvas a phone shows in Compare (screens.css hides the other one there).
  // Before the early return: hooks run in the same order on every render.
  const [picked, setShown] = useState<Side>('chain');
  const shown = sides.includes(picked) ? picked : (sides[0] as Side);
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
      aria-labelledby={tabId(MODE_TAB_PREFIX, modeTab(mode))}
      className={`stage sides-${sides.length}`}
      data-shown={shown}
    >
      {sides.length > 1 && <ComparePicker />}
      {sides.length > 1 && <CanvasSwitch sides={sides} shown={shown} onShow={setShown} />}
      <TouchFaultBar />
      {sides.map((side) => (
        <section
          key={side}
          className="stage-side"
          aria-labelledby={`stage-${side}-title`}
          data-side={side}
          data-phone-hidden={sides.length > 1 && side !== shown ? 'true' : undefined}
          style={{ '--drawing-height': heights[side] } as CSSProperties}
        >
          <div className="stage-head">
            <h2 id={`stage-${side}-title`} className="stage-title">
              {MODE_LABELS[side]}{' '}
              <span className="stage-subtitle">
                — {side === 'event' ? FLAVOUR_NAMES[broker].subtitle : SUBTITLES[side]}
              </span>
            </h2>
            {side !== 'chain' ? <BrokerSwitch /> : <ChainSafeguards />}
          </div>
          <div className="stage-canvas">
            <CanvasSlot side={side} />
          </div>
        </section>
      ))}
    </div>
  );
}
