/** Data each canvas node carries. Static for a run: live numbers are selected from the store. */
import type { Node } from '@xyflow/react';
import type { Side } from '../../run/modes';

interface Base extends Record<string, unknown> {
  side: Side;
  /** Model node number. */
  index: number;
  label: string;
}

export interface ServiceData extends Base {
  service: number;
  serviceId: string;
  /** It answers calls (chain hops, the entry service): show calls waiting for a worker. */
  takesCalls: boolean;
  /** It consumes from a queue (crash-before-ack applies). */
  consumes: boolean;
  /** Event fan-out's entry service that emits: it publishes for requests (crash-before-publish applies). */
  publishes: boolean;
  /** Orchestration's entry service: it runs each order's saga (commands out, replies in). */
  orchestrates: boolean;
}
export interface QueueData extends Base {
  queue: number;
}
export interface BrokerData extends Base {
  /** Lines under the name: exchange kind, which product it imitates. */
  details: string[];
  eventTypes: string[];
}
export type ClientData = Base;
export interface DlqData extends Base {
  /** The run's dead-letter queue (its count is `sim.deadLetters`); false for other parking queues. */
  deadLetters: boolean;
}

export type RetryData = Base;
export interface OutboxData extends Base {
  /** The service whose outbox it is. */
  service: number;
}

export type ServiceNodeType = Node<ServiceData, 'service'>;
export type QueueNodeType = Node<QueueData, 'queue'>;
export type BrokerNodeType = Node<BrokerData, 'broker'>;
export type ClientNodeType = Node<ClientData, 'client'>;
export type DlqNodeType = Node<DlqData, 'dlq'>;
export type RetryNodeType = Node<RetryData, 'retry'>;
export type OutboxNodeType = Node<OutboxData, 'outbox'>;
export type CanvasNode =
  | ServiceNodeType
  | QueueNodeType
  | BrokerNodeType
  | ClientNodeType
  | DlqNodeType
  | RetryNodeType
  | OutboxNodeType;
