/** An interview answer shown on the simulator: what to look at, and the live numbers. */
import { useId } from 'react';
import type { Question } from '../../content/learnSchema';
import { TOPIC_LABELS } from '../../content/interview';
import { useLearnStore } from './LearnContext';
import { Readouts } from './Readouts';
import { usePlaygroundApi } from '../../store/context';

export function DemoView({ question: q }: { question: Question }) {
  const learn = useLearnStore();
  const pg = usePlaygroundApi();
  const titleId = useId();
  return (
    <section className="learn-activity" aria-labelledby={titleId}>
      <header className="learn-head">
        <p className="learn-kicker">Interview question · {TOPIC_LABELS[q.topic]}</p>
        <h2 id={titleId}>{q.question}</h2>
        <div className="learn-head-actions">
          <button type="button" className="button" onClick={() => pg.ui.openLearnHub('interview')}>
            Back to the questions
          </button>
          <button type="button" className="button" onClick={() => learn.getState().setActive(null)}>
            Close
          </button>
        </div>
      </header>
      <p className="learn-look">
        <span className="learn-task-label">On the simulator:</span> {q.demo.look}
      </p>
      <Readouts items={q.demo.show} />
      <button type="button" className="button" onClick={() => void pg.learning.demo(q.demo)}>
        Set it up again
      </button>
      <details className="learn-answer">
        <summary>Model answer</summary>
        {q.answer.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </details>
    </section>
  );
}
