import { sidesOf } from '../../run/modes';
import { toggleBrokerOutage, toggleOutage } from '../../store/actions';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import type { PlaygroundState } from '../../store/playground';
import { MoveLeader } from '../canvas/nodes/BrokerNode';
import { OutageSwitch } from '../canvas/nodes/common';
import { useMediaQuery } from '../layout/screens';
import { useFigures } from '../live/useFigures';

/** Which services are down right now, as one string ("0100"): the figures hook compares primitives. */
function selectDown(s: PlaygroundState): string {
  const run = s.runs.chain ?? s.runs.event ?? s.runs.orchestration;
  if (!run) return '';
  return s.scenario.services
    .map((svc) => {
      const i = run.model.services.findIndex((x) => x.id === svc.id);
      return i >= 0 && run.service(i).down ? '1' : '0';
    })
    .join('');
}

/** "Payment Service" -> "Payment": the row says what they are; its switches' names keep it whole. */
const shortName = (name: string) => name.replace(/ service$/i, '') || name;

/**
 * The outage switches on a touch screen (issue 16): one per service, the broker's, and
 * "Move a leader", each a target a finger can hit (44 px), in a row above the canvas that
 * swipes sideways when it is wider than the screen.
 *
 * A phone draws the whole system at about a third of its size, so the switches on the
 * nodes are a few pixels wide there. The row is there on touch screens only (a mouse has
 * the nodes' own switches, and a screen reader does not hear every switch twice), and
 * screens.css hides the nodes' switches and menu buttons there. A node stays one large target: a tap
 * inspects it, a long press opens its fault menu.
 */
export function TouchFaultBar() {
  // Not mounted for a mouse: its figures would be read on every beat for a row not shown.
  const touch = useMediaQuery('(pointer: coarse)');
  return touch ? <OutageRow /> : null;
}

function OutageRow() {
  const pg = usePlaygroundApi();
  const services = usePlayground((s) => s.scenario.services);
  // The broker's switches act on the event side's run (store/actions.ts).
  const hasBroker = sidesOf(usePlayground((s) => s.mode)).includes('event');
  const down = useFigures(selectDown);
  const brokerDown = useFigures((s) => s.runs.event?.report().broker.down ?? false);
  return (
    <fieldset className="touch-fault-bar">
      <legend className="sr-only">Outages</legend>
      <span className="touch-fault-bar-title" aria-hidden="true">
        Outage
      </span>
      {services.map((svc, i) => (
        <OutageSwitch
          key={svc.id}
          down={down[i] === '1'}
          label={`${svc.name} outage`}
          text={shortName(svc.name)}
          title={down[i] === '1' ? `Bring ${svc.name} back up` : `Take ${svc.name} down`}
          onToggle={() => void toggleOutage(pg, svc.id)}
        />
      ))}
      {hasBroker && (
        <OutageSwitch
          down={brokerDown}
          label="Broker outage"
          text="Broker"
          title={brokerDown ? 'Bring the broker back up' : 'Take the broker down'}
          onToggle={() => void toggleBrokerOutage(pg)}
        />
      )}
      {hasBroker && <MoveLeader side="event" />}
    </fieldset>
  );
}
