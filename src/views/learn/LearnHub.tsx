/**
 * The Learn dialog: walkthroughs with progress, challenges with results, interview prep
 * (question bank and "walk me through it"), and the decision checklist. Choosing
 * something closes the dialog and opens it in the side panel beside the simulator.
 */
import './learn.css';
import { useEffect, useId, useRef, useState } from 'react';
import type { Answer, Topic } from '../../content/learnSchema';
import { challenges } from '../../content/challenges';
import { drills, questions, TOPIC_LABELS } from '../../content/interview';
import { checklist, walkthroughs } from '../../content/lessons';
import { recommend } from '../../learn/checklist';
import type { HubSection } from '../../store/learn';
import { TabList, tabId } from '../layout/TabList';
import { ChecklistQuestions, RecommendationView } from './ChecklistBlock';
import { FrameworkBlock } from './FrameworkBlock';
import { GlossarySection } from './GlossarySection';
import { PathsSection } from './PathsSection';
import { QuizSection } from './QuizSection';
import { LargeTextSwitch } from './LargeTextSwitch';
import { useLearn, useLearnStore } from './LearnContext';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { stepComplete } from './WalkthroughView';

const SECTIONS: { key: HubSection; label: string }[] = [
  { key: 'walkthroughs', label: 'Walkthroughs' },
  { key: 'paths', label: 'Paths' },
  { key: 'challenges', label: 'Challenges' },
  { key: 'interview', label: 'Interview prep' },
  { key: 'quiz', label: 'Quiz' },
  { key: 'glossary', label: 'Glossary' },
  { key: 'checklist', label: 'Decision checklist' },
];
const PREFIX = 'learn-section';
const PANEL_ID = 'learn-section-panel';

export default function LearnHub() {
  const section = usePlayground((s) => s.ui.learnHub.section);
  const pg = usePlaygroundApi();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  // Shown as a modal while mounted; unmounting removes it (and its modality) with it.
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  return (
    <dialog
      ref={ref}
      className="dialog learn-hub"
      aria-labelledby={titleId}
      onClose={() => pg.ui.openLearnHub(null)}
    >
      <div className="dialog-body learn-hub-body">
        <header className="learn-hub-head">
          <h2 id={titleId}>Learn</h2>
          <LargeTextSwitch />
          <button type="button" className="button" onClick={() => pg.ui.openLearnHub(null)}>
            Close
          </button>
        </header>
        <TabList
          label="Learn sections"
          idPrefix={PREFIX}
          panelId={PANEL_ID}
          items={SECTIONS}
          selected={section}
          onSelect={(key) => pg.ui.openLearnHub(key)}
        />
        <div
          id={PANEL_ID}
          role="tabpanel"
          aria-labelledby={tabId(PREFIX, section)}
          className="learn-hub-section"
        >
          {section === 'walkthroughs' && <WalkthroughList />}
          {section === 'paths' && <PathsSection />}
          {section === 'challenges' && <ChallengeList />}
          {section === 'interview' && <InterviewPrep />}
          {section === 'quiz' && <QuizSection />}
          {section === 'glossary' && <GlossarySection />}
          {section === 'checklist' && <ChecklistTool />}
        </div>
      </div>
    </dialog>
  );
}

