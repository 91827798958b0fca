/** Sorting exercise: put each name into a bucket, check, fix what is marked. */
import { useId } from 'react';
import type { Sort } from '../../content/learnSchema';
import { useLearn } from './LearnContext';

export function sortSolved(sort: Sort, placed: Readonly<Record<string, string>>): boolean {
  return sort.items.every((item) => placed[item.name] === item.bucket);
}

export function SortBlock({
  walkthrough,
  stepId,
  sort,
}: {
  walkthrough: string;
  stepId: string;
  sort: Sort;
}) {
  const state = useLearn((s) => s.walkthroughs[walkthrough]?.sorts[stepId]);
  const place = useLearn((s) => s.placeSortItem);
  const check = useLearn((s) => s.checkSort);
  const headingId = useId();
  const placed = state?.placed ?? {};
  const checked = state?.checked ?? false;
  const allPlaced = sort.items.every((item) => placed[item.name]);
  const wrong = sort.items.filter((item) => placed[item.name] !== item.bucket).length;

  return (
    <section className="learn-sort" aria-labelledby={headingId}>
      <h4 id={headingId} className="learn-question">
        {sort.prompt}
      </h4>
      <ul className="learn-sort-items">
        {sort.items.map((item) => {
          const value = placed[item.name] ?? '';
          const right = checked && value === item.bucket;
          const id = `${stepId}-${item.name}`;
          return (
            <li key={item.name} className={checked ? (right ? 'is-right' : 'is-wrong') : undefined}>
              <label htmlFor={id} className="learn-sort-name">
                <code>{item.name}</code>
              </label>
              <select
                id={id}
                value={value}
                onChange={(e) => place(walkthrough, stepId, item.name, e.currentTarget.value)}
              >
                <option value="" disabled>
                  Choose…
                </option>
                {sort.buckets.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.label}
                  </option>
                ))}
              </select>
              {checked && (
                <span className={`learn-mark ${right ? 'ok' : 'fail'}`}>
                  <span aria-hidden="true">{right ? '✓' : '✗'}</span>{' '}
                  {right ? 'Right.' : 'Not quite.'} {right ? item.why : ''}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        className="button primary"
        disabled={!allPlaced}
        onClick={() => check(walkthrough, stepId)}
      >
        Check my answers
      </button>
      {checked && (
        <p role="status" className="learn-verdict">
          {wrong === 0
            ? 'All sorted correctly.'
            : `${wrong} to fix: change the ones marked ✗ and check again.`}
        </p>
      )}
    </section>
  );
}
