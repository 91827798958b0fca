/**
 * One amqplib example per service for the `rabbitmq` export: the consumer settings of the
 * queue flavour (prefetch, ack after the work, nack/reject/retry queues) and the
 * producer's publish mode, on the topology of `definitions.json` (names read off it, so
 * they cannot drift apart).
 */
import type { Scenario } from '../../../core/scenario';
import type { RabbitDefinitions } from '../rabbitmq';
import { retryDelays } from '../rabbitmq';
import {
  commonLeavesOut,
  consumerDoes,
  type ExportFile,
  exampleName,
  examplesPerService,
  failureCode,
  handleCode,
  header,
  lit,
  producerCode,
  type Service,
  sharedCode,
  takesOrders,
} from './common';

type QueueBroker = Extract<Scenario['broker'], { kind: 'queue' }>;

export function rabbitMqExamples(s: Scenario, d: RabbitDefinitions, b: QueueBroker): ExportFile[] {
  return examplesPerService(s, (svc) => serviceFile(s, d, b, svc));
}

function serviceFile(s: Scenario, d: RabbitDefinitions, b: QueueBroker, svc: Service): string {
  const topology = d.comment.topology;
  const queue = topology.queues[svc.id];
  const consumes = queue !== undefined;
  const produces = takesOrders(s, svc);
  const prefetch = b.prefetch ?? svc.concurrency;
  const retries = b.on_failure === 'retry' && s.delivery.max_attempts > 1;
  // Attempt n failed: its wait is the n-th backoff ceiling, one retry queue per distinct one.
  const delays = retries ? retryDelays(s.delivery) : [];
  const retryQueueOf = (attempt: number) => {
    const ceiling =
      s.delivery.backoff === 'fixed'
        ? s.delivery.base_ms
        : Math.min(s.delivery.cap_ms, s.delivery.base_ms * 2 ** Math.min(attempt - 1, 40));
    return topology.retryQueues[svc.id]?.[delays.indexOf(ceiling)]?.name ?? '';
  };
  const retryQueues = retries
    ? Array.from({ length: s.delivery.max_attempts - 1 }, (_, i) => retryQueueOf(i + 1))
    : [];

  const does: string[] = [];
  const leavesOut = commonLeavesOut(s, svc);
  const producer = produces ? producerCode(s, svc) : undefined;
  if (producer) does.push(...producer.does);
  if (svc.emits.length > 0)
    does.push(
      `publishes to ${topology.exchange} with the event name as routing key, persistent, on a confirm channel: a publish counts once the broker confirmed it`,
    );
  if (consumes) {
    does.push(
      `consumes ${queue} with prefetch ${prefetch} (basic.qos${b.prefetch === undefined ? ': the service concurrency, Fanout teaching default' : ''})`,
      ...consumerDoes(svc),
    );
    if (b.on_failure === 'requeue')
      does.push(
        b.queue_type === 'quorum'
          ? `on failure: nack with requeue; the quorum queue dead-letters it once returned more than ${b.delivery_limit} times`
          : 'on failure: nack with requeue (a classic queue has no delivery limit)',
      );
    else if (!retries)
      does.push(
        `on failure: reject without requeue (${s.delivery.dead_letter ? 'to the dead-letter exchange' : 'dropped: dead letters are off'})`,
      );
    else
      does.push(
        `on failure: publish the copy to its retry queue for that attempt (a TTL queue that dead-letters it back here), then ack it; after attempt ${s.delivery.max_attempts}, reject without requeue`,
      );
  }
  if (svc.subscribes.length > 0 && !svc.subscribed)
    leavesOut.push(
      'the subscription added during the run: its queue has no bindings until you add them',
    );

  const code: string[] = [
    ...header(s, svc, {
      flavour: 'RabbitMQ (amqplib)',
      run:
        'rabbitmqctl import_definitions definitions.json; npm install amqplib tsx; AMQP_URL=amqp://localhost npx tsx ' +
        exampleName(svc),
      does,
      leavesOut,
      cannotExpress: d.comment.not_expressed,
    }),
    '',
    'import { randomUUID } from "node:crypto";',
    'import { type ConfirmChannel, type ConsumeMessage, connect } from "amqplib";',
    '',
    `const EXCHANGE = ${lit(topology.exchange)};`,
    ...(consumes ? [`const QUEUE = ${lit(queue)};`, `const PREFETCH = ${lit(prefetch)};`] : []),
    ...(retries
      ? [
          '/** The retry queue for failed attempt n (index n - 1): a TTL queue of its backoff. */',
          `const RETRY_QUEUES: string[] = ${lit(retryQueues)};`,
        ]
      : []),
    '/** A header that counts attempts: the retry queues bring the copy back with it. */',
    'const ATTEMPT_HEADER = "x-fanout-attempt";',
    '',
    ...sharedCode(s, svc),
    '',
    '// ---- The broker -----------------------------------------------------------------',
    'const connection = await connect(process.env.AMQP_URL ?? "amqp://localhost");',
    '// A confirm channel: the broker acks each publish once it has it (a nack: refused,',
    '// e.g. a full queue with x-overflow reject-publish).',
    'const channel: ConfirmChannel = await connection.createConfirmChannel();',
    '',
    '/** Publishes one event and resolves once the broker confirmed it. */',
    'function publishEvent(event: OrderEvent, attempt = 1): Promise<void> {',
    '  return new Promise((resolve, reject) => {',
    '    channel.publish(',
    '      EXCHANGE,',
    '      event.type,',
    '      Buffer.from(JSON.stringify(event)),',
    '      {',
    '        persistent: true,',
    '        messageId: event.event_id,',
    '        contentType: "application/json",',
    '        headers: { [ATTEMPT_HEADER]: attempt },',
    '      },',
    '      (error) => (error ? reject(new Error("publish not confirmed")) : resolve()),',
    '    );',
    '  });',
    '}',
    '',
  ];
  if (consumes) {
    code.push(
      ...handleCode(svc),
      '',
      ...failureCode(svc),
      '',
      '/** One delivery: the work, then the ack; a failure as the scenario says. */',
      'async function onDelivery(message: ConsumeMessage): Promise<void> {',
      '  const event = JSON.parse(message.content.toString()) as OrderEvent;',
      '  const attempt = Number(message.properties.headers?.[ATTEMPT_HEADER] ?? 1);',
      '  let rememberAfterAck: string | undefined;',
      '  try {',
      '    rememberAfterAck = await handle(event, String(message.properties.messageId ?? event.event_id));',
      '  } catch {',
    );
    if (b.on_failure === 'requeue')
      code.push(
        '    // Back to the queue; the quorum queue counts the returns (x-delivery-limit).',
        '    channel.nack(message, false, true);',
        '    return;',
      );
    else if (!retries)
      code.push(
        '    await failedForGood(event);',
        '    channel.reject(message, false); // to the dead-letter exchange, if the queue has one',
        '    return;',
      );
    else
      code.push(
        '    if (attempt >= MAX_ATTEMPTS) {',
        '      await failedForGood(event);',
        '      channel.reject(message, false); // to the dead-letter exchange, if the queue has one',
        '      return;',
        '    }',
        '    // Through the default exchange straight to this attempt retry queue: its TTL is the',
        '    // backoff, then it dead-letters the copy back to QUEUE only (not to the other subscribers).',
        '    const retryQueue = RETRY_QUEUES[attempt - 1] ?? QUEUE;',
        '    await new Promise<void>((resolve, reject) =>',
        '      channel.sendToQueue(',
        '        retryQueue,',
        '        message.content,',
        '        {',
        '          persistent: true,',
        '          messageId: message.properties.messageId,',
        '          contentType: "application/json",',
        '          headers: { [ATTEMPT_HEADER]: attempt + 1 },',
        '        },',
        '        (error) => (error ? reject(new Error("retry not confirmed")) : resolve()),',
        '      ),',
        '    );',
        '    channel.ack(message); // only once the retry copy is confirmed',
        '    return;',
      );
    code.push(
      '  }',
      '  channel.ack(message); // after the work: a crash before this line means a redelivery',
      '  if (rememberAfterAck !== undefined) store.remember(rememberAfterAck);',
      '}',
      '',
      '// At most PREFETCH unacknowledged deliveries on this channel at once.',
      'await channel.prefetch(PREFETCH);',
      'await channel.consume(',
      '  QUEUE,',
      '  (message) => {',
      '    if (message) void onDelivery(message);',
      '  },',
      '  { noAck: false },',
      ');',
    );
  }
  if (producer) code.push('', ...producer.code);
  if (producer?.code.some((l) => l.startsWith('async function relay')))
    code.push('', 'void relay();');
  if (producer) code.push('', 'await sendOrders(20);');
  return `${code.join('\n')}\n`;
}
