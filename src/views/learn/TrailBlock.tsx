/** Every trace record of one order, as sentences: following one order across services. */
import type { Side } from '../../content/learnSchema';
import { describeRecord, eventTypesById } from '../inspector/traceSentence';
import { useWorldSnapshot } from './useLearnWorld';

const LIMIT = 60;

export function TrailBlock({ order, side }: { order: number; side: Side }) {
  const lines = useWorldSnapshot(
    (world) => {
      const sim = world.sims[side];
      if (!sim) return [] as string[];
      const records = sim.orderRecords(order);
      const types = eventTypesById(sim.model, records);
      const ctx = { model: sim.model, eventOf: (msg: number) => types.get(msg) };
      return records.slice(0, LIMIT).map((r) => describeRecord(r, ctx));
    },
    [order, side],
    1000,
  );
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
