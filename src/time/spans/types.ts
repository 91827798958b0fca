/** The shape of one order's trace, as a tracing tool shows it (see ./index.ts). */
export type SpanKind =
  | 'order'
  | 'call'
  | 'handle'
  | 'publish'
  | 'wait'
  | 'process'
  | 'backoff'
  | 'dead-letter';

export type SpanStatus = 'ok' | 'error' | 'unset';

export interface SpanEvent {
  t: number;
  name: string;
  detail?: string;
}

export interface OrderSpan {
  /** 1, 2, ... in the order spans were opened. */
  id: number;
  /** 0 for the root. */
  parent: number;
  kind: SpanKind;
  /** What a learner reads in the waterfall. */
  name: string;
  /** Model node where it happens (service, queue, dead-letter queue, or the client). */
  node: number;
  start: number;
  end: number;
  /** Still going at the time the records end (`now`). */
  open: boolean;
  status: SpanStatus;
  /** Why it failed, when it did. */
  statusMessage: string;
  /** Call id or event id; 0 for the root. */
  msg: number;
  /** Delivery or call attempt, 0 where it does not apply. */
  attempt: number;
  /** Event type of a publish / wait / process span, else ''. */
  eventType: string;
  /** Extra facts shown in the waterfall and exported as attributes. */
  facts: Record<string, string | number | boolean>;
  events: SpanEvent[];
}

export interface OrderTrace {
  corr: number;
  start: number;
  end: number;
  spans: OrderSpan[];
  /** One line: how the order ended (or that it is still going). */
  outcome: string;
  poison: boolean;
}
