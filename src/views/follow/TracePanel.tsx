/**
 * The Trace tab: follow one order (by number, from a recent one, or by clicking a token
 * on the canvas) through every hop, as a waterfall and as a list, on every visible side;
 * and export the run's trace as JSON or OpenTelemetry spans.
 *
 * Loaded on first use (React.lazy in index.tsx): it is not needed to start playing.
 */
import './follow.css';
import { type CSSProperties, type FormEvent, useId, useState } from 'react';
import { Rec } from '../../core/trace';
import type { RunView } from '../../run/view';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { MODE_LABELS, type Side, sidesOf } from '../../run/modes';
import { exportFileName, traceExport } from '../../time/exportTrace';
import { simulationToOtlp } from '../../time/otel';
import { type OrderStep, orderSteps } from '../../time/steps';
import { formatDuration, type Waterfall, waterfallOf } from '../../time/waterfall';
import { clockText } from '../../core/format';
import { useThrottledSnapshot } from '../inspector/useThrottledSnapshot';
import { downloadJson } from './download';

const RECENT = 6;

/** Order numbers worth following right now: the newest orders, and the newest dead letter. */
function recentOrders(sim: RunView | undefined): {
  recent: number[];
  deadLettered: number | null;
} {
  if (!sim) return { recent: [], deadLettered: null };
  const recent: number[] = [];
  let deadLettered: number | null = null;
  const tail = sim.traceTail(4096);
  for (let i = tail.length - 1; i >= 0; i--) {
    const r = tail[i];
    if (!r) continue;
    if (r.kind === Rec.OrderReceived && recent.length < RECENT) recent.push(r.corr);
    if (r.kind === Rec.DeadLettered && deadLettered === null) deadLettered = r.corr;
    if (recent.length >= RECENT && deadLettered !== null) break;
  }
  return { recent, deadLettered };
}

