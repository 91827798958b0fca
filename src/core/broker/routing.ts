/**
 * Publishing and routing, the same on every broker: a service publishes, the event
 * reaches the broker one network trip later, the flavour accepts it (routes copies or
 * appends to a log) and the publisher's confirm travels back.
 */
import { type Model, SagaMsg } from '../model';
import { nextFloat } from '../rng';
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
  type SagaSend,
  type ServiceState,
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
  type: number,
  reason: number,
): void {
  const saga = ctx.model.saga;
  const emits = ctx.serviceOnFailure[index] as readonly number[];
  if (emits.length === 0 && !saga) return;
  // Only a step of the saga fails it: a copy of a type the consumer does not handle (a
  // fanout exchange gives it every type, its own failure events included) is no step.
  if (!ctx.model.services[index]?.subscribes.includes(type)) return;
  if (saga) {
    // Orchestrated: the step tells the orchestrator, which decides what happens next. A
    // reply lost on its way back is nobody's to report: its saga waits (no timeouts here).
    const kind = saga.typeKind[type];
    const reply =
      kind === SagaMsg.Command
        ? saga.failed[index]
        : kind === SagaMsg.Compensate
          ? saga.compensationFailed[index]
          : -1;
    if (reply === undefined || reply < 0) return;
    // The reply carries why; the orchestrator's record of the failure names it.
    if (kind === SagaMsg.Command && order.saga && order.saga.reason === 0)
      order.saga.reason = reason;
    sagaSend(ctx, state, index, reply, order, 1);
    return;
  }
  markCancelled(ctx, state, order, nodeOf(ctx, index), msgId, reason);
  for (const type of emits) publish(ctx, state, index, type, order, null);
}

/**
 * The saga of `order` turns back, told by `node` (the failed step, or the orchestrator):
 * the order is cancelled and a `Compensating` record says so. Only the first such record
 * of an order carries the effects done so far and counts it as cancelled.
 */
export function markCancelled(
  ctx: RunContext,
  state: SimState,
  order: Order,
  node: number,
  msgId: number,
  reason: number,
): void {
  const first = !order.cancelled;
  order.cancelled = true;
  record(
    ctx,
    state,
    Rec.Compensating,
    node,
    BROKER_NODE,
    msgId,
    order.corr,
    first ? order.effects & 0xffff : 0,
    reason,
    first ? 1 : 0,
  );
}

/**
 * A service publishes an event; it reaches the broker after one network trip. Returns the
 * event's id, or 0 when the broker refused it at once (down). A consumer's follow-up event
 * refused that way is never published: consumers here publish without confirms or retries,
 * so it is lost (a `NeverPublished` record, counted in `events.lost`).
 */
export function publish(
  ctx: RunContext,
  state: SimState,
  index: number,
  type: number,
  order: Order,
  job: Job | null,
): number {
  const node = nodeOf(ctx, index);
  const id = publishFrom(ctx, state, index, node, type, order, job);
  if (id === 0 && !job)
    record(ctx, state, Rec.NeverPublished, node, BROKER_NODE, 0, order.corr, 0, type, 0);
  return id;
}

/**
 * Publish from trace node `from` (the service, or its outbox relay) on behalf of service
 * `index`. Returns the new event's id, or 0 when the broker is down: the publish is refused
 * at once (the producer's connection to the broker is gone, so it learns without a trip),
 * and a job hears of it as a negative confirm now. `attempt`: the producer's publish
 * attempt for this event, 1 for the first.
 */
export function publishFrom(
  ctx: RunContext,
  state: SimState,
  index: number,
  from: number,
  type: number,
  order: Order,
  job: Job | null,
  attempt = 1,
  sagaTries = 0,
): number {
  if (state.broker.down) {
    record(
      ctx,
      state,
      Rec.PublishRefused,
      BROKER_NODE,
      from,
      0,
      order.corr,
      attempt,
      Reason.BrokerUnavailable,
      type,
    );
    if (job)
      schedule(
        state,
        state.now,
        Ev.ConfirmArrive,
        job,
        refusal(ctx, job, type, Reason.BrokerUnavailable),
      );
    return 0;
  }
  const p: PublishInTransit = {
    id: ++state.nextEvent,
    type,
    order,
    from: index,
    job,
    publishedAt: state.now,
    sagaTries,
  };
  order.live++;
  // attempt 0 on a first publish, as every run before publish retries wrote it.
  record(
    ctx,
    state,
    Rec.Published,
    from,
    BROKER_NODE,
    p.id,
    order.corr,
    attempt > 1 ? attempt : 0,
    type,
    ctx.network,
  );
  schedule(state, state.now + ctx.network, Ev.PublishArrive, p);
  return p.id;
}

/**
 * The code a negative confirm carries: the Reason, and when the job's service publishes
 * again (`publish_failure: "retry"`) the refused event type too, as `reason + 256 x (type + 1)`
 * (see `confirmRetryType`).
 */
function refusal(ctx: RunContext, job: Job, type: number, reason: number): number {
  return ctx.serviceRetriesPublish[job.svc] ? reason + 256 * (type + 1) : reason;
}

