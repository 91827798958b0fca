/**
 * The broker's learner controls, each usable wherever it makes sense (side panel tab,
 * inspector, fault menu): the idempotent-consumer switch, adding a subscriber, replaying
 * a consumer group and redriving dead letters. Each reads its own live state from the
 * store and acts through `src/store/broker.ts`.
 */
import { useId, useState } from 'react';
import {
  deadLettersNow,
  type OffsetTarget,
  replayProblem,
  type StartFrom,
} from '../../store/broker';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import type { PlaygroundState } from '../../store/playground';

/** The simulation whose broker the controls act on: the event side. */
export const eventSim = (s: PlaygroundState) => s.runs.event;

function isIdempotent(s: PlaygroundState, serviceId: string): boolean {
  const sim = s.runs.event ?? s.runs.chain;
  if (!sim?.model.services.some((x) => x.id === serviceId)) return false;
  return sim.isIdempotent(serviceId);
}

/** A checkbox: this consumer remembers message ids and skips the side effect of a repeat. */
export function IdempotentSwitch({ serviceId, label }: { serviceId: string; label: string }) {
  const pg = usePlaygroundApi();
  const on = usePlayground((s) => isIdempotent(s, serviceId));
  const id = useId();
  return (
    <div className="broker-check">
      <input
        id={id}
        type="checkbox"
        checked={on}
        onChange={(e) => void pg.broker.setIdempotent(serviceId, e.target.checked)}
      />
      <label htmlFor={id}>
        {label} is idempotent <span className="muted">(skips a message id it already handled)</span>
      </label>
    </div>
  );
}

const PUBLISH_MODES = [
  ['after-commit', 'after the commit (save, then publish)'],
  ['before-commit', 'before the commit (publish, then save)'],
  ['outbox', 'outbox (saved with the order, relayed)'],
] as const;

/**
 * How the entry service publishes (the dual write, issue 12). Changing it is a new design:
 * the run restarts at t = 0, like a broker setting.
 */
