/**
 * Which figures on screen would answer a prediction before the learner has made it.
 * Derived from what the prediction reads (its options' checks, its number, the numbers
 * it reveals), so a new prediction hides its answer without anyone listing it by hand.
 * The strip, the metrics panel and the lesson's own numbers show "hidden until you
 * predict" for these until the reveal (see `isConcealed` in src/store/learn.ts).
 */
import type { Check, Measure, Predict, Side } from '../content/learnSchema';
import type { ConcealedFigure } from '../store/learn';

type Figure = string;

/** Report numbers by path -> the figures that show them (or a number that gives them away). */
const METRIC_FIGURES: ReadonlyArray<readonly [RegExp, readonly Figure[]]> = [
  [/^requests\.succeeded$/, ['succeeded', 'completed']],
  [/^requests\.failed$/, ['failed', 'succeeded']],
  [/^requests\.pending$/, ['pending']],
  [/^requests\.latency_ms\./, ['p50', 'p99']],
  [/^orders\.completed$/, ['completed']],
  [/^orders\.with_dead_letters$/, ['completed', 'dead_lettered']],
  [/^orders\.completion_ms\./, ['completed', 'waiting']],
  [/^events\.(lost|dropped|expired|unroutable)$/, ['lost']],
  // The producer side (the dual write, the outbox, the broker refusing publishes).
  [/^events\.never_published$/, ['lost', 'never_published']],
  [/^events\.phantom$/, ['phantom']],
  [/^events\.republished$/, ['republished']],
  [/^events\.(refused|publish_retries)$/, ['refused']],
  [/^services\.[^.]+\.publish_refused$/, ['refused']],
  // A saga: declined steps, cancelled orders, work done for them, when the outcome is known.
  [/^orders\.cancelled$/, ['cancelled', 'completed']],
  [/^orders\.outcome_ms\./, ['cancelled', 'completed']],
  [/^services\.[^.]+\.(declined|done_for_failed_orders|compensations)$/, ['cancelled']],
  [/^events\.dead_lettered$/, ['dead_lettered']],
  [/^events\.duplicates$/, ['duplicates']],
  [/^events\.redelivered$/, ['redelivered']],
  [/^events\.in_queue$/, ['waiting']],
  [/^events\.in_flight$/, ['in_flight']],
  [/^services\.[^.]+\.duplicates$/, ['duplicates']],
  [/^queues\.[^.]+\.(waiting|max_depth|lag|partition_lag)/, ['waiting']],
  [/^queues\.[^.]+\.in_flight$/, ['in_flight']],
  [/^queues\.[^.]+\.(redelivered|max_receives)$/, ['redelivered']],
  [/^queues\.[^.]+\.dead_lettered$/, ['dead_lettered']],
  [/^queues\.[^.]+\.(expired|dropped)$/, ['lost']],
  [/^queues\.[^.]+\.rejected$/, ['failed', 'succeeded']],
  [/^queues\.[^.]+\.processed$/, ['completed']],
];

function measureFigures(m: Measure): Figure[] {
  if ('metric' in m) return METRIC_FIGURES.find(([re]) => re.test(m.metric))?.[1].slice() ?? [];
  if ('availability' in m) return m.availability === 'measured' ? ['succeeded', 'failed'] : [];
  if ('oldestAge' in m || 'retrying' in m || 'drainMs' in m) return ['waiting'];
  if ('unfinished' in m) return ['completed'];
  return [];
}

function sideOf(m: { side?: Side }): Side | '*' {
  return m.side ?? '*';
}

function collectCheck(c: Check, out: Set<ConcealedFigure>): void {
  if ('all' in c) for (const x of c.all) collectCheck(x, out);
  else if ('any' in c) for (const x of c.any) collectCheck(x, out);
  else if ('not' in c) collectCheck(c.not, out);
  else if ('measure' in c) collectMeasure(c.measure, out);
  else if ('metric' in c) collectMeasure({ metric: c.metric, side: c.side }, out);
  else if ('queue' in c) {
    const side = c.side ?? 'event';
    if (c.waitingAtLeast !== undefined || c.waitingAtMost !== undefined) out.add(`${side}:waiting`);
    if (c.deadLetteredAtLeast !== undefined) out.add(`${side}:dead_lettered`);
    if (c.processedAtLeast !== undefined) out.add(`${side}:completed`);
  }
}

function collectMeasure(m: Measure, out: Set<ConcealedFigure>): void {
  const side = 'side' in m ? sideOf(m) : '*';
  for (const f of measureFigures(m)) out.add(`${side}:${f}`);
}

/** The figures a prediction asks about, `side:key`, sorted (stable for comparisons). */
export function concealedFigures(predict: Predict): ConcealedFigure[] {
  const out = new Set<ConcealedFigure>();
  for (const o of predict.options ?? []) collectCheck(o.check, out);
  if (predict.number) collectMeasure(predict.number.measure, out);
  for (const r of predict.measured) collectMeasure(r.measure, out);
  return [...out].sort();
}

/** Does a lesson readout show one of the concealed figures? (Then it is hidden too.) */
export function readoutConcealed(m: Measure, concealed: readonly ConcealedFigure[]): boolean {
  if (concealed.length === 0) return false;
  const side = 'side' in m && m.side ? m.side : '*';
  return measureFigures(m).some(
    (f) =>
      concealed.includes(`*:${f}`) ||
      (side === '*'
        ? concealed.some((c) => c.endsWith(`:${f}`))
        : concealed.includes(`${side}:${f}`)),
  );
}
