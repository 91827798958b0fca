/** Every trace record of one order, as sentences: following one order across services. */
import { useEffect, useRef, useState } from 'react';
import type { Side } from '../../content/learnSchema';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import { describeRecord, eventTypesById } from '../inspector/traceSentence';

const LIMIT = 60;
/** The order's records are re-created by the engine (a re-run from a checkpoint): at most this often. */
const REFRESH_MS = 1000;

export function TrailBlock({ order, side }: { order: number; side: Side }) {
  const pg = usePlaygroundApi();
  const version = usePlayground((s) => s.version);
  const [lines, setLines] = useState<string[]>([]);
  const lastAsked = useRef(Number.NEGATIVE_INFINITY);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the trigger (the runs changed), not a value read here
  useEffect(() => {
    let live = true;
    const load = () => {
      lastAsked.current = performance.now();
      void pg.timeTravel
        .orderRecords(side, order)
        .then((records) => {
          const run = pg.getState().runs[side];
          if (!live || !run) return;
          const types = eventTypesById(run.model, records);
          const ctx = { model: run.model, eventOf: (msg: number) => types.get(msg) };
          setLines(records.slice(0, LIMIT).map((r) => describeRecord(r, ctx)));
        })
        .catch(() => {});
    };
    // A change of the runs (`version`) asks again, at most once per REFRESH_MS, and always once after the last.
    const wait = REFRESH_MS - (performance.now() - lastAsked.current);
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (wait > 0) timer = setTimeout(load, wait);
    else load();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [pg, side, order, version]);
  return (
    <section className="learn-trail" aria-label={`Everything recorded about order ${order}`}>
      {lines.length === 0 ? (
        <p className="learn-hint">Order {order} has not arrived yet.</p>
      ) : (
        <ol className="num">
          {lines.map((line, i) => (
            // Records never change once written: their position is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={i}>{line}</li>
          ))}
        </ol>
      )}
    </section>
  );
}
