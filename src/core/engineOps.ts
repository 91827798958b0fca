/**
 * The engine operations learner actions call: each kind's `apply` (interventions/*.ts)
 * gets them on `EngineAccess.ops` and names them by type only. So the registry, which the
 * page reads to describe, check and link actions, imports no engine code, and the page,
 * which never runs the engine itself (its worker does), does not load it up front.
 */
import { redrive, resetOffsets, setIdempotent, subscribe } from './broker';
import {
  createOrder,
  leaderTarget,
  scaleService,
  setBaseRate,
  setBrokerFault,
  setFault,
  startLeaderChange,
  startSpike,
} from './engine';

export const ENGINE_OPS = {
  createOrder,
  leaderTarget,
  redrive,
  resetOffsets,
  scaleService,
  setBaseRate,
  setBrokerFault,
  setFault,
  setIdempotent,
  startLeaderChange,
  startSpike,
  subscribe,
} as const;

export type EngineOps = typeof ENGINE_OPS;
