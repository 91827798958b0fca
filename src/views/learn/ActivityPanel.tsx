/**
 * The Walkthrough tab of the side panel: whatever the learner has open (a walkthrough,
 * a challenge, a drill, an interview answer on the simulator), or a way in.
 */
import './learn.css';
import { findChallenge } from '../../content/challenges';
import { findDrill, findQuestion } from '../../content/interview';
import { findWalkthrough, walkthroughs } from '../../content/lessons';
import { ChallengeView } from './ChallengeView';
import { DemoView } from './DemoView';
import { DrillView } from './DrillView';
import { LargeTextSwitch } from './LargeTextSwitch';
import { usePlaygroundApi } from '../../store/context';
import { useLearn, useLearnStore } from './LearnContext';
import { WalkthroughView } from './WalkthroughView';

export default function ActivityPanel() {
  const active = useLearn((s) => s.active);
  const learn = useLearnStore();
  const pg = usePlaygroundApi();
  const content = (() => {
    if (active?.kind === 'walkthrough') {
      const w = findWalkthrough(active.id);
      if (w) return <WalkthroughView key={w.id} walkthrough={w} />;
    } else if (active?.kind === 'challenge') {
      const c = findChallenge(active.id);
      if (c) return <ChallengeView key={c.id} challenge={c} />;
    } else if (active?.kind === 'drill') {
      const d = findDrill(active.id);
      if (d) return <DrillView key={d.id} drill={d} point={active.point} />;
    } else if (active?.kind === 'demo') {
      const q = findQuestion(active.id);
      if (q) return <DemoView key={q.id} question={q} />;
    }
    return null;
  })();

  return (
    <div className="learn-panel">
      <div className="learn-panel-bar">
        <LargeTextSwitch />
      </div>
      {content ?? (
        <section className="learn-activity" aria-labelledby="learn-intro-title">
          <h2 id="learn-intro-title">Learn event-driven architecture</h2>
          {active && (
            <p className="learn-hint">
              What was open here is no longer part of the course; pick something else.
            </p>
          )}
          <p>
            {walkthroughs.length} short walkthroughs take you from request chains to when events are
            the wrong choice, and on to poison records, partitions, full queues and ordering, each
            proved on the simulator. Then test yourself with challenges graded by the engine, or
            rehearse an interview.
          </p>
          <div className="learn-nav">
            <button
              type="button"
              className="button primary"
              onClick={() => learn.getState().startWalkthrough(walkthroughs[0]?.id ?? '')}
            >
              Start walkthrough 1
            </button>
            <button type="button" className="button" onClick={() => pg.ui.openLearnHub()}>
              Open Learn
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
