/**
 * The decision checklist: answer the key questions for a system, get a recommendation
 * with its reasons. Used by walkthrough 9 (with our own reading of the system shown
 * afterwards) and as a standalone tool in the Learn dialog.
 */
import { useId } from 'react';
import type { Answer, Checklist, ChecklistStep } from '../../content/learnSchema';
import { type Recommendation, recommend } from '../../learn/checklist';

const ANSWERS: { value: Answer; label: string }[] = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: 'unsure', label: 'Not sure' },
];

interface QuestionsProps {
  checklist: Checklist;
  answers: Readonly<Record<string, Answer>>;
  onAnswer(question: string, answer: Answer): void;
  name: string;
}

export function ChecklistQuestions({ checklist, answers, onAnswer, name }: QuestionsProps) {
  return (
    <ol className="learn-checklist">
      {checklist.questions.map((q) => (
        <li key={q.id}>
          <fieldset>
            <legend>{q.question}</legend>
            <p className="learn-hint">{q.detail}</p>
            <div className="learn-answers">
              {ANSWERS.map((a) => (
                <label key={a.value}>
                  <input
                    type="radio"
                    name={`${name}-${q.id}`}
                    value={a.value}
                    checked={answers[q.id] === a.value}
                    onChange={() => onAnswer(q.id, a.value)}
                  />
                  {a.label}
                </label>
              ))}
            </div>
          </fieldset>
        </li>
      ))}
    </ol>
  );
}

export function RecommendationView({
  checklist,
  result,
}: {
  checklist: Checklist;
  result: Recommendation;
}) {
  const verdict = checklist.verdicts[result.verdict];
  const question = (id: string) => checklist.questions.find((q) => q.id === id)?.question ?? id;
  return (
    <div className={`learn-recommendation verdict-${result.verdict}`}>
      <h4>{verdict.title}</h4>
      <p>{verdict.summary}</p>
      {result.reasons.length > 0 && (
        <>
          <h5>Because</h5>
          <ul>
            {result.reasons.map((r) => (
              <li key={r.question}>
                <span
                  className={`learn-lean ${r.score > 0 ? 'towards-events' : r.score < 0 ? 'towards-direct' : ''}`}
                >
                  {r.score > 0 ? 'For events' : r.score < 0 ? 'Against events' : 'Neutral'}
                </span>{' '}
                {r.text}
              </li>
            ))}
          </ul>
        </>
      )}
      {result.blockers.length > 0 && (
        <p className="learn-hint">
          Keeps a path synchronous: {result.blockers.map(question).join('; ')}
        </p>
      )}
      {result.open.length > 0 && (
        <p className="learn-hint">
          Find out before deciding: {result.open.map(question).join('; ')}
        </p>
      )}
    </div>
  );
}

interface StepProps {
  checklist: Checklist;
  step: ChecklistStep;
  answers: Readonly<Record<string, Answer>>;
  submitted: boolean;
  onAnswer(question: string, answer: Answer): void;
  onSubmit(): void;
  name: string;
}

/** Walkthrough 9's version: a described system, the learner's answers, then ours. */
export function ChecklistStepBlock({
  checklist,
  step,
  answers,
  submitted,
  onAnswer,
  onSubmit,
  name,
}: StepProps) {
  const headingId = useId();
  const missing = checklist.questions.some((q) => !answers[q.id]);
  const mine = recommend(checklist, answers);
  const ours = recommend(checklist, step.answers);
  const differing = checklist.questions.filter(
    (q) => answers[q.id] && answers[q.id] !== step.answers[q.id],
  );
  return (
    <section className="learn-checklist-step" aria-labelledby={headingId}>
      <h4 id={headingId} className="learn-question">
        The system
      </h4>
      <p className="learn-system">{step.system}</p>
      <ChecklistQuestions checklist={checklist} answers={answers} onAnswer={onAnswer} name={name} />
      <button type="button" className="button primary" disabled={missing} onClick={onSubmit}>
        Recommend
      </button>
      {submitted && (
        <div role="status">
          <RecommendationView checklist={checklist} result={mine} />
          <div className="learn-ours">
            <h5>Our reading</h5>
            {mine.verdict === ours.verdict ? (
              <p>
                We reach the same recommendation:{' '}
                {checklist.verdicts[ours.verdict].title.toLowerCase()}.
              </p>
            ) : (
              <p>We would recommend: {checklist.verdicts[ours.verdict].title.toLowerCase()}.</p>
            )}
            {differing.length > 0 && (
              <ul>
                {differing.map((q) => (
                  <li key={q.id}>
                    {q.question} We would answer{' '}
                    {step.answers[q.id] === 'unsure' ? 'not sure' : step.answers[q.id]}.
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
