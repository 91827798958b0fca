import { useId } from 'react';
import { usePlayground } from '../../store/context';
import { MAX_RATE, SPIKE_FACTOR, SPIKE_MIN_RATE, SPIKE_MS } from '../../store/playground';

export function WorkloadBar() {
  const rate = usePlayground((s) => s.rate);
  const setRate = usePlayground((s) => s.setRate);
  const spike = usePlayground((s) => s.spike);
  const sendOrder = usePlayground((s) => s.sendOrder);
  const rateId = useId();
  const spikeHelp = useId();
  const spikeRate = Math.max(SPIKE_MIN_RATE, SPIKE_FACTOR * rate);

  return (
    <fieldset className="bar workload">
      <legend className="sr-only">Workload</legend>
      <div className="slider">
        <label className="slider-label" htmlFor={rateId}>
          Orders per second
        </label>
        <input
          id={rateId}
          type="range"
          min={0}
          max={MAX_RATE}
          step={1}
          value={Math.round(rate)}
          aria-valuetext={`${Math.round(rate)} orders per second`}
          onChange={(e) => setRate(Number(e.currentTarget.value))}
        />
        <output className="slider-value num" htmlFor={rateId}>
          {Math.round(rate)}/s
        </output>
      </div>
      <button type="button" className="button" onClick={spike} aria-describedby={spikeHelp}>
        Spike
      </button>
      <span id={spikeHelp} className="hint">
        {spikeRate}/s for {SPIKE_MS / 1000} s
      </span>
      <button type="button" className="button" onClick={sendOrder}>
        Send one order
      </button>
    </fieldset>
  );
}
