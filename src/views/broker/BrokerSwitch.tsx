/**
 * The top bar's broker flavour switch. Switching restarts the run with the same
 * scenario, seed and architecture on the chosen broker, with its defaults.
 */
import { useId } from 'react';
import { FLAVOUR_NAMES, FLAVOUR_ORDER } from '../../content/flavourNames';
import type { BrokerKind } from '../../store/broker';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import './broker.css';

export function BrokerSwitch() {
  const pg = usePlaygroundApi();
  const kind = usePlayground((s) => s.scenario.broker.kind);
  const id = useId();
  return (
    <div className="broker-switch">
      <label htmlFor={id} className="picker-caption">
        Broker:
      </label>
      <select
        id={id}
        value={kind}
        title="Restarts the run on this broker, with its defaults"
        onChange={(e) => void pg.broker.switchFlavour(e.target.value as BrokerKind)}
      >
        {FLAVOUR_ORDER.map((k) => (
          <option key={k} value={k} title={`Imitates ${FLAVOUR_NAMES[k].imitates}`}>
            {FLAVOUR_NAMES[k].label}
          </option>
        ))}
      </select>
    </div>
  );
}
