/**
 * Predict, then reveal: the learner commits to an answer first; "Run and reveal" runs
 * the simulation and shows what the engine measured beside the prediction, and which
 * answer the numbers prove right.
 */
import { m } from 'framer-motion';
import { useEffect, useId, useMemo, useState } from 'react';
import type { Predict } from '../../content/learnSchema';
import { concealedFigures } from '../../learn/conceal';
import { isClose } from '../../learn/player';
import { usePlaygroundApi } from '../../store/context';
import { formatValue } from './format';
import { useLearn, useLearnStore } from './LearnContext';
import { StaticReadouts } from './Readouts';

interface Props {
  walkthrough: string;
  stepId: string;
  predict: Predict;
  /** The simulator shows this step's setup (otherwise "Run and reveal" waits). */
  ready: boolean;
}

export function PredictBlock({ walkthrough, stepId, predict, ready }: Props) {
  const record = useLearn((s) => s.walkthroughs[walkthrough]?.predictions[stepId]);
  const recordPrediction = useLearn((s) => s.recordPrediction);
  const recordReveal = useLearn((s) => s.recordReveal);
  const pg = usePlaygroundApi();
  const [running, setRunning] = useState(false);
  const [draft, setDraft] = useState<string>('');
  const questionId = useId();
  const inputId = useId();
  const locked = record !== undefined;
  const revealed = record?.revealed ?? false;
  const number = predict.number;
  const percent = number?.unit === 'percent';

  // Until the answer is revealed, the figures this prediction asks about are hidden on the
  // strip, the metrics panel and this step's numbers (and blurred on the canvas).
  const learn = useLearnStore();
  const figures = useMemo(() => concealedFigures(predict), [predict]);
  useEffect(() => {
    if (revealed) return;
    learn.getState().conceal(figures);
    const root = document.documentElement;
    root.dataset.concealing = figures.map((f) => f.split(':')[1]).join(' ');
    return () => {
      learn.getState().conceal([]);
      delete root.dataset.concealing;
    };
  }, [learn, figures, revealed]);

  const lockIn = () => {
    if (predict.options) {
      if (draft) recordPrediction(walkthrough, stepId, draft);
    } else {
      const n = Number(draft);
      if (draft.trim() !== '' && Number.isFinite(n)) recordPrediction(walkthrough, stepId, n);
    }
  };

  const runAndReveal = async () => {
    setRunning(true);
    try {
      const result = await pg.learning.reveal(predict);
      recordReveal(walkthrough, stepId, result);
    } finally {
      setRunning(false);
    }
  };

  const unitLabel = number
    ? { ms: 'milliseconds', s: 'seconds', percent: 'percent', count: 'count' }[number.unit]
    : '';

  return (
    <section className="learn-predict" aria-labelledby={questionId}>
      <h4 id={questionId} className="learn-question">
        {predict.question}
      </h4>
      {predict.options ? (
        <fieldset className="learn-options" disabled={locked}>
          <legend className="sr-only">Your prediction</legend>
          {predict.options.map((o) => {
            const chosen = locked ? record?.answer === o.id : draft === o.id;
            const proven = revealed && record?.trueOptions.includes(o.id);
            return (
              <label key={o.id} className={`learn-option${proven ? ' is-proven' : ''}`}>
                <input
                  type="radio"
                  name={`${walkthrough}-${stepId}`}
                  value={o.id}
                  checked={chosen}
                  onChange={() => setDraft(o.id)}
                />
                <span>{o.label}</span>
                {revealed && proven && <span className="learn-tag ok">what happened</span>}
                {revealed && chosen && !proven && (
                  <span className="learn-tag">your prediction</span>
                )}
              </label>
            );
          })}
        </fieldset>
      ) : (
        <div className="learn-number">
          <label htmlFor={inputId}>Your prediction ({unitLabel})</label>
          <input
            id={inputId}
            type="number"
            inputMode="decimal"
            className="num"
            min={percent ? 0 : number?.min}
            max={percent ? 100 : number?.max}
            value={locked ? String(record?.answer) : draft}
            disabled={locked}
            onChange={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') lockIn();
            }}
          />
        </div>
      )}

      {!locked && (
        <button
          type="button"
          className="button primary"
          onClick={lockIn}
          disabled={draft.trim() === ''}
        >
          Lock in my prediction
        </button>
      )}
      {locked && !revealed && (
        <button
          type="button"
          className="button primary"
          onClick={() => void runAndReveal()}
          disabled={!ready || running}
        >
          Run and reveal
        </button>
      )}

      {revealed && record && (
        // The verdict first, then the engine's numbers, then why: read in that order.
        <m.div
          className="learn-reveal"
          role="status"
          initial="hidden"
          animate="shown"
          variants={{ shown: { transition: { staggerChildren: 0.12 } } }}
        >
          <m.p className="learn-verdict" variants={VERDICT_STEP}>
            {predict.options
              ? verdictForOption(predict, String(record.answer), record.trueOptions)
              : verdictForNumber(
                  Number(record.answer),
                  record.actual,
                  number?.unit ?? 'count',
                  number?.tolerance ?? 0.2,
                )}
          </m.p>
          <m.div variants={REVEAL_STEP}>
            <StaticReadouts
              items={predict.measured}
              values={record.measured}
              label="Measured by the engine"
            />
          </m.div>
          <m.p className="learn-explain" variants={REVEAL_STEP}>
            {predict.explain}
          </m.p>
        </m.div>
      )}
    </section>
  );
}

const REVEAL_STEP = { hidden: { opacity: 0, y: 6 }, shown: { opacity: 1, y: 0 } };
/**
 * The verdict is what the learner waits for, announced as it arrives: it only slides in,
 * at full contrast from its first frame (mid-fade its text measured 2.2:1, an axe
 * color-contrast violation).
 */
const VERDICT_STEP = { hidden: { y: 6 }, shown: { y: 0 } };

function verdictForOption(predict: Predict, answer: string, proven: readonly string[]): string {
  const mine = predict.options?.find((o) => o.id === answer)?.label ?? answer;
  const actual =
    predict.options?.find((o) => proven.includes(o.id))?.label ?? 'none of the options';
  return proven.includes(answer)
    ? `Right: you predicted "${mine}", and the engine shows exactly that.`
    : `You predicted "${mine}". The engine shows: "${actual}".`;
}

function verdictForNumber(
  predicted: number,
  actual: number | null,
  unit: Predict['measured'][number]['unit'],
  tolerance: number,
): string {
  if (actual === null) return 'The engine could not measure this yet.';
  // Percent predictions are typed as 0..100; the engine measures shares as 0..1.
  const asMeasured = unit === 'percent' ? predicted / 100 : predicted;
  const close = isClose(asMeasured, actual, tolerance);
  return `You predicted ${formatValue(asMeasured, unit)}; the engine measured ${formatValue(actual, unit)}. ${close ? 'Close.' : 'Not quite: read why below.'}`;
}
