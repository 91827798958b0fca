/**
 * Publishing and routing, the same on every broker: a service publishes, the event
 * reaches the broker one network trip later, the flavour accepts it (routes copies or
 * appends to a log) and the publisher's confirm travels back.
 */
import type { Model } from '../model';
import type { Scenario } from '../scenario';
import {
  checkOrderDone,
  Ev,
  type Job,
  type Message,
  nodeOf,
  type Order,
  type PublishInTransit,
  type QueueState,
  type RunContext,
  record,
  type SimState,
  schedule,
} from '../state';
import { BROKER_NODE, Reason, Rec } from '../trace';

/** A new copy of event `id` for queue `qi`, entering its line now. */
export function newMessage(
  state: SimState,
  id: number,
  qi: number,
  order: Order,
  type: number,
  publishedAt: number,
): Message {
  return {
    id,
    queue: qi,
    order,
    type,
    publishedAt,
    enqueuedAt: state.now,
    attempts: 0,
    returns: 0,
    cause: 0,
    effectDone: false,
    lastError: 0,
    retry: null,
    where: 'ready',
    expiresAt: Number.POSITIVE_INFINITY,
    receipt: 0,
    part: -1,
    offset: -1,
    rec: null,
  };
}

/**
 * A consumer's copy failed for good (declined, dead-lettered, dropped, expired): if the
 * service is a step of a choreographed saga (`on_failure_emits`), it publishes its failure
 * events now, for the other services to compensate. The first failure of an order is the
 * moment it starts being cancelled; the record then names the services that had already
 * done their work for it (the email that went out before the card was declined).
 * Called before the copy's order lets go of it, so the order waits for its compensation.
 * Simplified: when the broker dead-letters a copy (TTL, overflow, delivery limit) the
 * service publishes at that moment; a real one learns it from its dead-letter queue.
 */
export function failedForGood(
  ctx: RunContext,
  state: SimState,
  index: number,
  order: Order,
  msgId: number,
  reason: number,
): void {
  const emits = ctx.serviceOnFailure[index] as readonly number[];
  if (emits.length === 0) return;
  const first = !order.cancelled;
  order.cancelled = true;
  record(
    ctx,
    state,
    Rec.Compensating,
    nodeOf(ctx, index),
    BROKER_NODE,
    msgId,
    order.corr,
    first ? order.effects & 0xffff : 0,
    reason,
    first ? 1 : 0,
  );
  for (const type of emits) publish(ctx, state, index, type, order, null);
}

/** A service publishes an event; it reaches the broker after one network trip. */
export function publish(
  ctx: RunContext,
  state: SimState,
  index: number,
  type: number,
  order: Order,
  job: Job | null,
): void {
  publishFrom(ctx, state, index, nodeOf(ctx, index), type, order, job);
}

/**
 * Publish from trace node `from` (the service, or its outbox relay) on behalf of service
 * `index`. Returns the new event's id.
 */
export function publishFrom(
  ctx: RunContext,
  state: SimState,
  index: number,
  from: number,
  type: number,
  order: Order,
  job: Job | null,
): number {
  const p: PublishInTransit = {
    id: ++state.nextEvent,
    type,
    order,
    from: index,
    job,
    publishedAt: state.now,
  };
  order.live++;
  record(ctx, state, Rec.Published, from, BROKER_NODE, p.id, order.corr, 0, type, ctx.network);
  schedule(state, state.now + ctx.network, Ev.PublishArrive, p);
  return p.id;
}

/** The event is at the broker: the flavour takes it, and the publisher hears back. */
export function onPublishArrive(ctx: RunContext, state: SimState, p: PublishInTransit): void {
  const order = p.order;
  const refused = ctx.flavour.accept(ctx, state, p);
  order.live--;
  // The publisher's confirm travels back (negative if a full queue refused the message).
  if (p.job) schedule(state, state.now + ctx.network, Ev.ConfirmArrive, p.job, refused);
  checkOrderDone(ctx, state, order);
}

/** A flavour's way to put a routed copy on its queue; false when a full queue refused it. */
export type EnqueueCopy = (ctx: RunContext, state: SimState, msg: Message) => boolean;

/**
 * Exchange routing: one copy to every subscribed queue bound to the event type whose
 * filter policy accepts the order. With no such queue the event is unroutable: dropped,
 * or kept by an alternate exchange. Returns the Reason for the publisher's confirm.
 */
export function routeCopies(
  ctx: RunContext,
  state: SimState,
  p: PublishInTransit,
  enqueue: EnqueueCopy,
): number {
  const order = p.order;
  // Counted first, then copied: no array per publish on the hot path.
  const routes = ctx.routes[p.type] as number[];
  let targets = 0;
  for (const qi of routes) if (isTarget(ctx, state, qi, order)) targets++;
  if (targets === 0) {
    // Only a queue broker with an alternate exchange has an `aeNode`.
    const ae = ctx.model.aeNode >= 0 ? ctx.model.aeNode : BROKER_NODE;
    record(ctx, state, Rec.Unroutable, BROKER_NODE, ae, p.id, order.corr, 0, p.type, 0);
    return 0;
  }
  record(ctx, state, Rec.Routed, BROKER_NODE, BROKER_NODE, p.id, order.corr, 0, p.type, targets);
  // Usually every bound queue takes a copy: then there is nothing to ask twice.
  const all = targets === routes.length;
  let refused = 0;
  for (const qi of routes) {
    if (!all && !isTarget(ctx, state, qi, order)) continue;
    if (!enqueue(ctx, state, newMessage(state, p.id, qi, order, p.type, p.publishedAt)))
      refused = Reason.Overflow;
  }
  return refused;
}

function isTarget(ctx: RunContext, state: SimState, qi: number, order: Order): boolean {
  return (state.queues[qi] as QueueState).subscribed && passesFilter(ctx, qi, order);
}

function passesFilter(ctx: RunContext, qi: number, order: Order): boolean {
  const filter = ctx.filters[qi];
  if (!filter) return true;
  for (const [attribute, accepted] of filter)
    if (!accepted.has(order.attrs[attribute] ?? -1)) return false;
  return true;
}

/**
 * Subscription filter policies, compiled once per run: per queue, attribute index ->
 * accepted value indices, or null for a queue that takes everything. Names are looked
 * up as own properties only, so an attribute called `constructor` or `__proto__` is a
 * name like any other, never something inherited from `Object.prototype`.
 */
export function compileFilters(
  model: Model,
  attributes: Scenario['workload']['attributes'],
  policies: Readonly<Record<string, Record<string, string[]>>>,
): (Map<number, Set<number>> | null)[] {
  const attributeNames = Object.keys(attributes);
  return model.queues.map((q) => {
    const policy = Object.hasOwn(policies, q.id) ? policies[q.id] : undefined;
    if (!policy) return null;
    const compiled = new Map<number, Set<number>>();
    for (const [name, accepted] of Object.entries(policy)) {
      const values = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
      // As on SNS, a policy on an attribute the orders do not carry matches nothing.
      compiled.set(
        attributeNames.indexOf(name),
        values ? new Set(accepted.map((v) => values.indexOf(v))) : new Set(),
      );
    }
    return compiled;
  });
}
