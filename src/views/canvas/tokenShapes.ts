/** Token shapes, shared by where tokens are placed (tokens.ts) and how they are painted (tokenPaint.ts). */

/** Token shapes: request/response circles, events squares, and never colour alone. */
export const Shape = {
  /** A call on its way: filled circle. */
  Request: 0,
  /** A successful answer: ring. */
  Response: 1,
  /** A failed answer (error, timeout, unavailable): red cross. */
  Failure: 2,
  /** An event copy (published, routed, delivered): filled rounded square. */
  Event: 3,
  /** A retry, redelivery or requeue: dashed outline square. */
  Retry: 4,
  /** A dead letter: grey triangle. */
  DeadLetter: 5,
  /**
   * An event of a saga's compensation (PaymentFailed, OrderCancelled), or an orchestrator's
   * compensating command (RefundPayment) and its reply: a diamond.
   */
  Compensation: 6,
  /** Orchestration: a command from the orchestrator to a step: a triangle pointing on. */
  Command: 7,
  /** Orchestration: a step's reply to the orchestrator: an outlined square. */
  Reply: 8,
} as const;
export type ShapeCode = (typeof Shape)[keyof typeof Shape];
export const SHAPE_COUNT = 9;
