/**
 * The three broker flavours behind event fan-out.
 *
 * - `queue` (RabbitMQ 4.x style, queue.ts): exchanges route a copy to every bound queue;
 *   manual ack; failures are retried after a backoff, requeued or rejected; per-queue
 *   TTL, max-length (drop-head or reject-publish), delivery limit, dead-lettering.
 * - `log` (Kafka 4.x style, log.ts): records are appended to partitions by key and never
 *   change; each subscriber is a consumer group with its own committed offsets; a
 *   partition is read by one member at a time, in order; retention ignores reading.
 * - `sns-sqs` (snsSqs.ts): a topic copies each message to subscribed queues (filter
 *   policies apply); a received message is invisible for the visibility timeout and
 *   reappears unless deleted; the redrive policy moves it to a dead-letter queue after
 *   maxReceiveCount receives; FIFO queues keep order per message group and drop
 *   repeats seen within five minutes.
 *
 * What they share lives beside them: publishing and routing (routing.ts), handing
 * copies to consumers (consumers.ts), retries and dead letters (retry.ts). Each flavour
 * is a `BrokerFlavour` (state.ts), chosen once per run by `createFlavour`.
 *
 * Every copy's life is written to the trace with the same records in all flavours
 * (enqueued, delivered, acked, requeued, dead-lettered...), so metrics, invariants and
 * the canvas work the same way whichever broker is chosen.
 */
import type { Scenario } from '../scenario';
import type { BrokerFlavour } from '../state';
import { createLogFlavour } from './log';
import { createQueueFlavour } from './queue';
import { createSnsSqsFlavour } from './snsSqs';

export type { BrokerFlavour, OffsetTarget } from '../state';
export type { PartitionView } from './actions';
export {
  groupPartitions,
  oldestWaitingAge,
  redrive,
  resetOffsets,
  setIdempotent,
  subscribe,
} from './actions';
export { dropConsumerWork, onDeliveryDone, startConsumers } from './consumers';
export { onRetryReady } from './retry';
export {
  compileFilters,
  confirmRetryType,
  onPublishArrive,
  onPublishStored,
  onSagaResend,
  publish,
  publishFrom,
  SAGA_RESEND_BASE_MS,
  SAGA_RESEND_CAP_MS,
  storeTime,
} from './routing';
export { DEDUP_WINDOW_MS, STANDARD_DUPLICATE_RATE } from './snsSqs';

/** The rules of the scenario's broker, for one run. The only place that asks which broker it is. */
export function createFlavour(broker: Scenario['broker']): BrokerFlavour {
  switch (broker.kind) {
    case 'queue':
      return createQueueFlavour(broker);
    case 'log':
      return createLogFlavour(broker);
    case 'sns-sqs':
      return createSnsSqsFlavour(broker);
  }
}
