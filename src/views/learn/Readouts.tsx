/** Live numbers beside a lesson: label, value with its unit, and how it is measured. */
import type { Readout } from '../../content/learnSchema';
import { Evaluator } from '../../learn/evaluate';
import { formatValue } from './format';
import { useWorldSnapshot } from './useLearnWorld';

export function Readouts({
  items,
  label = 'Live numbers',
}: {
  items: readonly Readout[];
  label?: string;
}) {
  const values = useWorldSnapshot(
    (world) => {
      const ev = new Evaluator(world);
      return items.map((r) => formatValue(ev.measure(r.measure), r.unit)).join('\u0000');
    },
    [items],
  ).split('\u0000');
  if (items.length === 0) return null;
  return (
    <dl className="learn-readouts" aria-label={label}>
      {items.map((r, i) => (
        <div key={r.label} className="learn-readout" title={r.help}>
          <dt>{r.label}</dt>
          <dd className="num">{values[i]}</dd>
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
