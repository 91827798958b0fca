/**
 * What the page says of each broker flavour from its first paint: the switch's names, the
 * fan-out canvas's subtitle, a queue's word for what is in flight. The rest of each
 * flavour's description (brokerFlavours.ts: settings, roles, versions, sources) loads with
 * the Broker tab and the editor, not with the page.
 */
import type { Scenario } from '../core/scenario';

export type BrokerKind = Scenario['broker']['kind'];

export interface FlavourName {
  kind: BrokerKind;
  /** What the switch says: "Kafka-style log". */
  label: string;
  /** The product and version it imitates. */
  imitates: string;
  /** Under the fan-out canvas's title: how events reach the subscribers. */
  subtitle: string;
  /** The learner's word for a subscriber's line: queue, consumer group... */
  subscriptionWord: string;
  /** The learner's word for "in flight" on this broker. */
  inFlightWord: string;
  inFlightHelp: string;
}

export const FLAVOUR_NAMES: Record<BrokerKind, FlavourName> = {
  queue: {
    kind: 'queue',
    label: 'RabbitMQ-style queue',
    imitates: 'RabbitMQ 4.x (4.2)',
    subtitle: 'Order Service publishes OrderCreated; each subscriber reads its own queue',
    subscriptionWord: 'queue',
    inFlightWord: 'unacked',
    inFlightHelp: 'Delivered to the consumer, not yet acknowledged (at most prefetch per consumer)',
  },
  log: {
    kind: 'log',
    label: 'Kafka-style log',
    imitates: 'Apache Kafka 4.x',
    subtitle: 'Order Service appends OrderCreated to a log; each subscriber is a consumer group',
    subscriptionWord: 'consumer group',
    inFlightWord: 'in flight',
    inFlightHelp: 'Records a member has read and not yet committed',
  },
  'sns-sqs': {
    kind: 'sns-sqs',
    label: 'SNS + SQS',
    imitates: 'Amazon SNS + SQS',
    subtitle:
      'Order Service publishes OrderCreated to SNS; each subscriber reads its own SQS queue',
    subscriptionWord: 'SQS queue',
    inFlightWord: 'invisible',
    inFlightHelp: 'Received and not yet deleted: hidden until the visibility timeout ends',
  },
};

/** The flavours in the order the switch lists them. */
export const FLAVOUR_ORDER: readonly BrokerKind[] = ['queue', 'log', 'sns-sqs'];
