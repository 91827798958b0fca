/** Live numbers beside a lesson: label, value with its unit, and how it is measured. */
import { useMemo } from 'react';
import type { Readout } from '../../content/learnSchema';
import { formatValue } from './format';
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
  if (items.length === 0) return null;
  return (
    <dl className="learn-readouts" aria-label={label}>
      {items.map((r, i) => (
        <div key={r.label} className="learn-readout" title={r.help}>
          <dt>{r.label}</dt>
          <dd className="num">{formatValue(values[i] ?? null, r.unit)}</dd>
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
