/**
 * The side panel's Broker tab: which product the current flavour imitates, its settings
 * with their defaults and a link to the vendor's documentation for each, and the
 * learner's broker actions (add a subscriber, idempotent consumers, replay, redrive)
 * with the ordering each consumer sees.
 */
import { useId } from 'react';
import {
  choicesWith,
  FLAVOUR_ORDER,
  FLAVOURS,
  type FlavourSetting,
  settingText,
} from '../../content/brokerFlavours';
import type { Scenario } from '../../core/scenario';
import { secondsText } from '../../core/format';
import { addableSubscribers, deployableSubscriber, subscription } from '../../store/broker';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { useThrottledSnapshot } from '../inspector/useThrottledSnapshot';
import {
  AddSubscriberButton,
  DeploySubscriberButton,
  IdempotentSwitch,
  RedriveButton,
  ReplayControl,
} from './controls';
import { orderingPromise, orderingStats } from './ordering';
import { OrderingTable } from './OrderingTable';
import { RoutingTable } from './RoutingTable';
import './broker.css';

function DocLink({ href, children }: { href: string; children: string }) {
  return (
    <a href={href} target="_blank" rel="noopener" className="broker-doc">
      {children}
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

function SettingRow({ setting, scenario }: { setting: FlavourSetting; scenario: Scenario }) {
  const pg = usePlaygroundApi();
  const id = useId();
  const helpId = `${id}-help`;
  const choices = setting.choices ? choicesWith(setting, scenario) : null;
  const value = (scenario.broker as Record<string, unknown>)[setting.key];
  const selected = choices
    ? Math.max(
        0,
        choices.findIndex((c) => c.value === value),
      )
    : -1;
  return (
    <div className="broker-setting" data-setting={setting.key}>
      <div className="broker-setting-head">
        {choices ? (
          <>
            <label htmlFor={id}>{setting.label}</label>
            <select
              id={id}
              aria-describedby={helpId}
              value={selected}
              onChange={(e) => {
                const choice = choices[Number(e.target.value)];
                if (choice) void pg.broker.changeSetting(setting.key, choice.value);
              }}
            >
              {choices.map((c, i) => (
                <option key={`${String(c.value)}-${c.label}`} value={i}>
                  {c.label}
                </option>
              ))}
            </select>
          </>
        ) : (
          <>
            <span className="broker-setting-label">{setting.label}</span>
            <span className="broker-setting-value">{settingText(setting, scenario)}</span>
          </>
        )}
      </div>
      <p id={helpId} className="broker-setting-help">
        {setting.help} Default: <strong>{setting.defaultText}</strong>.{' '}
        <DocLink href={setting.docUrl}>{setting.docLabel}</DocLink>
      </p>
    </div>
  );
}

interface ConsumerRow {
  id: string;
  name: string;
  subscribed: boolean;
  joined: string | null;
  duplicates: number;
  down: boolean;
}

/** The three flavours, each with the product it imitates. */
function FlavourChoice({ current }: { current: Scenario['broker']['kind'] }) {
  const pg = usePlaygroundApi();
  const name = useId();
  return (
    <fieldset className="broker-flavours">
      <legend>Broker flavour</legend>
      {FLAVOUR_ORDER.map((kind) => (
        <label key={kind}>
          <input
            type="radio"
            name={name}
            value={kind}
            checked={current === kind}
            onChange={() => void pg.broker.switchFlavour(kind)}
          />{' '}
          {FLAVOURS[kind].label} <span className="muted">— {FLAVOURS[kind].imitates}</span>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * What the orchestrated side leaves out, said where the broker's own simplifications are
 * (docs/scenario-format.md, "Orchestration", says the same).
 */
export const ORCHESTRATION_SIMPLIFIED: readonly string[] = [
  'The orchestrator (Order Service) keeps each saga in a durable store and never loses it; while Order Service is down no saga moves, and its replies wait in its reply queue.',
  'Commands and replies leave through their senders’ outbox: a publish the broker refuses is kept and sent again; none is lost at the sender (a full queue that refuses one ten times is the exception).',
  'No step timeouts: a reply dead-lettered on its way back leaves its saga waiting, where a real orchestrator would time the step out and decide.',
  'A step learns of its own dead-lettered command at once and replies that it failed; a real service finds out later, from its dead-letter queue.',
  'Compensations run one at a time, the last completed step first; a compensation that fails for good is given up and the next one runs.',
];

export function BrokerPanel() {
  const scenario = usePlayground((s) => s.scenario);
  const orchestrated = usePlayground((s) => s.runs.orchestration !== undefined);
  const hasEvent = usePlayground((s) => s.runs.event !== undefined);
  const flavour = FLAVOURS[scenario.broker.kind];
  const live = useThrottledSnapshot((s) => {
    const sim = s.runs.event;
    if (!sim) return null;
    const consumers: ConsumerRow[] = sim.model.services
      .filter((svc) => svc.queue >= 0 && svc.index !== sim.model.entry)
      .map((svc) => {
        const v = sim.service(svc.index);
        const joined = subscription(sim, svc.id);
        return {
          id: svc.id,
          name: svc.name,
          subscribed: v.subscribed,
          joined: joined
            ? `joined at t = ${secondsText(joined.at, 1)}${sim.model.broker.kind === 'log' ? ` (${joined.from})` : ''}`
            : null,
          duplicates: v.duplicates,
          down: v.down,
        };
      });
    return {
      consumers,
      addable: addableSubscribers(s.scenario, sim),
      deployable: deployableSubscriber(s.scenario),
      ordering: orderingStats(sim.model, sim.traceTail(4096)).filter(
        (row) => sim.service(row.service).subscribed,
      ),
      promise: orderingPromise(sim.model),
    };
  }, []);

  return (
    <section className="broker-panel" aria-labelledby="broker-panel-title">
      <h2 id="broker-panel-title">{flavour.label}</h2>
      <p className="broker-imitates">
        Imitates <strong>{flavour.imitates}</strong> ·{' '}
        <DocLink href={flavour.homeUrl}>{`${flavour.imitates} documentation`}</DocLink>
      </p>
      <p>{flavour.summary}</p>
      <FlavourChoice current={scenario.broker.kind} />
      <p className="broker-note">
        Changing the flavour or a setting restarts the run at t = 0, with the same scenario, seed
        and architecture.
      </p>

      <h3>Settings and defaults</h3>
      {flavour.settings.some((s) => s.by === 'consumer') ? (
        // A log does little itself: keep what the broker does apart from what the
        // consumer code does (commits, retries, dead-letter topics), as Kafka does.
        <>
          <h4>What the broker does</h4>
          <div className="broker-settings" data-by="broker">
            {flavour.settings
              .filter((s) => s.by !== 'consumer')
              .map((setting) => (
                <SettingRow key={setting.key} setting={setting} scenario={scenario} />
              ))}
          </div>
          <h4>What your consumer code does</h4>
          <div className="broker-settings" data-by="consumer">
            {flavour.settings
              .filter((s) => s.by === 'consumer')
              .map((setting) => (
                <SettingRow key={setting.key} setting={setting} scenario={scenario} />
              ))}
          </div>
        </>
      ) : (
        <div className="broker-settings">
          {flavour.settings.map((setting) => (
            <SettingRow key={setting.key} setting={setting} scenario={scenario} />
          ))}
        </div>
      )}

      {scenario.broker.kind === 'queue' && (
        <>
          <h3>Routing: which queue gets which event</h3>
          <p className="broker-note">
            The same bindings through each exchange type. Change the exchange above to run the other
            one.
          </p>
          <RoutingTable scenario={scenario} />
        </>
      )}

      <h3>What the broker does, what your consumer code does</h3>
      <div className="broker-roles">
        <div data-role="broker">
          <h4>The broker</h4>
          <ul>
            {flavour.roles.broker.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
        <div data-role="consumer">
          <h4>Your consumer code</h4>
          <ul>
            {flavour.roles.consumer.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      </div>
      <h4>Where the playground simplifies</h4>
      <ul className="broker-simplified">
        {flavour.roles.simplified.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {orchestrated && (
        <>
          <h4>Orchestration: where the playground simplifies</h4>
          <ul className="broker-simplified" data-testid="orchestration-simplified">
            {ORCHESTRATION_SIMPLIFIED.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
      {flavour.versions && (
        <>
          <h4>Checked against the real broker, and what differs between versions</h4>
          <p className="broker-note">{flavour.versions.checked}</p>
          <ul className="broker-versions">
            {flavour.versions.differences.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}

      <h3>Subscribers</h3>
      {!hasEvent || !live ? (
        <p className="broker-note">
          {orchestrated
            ? 'An orchestrator addresses each command to one step, so nothing subscribes: switch to Event fan-out (or Compare it) to use these.'
            : 'The request chain has no broker: switch to Event fan-out or Compare to use these.'}
        </p>
      ) : (
        <>
          <ul className="broker-consumers">
            {live.consumers.map((c) => (
              <li key={c.id} data-testid={`consumer-${c.id}`}>
                <span className="broker-consumer-name">{c.name}</span>{' '}
                <span className="muted">
                  {c.subscribed
                    ? `${flavour.subscriptionWord}${c.joined ? `, ${c.joined}` : ''}`
                    : 'not subscribed'}
                  {c.down ? ' · stopped (outage)' : ''}
                  {c.duplicates > 0
                    ? ` · ${c.duplicates.toLocaleString('en-US')} duplicate side effects`
                    : ''}
                </span>
              </li>
            ))}
          </ul>
          {live.deployable && (
            <>
              <p className="broker-note">
                Decoupling: deploy a new service beside the broker. It starts greyed, not
                subscribed; then add it while the run goes on.
              </p>
              <DeploySubscriberButton name={live.deployable.name} />
            </>
          )}
          {live.addable.length > 0 && (
            <>
              <p className="broker-note">
                Add a subscriber while the run goes on: the producer publishes exactly as before and
                never learns it is there.
                {scenario.broker.kind === 'log'
                  ? ' On a log, its new consumer group can start at the earliest record still kept and read the history, or at the log end.'
                  : ' On this broker it only gets events published after it subscribed.'}
              </p>
              {live.addable.map((a) => (
                <AddSubscriberButton key={a.id} serviceId={a.id} name={a.name} />
              ))}
            </>
          )}

          <h3>Idempotent consumers</h3>
          <p className="broker-note">
            Off: a message delivered again (after a crash before the ack, a visibility timeout, a
            replay) does its side effect again. On: the consumer remembers message ids and skips it.
          </p>
          {live.consumers
            .filter((c) => c.subscribed)
            .map((c) => (
              <IdempotentSwitch key={c.id} serviceId={c.id} label={c.name} />
            ))}

          {scenario.broker.kind === 'log' ? (
            <>
              <h3>Replay</h3>
              <p className="broker-note">
                Switch a consumer off (its outage switch) to stop its group, reset its offsets, then
                switch it back on: it reads those records again.
              </p>
              {live.consumers
                .filter((c) => c.subscribed)
                .map((c) => (
                  <ReplayControl key={c.id} serviceId={c.id} name={c.name} />
                ))}
            </>
          ) : (
            <>
              <h3>Dead letters</h3>
              <RedriveButton />
            </>
          )}

          <h3>Order of processing</h3>
          <OrderingTable
            rows={live.ordering}
            promise={live.promise}
            log={scenario.broker.kind === 'log'}
          />
        </>
      )}
    </section>
  );
}
