/** The run report (DESIGN.md §4): what the CLI prints with `--json`. */

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ServiceReport {
  /** Side effects performed (work done), including duplicates. */
  processed: number;
  /** Attempts whose work failed (errors, poison, resets). */
  failed: number;
  /** Most requests or messages ever waiting for this service at once. */
  max_backlog: number;
  /** Time spent on its own work per request or message. */
  latency_ms: LatencySummary;
  /** Side effects performed for orders that failed for the user (e.g. payments taken for failed orders). */
  done_for_failed_orders: number;
  /** Side effects repeated for the same message or order. */
  duplicates: number;
  /**
   * Request chain: calls that reached it, refused ones included. Divided by the
   * orders received, the amplification retries cause (up to 4^depth with 3 retries per layer).
   */
  calls: number;
  /** Request chain: calls refused because it was down (no work done, no worker used). */
  refused: number;
  /** Request chain: calls its caller's open circuit breaker failed at once, never sent (`sync.circuit_breaker`). */
  short_circuited: number;
  /** Request chain: waiting calls it did not start because the order's deadline had passed (`sync.deadline_ms`). */
  past_deadline: number;
  /**
   * Orders it refused (`decline_rate`, a declined card): a business answer, not a failure,
   * never retried. In the chain the order fails; with events its saga compensates.
   */
  declined: number;
  /** Event fan-out: its publishes the broker refused (down), its outbox relay's included. */
  publish_refused: number;
  /**
   * Orchestration: compensating commands it carried out (`compensate`, e.g. refunds), a
   * repeat of one included (counted in `duplicates` too). 0 on the other sides.
   */
  compensations: number;
}

export interface QueueReport {
  copies: number;
  processed: number;
  /** Acked without work: its consumer has no handler for the event type (fanout exchange). */
  ignored: number;
  waiting: number;
  in_flight: number;
  dead_lettered: number;
  expired: number;
  dropped: number;
  max_depth: number;
  /** Of `waiting`, copies waiting out a retry backoff. */
  retrying: number;
  /** Age of the oldest message still waiting (a log: unread by this group), 0 when none. */
  oldest_age_ms: number;
  /** Deliveries after the first (redeliveries, retries, receives after a visibility timeout). */
  redelivered: number;
  /** Most times one message was delivered (SQS: its receive count). */
  max_receives: number;
  /** Refused because the queue was full (reject-publish). */
  rejected: number;
  /** Moved back from the dead-letter queue. */
  redriven: number;
  /** Log broker: records not yet committed by this group (log end - committed, all partitions). */
  lag?: number;
  /** Log broker: lag per partition. */
  partition_lag?: number[];
}

export interface BrokerReport {
  kind: 'queue' | 'log' | 'sns-sqs';
  /** Matched no queue: dropped, or kept by an alternate exchange. */
  unroutable: number;
  unroutable_kept: number;
  /** SNS FIFO: repeats dropped because the same event came within five minutes. */
  deduplicated: number;
  /** Down now (a fault on "broker", or the learner's broker outage). */
  down: boolean;
  /** The publisher confirm's round trip is this many times longer now (1: normal). */
  slow_factor: number;
  /** `broker.confirm_ms`: time to store a publish before confirming it, on top of the round trip. */
  confirm_ms: number;
  /**
   * What has no leader now (a leader change): quorum queues by id (queue broker), or
   * "partition N" (log broker).
   */
  electing: string[];
}

export interface Report {
  scenario: string;
  seed: number;
  architecture: 'chain' | 'event' | 'orchestration';
  until_ms: number;
  requests: {
    /** Orders users sent. */
    sent: number;
    succeeded: number;
    failed: number;
    /** Still waiting for an answer at `until_ms`. */
    pending: number;
    /** Calls waiting for a free worker right now, over every service (a chain's backlog). */
    queued: number;
    /** Response time of succeeded requests, as the user saw it. */
    latency_ms: LatencySummary;
  };
  events: {
    published: number;
    delivered: number;
    /** Copies acknowledged by their consumer after doing its work. */
    processed: number;
    /**
     * Copies acked without any work: a fanout exchange gives every bound queue every
     * event, and a consumer with no handler for that event type acks it unread.
     */
    ignored: number;
    /** Deliveries after the first of the same copy. */
    redelivered: number;
    /** Side effects performed again for the same message or the same order. */
    duplicates: number;
    /**
     * Duplicates by cause. `same_message`: the same message handled again (a redelivery
     * after a crash or a visibility timeout, an SQS standard duplicate): a message-id
     * store catches them. `new_id`: the same order under another id (an outbox republish,
     * an event duplicated upstream, the chain's retried calls): only a business key does.
     */
    duplicates_by_cause: { same_message: number; new_id: number };
    in_queue: number;
    in_flight: number;
    dead_lettered: number;
    expired: number;
    dropped: number;
    unroutable: number;
    /**
     * Producer side: events of committed work that never left the producer (it died
     * between its commit and its publish: the dual write). Counted in `lost`.
     */
    never_published: number;
    /** Producer side: events published for work that was never committed (publish before the commit, then a crash). */
    phantom: number;
    /** Outbox: rows the relay published again (new message id) after dying before marking them sent. */
    republished: number;
    /** Outbox: rows saved with their work and not yet marked sent by the relay. */
    in_outbox: number;
    /**
     * Publishes the broker refused because it was down: they never entered it. Each is the
     * producer's to handle: a failed order (`publish_failure` fail), a retry, an outbox row
     * that waits, or (a consumer's follow-up event) never published, counted there.
     */
    refused: number;
    /** Refused publishes made again after a backoff (`publish_failure: "retry"`). */
    publish_retries: number;
    /**
     * Gone for good without being processed: dropped + expired + unroutable events no
     * alternate exchange kept + events never published. Dead letters are kept (they can
     * be redriven), so they are not lost. The one definition every screen and the CLI show.
     */
    lost: number;
  };
  orders: {
    /** Orders whose every piece of work finished (chain: answered OK; event: every copy processed). */
    completed: number;
    /** Orders whose work ended with at least one copy dead-lettered or dropped: finished, not fully processed. */
    with_dead_letters: number;
    /**
     * Orders a saga step failed for for good (declined or dead-lettered, `on_failure_emits`)
     * and that were compensated, every copy done. On the event side each was told
     * "accepted" first. Not counted in `completed`.
     */
    cancelled: number;
    /** Order accepted -> last subscriber done (fully processed orders). */
    completion_ms: LatencySummary;
    /**
     * Time until each order reached its final state, whatever it was: for the chain the
     * answer, ok or not; for events the last copy done, compensations included (or the
     * answer, for an order that failed at the producer).
     */
    outcome_ms: LatencySummary;
  };
  services: Record<string, ServiceReport>;
  queues: Record<string, QueueReport>;
  broker: BrokerReport;
  trace_hash: string;
}
