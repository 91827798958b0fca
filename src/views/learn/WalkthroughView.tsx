/**
 * One walkthrough in the side panel: narration, the task and whether the engine shows it
 * done, live numbers, and Back / Next. Entering a step sets the simulator up for it
 * (its scenario and actions); after a reload the learner is asked before the simulator
 * is replaced, then the world is rebuilt as it would be at that step.
 */
import { useEffect, useId, useMemo, useRef } from 'react';
import type { Step, Walkthrough } from '../../content/learnSchema';
import { checklist, walkthroughs } from '../../content/lessons';
import type { WalkthroughProgress } from '../../store/learn';
import { ChecklistStepBlock } from './ChecklistBlock';
import { GlossaryText } from './GlossaryText';
import { useLearn, useLearnStore } from './LearnContext';
import { PredictBlock } from './PredictBlock';
import { Readouts } from './Readouts';
import { SortBlock, sortSolved } from './SortBlock';
import { TrailBlock } from './TrailBlock';
import { usePlaygroundApi } from '../../store/context';
import { useWatch } from './useLearnWorld';

const EMPTY: WalkthroughProgress = {
  step: 0,
  done: [],
  predictions: {},
  sorts: {},
  checklists: {},
  finished: false,
};

/** Is the step complete, so Next may be pressed? */
export function stepComplete(step: Step, p: WalkthroughProgress): boolean {
  if (step.waitFor) return p.done.includes(step.id);
  if (step.predict) return p.predictions[step.id]?.revealed ?? false;
  if (step.sort) {
    const s = p.sorts[step.id];
    return (s?.checked ?? false) && sortSolved(step.sort, s?.placed ?? {});
  }
  if (step.checklist) return p.checklists[step.id]?.submitted ?? false;
  return true;
}

