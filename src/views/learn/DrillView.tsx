/**
 * "Walk me through it": a timed prompt, the learner's notes, then the key points an
 * interviewer listens for, each with a button that sets the simulator up to show it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { Drill, Level, Stage } from '../../content/learnSchema';
import { useLearn, useLearnStore } from './LearnContext';
import { Readouts } from './Readouts';
import { usePlaygroundApi } from '../../store/context';

const STAGE_LABELS: Record<Stage, string> = {
  requirements: 'Requirements',
  events: 'Events',
  flow: 'Flow',
  failures: 'Failure modes',
  'trade-offs': 'Trade-offs',
};
const LEVEL_LABELS: Record<Level, string> = {
  junior: 'Junior',
  mid: 'Mid-level',
  senior: 'Senior',
  staff: 'Staff',
};

function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** A countdown in wall time (a person's time, not the simulator's). */
function useCountdown(totalMs: number) {
  const [left, setLeft] = useState(totalMs);
  const [running, setRunning] = useState(false);
  // What is left when the countdown starts or resumes, read by the interval below.
  const leftRef = useRef(totalMs);
  leftRef.current = left;
  useEffect(() => {
    if (!running) return;
    const endAt = Date.now() + leftRef.current;
    const timer = setInterval(() => {
      const remaining = Math.max(0, endAt - Date.now());
      setLeft(remaining);
      if (remaining === 0) setRunning(false);
    }, 250);
    return () => clearInterval(timer);
  }, [running]);
  return {
    left,
    running,
    start: () => left > 0 && setRunning(true),
    pause: () => setRunning(false),
    reset: () => {
      setRunning(false);
      setLeft(totalMs);
    },
  };
}

export function DrillView({ drill: d, point }: { drill: Drill; point: string | undefined }) {
  const learn = useLearnStore();
  const progress = useLearn((s) => s.drills[d.id]);
  const pg = usePlaygroundApi();
  const titleId = useId();
  const notesId = useId();
  const timer = useCountdown(d.minutes * 60_000);
  const revealed = progress?.revealed ?? false;
  const announce =
    timer.left === 0
      ? "Time's up."
      : timer.left <= 60_000 && timer.running
        ? 'One minute left.'
        : '';

  const show = (pointId: string) => {
    const p = d.points.find((x) => x.id === pointId);
    if (!p) return;
    void pg.learning.demo(p.demo);
    learn.getState().openActivity({ kind: 'drill', id: d.id, point: pointId });
  };

  return (
    <section className="learn-activity" aria-labelledby={titleId}>
      <header className="learn-head">
        <p className="learn-kicker">Walk me through it</p>
        <h2 id={titleId}>{d.prompt}</h2>
        <div className="learn-head-actions">
          <button type="button" className="button" onClick={() => pg.ui.openLearnHub('interview')}>
            All interview prep
          </button>
          <button type="button" className="button" onClick={() => learn.getState().setActive(null)}>
            Close
          </button>
        </div>
      </header>
      {d.context.map((p) => (
        <p key={p}>{p}</p>
      ))}
      <div className="learn-timer">
        <span role="timer" aria-label="Time left" className="num learn-timer-value">
          {clock(timer.left)}
        </span>
        {timer.running ? (
          <button type="button" className="button" onClick={timer.pause}>
            Pause timer
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            onClick={timer.start}
            disabled={timer.left === 0}
          >
            {timer.left === d.minutes * 60_000 ? 'Start timer' : 'Resume timer'}
          </button>
        )}
        <button type="button" className="button" onClick={timer.reset}>
          Reset timer
        </button>
        <span className="sr-only" aria-live="polite">
          {announce}
        </span>
      </div>
      <label htmlFor={notesId} className="learn-notes-label">
        Your notes (kept on this device)
      </label>
      <textarea
        id={notesId}
        className="learn-notes"
        rows={8}
        value={progress?.notes ?? ''}
        onChange={(e) => learn.getState().setDrillNotes(d.id, e.currentTarget.value)}
      />
      <div className="learn-nav">
        {!revealed ? (
          <button
            type="button"
            className="button primary"
            onClick={() => learn.getState().revealDrill(d.id)}
          >
            Reveal the key points
          </button>
        ) : (
          <button
            type="button"
            className="button"
            onClick={() => learn.getState().restartDrill(d.id)}
          >
            Start over
          </button>
        )}
      </div>
      {revealed && (
        <section aria-label="Key points an interviewer listens for">
          <h3>What an interviewer listens for</h3>
          <ol className="learn-points">
            {d.points.map((p) => (
              <li key={p.id} className={point === p.id ? 'is-shown' : undefined}>
                <h4>
                  {p.stage && <span className="learn-tag">{STAGE_LABELS[p.stage]}</span>} {p.title}
                </h4>
                <p>{p.detail}</p>
                <button
                  type="button"
                  className="button"
                  aria-label={`Show me on the simulator: ${p.title}`}
                  onClick={() => show(p.id)}
                >
                  Show me
                </button>
                {point === p.id && (
                  <div className="learn-look">
                    <p>
                      <span className="learn-task-label">On the simulator:</span> {p.demo.look}
                    </p>
                    <Readouts items={p.demo.show} />
                  </div>
                )}
              </li>
            ))}
          </ol>
          {d.followUps.length > 0 && (
            <>
              <h3>Follow-ups to expect</h3>
              <ul>
                {d.followUps.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </>
          )}
          {d.levels && (
            <>
              <h3>What each level is expected to cover</h3>
              <dl className="learn-levels">
                {(Object.keys(LEVEL_LABELS) as Level[])
                  .filter((l) => d.levels?.[l])
                  .map((l) => (
                    <div key={l}>
                      <dt>{LEVEL_LABELS[l]}</dt>
                      <dd>{d.levels?.[l]}</dd>
                    </div>
                  ))}
              </dl>
            </>
          )}
        </section>
      )}
    </section>
  );
}
