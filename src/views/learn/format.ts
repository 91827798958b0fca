/** Numbers as lessons show them: tabular, with their unit, "—" when not measurable yet. */
import type { Readout } from '../../content/learnSchema';

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', {
  maximumFractionDigits: 1,
  minimumFractionDigits: 1,
});

export type Unit = Readout['unit'];

export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'ms':
      return value >= 10_000 ? `${oneDecimal.format(value / 1000)} s` : `${whole.format(value)} ms`;
    case 's':
      return `${oneDecimal.format(value / 1000)} s`;
    case 'percent':
      return `${oneDecimal.format(value * 100)}%`;
    default:
      return whole.format(value);
  }
}

/** The goal a number must meet, in words: "at most 200 ms". */
export function formatTarget(
  atLeast: number | undefined,
  atMost: number | undefined,
  unit: Unit,
): string {
  const parts: string[] = [];
  if (atLeast !== undefined) parts.push(`at least ${formatValue(atLeast, unit)}`);
  if (atMost !== undefined) parts.push(`at most ${formatValue(atMost, unit)}`);
  return parts.join(' and ');
}
