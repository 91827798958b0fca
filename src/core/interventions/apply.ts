/**
 * How each kind of learner action changes a run: the engine's side of the registry.
 *
 * Everything else a kind says about itself (fields, link spelling, label, verbs, why it
 * cannot be done now) stays in its own file beside this one; only its effect on the
 * engine lives here. The page describes, validates and links actions but never runs the
 * engine (its worker does): were these functions held by the kinds, every module that
 * reads the registry would import the engine, and the page's first load would carry all
 * of it. The table's type lists every kind, so a kind without its `apply` does not compile.
 */
import {
  redrive as moveBack,
  resetOffsets as moveOffsets,
  setIdempotent,
  subscribe as joinNow,
} from '../broker';
import {
  createOrder,
  leaderTarget,
  scaleService,
  setBaseRate,
  setBrokerFault,
  setFault,
  startLeaderChange,
  startSpike,
} from '../engine';
import type { EngineAccess } from './define';
import { isBrokerFault } from './fault';
import type { InterventionBody, InterventionKindName, InterventionOf } from './index';

type Apply<K extends InterventionKindName> = (run: EngineAccess, body: InterventionOf<K>) => void;

const APPLY: { [K in InterventionKindName]: Apply<K> } = {
  fault(run, b) {
    if (isBrokerFault(run.ctx.model, b.service)) {
      const { down, slowFactor } = b.patch;
      setBrokerFault(run.ctx, run.state, {
        ...(down !== undefined ? { down } : {}),
        ...(slowFactor !== undefined ? { slowFactor } : {}),
      });
      return;
    }
    setFault(run.ctx, run.state, run.service(b.service), b.patch);
  },
  scale(run, b) {
    scaleService(run.ctx, run.state, run.service(b.service), b.replicas, b.concurrency);
  },
  rate(run, b) {
    setBaseRate(run.ctx, run.state, b.rate);
  },
  spike(run, b) {
    startSpike(run.ctx, run.state, { rate: b.rate, endAt: run.state.now + b.durationMs });
  },
  order(run) {
    createOrder(run.ctx, run.state);
  },
  subscribe(run, b) {
    joinNow(run.ctx, run.state, run.service(b.service), b.from);
  },
  'reset-offsets'(run, b) {
    moveOffsets(run.ctx, run.state, run.service(b.service), b.target);
  },
  redrive(run) {
    moveBack(run.ctx, run.state);
  },
  idempotent(run, b) {
    setIdempotent(run.ctx, run.state, run.service(b.service), b.on);
  },
  'leader-change'(run, b) {
    const target = leaderTarget(run.ctx, b);
    if (target >= 0) startLeaderChange(run.ctx, run.state, target, b.durationMs);
  },
};

/** Apply an intervention to a run now (the caller has checked it). */
export function applyIntervention(run: EngineAccess, i: InterventionBody): void {
  // A kind is looked up by its name from input: own properties only.
  if (!Object.hasOwn(APPLY, i.kind)) throw new Error(`unknown intervention kind "${i.kind}"`);
  (APPLY[i.kind] as (run: EngineAccess, body: InterventionBody) => void)(run, i);
}
