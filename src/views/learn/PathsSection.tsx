/**
 * Learning paths: a 45-minute class (what to project and what to ask, with timings), a
 * beginner's route, and an interview in an hour. Each part opens the walkthrough,
 * challenge, drill or Learn section it names; progress comes from what the learner did.
 */
import type { LearningPath, PathItem } from '../../content/learnPathsSchema';
import { paths } from '../../content/paths';
import type { HubSection } from '../../store/learn';
import { usePlaygroundApi } from '../../store/context';
import { useLearn, useLearnStore } from './LearnContext';

const SECTION_OF: Partial<Record<PathItem['kind'], HubSection>> = {
  quiz: 'quiz',
  glossary: 'glossary',
  framework: 'interview',
};

function startAt(minutes: readonly number[], i: number): number {
  return minutes.slice(0, i).reduce((a, b) => a + b, 0);
}

function ItemStatus({ item }: { item: PathItem }) {
  const done = useLearn((s) => {
    if (item.kind === 'walkthrough') return s.walkthroughs[item.ref ?? '']?.finished ?? false;
    if (item.kind === 'challenge') return s.challenges[item.ref ?? '']?.passed ?? false;
    if (item.kind === 'drill') return s.drills[item.ref ?? '']?.revealed ?? false;
    return false;
  });
  return done ? <span className="learn-tag ok">done</span> : null;
}

function PathView({ path }: { path: LearningPath }) {
  const learn = useLearnStore();
  const pg = usePlaygroundApi();
  const minutes = path.items.map((i) => i.minutes);
  const open = (item: PathItem) => {
    if (item.kind === 'walkthrough' && item.ref) learn.getState().startWalkthrough(item.ref);
    else if (item.kind === 'challenge' && item.ref)
      learn.getState().openActivity({ kind: 'challenge', id: item.ref });
    else if (item.kind === 'drill' && item.ref)
      learn.getState().openActivity({ kind: 'drill', id: item.ref });
    else {
      const section = SECTION_OF[item.kind];
      if (section) pg.ui.openLearnHub(section);
    }
  };
  return (
    <li className="learn-card learn-path" data-path={path.id}>
      <h3>{path.title}</h3>
      <p className="learn-hint">
        {path.minutes} minutes · {path.audience}
      </p>
      <p>{path.summary}</p>
      <ol className="learn-path-items">
        {path.items.map((item, i) => (
          <li key={item.title}>
            <p>
              <span className="num learn-path-time">
                {startAt(minutes, i)}–{startAt(minutes, i + 1)} min
              </span>{' '}
              <strong>{item.title}</strong> <ItemStatus item={item} />
            </p>
            {item.project && (
              <p className="learn-hint">
                <span className="learn-task-label">Project:</span> {item.project}
              </p>
            )}
            {item.prompts.length > 0 && (
              <ul className="learn-path-prompts" aria-label={`Questions for: ${item.title}`}>
                {item.prompts.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
            {item.note && <p className="learn-hint">{item.note}</p>}
            {item.kind !== 'discussion' && (
              <button
                type="button"
                className="button"
                aria-label={`Open ${path.title}, part ${i + 1}: ${item.title}`}
                onClick={() => open(item)}
              >
                Open
              </button>
            )}
          </li>
        ))}
      </ol>
    </li>
  );
}

export function PathsSection() {
  return (
    <ol className="learn-cards">
      {paths.map((p) => (
        <PathView key={p.id} path={p} />
      ))}
    </ol>
  );
}
