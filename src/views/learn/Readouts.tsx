/** Live numbers beside a lesson: label, value with its unit, and how it is measured. */
import { useMemo } from 'react';
import type { Readout } from '../../content/learnSchema';
import { readoutConcealed } from '../../learn/conceal';
import { CONCEALED_LABEL } from '../../store/learn';
import { formatValue } from './format';
import { useLearn } from './LearnContext';
import { useWatch } from './useLearnWorld';

const NO_CHECKS: readonly never[] = [];

export function Readouts({
  items,
  label = 'Live numbers',
}: {
  items: readonly Readout[];
  label?: string;
}) {
  const measures = useMemo(() => items.map((r) => r.measure), [items]);
  const values = useWatch(NO_CHECKS, measures)?.measures ?? [];
  // A number an open prediction asks about stays hidden until the reveal.
  const concealed = useLearn((s) => s.concealed);
  if (items.length === 0) return null;
  return (
    <dl className="learn-readouts" aria-label={label}>
      {items.map((r, i) => (
        <div key={r.label} className="learn-readout" title={r.help}>
          <dt>{r.label}</dt>
          {readoutConcealed(r.measure, concealed) ? (
            <dd className="num concealed" data-concealed="true">
              <span role="img" aria-label={CONCEALED_LABEL} title={CONCEALED_LABEL}>
                ?
              </span>
            </dd>
          ) : (
            <dd className="num">{formatValue(values[i] ?? null, r.unit)}</dd>
          )}
        </div>
      ))}
    </dl>
  );
}

/** Values read once (e.g. after a reveal), shown the same way. */
export function StaticReadouts({
  items,
  values,
  label,
}: {
  items: readonly Readout[];
  values: readonly (number | null)[];
  label: string;
}) {
  return (
    <dl className="learn-readouts" aria-label={label}>
      {items.map((r, i) => (
        <div key={r.label} className="learn-readout">
          <dt>{r.label}</dt>
          <dd className="num">{formatValue(values[i] ?? null, r.unit)}</dd>
        </div>
      ))}
    </dl>
  );
}
