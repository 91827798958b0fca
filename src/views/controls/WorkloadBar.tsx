import { useEffect, useId, useRef, useState } from 'react';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { MAX_RATE, SPIKE_FACTOR, SPIKE_MIN_RATE, SPIKE_MS } from '../../store/playground';

/**
 * How long the rate slider waits after its last move before the change becomes one
 * action: dragging across 200 steps is one "You set the rate to N orders/s", not 200
 * actions filling the run's log.
 */
export const RATE_SETTLE_MS = 300;

export function WorkloadBar() {
  const rate = usePlayground((s) => s.rate);
  const pg = usePlaygroundApi();
  const rateId = useId();
  const spikeHelp = useId();
  // While the learner drags, the slider shows their value; it becomes an action once it settles.
  const [draft, setDraft] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const shown = draft ?? Math.round(rate);
  const spikeRate = Math.max(SPIKE_MIN_RATE, SPIKE_FACTOR * rate);

  const commit = (value: number | null) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (value === null) return;
    setDraft(null);
    if (value !== Math.round(pg.getState().rate))
      void pg.apply({ kind: 'rate', rate: value }).then((p) => p && pg.ui.setError(p));
  };
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const act = (problem: Promise<string | null>) => {
    void problem.then((p) => p && pg.ui.setError(p));
  };

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
          value={shown}
          aria-valuetext={`${shown} orders per second`}
          onChange={(e) => {
            const value = Number(e.currentTarget.value);
            setDraft(value);
            if (timer.current) clearTimeout(timer.current);
            timer.current = setTimeout(() => commit(value), RATE_SETTLE_MS);
          }}
          onPointerUp={() => commit(draft)}
          onBlur={() => commit(draft)}
        />
        <output className="slider-value num" htmlFor={rateId}>
          {shown}/s
        </output>
      </div>
      <button
        type="button"
        className="button"
        onClick={() => act(pg.apply({ kind: 'spike', rate: spikeRate, durationMs: SPIKE_MS }))}
        aria-describedby={spikeHelp}
      >
        Spike
      </button>
      <span id={spikeHelp} className="hint">
        {spikeRate}/s for {SPIKE_MS / 1000} s
      </span>
      <button type="button" className="button" onClick={() => act(pg.apply({ kind: 'order' }))}>
        Send one order
      </button>
    </fieldset>
  );
}
