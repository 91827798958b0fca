/**
 * The discrete-event core, by part: synchronous calls (chain.ts), the workload
 * (workload.ts), faults and scaling (faults.ts), the event switch (dispatch.ts), a run's
 * beginning (setup.ts); state and shared rules in state.ts, the brokers in broker/.
 * `Simulation` (simulation.ts) wraps them with a clock, interventions and checkpoints,
 * and imports them from here.
 */
export { dispatch, heapPop, skipCancelled, takeSample } from './dispatch';
export {
  type BrokerFaultSettings,
  leaderTarget,
  scaleService,
  setBrokerFault,
  setFault,
  startLeaderChange,
} from './faults';
export { createContext, createState, seriesColumns } from './setup';
export type { FaultSettings, RunContext, SimEvent, SimState } from './state';
export { Ev, JobState } from './state';
export { createOrder, setBaseRate, startSpike } from './workload';
