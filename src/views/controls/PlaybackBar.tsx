import { useId } from 'react';
import { formatSpeed, SPEED_STOPS } from '../../run/speeds';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { PlayPauseButton } from './PlayPauseButton';
import { StepBackButton } from '../timeline/StepBackButton';
import { SimClock } from './SimClock';

/** The slider stop closest to `speed` on a log scale (a URL may ask for 3x, between stops). */
export function nearestSpeedStop(speed: number): number {
  let best = 0;
  for (let i = 1; i < SPEED_STOPS.length; i++) {
    const d = Math.abs(Math.log(SPEED_STOPS[i] as number) - Math.log(speed));
    if (d < Math.abs(Math.log(SPEED_STOPS[best] as number) - Math.log(speed))) best = i;
  }
  return best;
}

export function PlaybackBar() {
  const ended = usePlayground((s) => s.ended);
  const speed = usePlayground((s) => s.speed);
  const slowedTo = usePlayground((s) => s.slowedTo);
  const pg = usePlaygroundApi();
  const speedId = useId();

  return (
    <fieldset className="bar playback">
      <legend className="sr-only">Playback</legend>
      <PlayPauseButton />
      <StepBackButton />
      <button
        type="button"
        className="button"
        onClick={() => void pg.playback.step()}
        aria-keyshortcuts="."
      >
        <span aria-hidden="true" className="icon">
          ▶|
        </span>
        Step
      </button>
      <button
        type="button"
        className="button"
        onClick={() => void pg.playback.reset()}
        aria-keyshortcuts="r"
      >
        <span aria-hidden="true" className="icon">
          ↺
        </span>
        Reset
      </button>
      <div className="slider">
        <label className="slider-label" htmlFor={speedId}>
          Speed
        </label>
        <input
          id={speedId}
          type="range"
          min={0}
          max={SPEED_STOPS.length - 1}
          step={1}
          value={nearestSpeedStop(speed)}
          aria-valuetext={formatSpeed(speed)}
          onChange={(e) => pg.playback.setSpeed(SPEED_STOPS[Number(e.currentTarget.value)] ?? 1)}
        />
        <output className="slider-value num" htmlFor={speedId}>
          {formatSpeed(speed)}
        </output>
      </div>
      <SimClock />
      {slowedTo !== null && (
        <span className="status-note" role="status">
          Running at {formatSpeed(slowedTo)}, not {formatSpeed(speed)}: the simulation cannot keep
          up at this speed.
        </span>
      )}
      {ended && (
        <span className="status-note">
          Scenario finished: nothing left to happen. Play starts it again.
        </span>
      )}
    </fieldset>
  );
}
