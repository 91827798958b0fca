/**
 * One order's journey as a list of hops a learner reads top to bottom: accepted,
 * published, routed to N queues, waited, delivered, processed, failed, retried after a
 * backoff, dead-lettered, redriven, duplicated... Bookkeeping records (work started,
 * answers on the wire, acknowledgements) are folded into the hops they belong to.
 */
import type { Model } from '../core/model';
import { CLIENT_NODE, REASON_NAMES, Rec, type ReasonCode, type TraceRecord } from '../core/trace';
import { durationText } from '../core/format';
import { shortNodeName } from './spans';

export type StepKind =
  | 'accepted'
  | 'call'
  | 'answered'
  | 'published'
  | 'routed'
  | 'delivered'
  | 'processed'
  | 'duplicate'
  | 'failed'
  | 'retry'
  | 'dead-letter'
  | 'redriven'
  | 'lost'
  | 'done';

export interface OrderStep {
  t: number;
  kind: StepKind;
  text: string;
  /** A step that went wrong (failed, dead-lettered, lost, an error answer). */
  bad: boolean;
}

function reason(code: number): string {
  return REASON_NAMES[code as ReasonCode] || `reason ${code}`;
}

const ms = (value: number): string => durationText(value);

export function orderSteps(records: readonly TraceRecord[], model: Model): OrderStep[] {
  const name = (i: number) => shortNodeName(model, i);
  const out: OrderStep[] = [];
  const types = new Map<number, string>();
  const typeOf = (msg: number) => types.get(msg) ?? 'the event';
  const add = (r: TraceRecord, kind: StepKind, text: string, bad = false) =>
    out.push({ t: r.t, kind, text, bad });
  const entryNode = model.services[model.entry]?.node ?? -1;

  for (const r of records) {
    switch (r.kind) {
      case Rec.OrderReceived:
        add(
          r,
          'accepted',
          `order placed by the user${r.code === 1 ? ' (it carries poison data)' : ''}`,
        );
        break;
      case Rec.RequestArrived:
        if (r.from === CLIENT_NODE && r.to === entryNode)
          add(r, 'accepted', `accepted by ${name(r.to)}`);
        else
          add(
            r,
            'call',
            `${name(r.from)} called ${name(r.to)}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''}`,
          );
        break;
      case Rec.WorkStarted:
        if (r.code !== 0)
          add(r, 'failed', `${name(r.to)} dropped the waiting call: ${reason(r.code)}`, true);
        break;
      // The user's own call: told by OrderSucceeded / OrderFailed below.
      case Rec.CallSucceeded:
        if (r.to !== CLIENT_NODE)
          add(r, 'answered', `${name(r.from)} answered ${name(r.to)}: ok after ${ms(r.value)}`);
        break;
      case Rec.CallFailed:
        if (r.to !== CLIENT_NODE)
          add(
            r,
            'failed',
            `${name(r.to)}'s call to ${name(r.from)} failed after ${ms(r.value)}: ${reason(r.code)}`,
            true,
          );
        break;
      case Rec.OrderSucceeded:
        add(r, 'answered', `the user got a success answer after ${ms(r.value)}`);
        break;
      case Rec.OrderFailed:
        add(
          r,
          'failed',
          `the user got an error after ${ms(r.value)}: ${reason(r.code)} at ${name(r.from)}`,
          true,
        );
        break;
      case Rec.Published: {
        const type = model.eventTypes[r.code] ?? 'event';
        types.set(r.msg, type);
        add(r, 'published', `${name(r.from)} published ${type}`);
        break;
      }
      case Rec.Routed:
        add(
          r,
          'routed',
          `the broker routed ${typeOf(r.msg)} to ${r.value} queue${r.value === 1 ? '' : 's'}`,
        );
        break;
      case Rec.Unroutable:
        add(r, 'lost', `${typeOf(r.msg)} matched no queue and was discarded`, true);
        break;
      case Rec.Delivered: {
        const again = r.code !== 0 ? `, ${reason(r.code)}` : '';
        add(
          r,
          'delivered',
          `waited ${ms(r.value)} in ${name(r.from)}, delivered to ${name(r.to)} (attempt ${r.attempt}${again})`,
        );
        break;
      }
      case Rec.Processed: {
        const effect = r.code & 3;
        if (effect === 1)
          add(r, 'duplicate', `${name(r.to)} processed it again: a duplicate side effect`, true);
        else if (effect === 2)
          add(r, 'processed', `${name(r.to)} skipped it: already done (idempotent)`);
        else add(r, 'processed', `processed by ${name(r.to)} in ${ms(r.value)}`);
        break;
      }
      case Rec.WorkFailed:
        add(
          r,
          'failed',
          `failed at ${name(r.to)}: ${reason(r.code)}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''}`,
          true,
        );
        break;
      case Rec.RetryScheduled:
        add(r, 'retry', `retried after a ${ms(r.value)} backoff (attempt ${r.attempt} failed)`);
        break;
      case Rec.Requeued:
        add(r, 'retry', `back to the head of ${name(r.to)}: ${reason(r.code)}`);
        break;
      case Rec.DeadLettered:
        add(
          r,
          'dead-letter',
          `dead-lettered from ${name(r.from)} after attempt ${r.attempt}: ${reason(r.code)}`,
          true,
        );
        break;
      case Rec.Redriven:
        add(r, 'redriven', `redriven from the dead-letter queue back to ${name(r.to)}`);
        break;
      case Rec.Expired:
        add(r, 'lost', `expired in ${name(r.from)}`, true);
        break;
      case Rec.Dropped:
        add(r, 'lost', `dropped from ${name(r.from)}: ${reason(r.code)}`, true);
        break;
      case Rec.AckRejected:
        add(r, 'retry', `${name(r.from)}'s acknowledgement came too late: ${reason(r.code)}`, true);
        break;
      case Rec.OrderCompleted:
        add(
          r,
          'done',
          `every piece of work finished, ${ms(r.value)} after the order${r.code === 1 ? ' (some copies dead-lettered)' : ''}`,
          r.code === 1,
        );
        break;
      default:
        break;
    }
  }
  return out;
}