function FollowForm() {
  const pg = usePlaygroundApi();
  const follow = (corr: number | null) => pg.timeTravel.follow(corr);
  const followed = usePlayground((s) => s.followed);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const helpId = useId();
  const picks = useThrottledSnapshot((s) => recentOrders(s.runs.event ?? s.runs.chain), [], 500);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(text.trim().replace(/^#/, ''));
    if (!/^#?\s*\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 1) {
      setProblem('Type an order number: a whole number from 1, e.g. 36.');
      return;
    }
    setProblem(null);
    follow(n);
    pg.ui.setPanelTab('trace');
  };

  return (
    <>
      <form className="follow-form" onSubmit={submit} aria-describedby={helpId}>
        <label htmlFor={inputId}>Order number</label>
        <input
          id={inputId}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={text}
          aria-invalid={problem !== null}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <button type="submit" className="button primary">
          Follow
        </button>
        {followed !== null && (
          <button type="button" className="button" onClick={() => follow(null)}>
            Stop following #{followed}
          </button>
        )}
      </form>
      {problem && (
        <p className="follow-problem" role="alert">
          {problem}
        </p>
      )}
      <p id={helpId} className="hint">
        Or click a moving token on the canvas, or pick one of these:
      </p>
      <ul className="follow-picks" aria-label="Orders to follow">
        {picks.deadLettered !== null && (
          <li>
            <button type="button" className="button" onClick={() => follow(picks.deadLettered)}>
              Latest dead letter: #{picks.deadLettered}
            </button>
          </li>
        )}
        {picks.recent.map((corr) => (
          <li key={corr}>
            <button
              type="button"
              className="button"
              aria-label={`Follow order ${corr}`}
              onClick={() => follow(corr)}
            >
              #{corr}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

interface SideView {
  waterfall: Waterfall | null;
  steps: OrderStep[];
  /** A copy of this order sits in the dead-letter queue now. */
  parked: boolean;
}

function WaterfallList({ waterfall, label }: { waterfall: Waterfall; label: string }) {
  return (
    <ol className="waterfall" aria-label={label}>
      {waterfall.rows.map((row) => (
        <li
          key={row.id}
          className={`wf-row kind-${row.kind}${row.bad ? ' bad' : ''}${row.open ? ' is-open' : ''}`}
          style={{ '--depth': Math.min(row.depth, 6) } as CSSProperties}
          data-kind={row.kind}
        >
          <span className="wf-head">
            <span className="wf-label">
              {row.bad && <span aria-hidden="true">✕ </span>}
              {row.label}
            </span>
            <span className="wf-time num">
              {clockText(row.start)} · {formatDuration(row.end - row.start)}
            </span>
          </span>
          <span className="wf-track" aria-hidden="true">
            <span className="wf-bar" style={{ left: `${row.left}%`, width: `${row.width}%` }} />
          </span>
          {row.note && <span className="wf-note">{row.note}</span>}
        </li>
      ))}
      {waterfall.hidden > 0 && <li className="wf-row">…and {waterfall.hidden} more spans</li>}
    </ol>
  );
}

function FollowedOrder({ side, corr }: { side: Side; corr: number }) {
  const pg = usePlaygroundApi();
  const brokerKind = usePlayground((s) => s.scenario.broker.kind);
  const view = useThrottledSnapshot<SideView>(
    (s) => {
      const sim = s.runs[side];
      if (!sim) return { waterfall: null, steps: [], parked: false };
      const records = sim.followed.corr === corr ? sim.followed.records : [];
      const waterfall = waterfallOf(records, sim.model, sim.now);
      return {
        waterfall,
        steps: orderSteps(records, sim.model),
        parked: waterfall?.trace.spans.some((x) => x.kind === 'dead-letter' && x.open) ?? false,
      };
    },
    [side, corr],
  );
  const title = `${MODE_LABELS[side]}: order #${corr}`;
  const headingId = `follow-${side}-title`;
  return (
    <section
      className="follow-side"
      aria-labelledby={headingId}
      data-side={side}
      data-testid={`follow-${side}`}
    >
      <h3 id={headingId}>{title}</h3>
      {!view.waterfall ? (
        <p className="hint">No order #{corr} yet at this moment: it has not been placed.</p>
      ) : (
        <>
          <p
            className={
              view.waterfall.trace.spans[0]?.status === 'error'
                ? 'follow-outcome bad'
                : 'follow-outcome'
            }
          >
            {view.waterfall.trace.poison && 'Carries poison data. '}
            {view.waterfall.trace.outcome.charAt(0).toUpperCase() +
              view.waterfall.trace.outcome.slice(1)}
            .
          </p>
          {view.parked && brokerKind !== 'log' && (
            <p className="hint">
              A copy is in the dead-letter queue.{' '}
              <button type="button" className="button" onClick={() => pg.ui.setPanelTab('broker')}>
                Redrive it from the Broker tab
              </button>
            </p>
          )}
          <WaterfallList waterfall={view.waterfall} label={`Waterfall of ${title}`} />
          <details open>
            <summary>Every hop ({view.steps.length})</summary>
            <ol className="hops" aria-label={`Hops of ${title}`}>
              {view.steps.map((step, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the list is rebuilt as a whole
                <li key={i} className={step.bad ? 'bad' : undefined} data-kind={step.kind}>
                  <span className="num">{clockText(step.t)}</span>
                  <span>
                    {step.bad && <span aria-hidden="true">✕ </span>}
                    {step.text}
                  </span>
                </li>
              ))}
            </ol>
          </details>
        </>
      )}
    </section>
  );
}

function ExportRun() {
  const pg = usePlaygroundApi();
  const mode = usePlayground((s) => s.mode);
  const [done, setDone] = useState<string | null>(null);
  const exportSide = async (side: Side, kind: 'trace' | 'otel') => {
    const sim = pg.getState().runs[side];
    if (!sim) return;
    // Every record so far is re-created by the engine (the page holds the latest only).
    const records = await pg.timeTravel.allRecords(side);
    const name = exportFileName(sim, kind);
    downloadJson(
      name,
      kind === 'trace' ? traceExport(sim, records) : simulationToOtlp(sim, records),
    );
    setDone(`Saved ${name}.`);
  };
  return (
    <section className="follow-export" aria-labelledby="follow-export-title">
      <h3 id="follow-export-title">Export this run</h3>
      <p className="hint">
        Every record up to now as JSON, or as OpenTelemetry spans (one trace per order) to open in a
        tracing tool such as Jaeger.
      </p>
      {sidesOf(mode).map((side) => (
        <div key={side} className="follow-form">
          <button type="button" className="button" onClick={() => void exportSide(side, 'trace')}>
            Trace JSON: {MODE_LABELS[side]}
          </button>
          <button type="button" className="button" onClick={() => void exportSide(side, 'otel')}>
            OpenTelemetry: {MODE_LABELS[side]}
          </button>
        </div>
      ))}
      {done && (
        <p className="hint" role="status">
          {done}
        </p>
      )}
    </section>
  );
}

export default function TracePanel() {
  const followed = usePlayground((s) => s.followed);
  const mode = usePlayground((s) => s.mode);
  return (
    <section className="follow" aria-labelledby="follow-title" data-testid="trace-panel">
      <h2 id="follow-title">Follow one order</h2>
      <FollowForm />
      {followed !== null &&
        sidesOf(mode).map((side) => <FollowedOrder key={side} side={side} corr={followed} />)}
      <ExportRun />
    </section>
  );
}
