/** The answer framework every drill repeats, the follow-ups interviewers ask, and the levels. */
import { framework } from '../../content/interview/framework';

export function FrameworkBlock() {
  return (
    <section className="learn-framework" aria-labelledby="learn-framework-title">
      <h3 id="learn-framework-title">The answer framework</h3>
      <p className="learn-hint">
        Walk every design question in the same five stages, out loud, in this order. The drills mark
        which stage each key point belongs to.
      </p>
      <ol className="learn-framework-stages">
        {framework.stages.map((s) => (
          <li key={s.id}>
            <strong>{s.title}</strong>
            <ul>
              {s.ask.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      <details>
        <summary>Follow-up questions an interviewer asks</summary>
        <dl className="learn-followups">
          {framework.followUps.map((f) => (
            <div key={f.question}>
              <dt>{f.question}</dt>
              <dd>
                <span className="learn-hint">Probes: {f.probes}</span> {f.answer}
              </dd>
            </div>
          ))}
        </dl>
      </details>
      <details>
        <summary>What is expected at each level</summary>
        <dl className="learn-levels">
          {framework.levels.map((l) => (
            <div key={l.level}>
              <dt>{l.title}</dt>
              <dd>
                <ul>
                  {l.expect.map((e) => (
                    <li key={e}>{e}</li>
                  ))}
                </ul>
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}
