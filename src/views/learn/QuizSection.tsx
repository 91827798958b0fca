/**
 * The quiz: a round of questions from the bank, chosen by spaced repetition (what is due
 * first, then a few new ones). Think of an answer, reveal the model answer, then say how
 * well you knew it; the schedule (src/learn/quiz.ts) decides when it comes back. Progress
 * is kept on this device with the rest of the learning progress.
 */
import { useId, useMemo, useState } from 'react';
import { questions, TOPIC_LABELS } from '../../content/interview';
import { GRADES, pickRound, quizStats, schedule } from '../../learn/quiz';
import { usePlaygroundApi } from '../../store/context';
import { useLearn, useLearnStore } from './LearnContext';

const ALL_IDS = questions.map((q) => q.id);

function when(ms: number, now: number): string {
  const d = ms - now;
  if (d < 60 * 60_000) return `in ${Math.max(1, Math.round(d / 60_000))} minutes`;
  if (d < 48 * 60 * 60_000) return `in ${Math.round(d / (60 * 60_000))} hours`;
  return `in ${Math.round(d / (24 * 60 * 60_000))} days`;
}

export function QuizSection({ clock = Date.now }: { clock?: () => number }) {
  const learn = useLearnStore();
  const pg = usePlaygroundApi();
  const cards = useLearn((s) => s.quiz);
  // The round is fixed when it starts: grading a card must not reshuffle the questions.
  const [round, setRound] = useState<string[] | null>(null);
  const [index, setIndex] = useState(0);
  const [shown, setShown] = useState(false);
  const [graded, setGraded] = useState(0);
  const titleId = useId();
  const now = clock();
  const stats = useMemo(() => quizStats(ALL_IDS, cards, now), [cards, now]);

  const start = () => {
    setRound(pickRound(ALL_IDS, learn.getState().quiz, clock()));
    setIndex(0);
    setShown(false);
    setGraded(0);
  };

  const current = round ? questions.find((q) => q.id === round[index]) : undefined;

  return (
    <section className="learn-quiz" aria-labelledby={titleId}>
      <h3 id={titleId}>Quiz</h3>
      <p className="learn-hint">
        Answer each question aloud or on paper first, then reveal the model answer and grade
        yourself honestly: questions you miss come back in ten minutes, the ones you know come back
        after days, then weeks.
      </p>
      <p className="learn-hint num" data-testid="quiz-stats">
        {stats.due} due · {stats.learning} learning · {stats.known} known · {stats.unseen} not seen
        yet
        {stats.due === 0 && stats.nextDue !== null && ` · next review ${when(stats.nextDue, now)}`}
      </p>
      {round === null || !current ? (
        <div className="learn-nav">
          {round && round.length > 0 && (
            <p role="status">
              Round done: {graded} question{graded === 1 ? '' : 's'} graded.
            </p>
          )}
          <button type="button" className="button primary" onClick={start}>
            {round ? 'Start another round' : 'Start a quiz round'}
          </button>
          {Object.keys(cards).length > 0 && (
            <button type="button" className="button" onClick={() => learn.getState().clearQuiz()}>
              Forget my quiz progress
            </button>
          )}
        </div>
      ) : (
        <article
          className="learn-quiz-card"
          aria-label={`Question ${index + 1} of ${round.length}`}
        >
          <p className="learn-kicker">
            Question {index + 1} of {round.length} · {TOPIC_LABELS[current.topic]}
          </p>
          <h4 className="learn-question">{current.question}</h4>
          {!shown ? (
            <button type="button" className="button primary" onClick={() => setShown(true)}>
              Show the answer
            </button>
          ) : (
            <>
              <div className="learn-reveal">
                {current.answer.map((p) => (
                  <p key={p}>{p}</p>
                ))}
                {current.followUps.length > 0 && (
                  <>
                    <p className="learn-task-label">An interviewer would ask next:</p>
                    <ul>
                      {current.followUps.map((f) => (
                        <li key={f}>{f}</li>
                      ))}
                    </ul>
                  </>
                )}
                <button
                  type="button"
                  className="button"
                  aria-label={`Show me on the simulator: ${current.question}`}
                  onClick={() => {
                    void pg.learning.demo(current.demo);
                    learn.getState().markQuestionSeen(current.id);
                    learn.getState().openActivity({ kind: 'demo', id: current.id });
                  }}
                >
                  Show me
                </button>
              </div>
              <fieldset className="learn-quiz-grades">
                <legend>How well did you know it?</legend>
                {GRADES.map((g) => (
                  <button
                    key={g.grade}
                    type="button"
                    className="button"
                    title={g.hint}
                    aria-label={`${g.label}: ${g.hint}`}
                    onClick={() => {
                      learn
                        .getState()
                        .setQuizCard(current.id, schedule(cards[current.id], g.grade, clock()));
                      learn.getState().markQuestionSeen(current.id);
                      setGraded((n) => n + 1);
                      setShown(false);
                      setIndex((i) => i + 1);
                    }}
                  >
                    {g.label}
                  </button>
                ))}
              </fieldset>
            </>
          )}
        </article>
      )}
      {round && round.length === 0 && (
        <p role="status">Nothing is due and every question has been seen: come back later.</p>
      )}
    </section>
  );
}
