/**
 * The producer side of reliability (issue 12): the entry service's work and its events.
 * Saving the work and publishing its event are two writes (the dual write): a process
 * that dies between them either committed work whose event never leaves (publish after
 * the commit) or published an event for work it never committed (publish before it: a
 * phantom). The outbox makes the event part of the commit: it is saved in the same
 * transaction, and a relay reads the outbox and publishes, at least once.
 *
 * Here: the outbox table and its relay. The request-side choices (when to publish, when
 * to answer) are in chain.ts, where the entry job ends.
 */
import { publishFrom } from './broker';
import { nextFloat } from './rng';
import {
  checkOrderDone,
  crashesBeforePublish,
  dequeAt,
  dequePopFront,
  dequePushBack,
  Ev,
  type Job,
  JobState,
  nodeOf,
  type Order,
  type OutboxRow,
  type RunContext,
  record,
  type ServiceState,
  type SimState,
  schedule,
} from './state';
import { BROKER_NODE, Rec } from './trace';

/**
 * `publish_failure: "retry"`: the n-th retry waits `min(cap, base x 2^n)`, half of it
 * fixed and half random ("equal jitter" in the AWS Architecture Blog's "Exponential
 * Backoff And Jitter"), so it never comes back at once and retries spread out. Teaching
 * defaults, in the range real clients use: the RabbitMQ Java client's automatic recovery
 * reconnects every `networkRecoveryInterval`, 5 s by default (ConnectionFactory's
 * DEFAULT_NETWORK_RECOVERY_INTERVAL, rabbitmq-java-client); Kafka's producer retries a
 * send itself after `retry.backoff.ms` (100 ms), growing to `retry.backoff.max.ms` (1 s),
 * until `delivery.timeout.ms` (120 000 ms) has passed (Kafka producer configs,
 * https://kafka.apache.org/documentation/#producerconfigs).
 */
export const PUBLISH_RETRY_BASE_MS = 100;
export const PUBLISH_RETRY_CAP_MS = 1000;

/**
 * The broker refused event `type` of `job` and its service publishes again: after a
 * backoff, while the request waits and the worker stays held.
 */
export function retryPublish(state: SimState, job: Job, type: number, reason: number): void {
  const svc = state.services[job.svc] as ServiceState;
  const ceiling = Math.min(PUBLISH_RETRY_CAP_MS, PUBLISH_RETRY_BASE_MS * 2 ** job.publishRetries);
  const wait = Math.round(ceiling / 2 + (nextFloat(svc.publishRetryRng) * ceiling) / 2);
  job.publishRetries++;
  if (job.retrying) job.retrying.push(type);
  else job.retrying = [type];
  // The event type, the refusal's Reason and the wait ride on the timer.
  schedule(state, state.now + wait, Ev.PublishRetry, job, type | (reason << 8) | (wait << 16));
}

/**
 * The backoff is over: publish the refused event again. If the caller stopped waiting
 * meanwhile (its timeout), the service stops too: the refusal is final and the request
 * fails (its answer is discarded). A job that died meanwhile (its service went down)
 * publishes nothing: its order has failed.
 */
export function onPublishRetry(ctx: RunContext, state: SimState, job: Job, code: number): void {
  const type = code & 255;
  if (job.state !== JobState.Publishing || !job.retrying) return;
  const k = job.retrying.indexOf(type);
  if (k < 0) return;
  job.retrying.splice(k, 1);
  if (!job.call.open) {
    schedule(state, state.now, Ev.ConfirmArrive, job, (code >> 8) & 255);
    return;
  }
  const node = nodeOf(ctx, job.svc);
  const attempt = job.publishRetries + 1;
  record(
    ctx,
    state,
    Rec.PublishRetry,
    node,
    BROKER_NODE,
    0,
    job.order.corr,
    attempt,
    type,
    code >>> 16,
  );
  publishFrom(ctx, state, job.svc, node, type, job.order, job, attempt);
}

/**
 * Save the events of `order`'s work in service `index`'s outbox, in the transaction that
 * commits the work: from now on they are owed, and the order is not done until the
 * relay has published them.
 */
export function saveToOutbox(ctx: RunContext, state: SimState, index: number, order: Order): void {
  const svc = state.services[index] as ServiceState;
  const node = nodeOf(ctx, index);
  const outbox = ctx.serviceOutbox[index] as number;
  for (const type of ctx.serviceEmits[index] as readonly number[]) {
    const row: OutboxRow = { type, order, savedAt: state.now, sent: 0 };
    dequePushBack(svc.outbox, row);
    order.live++;
    record(ctx, state, Rec.OutboxSaved, node, outbox, 0, order.corr, 0, type, 0);
  }
  scheduleRelay(ctx, state, index);
}

/**
 * The relay polls every `outbox_poll_ms`, on the multiples of it (so the moment does not
 * depend on when a row was saved). It is only scheduled while rows wait and the service
 * is up: a run that uses no outbox never schedules one.
 */
export function scheduleRelay(ctx: RunContext, state: SimState, index: number): void {
  const svc = state.services[index] as ServiceState;
  if (svc.relay || svc.outbox.size === 0 || svc.down) return;
  const every = (ctx.model.services[index] as { outboxPollMs: number }).outboxPollMs;
  const at = (Math.floor(state.now / every) + 1) * every;
  svc.relay = schedule(state, at, Ev.OutboxPoll, null, index);
}

/**
 * The relay's poll: publish every waiting row, oldest first, marking each sent. A relay
 * that dies (`crashesBeforePublish`: the service's crash-before-publish rate applies to
 * its relay) after publishing a row and before marking it leaves the row in the outbox:
 * the next poll publishes it again, as a new message (a republish; consumers see a
 * duplicate event with another id). The rest of the batch waits for that poll too.
 * The relay runs in the service's process: while the service is down nobody polls, and
 * the rows wait (they are in the database) until it is back.
 */
export function onOutboxPoll(ctx: RunContext, state: SimState, index: number): void {
  const svc = state.services[index] as ServiceState;
  svc.relay = null;
  if (svc.down) return;
  const node = ctx.serviceOutbox[index] as number;
  while (svc.outbox.size > 0) {
    const row = dequeAt(svc.outbox, 0) as OutboxRow;
    const order = row.order;
    const id = publishFrom(ctx, state, index, node, row.type, order, null);
    // The broker is down: the row stays in the outbox, and the next poll tries again.
    if (id === 0) break;
    row.sent++;
    if (row.sent > 1)
      record(ctx, state, Rec.Republished, node, BROKER_NODE, id, order.corr, row.sent, row.type, 0);
    if (crashesBeforePublish(svc)) break;
    dequePopFront(svc.outbox);
    record(
      ctx,
      state,
      Rec.OutboxRelayed,
      node,
      BROKER_NODE,
      id,
      order.corr,
      0,
      row.type,
      state.now - row.savedAt,
    );
    order.live--;
    checkOrderDone(ctx, state, order);
  }
  scheduleRelay(ctx, state, index);
}
