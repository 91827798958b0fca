/**
 * The event switch: each kind of scheduled event goes to the rule that handles it. The
 * loop around it (clock, interventions, samples, checkpoints) is `Simulation`'s.
 */
import {
  onDeliveryDone,
  onPublishArrive,
  onPublishStored,
  onRetryReady,
  onSagaResend,
  startConsumers,
} from './broker';
import {
  onCallArrive,
  onCallTimeout,
  onConfirmArrive,
  onResponseArrive,
  onWorkDone,
} from './chain';
import { applyScenarioFault, onLeaderElected } from './faults';
import { onOutboxPoll, onPublishRetry } from './producer';
import { heapPop, heapRetain } from './heap';
import { Ev, type RunContext, type ServiceState, type SimEvent, type SimState } from './state';
import { createOrder, endSpike, endWorkload, onArrival, startSpike } from './workload';

export { heapPop };

/** Process one event. The caller has already moved `state.now` to `ev.at`. */
export function dispatch(ctx: RunContext, state: SimState, ev: SimEvent): void {
  state.processed++;
  // Each case is the kind's number, checked against its name by the compiler (`satisfies`).
  // Written `case Ev.DeliveryDone:`, a case is a load of the imported object, a check of
  // its shape and a comparison, tried one after the other (V8 does not fold module
  // constants: a DeliveryDone took eight of them); number literals make a jump table.
  switch (ev.kind) {
    case 1 satisfies typeof Ev.Arrival:
      onArrival(ctx, state);
      return;
    case 2 satisfies typeof Ev.CallArrive:
      onCallArrive(ctx, state, ev.ref);
      return;
    case 3 satisfies typeof Ev.WorkDone:
      onWorkDone(ctx, state, ev.ref);
      return;
    case 4 satisfies typeof Ev.ResponseArrive:
      onResponseArrive(ctx, state, ev.ref, ev.code);
      return;
    case 5 satisfies typeof Ev.CallTimeout:
      if (ev.ref) onCallTimeout(ctx, state, ev.ref);
      return;
    case 6 satisfies typeof Ev.PublishArrive:
      onPublishArrive(ctx, state, ev.ref);
      return;
    case 7 satisfies typeof Ev.ConfirmArrive:
      onConfirmArrive(ctx, state, ev.ref, ev.code);
      return;
    case 8 satisfies typeof Ev.DeliveryDone:
      onDeliveryDone(ctx, state, ev.ref);
      return;
    case 9 satisfies typeof Ev.RetryReady:
      onRetryReady(ctx, state, ev.ref);
      return;
    case 10 satisfies typeof Ev.FaultStart:
      applyScenarioFault(ctx, state, ev.code, true);
      return;
    case 11 satisfies typeof Ev.FaultEnd:
      applyScenarioFault(ctx, state, ev.code, false);
      return;
    case 24 satisfies typeof Ev.LeaderElected:
      onLeaderElected(ctx, state, ev.code);
      return;
    case 12 satisfies typeof Ev.SpikeStart:
      startSpike(ctx, state, ev.ref);
      return;
    case 13 satisfies typeof Ev.SpikeEnd:
      endSpike(ctx, state, ev.ref);
      return;
    case 14 satisfies typeof Ev.ScheduledOrder:
      createOrder(ctx, state);
      return;
    case 15 satisfies typeof Ev.WorkloadEnd:
      endWorkload(state);
      return;
    case 16 satisfies typeof Ev.Expire:
      ctx.flavour.onExpire(ctx, state, ev.ref);
      return;
    case 17 satisfies typeof Ev.VisibilityExpire:
      ctx.flavour.onVisibilityExpire(ctx, state, ev.ref, ev.code);
      return;
    case 18 satisfies typeof Ev.ConsumerTimeout:
      ctx.flavour.onConsumerTimeout?.(ctx, state, ev.ref);
      return;
    case 19 satisfies typeof Ev.GroupResume:
      startConsumers(ctx, state, ev.code);
      return;
    case 20 satisfies typeof Ev.OutboxPoll:
      onOutboxPoll(ctx, state, ev.code);
      return;
    case 21 satisfies typeof Ev.PublishStored:
      onPublishStored(ctx, state, ev.ref);
      return;
    case 22 satisfies typeof Ev.PublishRetry:
      onPublishRetry(ctx, state, ev.ref, ev.code);
      return;
    case 23 satisfies typeof Ev.SagaResend:
      onSagaResend(ctx, state, ev.ref, ev.code);
      return;
  }
}

