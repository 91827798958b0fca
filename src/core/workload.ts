/**
 * The workload: orders arrive as a Poisson process at the base rate (or a spike's),
 * plus single orders at scripted moments; each one is a user's call to the entry service.
 */
import { sendCall } from './chain';
import { nextExponential, nextFloat } from './rng';
import {
  cancel,
  Ev,
  type Order,
  type RunContext,
  record,
  type SimState,
  type Spike,
  schedule,
} from './state';
import { CLIENT_NODE, Rec } from './trace';

const NO_ATTRIBUTES: number[] = [];

function currentRate(state: SimState): number {
  if (!state.workloadOpen) return 0;
  // Checked before indexing: `spikes[-1]` on the usual empty list is a property lookup
  // on the array's prototype chain, not an element read (0.9% of the engine benchmark).
  const n = state.spikes.length;
  return n > 0 ? (state.spikes[n - 1] as Spike).rate : state.baseRate;
}

/** Draw the next arrival from now. Poisson arrivals are memoryless, so redrawing after a rate change is exact. */
export function rescheduleArrival(state: SimState, from: number): void {
  if (state.arrival) cancel(state, state.arrival);
  state.arrival = null;
  scheduleArrival(state, from);
}

/** An order arrived: create it and draw the next one. */
export function onArrival(ctx: RunContext, state: SimState): void {
  createOrder(ctx, state);
  state.arrival = null;
  scheduleArrival(state, state.arrivalExact);
}

/**
 * Draw the gap after `from` at the current rate (no arrival at rate 0) and schedule the
 * arrival on the whole millisecond; the exact time is kept, so rounding does not add up.
 */
function scheduleArrival(state: SimState, from: number): void {
  const rate = currentRate(state);
  if (rate <= 0) return;
  state.arrivalExact = from + nextExponential(state.arrivalsRng, 1000 / rate);
  state.arrival = schedule(
    state,
    Math.max(state.now, Math.ceil(state.arrivalExact)),
    Ev.Arrival,
    null,
  );
}

/** A user places an order: it reaches the API, which calls the entry service. */
export function createOrder(ctx: RunContext, state: SimState): Order {
  const poisonSpec = ctx.scenario.workload.poison;
  const order: Order = {
    corr: ++state.nextCorr,
    receivedAt: state.now,
    live: 0,
    effects: 0,
    answered: 0,
    completed: false,
    deadLettered: false,
    poison: poisonSpec !== undefined && nextFloat(state.poisonRng) < poisonSpec.rate,
    rootCause: 0,
    rootNode: -1,
    cancelled: false,
    saga: null,
    key: Math.floor(nextFloat(state.keysRng) * ctx.scenario.workload.keys),
    attrs:
      ctx.attributeSizes.length === 0
        ? NO_ATTRIBUTES
        : ctx.attributeSizes.map((n) => Math.floor(nextFloat(state.keysRng) * n)),
  };
  // value: the order's key (customer), which picks its partition and FIFO group.
  record(
    ctx,
    state,
    Rec.OrderReceived,
    CLIENT_NODE,
    ctx.serviceNode[ctx.model.entry] ?? 0,
    0,
    order.corr,
    0,
    order.poison ? 1 : 0,
    order.key,
  );
  sendCall(ctx, state, -1, null, ctx.model.entry, order, 1);
  return order;
}

/** Change the base arrival rate (orders per second). */
export function setBaseRate(ctx: RunContext, state: SimState, rate: number): void {
  state.baseRate = rate;
  rateChanged(ctx, state, 0, rate);
}

/** A burst of traffic starts now, at the spike's rate until `spike.endAt`. */
export function startSpike(ctx: RunContext, state: SimState, spike: Spike): void {
  state.spikes.push(spike);
  schedule(state, spike.endAt, Ev.SpikeEnd, spike);
  rateChanged(ctx, state, 1, spike.rate);
}

/** A burst of traffic ends: back to the rate underneath it. */
export function endSpike(ctx: RunContext, state: SimState, spike: Spike): void {
  const i = state.spikes.indexOf(spike);
  if (i >= 0) state.spikes.splice(i, 1);
  rateChanged(ctx, state, 2, currentRate(state));
}

/** Trace a new rate (`code`: see `Rec.RateChanged`) and redraw the next arrival at the rate now in force. */
function rateChanged(ctx: RunContext, state: SimState, code: number, rate: number): void {
  record(
    ctx,
    state,
    Rec.RateChanged,
    CLIENT_NODE,
    CLIENT_NODE,
    0,
    0,
    0,
    code,
    Math.round(rate * 1000),
  );
  rescheduleArrival(state, state.now);
}

/** The scenario's duration is over: no more random arrivals (scripted events still happen). */
export function endWorkload(state: SimState): void {
  state.workloadOpen = false;
  rescheduleArrival(state, state.now);
}