function WalkthroughList() {
  const learn = useLearnStore();
  const progress = useLearn((s) => s.walkthroughs);
  return (
    <ol className="learn-cards">
      {walkthroughs.map((w) => {
        const p = progress[w.id];
        const done = p ? w.steps.filter((s) => stepComplete(s, p)).length : 0;
        const status = p?.finished
          ? 'Finished'
          : p
            ? `Step ${Math.min(p.step, w.steps.length - 1) + 1} of ${w.steps.length}`
            : 'Not started';
        return (
          <li key={w.id} className="learn-card">
            <h3>
              {w.number}. {w.title}
            </h3>
            <p className="learn-hint">
              About {w.minutes} minutes · {w.steps.length} steps ·{' '}
              <span className={p?.finished ? 'learn-tag ok' : 'learn-tag'}>{status}</span>
            </p>
            <p>{w.summary}</p>
            {p && !p.finished && (
              <progress max={w.steps.length} value={done} aria-label={`${w.title}: steps done`} />
            )}
            <div className="learn-nav">
              <button
                type="button"
                className="button primary"
                aria-label={`${p ? (p.finished ? 'Review' : 'Continue') : 'Start'} walkthrough ${w.number}: ${w.title}`}
                onClick={() => learn.getState().startWalkthrough(w.id)}
              >
                {p ? (p.finished ? 'Review' : 'Continue') : 'Start'}
              </button>
              {p && (
                <button
                  type="button"
                  className="button"
                  aria-label={`Restart walkthrough ${w.number}: ${w.title}`}
                  onClick={() => {
                    learn.getState().restartWalkthrough(w.id);
                    learn.getState().startWalkthrough(w.id);
                  }}
                >
                  Restart
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function ChallengeList() {
  const learn = useLearnStore();
  const progress = useLearn((s) => s.challenges);
  return (
    <ol className="learn-cards">
      {challenges.map((c) => {
        const p = progress[c.id];
        return (
          <li key={c.id} className="learn-card">
            <h3>{c.title}</h3>
            <p className="learn-hint">
              <span className={`learn-level level-${c.level}`}>{c.level}</span> ·{' '}
              <span className={p?.passed ? 'learn-tag ok' : 'learn-tag'}>
                {p?.passed ? 'Passed' : p?.last ? 'Not passed yet' : 'Not tried'}
              </span>
            </p>
            <p>{c.story[0]}</p>
            <button
              type="button"
              className="button primary"
              aria-label={`Open challenge: ${c.title}`}
              onClick={() => learn.getState().openActivity({ kind: 'challenge', id: c.id })}
            >
              Open
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function InterviewPrep() {
  const learn = useLearnStore();
  const pg = usePlaygroundApi();
  const seen = useLearn((s) => s.questionsSeen);
  const [topic, setTopic] = useState<Topic | 'all'>('all');
  const filterId = useId();
  const shown = questions.filter((q) => topic === 'all' || q.topic === topic);
  const topics = Object.keys(TOPIC_LABELS) as Topic[];
  return (
    <div className="learn-interview">
      <FrameworkBlock />
      <section aria-labelledby="learn-drills-title">
        <h3 id="learn-drills-title">Walk me through it</h3>
        <p className="learn-hint">
          A timed prompt, your notes, then the points an interviewer listens for, each shown on the
          simulator.
        </p>
        <ul className="learn-cards compact">
          {drills.map((d) => (
            <li key={d.id} className="learn-card">
              <p>
                <strong>{d.prompt}</strong>{' '}
                <span className="learn-hint">({d.minutes} minutes)</span>
              </p>
              <button
                type="button"
                className="button primary"
                aria-label={`Start: ${d.prompt}`}
                onClick={() => learn.getState().openActivity({ kind: 'drill', id: d.id })}
              >
                Start
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="learn-bank-title">
        <h3 id="learn-bank-title">Question bank</h3>
        <label htmlFor={filterId}>Topic </label>
        <select
          id={filterId}
          value={topic}
          onChange={(e) => setTopic(e.currentTarget.value as Topic | 'all')}
        >
          <option value="all">All topics ({questions.length})</option>
          {topics.map((t) => (
            <option key={t} value={t}>
              {TOPIC_LABELS[t]}
            </option>
          ))}
        </select>
        <ul className="learn-questions">
          {shown.map((q) => (
            <li key={q.id}>
              <details
                onToggle={(e) => e.currentTarget.open && learn.getState().markQuestionSeen(q.id)}
              >
                <summary>
                  {q.question}
                  {seen.includes(q.id) && <span className="learn-tag">read</span>}
                </summary>
                {q.answer.map((p) => (
                  <p key={p}>{p}</p>
                ))}
                <button
                  type="button"
                  className="button"
                  aria-label={`Show me on the simulator: ${q.question}`}
                  onClick={() => {
                    void pg.learning.demo(q.demo);
                    learn.getState().markQuestionSeen(q.id);
                    learn.getState().openActivity({ kind: 'demo', id: q.id });
                  }}
                >
                  Show me
                </button>
              </details>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function ChecklistTool() {
  const learn = useLearnStore();
  const answers = useLearn((s) => s.checklist) as Record<string, Answer>;
  const result = recommend(checklist, answers);
  const answered = checklist.questions.length - result.missing.length;
  return (
    <div className="learn-checklist-tool">
      <p>
        Answer for a system you are designing. The recommendation updates as you go and says why;
        answer &ldquo;not sure&rdquo; to mark what you still need to find out.
      </p>
      <ChecklistQuestions
        checklist={checklist}
        answers={answers}
        name="tool"
        onAnswer={(q, a) => learn.getState().answerChecklist(q, a)}
      />
      <div role="status">
        {answered === 0 ? (
          <p className="learn-hint">No answers yet.</p>
        ) : (
          <>
            <p className="learn-hint num">
              {answered} of {checklist.questions.length} answered.
            </p>
            <RecommendationView checklist={checklist} result={result} />
          </>
        )}
      </div>
      <button type="button" className="button" onClick={() => learn.getState().clearChecklist()}>
        Clear answers
      </button>
    </div>
  );
}