/**
 * Drop cancelled events from the top so the next live event is at `heap[0]`; first, when
 * cancelled events outnumber live ones, sweep them all out at once (as Go's runtime does
 * with deleted timers). A cancelled call timeout waits in the heap for the whole
 * timeout: in the engine benchmark 1,935 of 2,328 pending events were void timers that
 * every push, pop and checkpoint paid for. Swept at half the heap, it holds ~670 events
 * on average and the benchmark ran 15-20% faster (best of 4 runs, CPU time, loaded
 * machine: 1.61-1.73 -> 1.93-2.02 million events/s). Pop order depends on `(at, seq)`
 * alone, so the run is the same run.
 */
export function skipCancelled(state: SimState): SimEvent | undefined {
  const heap = state.heap;
  if (state.cancelled > SWEEP_AT_LEAST && 2 * state.cancelled > heap.length) {
    heapRetain(heap, isLive);
    state.cancelled = 0;
  }
  let top = heap[0];
  while (top?.cancelled) {
    heapPop(heap);
    state.cancelled--;
    top = heap[0];
  }
  return top;
}

/** Below this many cancelled events a sweep is not worth a pass over the heap. */
const SWEEP_AT_LEAST = 64;

function isLive(ev: SimEvent): boolean {
  return !ev.cancelled;
}

/** Close the sampling window ending at `state.series.nextAt`, writing one row. */
export function takeSample(ctx: RunContext, state: SimState): void {
  const series = state.series;
  const m = state.metrics;
  const cols = series.columns.length;
  const row = (series.count % series.capacity) * cols;
  if (row + cols > series.data.length) {
    // Grown by doubling (see FIRST_SERIES_ROWS in setup.ts): rows before `count` keep their place.
    const grown = new Float64Array(
      Math.min(series.capacity, 2 * (series.data.length / cols)) * cols,
    );
    grown.set(series.data);
    series.data = grown;
  }
  const d = series.data;
  const lat = m.windowLatencies;
  let p50 = Number.NaN;
  let p99 = Number.NaN;
  if (lat.length > 0) {
    // A typed array sorts numbers natively; `Array.sort` with a comparator called back
    // into JavaScript ~5,000 times a sample at 2,000 orders/s (1.2% of the engine benchmark).
    const sorted = new Float64Array(lat).sort();
    p50 = sorted[Math.max(0, Math.ceil(0.5 * sorted.length) - 1)] as number;
    p99 = sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] as number;
  }
  let inQueue = 0;
  for (const q of m.queues) inQueue += q.ready + q.retrying;
  let deadLettered = 0;
  for (const q of m.queues) deadLettered += q.deadLettered;
  let k = row;
  d[k++] = series.nextAt;
  d[k++] = m.windowSucceeded;
  d[k++] = m.windowFailed;
  d[k++] = p50;
  d[k++] = p99;
  d[k++] = m.windowCompleted;
  d[k++] = inQueue;
  d[k++] = deadLettered;
  ctx.model.services.forEach((_, i) => {
    const sm = m.services[i];
    d[k++] = sm ? sm.windowProcessed : 0;
    d[k++] = (state.services[i] as ServiceState).busy;
    if (sm) sm.windowProcessed = 0;
  });
  for (const q of m.queues) {
    d[k++] = q.ready + q.retrying;
    d[k++] = q.inFlight;
  }
  series.count++;
  series.nextAt += series.everyMs;
  m.windowLatencies = [];
  m.windowSucceeded = 0;
  m.windowFailed = 0;
  m.windowCompleted = 0;
}