export function PublishModeSelect({ serviceId, label }: { serviceId: string; label: string }) {
  const pg = usePlaygroundApi();
  const mode = usePlayground(
    (s) => s.scenario.services.find((svc) => svc.id === serviceId)?.publish ?? 'after-commit',
  );
  const id = useId();
  return (
    <div className="broker-select">
      <label htmlFor={id}>
        {label} publishes <span className="muted">(restarts the run)</span>
      </label>
      <select
        id={id}
        value={mode}
        onChange={(e) =>
          void pg.broker.setPublishMode(
            serviceId,
            e.target.value as (typeof PUBLISH_MODES)[number][0],
          )
        }
      >
        {PUBLISH_MODES.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

const PUBLISH_FAILURES = [
  ['fail', 'fail the order (the user gets an error)'],
  ['retry', 'retry after a backoff (the order waits)'],
] as const;

/**
 * What the entry service does when the broker refuses its publish (after the commit: with
 * an outbox the relay keeps the row, before it nothing is saved). A design change: the run
 * restarts at t = 0.
 */
export function PublishFailureSelect({ serviceId, label }: { serviceId: string; label: string }) {
  const pg = usePlaygroundApi();
  const spec = usePlayground((s) => s.scenario.services.find((svc) => svc.id === serviceId));
  const id = useId();
  if ((spec?.publish ?? 'after-commit') !== 'after-commit') return null;
  return (
    <div className="broker-select">
      <label htmlFor={id}>
        When the broker refuses a publish, {label} <span className="muted">(restarts the run)</span>
      </label>
      <select
        id={id}
        value={spec?.publish_failure ?? 'fail'}
        onChange={(e) =>
          void pg.broker.setPublishFailure(
            serviceId,
            e.target.value as (typeof PUBLISH_FAILURES)[number][0],
          )
        }
      >
        {PUBLISH_FAILURES.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** "Add Fraud Service": on a log, first choose where its new consumer group starts. */
export function AddSubscriberButton({ serviceId, name }: { serviceId: string; name: string }) {
  const pg = usePlaygroundApi();
  const log = usePlayground((s) => s.scenario.broker.kind === 'log');
  const hasEvent = usePlayground((s) => s.runs.event !== undefined);
  const [from, setFrom] = useState<StartFrom>('earliest');
  const [problem, setProblem] = useState<string | null>(null);
  const group = useId();
  return (
    <div className="broker-add">
      {log && (
        <fieldset className="broker-radios">
          <legend>{name} starts reading at</legend>
          {(['earliest', 'latest'] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name={group}
                value={value}
                checked={from === value}
                onChange={() => setFrom(value)}
              />{' '}
              {value === 'earliest' ? 'earliest (the whole history)' : 'latest (only new records)'}
            </label>
          ))}
        </fieldset>
      )}
      <button
        type="button"
        className="button primary"
        disabled={!hasEvent}
        onClick={() => void pg.broker.addSubscriber(serviceId, from).then(setProblem)}
      >
        Add {name}
      </button>
      {!hasEvent && (
        <p className="broker-note">Switch to Event fan-out or Compare to add a subscriber.</p>
      )}
      {problem && (
        <p className="broker-problem" role="status">
          {problem}
        </p>
      )}
    </div>
  );
}

/**
 * "Deploy a Fraud Service": it appears beside the broker, greyed and not subscribed;
 * the run goes on exactly as before until it is added.
 */
export function DeploySubscriberButton({ name }: { name: string }) {
  const pg = usePlaygroundApi();
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div className="broker-add">
      <button
        type="button"
        className="button"
        onClick={() => void pg.broker.deploySubscriber().then(setProblem)}
      >
        Deploy {name} (not subscribed yet)
      </button>
      {problem && (
        <p className="broker-problem" role="status">
          {problem}
        </p>
      )}
    </div>
  );
}

type TargetKind = OffsetTarget['to'];

/**
 * Reset a consumer group's offsets (log): earliest, an offset, or a time. Enabled only
 * while the group is stopped (its service switched off); otherwise says why not.
 */
export function ReplayControl({ serviceId, name }: { serviceId: string; name: string }) {
  const pg = usePlaygroundApi();
  const problem = usePlayground((s) => replayProblem(eventSim(s), serviceId));
  const [to, setTo] = useState<TargetKind>('earliest');
  const [offset, setOffset] = useState('0');
  const [seconds, setSeconds] = useState('0');
  const [done, setDone] = useState<string | null>(null);
  const uid = useId();
  const hint = `${uid}-hint`;

  const replay = () => {
    const target: OffsetTarget =
      to === 'earliest'
        ? { to: 'earliest' }
        : to === 'offset'
          ? { to: 'offset', offset: Math.max(0, Math.floor(Number(offset) || 0)) }
          : { to: 'time', at: Math.max(0, Math.round((Number(seconds) || 0) * 1000)) };
    void pg.broker
      .replay(serviceId, target)
      .then((refused) =>
        setDone(
          refused ??
            `Offsets reset. Switch ${name} back on: it reads those records again${
              pg.getState().runs.event?.isIdempotent(serviceId)
                ? ' and skips what it already did'
                : ', doing their side effects again'
            }.`,
        ),
      );
  };

  return (
    <fieldset className="broker-replay">
      <legend>Replay {name}'s consumer group</legend>
      <div className="broker-radios">
        <label>
          <input
            type="radio"
            name={`${uid}-to`}
            checked={to === 'earliest'}
            onChange={() => setTo('earliest')}
          />{' '}
          earliest
        </label>
        <label>
          <input
            type="radio"
            name={`${uid}-to`}
            checked={to === 'offset'}
            onChange={() => setTo('offset')}
          />{' '}
          offset
        </label>
        <label>
          <input
            type="radio"
            name={`${uid}-to`}
            checked={to === 'time'}
            onChange={() => setTo('time')}
          />{' '}
          time
        </label>
      </div>
      {to === 'offset' && (
        <label className="broker-field">
          Offset (every partition){' '}
          <input
            type="number"
            min={0}
            step={1}
            value={offset}
            onChange={(e) => setOffset(e.target.value)}
          />
        </label>
      )}
      {to === 'time' && (
        <label className="broker-field">
          Records written since t ={' '}
          <input
            type="number"
            min={0}
            step={0.1}
            value={seconds}
            onChange={(e) => setSeconds(e.target.value)}
          />{' '}
          s
        </label>
      )}
      <button
        type="button"
        className="button"
        disabled={problem !== null}
        aria-describedby={problem ? hint : undefined}
        onClick={replay}
      >
        Reset offsets
      </button>
      {problem && (
        <p id={hint} className="broker-note">
          {problem.charAt(0).toUpperCase() + problem.slice(1)}.
        </p>
      )}
      {done && !problem && (
        <p className="broker-note" role="status">
          {done}
        </p>
      )}
    </fieldset>
  );
}

/** Move every dead letter back to its source queue (queue and SNS + SQS). */
export function RedriveButton() {
  const pg = usePlaygroundApi();
  const kind = usePlayground((s) => s.scenario.broker.kind);
  const count = usePlayground((s) => {
    const sim = eventSim(s);
    return sim ? deadLettersNow(sim) : 0;
  });
  const [moved, setMoved] = useState<number | null>(null);
  if (kind === 'log') {
    return (
      <p className="broker-note">
        A log keeps what failed on a dead-letter topic; to process records again, replay a stopped
        consumer group instead.
      </p>
    );
  }
  return (
    <div className="broker-redrive">
      <button
        type="button"
        className="button"
        disabled={count === 0}
        onClick={() => void pg.broker.redrive().then(setMoved)}
      >
        Redrive dead letters
      </button>{' '}
      <span className="muted">
        {count === 0
          ? 'the dead-letter queue is empty'
          : `${count.toLocaleString('en-US')} to move back to their queues`}
      </span>
      {moved !== null && moved > 0 && (
        <p className="broker-note" role="status">
          Moved {moved.toLocaleString('en-US')} back to their source queues: they are delivered
          again.
        </p>
      )}
    </div>
  );
}