export function WalkthroughView({ walkthrough: w }: { walkthrough: Walkthrough }) {
  const learn = useLearnStore();
  const progress = useLearn((s) => s.walkthroughs[w.id]) ?? EMPTY;
  const preparedFor = useLearn((s) => s.preparedFor);
  const settingUp = useLearn((s) => s.settingUp);
  const resumePending = useLearn((s) => s.resumePending);
  const pg = usePlaygroundApi();
  const index = Math.min(progress.step, w.steps.length - 1);
  const step = w.steps[index] as Step;
  const key = `${w.id}:${index}`;
  const ready = preparedFor === key && settingUp !== key;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const statusId = useId();

  // Set the simulator up for this step. The store is read again inside, so a second run
  // of the effect for the same render never applies a step twice.
  useEffect(() => {
    if (resumePending || preparedFor === key) return;
    const s = learn.getState();
    if (s.resumePending || s.preparedFor === key) return;
    const answered =
      s.preparedFor === `${w.id}:${index - 1}` || step.load || index === 0
        ? pg.learning.enterStep(step)
        : pg.learning.fastForward(w.steps, index);
    s.setPreparedFor(key, answered);
  }, [learn, pg, key, w, index, step, preparedFor, resumePending]);

  // The engine decides when a task is done; once done it stays done.
  const checks = useMemo(() => (ready && step.waitFor ? [step.waitFor] : []), [ready, step]);
  const met = useWatch(checks)?.checks[0] ?? false;
  useEffect(() => {
    if (met) learn.getState().markStepDone(w.id, step.id);
  }, [met, learn, w.id, step.id]);

  // Each new step is announced by moving focus to its title (not when the view opens).
  const shownIndex = useRef(index);
  useEffect(() => {
    if (shownIndex.current === index) return;
    shownIndex.current = index;
    headingRef.current?.focus();
  });

  const complete = stepComplete(step, progress);
  const last = index === w.steps.length - 1;
  const next = walkthroughs.find((x) => x.number === w.number + 1);

  if (progress.finished && last && complete) {
    return (
      <section className="learn-activity" aria-labelledby={titleId}>
        <Header w={w} index={index} titleId={titleId} />
        <div className="learn-finished" role="status">
          <h3 ref={headingRef} tabIndex={-1}>
            Walkthrough {w.number} complete
          </h3>
          <p>{w.summary}</p>
        </div>
        <div className="learn-nav">
          <button
            type="button"
            className="button"
            onClick={() => learn.getState().restartWalkthrough(w.id)}
          >
            Start again
          </button>
          {next ? (
            <button
              type="button"
              className="button primary"
              onClick={() => learn.getState().startWalkthrough(next.id)}
            >
              Next: {next.title}
            </button>
          ) : (
            <button
              type="button"
              className="button primary"
              onClick={() => pg.ui.openLearnHub('challenges')}
            >
              Try the challenges
            </button>
          )}
        </div>
      </section>
    );
  }

  return (
    <section className="learn-activity" aria-labelledby={titleId} aria-busy={!ready}>
      <Header w={w} index={index} titleId={titleId} />
      {resumePending && (
        <div className="learn-resume">
          <p>
            You were on step {index + 1}. Continuing sets the simulator up as it would be at this
            step.
          </p>
          <button
            type="button"
            className="button primary"
            onClick={() => learn.getState().resume()}
          >
            Continue here
          </button>
        </div>
      )}
      <article className="learn-step" data-step={step.id}>
        <h3 ref={headingRef} tabIndex={-1} className="learn-step-title">
          {step.title}
        </h3>
        {step.say.map((p, k) => (
          <GlossaryText key={p} text={p} walkthrough={w.id} step={step.id} paragraph={k} />
        ))}
        {step.task && (
          <div className={`learn-task${progress.done.includes(step.id) ? ' is-done' : ''}`}>
            <p>
              <span className="learn-task-label">Your turn:</span> {step.task}
            </p>
            <p className="learn-task-status" aria-live="polite" id={statusId}>
              {progress.done.includes(step.id) ? (
                <>
                  <span aria-hidden="true">✓</span> Done: the simulator shows it.
                </>
              ) : ready ? (
                'Waiting for the simulator to show it…'
              ) : (
                'Setting up…'
              )}
            </p>
            {step.solution.length > 0 && !progress.done.includes(step.id) && (
              <button
                type="button"
                className="button"
                disabled={!ready}
                onClick={() => void pg.learning.applySolution(step)}
              >
                Do it for me
              </button>
            )}
          </div>
        )}
        {ready && step.show.length > 0 && <Readouts items={step.show} />}
        {step.predict && (
          <PredictBlock walkthrough={w.id} stepId={step.id} predict={step.predict} ready={ready} />
        )}
        {step.sort && <SortBlock walkthrough={w.id} stepId={step.id} sort={step.sort} />}
        {step.checklist && (
          <ChecklistStepBlock
            checklist={checklist}
            step={step.checklist}
            name={`${w.id}-${step.id}`}
            answers={progress.checklists[step.id]?.answers ?? {}}
            submitted={progress.checklists[step.id]?.submitted ?? false}
            onAnswer={(q, a) => learn.getState().answerChecklistStep(w.id, step.id, q, a)}
            onSubmit={() => learn.getState().submitChecklistStep(w.id, step.id)}
          />
        )}
        {ready && step.trail && <TrailBlock order={step.trail.order} side={step.trail.side} />}
      </article>
      <div className="learn-nav">
        <button
          type="button"
          className="button"
          disabled={index === 0}
          onClick={() => learn.getState().goToStep(w.id, index - 1)}
        >
          Back
        </button>
        <button
          type="button"
          className="button"
          disabled={!ready}
          title="Put the simulator back the way this step starts"
          onClick={() => learn.getState().setPreparedFor(null)}
        >
          Set up this step again
        </button>
        {last ? (
          <button
            type="button"
            className="button primary"
            disabled={!complete}
            aria-describedby={complete ? undefined : statusId}
            onClick={() => learn.getState().finishWalkthrough(w.id)}
          >
            Finish
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            disabled={!complete}
            onClick={() => learn.getState().goToStep(w.id, index + 1)}
          >
            Next
          </button>
        )}
      </div>
    </section>
  );
}

function Header({ w, index, titleId }: { w: Walkthrough; index: number; titleId: string }) {
  const learn = useLearnStore();
  const pg = usePlaygroundApi();
  return (
    <header className="learn-head">
      <p className="learn-kicker">
        Walkthrough {w.number} of {walkthroughs.length}
      </p>
      <h2 id={titleId}>{w.title}</h2>
      <div className="learn-progress">
        <progress
          max={w.steps.length}
          value={index + 1}
          aria-label="Progress through this walkthrough"
        />
        <span className="num">
          Step {index + 1} of {w.steps.length}
        </span>
      </div>
      <div className="learn-head-actions">
        <button
          type="button"
          className="button"
          onClick={() => learn.getState().restartWalkthrough(w.id)}
        >
          Restart
        </button>
        <button type="button" className="button" onClick={() => pg.ui.openLearnHub('walkthroughs')}>
          All lessons
        </button>
        <button type="button" className="button" onClick={() => learn.getState().setActive(null)}>
          Close
        </button>
      </div>
    </header>
  );
}
