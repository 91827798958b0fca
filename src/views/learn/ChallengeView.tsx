/**
 * A challenge: the goal, the knobs the learner may turn, and a grade from the engine
 * with every measured number. "Watch it" loads the same settings into the simulator, so
 * what was graded can be seen.
 */
import { useId, useState } from 'react';
import type { Challenge, Knob } from '../../content/learnSchema';
import { challenges } from '../../content/challenges';
import { defaultSettings, knobValue, resolveChallenge, type Settings } from '../../learn/grade';
import { usePlaygroundApi } from '../../store/context';
import { formatTarget, formatValue } from './format';
import { useLearn, useLearnStore } from './LearnContext';

const LEVEL_LABEL = { easy: 'Easy', medium: 'Medium', hard: 'Hard' } as const;

export function ChallengeView({ challenge: c }: { challenge: Challenge }) {
  const learn = useLearnStore();
  const progress = useLearn((s) => s.challenges[c.id]);
  const pg = usePlaygroundApi();
  const [grading, setGrading] = useState(false);
  const titleId = useId();
  const settings: Settings = { ...defaultSettings(c), ...progress?.settings };
  const last = progress?.last ?? null;
  const stale =
    last !== null && JSON.stringify(last.settings) !== JSON.stringify(currentValues(c, settings));
  const index = challenges.findIndex((x) => x.id === c.id);
  const next = challenges[index + 1];

  const grade = async () => {
    setGrading(true);
    // The engine grades on runs of its own, in the worker: the page stays responsive.
    try {
      const values = currentValues(c, settings);
      const result = await pg.learning.grade(c, values);
      learn
        .getState()
        .recordGrade(c.id, { passed: result.passed, goals: result.goals, settings: values });
    } finally {
      setGrading(false);
    }
  };

  const watch = () => {
    const setup = resolveChallenge(c, currentValues(c, settings));
    void pg.loadRun({ scenario: setup.scenario, mode: setup.mode, playing: true, speed: 5 });
  };

  return (
    <section className="learn-activity" aria-labelledby={titleId}>
      <header className="learn-head">
        <p className="learn-kicker">
          Challenge {index + 1} of {challenges.length} · {LEVEL_LABEL[c.level]}
          {progress?.passed && <span className="learn-tag ok">passed</span>}
        </p>
        <h2 id={titleId}>{c.title}</h2>
        <div className="learn-head-actions">
          <button type="button" className="button" onClick={() => pg.ui.openLearnHub('challenges')}>
            All challenges
          </button>
          <button type="button" className="button" onClick={() => learn.getState().setActive(null)}>
            Close
          </button>
        </div>
      </header>
      {c.story.map((p) => (
        <p key={p}>{p}</p>
      ))}
      <h3>Goals, measured after {c.untilMs / 1000} s of simulated time</h3>
      <ul className="learn-goals">
        {c.goals.map((g) => (
          <li key={g.label}>
            {g.label}: {formatTarget(g.atLeast, g.atMost, g.unit)}
          </li>
        ))}
      </ul>
      <form
        className="learn-knobs"
        aria-label="Your settings"
        onSubmit={(e) => {
          e.preventDefault();
          grade();
        }}
      >
        {c.knobs.map((k) => (
          <KnobField key={k.id} challenge={c.id} knob={k} value={knobValue(k, settings[k.id])} />
        ))}
        <div className="learn-nav">
          <button type="submit" className="button primary" disabled={grading}>
            {grading ? 'Grading…' : 'Run and grade'}
          </button>
          <button type="button" className="button" onClick={watch}>
            Watch it on the simulator
          </button>
          <button
            type="button"
            className="button"
            onClick={() => learn.getState().resetChallenge(c.id)}
          >
            Reset settings
          </button>
        </div>
      </form>
      <details className="learn-hints">
        <summary>Hints</summary>
        <ul>
          {c.hints.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      </details>
      <div role="status" className="learn-grade-status">
        {last && (
          <div className={`learn-grade ${last.passed ? 'is-pass' : 'is-fail'}`}>
            <p className="learn-verdict">
              <span aria-hidden="true">{last.passed ? '✓' : '✗'}</span>{' '}
              {last.passed ? 'Passed' : 'Not passed yet'}
              {stale && ' (for the settings you had then)'}
            </p>
            <table className="learn-grade-table">
              <caption className="sr-only">Measured by the engine</caption>
              <thead>
                <tr>
                  <th scope="col">Goal</th>
                  <th scope="col">Measured</th>
                  <th scope="col">Needed</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {last.goals.map((g) => (
                  <tr key={g.label} className={g.passed ? 'ok' : 'fail'}>
                    <th scope="row">{g.label}</th>
                    <td className="num">
                      {g.value === null ? 'not reached' : formatValue(g.value, g.unit)}
                    </td>
                    <td>{formatTarget(g.atLeast, g.atMost, g.unit)}</td>
                    <td>{g.passed ? 'met' : 'missed'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {last.passed && <p className="learn-explain">{c.debrief}</p>}
            {last.passed && next && (
              <button
                type="button"
                className="button primary"
                onClick={() => learn.getState().openActivity({ kind: 'challenge', id: next.id })}
              >
                Next challenge: {next.title}
              </button>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

function currentValues(c: Challenge, settings: Settings): Settings {
  return Object.fromEntries(c.knobs.map((k) => [k.id, knobValue(k, settings[k.id])]));
}

function KnobField({
  challenge,
  knob,
  value,
}: {
  challenge: string;
  knob: Knob;
  value: string | number | boolean;
}) {
  const setKnob = useLearn((s) => s.setKnob);
  const id = useId();
  const helpId = useId();
  const help = knob.help ? (
    <span id={helpId} className="learn-hint">
      {knob.help}
    </span>
  ) : null;
  const describedBy = knob.help ? helpId : undefined;
  if (knob.kind === 'toggle') {
    return (
      <div className="learn-knob learn-knob-toggle">
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          aria-describedby={describedBy}
          onChange={(e) => setKnob(challenge, knob.id, e.currentTarget.checked)}
        />
        <label htmlFor={id}>{knob.label}</label>
        {help}
      </div>
    );
  }
  if (knob.kind === 'number') {
    return (
      <div className="learn-knob">
        <label htmlFor={id}>
          {knob.label}
          {knob.unit ? ` (${knob.unit})` : ''}
        </label>
        <input
          id={id}
          type="number"
          className="num"
          min={knob.min}
          max={knob.max}
          step={knob.step}
          value={String(value)}
          aria-describedby={describedBy}
          onChange={(e) => {
            const n = e.currentTarget.valueAsNumber;
            if (Number.isFinite(n)) setKnob(challenge, knob.id, n);
          }}
        />
        {help}
      </div>
    );
  }
  return (
    <div className="learn-knob">
      <label htmlFor={id}>{knob.label}</label>
      <select
        id={id}
        value={String(value)}
        aria-describedby={describedBy}
        onChange={(e) => {
          const picked = knob.options.find((o) => String(o.value) === e.currentTarget.value);
          if (picked) setKnob(challenge, knob.id, picked.value);
        }}
      >
        {knob.options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
      {help}
    </div>
  );
}