/** The event type a negative confirm asks to publish again, or -1 (see `refusal`). */
export function confirmRetryType(code: number): number {
  return (code >> 8) - 1;
}

/**
 * The broker's time to store a publish before it confirms it: `broker.confirm_ms`, and
 * with a slow broker (`factor`) the whole confirm round trip as the producer sees it,
 * `2 x network_ms + confirm_ms`, takes `factor` times longer.
 */
export function storeTime(ctx: RunContext, state: SimState): number {
  const roundTrip = 2 * ctx.network + ctx.confirmMs;
  return Math.round(ctx.confirmMs + (state.broker.slowFactor - 1) * roundTrip);
}

/**
 * The event is at the broker. Storing it takes `storeTime`: with none (the default) it is
 * taken now, as it always was; otherwise once stored. Either way the publish was sent
 * while the broker was up, so it is taken even if the broker goes down meanwhile (the
 * simulator decides a publish's fate when it leaves the producer).
 */
export function onPublishArrive(ctx: RunContext, state: SimState, p: PublishInTransit): void {
  // A leader it needs is being elected: the producer sends it again once one is known.
  const held = ctx.flavour.heldUntil?.(ctx, state, p) ?? 0;
  if (held > state.now) {
    schedule(state, held, Ev.PublishArrive, p);
    return;
  }
  const store = storeTime(ctx, state);
  if (store > 0) {
    schedule(state, state.now + store, Ev.PublishStored, p);
    return;
  }
  onPublishStored(ctx, state, p);
}

/** The broker has the event: the flavour takes it, and the publisher's confirm travels back. */
export function onPublishStored(ctx: RunContext, state: SimState, p: PublishInTransit): void {
  const order = p.order;
  const refused = ctx.flavour.accept(ctx, state, p);
  // A saga message refused by a full queue stays with its sender, which sends it again; a
  // queue that keeps refusing it makes the sender give up: the message is lost, and its
  // saga waits for good.
  if (refused && p.sagaTries > 0) {
    if (p.sagaTries < SAGA_MAX_SENDS_TO_FULL_QUEUE)
      resendLater(state, { order, svc: p.from, type: p.type, tries: p.sagaTries });
    else
      record(
        ctx,
        state,
        Rec.NeverPublished,
        nodeOf(ctx, p.from),
        BROKER_NODE,
        0,
        order.corr,
        0,
        p.type,
        0,
      );
  }
  order.live--;
  // The publisher's confirm travels back (negative if a full queue refused the message).
  if (p.job) {
    const code = refused ? refusal(ctx, p.job, p.type, refused) : 0;
    schedule(state, state.now + ctx.network, Ev.ConfirmArrive, p.job, code);
  }
  checkOrderDone(ctx, state, order);
}

/**
 * Orchestration: the sends of saga messages (the orchestrator's commands, the steps'
 * replies) are durable: each is saved with the work that decided it (an outbox, as saga
 * frameworks use) and kept until the broker takes it. The n-th send again waits
 * `min(PUBLISH_RETRY_CAP_MS, PUBLISH_RETRY_BASE_MS x 2^(n-1))`, half fixed and half random,
 * as a producer's publish retries do (producer.ts).
 */
export const SAGA_RESEND_BASE_MS = 100;
export const SAGA_RESEND_CAP_MS = 1000;
/**
 * Sends of one saga message a full queue (reject-publish) may refuse before its sender
 * gives up on it. A down broker comes back, and its refusals are sent again without end.
 */
export const SAGA_MAX_SENDS_TO_FULL_QUEUE = 10;

/**
 * Service `index` sends saga message `type` for `order` (its `tries`-th send). Refused
 * at once by a down broker, it is sent again later; the order waits for it.
 */
export function sagaSend(
  ctx: RunContext,
  state: SimState,
  index: number,
  type: number,
  order: Order,
  tries: number,
): void {
  const id = publishFrom(ctx, state, index, nodeOf(ctx, index), type, order, null, tries, tries);
  if (id === 0) resendLater(state, { order, svc: index, type, tries });
}

/** Keep a refused saga message and send it again after a backoff. */
function resendLater(state: SimState, send: SagaSend): void {
  const svc = state.services[send.svc] as ServiceState;
  const ceiling = Math.min(SAGA_RESEND_CAP_MS, SAGA_RESEND_BASE_MS * 2 ** (send.tries - 1));
  const wait = Math.round(ceiling / 2 + (nextFloat(svc.publishRetryRng) * ceiling) / 2);
  send.order.live++;
  schedule(state, state.now + wait, Ev.SagaResend, send, wait);
}

/** The backoff is over: send the kept saga message again. */
export function onSagaResend(ctx: RunContext, state: SimState, send: SagaSend, wait: number): void {
  const order = send.order;
  order.live--;
  record(
    ctx,
    state,
    Rec.PublishRetry,
    nodeOf(ctx, send.svc),
    BROKER_NODE,
    0,
    order.corr,
    send.tries + 1,
    send.type,
    wait,
  );
  sagaSend(ctx, state, send.svc, send.type, order, send.tries + 1);
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
