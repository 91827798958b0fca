/**
 * What the inspector shows for one selected node, read from the simulation's public API:
 * a summary, the messages it holds, and the latest trace lines that involve it.
 */
import type { MessageView } from '../../core/simulation';
import type { RunView } from '../../run/view';
import { deadLettersNow } from '../../store/broker';
import { serviceStatus } from '../canvas/status';
import { describeRecord, eventTypesById } from './traceSentence';

export interface InspectorView {
  kind: 'service' | 'queue' | 'dlq';
  title: string;
  /** Label / value pairs, in display order. */
  summary: Array<[string, string]>;
  messages: MessageView[];
  /** How many there are in all (the list shows at most MESSAGE_LIMIT). */
  messagesTotal: number;
  /** Newest first. */
  trace: string[];
}

export const MESSAGE_LIMIT = 50;
export const TRACE_LINES = 15;
/** Records scanned for trace lines: the whole ring the engine keeps. */
const TRACE_SCAN = 4096;

const n = (x: number) => x.toLocaleString('en-US');

/** How a service's work publishes its events (issue 12): only the entry's, in event fan-out. */
export function publishing(sim: RunView, service: number): Array<[string, string]> {
  const model = sim.model;
  const info = model.services[service];
  if (model.architecture !== 'event' || service !== model.entry || !info || info.emits.length === 0)
    return [];
  const v = sim.service(service);
  // Refused by a down broker: what became of them depends on the mode (shown once there are some).
  const refused = (what: string): Array<[string, string]> =>
    v.publishRefused > 0
      ? [[`Publishes refused by the broker (${what})`, n(v.publishRefused)]]
      : [];
  switch (v.publish) {
    case 'before-commit':
      return [
        ['Publish mode', 'before-commit: publish, then save (a crash between sends a phantom)'],
        ...refused('nothing saved: the order failed'),
      ];
    case 'outbox':
      return [
        [
          'Publish mode',
          `outbox: saved with the order; a relay publishes every ${info.outboxPollMs} ms`,
        ],
        ['Waiting in the outbox', n(v.inOutbox)],
        ...refused('the relay’s tries: the rows wait'),
      ];
    default:
      return [
        ['Publish mode', 'after-commit: save, then publish (a crash between loses the event)'],
        ...(info.publishFailure === 'retry'
          ? refused('each published again after a backoff; the order waited')
          : refused('each a failed order')),
      ];
  }
}

/**
 * Orchestration, for the orchestrator (the entry service): its role, the steps it commands
 * in order, and where its sagas stand. It is the one place that knows each order's state.
 */
export function orchestrating(sim: RunView, service: number): Array<[string, string]> {
  const model = sim.model;
  const saga = model.saga;
  if (!saga || service !== model.entry) return [];
  const v = sim.service(service);
  const r = sim.report();
  const name = (i: number) => (model.services[i]?.name ?? '').replace(/ Service$/, '');
  return [
    ['Role', 'orchestrator: commands each step and waits for its reply'],
    ['Steps, in order', saga.steps.map((step) => step.map(name).join(' + ')).join(' → ')],
    ['Sagas under way', n(v.sagasRunning)],
    ['Of those, compensating', n(v.sagasCompensating)],
    ['Sagas confirmed', n(r.orders.completed)],
    ['Sagas cancelled', n(r.orders.cancelled)],
  ];
}

export function inspectNode(sim: RunView, nodeId: string): InspectorView | null {
  const model = sim.model;
  const node = model.nodes.find((x) => x.id === nodeId);
  if (!node) return null;
  const tail = sim.traceTail(TRACE_SCAN);
  const types = eventTypesById(model, tail);
  const ctx = { model, eventOf: (msg: number) => types.get(msg) };
  const lines: string[] = [];
  for (let i = tail.length - 1; i >= 0 && lines.length < TRACE_LINES; i--) {
    const r = tail[i]!;
    if (r.from === node.index || r.to === node.index) lines.push(describeRecord(r, ctx));
  }
  const title = node.label.charAt(0).toUpperCase() + node.label.slice(1);

  if (node.kind === 'service' && node.service !== undefined) {
    const v = sim.service(node.service);
    const status = serviceStatus(v);
    const messages = sim.serviceWork(node.service, MESSAGE_LIMIT);
    const orders = sim.report().requests.sent;
    // In a chain every layer retries on its own: one order can become many calls down the line.
    const calls: Array<[string, string]> =
      model.chain.includes(node.service) && v.calls > 0
        ? [
            ['Calls received', n(v.calls)],
            ['Refused while down', n(v.refused)],
            ...(v.circuit
              ? ([
                  ['Circuit breaker', v.circuit],
                  ['Failed fast (circuit open)', n(v.shortCircuited)],
                ] as Array<[string, string]>)
              : []),
            ...(v.pastDeadline > 0
              ? ([['Not started: deadline too close', n(v.pastDeadline)]] as Array<
                  [string, string]
                >)
              : []),
            ['Calls per order', orders > 0 ? (v.calls / orders).toFixed(1) : '–'],
          ]
        : [];
    return {
      kind: 'service',
      title,
      summary: [
        ['Status', status.word],
        ['Workers busy', `${v.busy} of ${v.workers} (${v.replicas} × ${v.concurrency})`],
        ['Calls waiting for a worker', n(v.waiting)],
        ...calls,
        ...publishing(sim, node.service),
        ...orchestrating(sim, node.service),
        ['Processed', n(v.processed)],
        ['Failed', n(v.failed)],
        ...(v.declined > 0
          ? ([['Declined (a business answer, not retried)', n(v.declined)]] as Array<
              [string, string]
            >)
          : []),
        ...(v.doneForFailedOrders > 0
          ? ([['Work done for failed or cancelled orders', n(v.doneForFailedOrders)]] as Array<
              [string, string]
            >)
          : []),
        ...(v.compensations > 0
          ? ([['Compensations carried out (undoing its work)', n(v.compensations)]] as Array<
              [string, string]
            >)
          : []),
        ['Duplicates', n(v.duplicates)],
      ],
      messages,
      messagesTotal: v.busy + v.waiting,
      trace: lines,
    };
  }
  if (node.kind === 'queue' && node.queue !== undefined) {
    const q = sim.queue(node.queue);
    return {
      kind: 'queue',
      title,
      summary: [
        ['Waiting', n(q.waiting)],
        ['Retrying (in backoff)', n(q.retrying)],
        ['In flight', n(q.inFlight)],
        ['Processed', n(q.processed)],
        // Fanout: every bound queue gets every event; one with no handler is acked unread.
        ...(q.ignored > 0 ? [['Acked unread (no handler)', n(q.ignored)] as [string, string]] : []),
        ['Dead-lettered', n(q.deadLettered)],
        ['Most ever waiting', n(q.maxDepth)],
      ],
      messages: sim.queueMessages(node.queue, MESSAGE_LIMIT),
      messagesTotal: q.waiting + q.inFlight,
      trace: lines,
    };
  }
  if (node.kind === 'dlq' && node.index !== model.dlqNode) {
    return { kind: 'dlq', title, summary: [], messages: [], messagesTotal: 0, trace: lines };
  }
  if (node.kind === 'dlq') {
    const dl = sim.deadLetters(MESSAGE_LIMIT);
    return {
      kind: 'dlq',
      title,
      // Redrive moves dead letters back: what is here now, and how many ever came.
      summary: [
        ['Dead letters now', n(deadLettersNow(sim))],
        ['Dead-lettered in all', n(dl.count)],
      ],
      messages: dl.items,
      messagesTotal: deadLettersNow(sim),
      trace: lines,
    };
  }
  return null;
}
