/**
 * One AWS SDK v3 example per service for the `sns-sqs` export: publishes to the SNS topic
 * with the `fanout_event` attribute its subscriptions filter on, and a consumer that
 * long-polls its SQS queue, deletes a message only after the work, and on failure hides it
 * for the backoff (ChangeMessageVisibility) until `maxReceiveCount` moves it to the
 * dead-letter queue.
 */
import type { Scenario } from '../../../core/scenario';
import { EVENT_ATTRIBUTE, type SnsSqsExport } from '../snsSqs';
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

type SnsSqsBroker = Extract<Scenario['broker'], { kind: 'sns-sqs' }>;

export function snsSqsExamples(s: Scenario, x: SnsSqsExport, b: SnsSqsBroker): ExportFile[] {
  return examplesPerService(s, (svc) => serviceFile(s, x, b, svc));
}

function serviceFile(s: Scenario, x: SnsSqsExport, b: SnsSqsBroker, svc: Service): string {
  const consumes = svc.subscribes.length > 0;
  const producer = takesOrders(s, svc) ? producerCode(s, svc) : undefined;
  const queueName = `${s.id}-${svc.id}${b.fifo ? '.fifo' : ''}`;
  const does: string[] = [...(producer?.does ?? [])];
  if (svc.emits.length > 0)
    does.push(
      `publishes to the topic (TOPIC_ARN: the template output) with the message attribute ${EVENT_ATTRIBUTE} = the event name${b.fifo ? ', MessageGroupId = the customer and MessageDeduplicationId = the event id (FIFO)' : ''}; a publish counts once SNS answered it`,
    );
  if (consumes)
    does.push(
      `long-polls ${queueName}, up to ${Math.min(10, svc.concurrency)} messages at a time, and deletes a message only after its work`,
      ...consumerDoes(svc),
      `on failure: hides the message for the backoff (ChangeMessageVisibility); SQS moves it to the dead-letter queue after ${b.max_receive_count} receives (maxReceiveCount)`,
    );
  const leavesOut = commonLeavesOut(s, svc);
  if (b.extend_visibility)
    leavesOut.push(
      'extending the visibility timeout while working (a ChangeMessageVisibility heartbeat)',
    );
  const code: string[] = [
    ...header(s, svc, {
      flavour: 'Amazon SNS + SQS (AWS SDK v3)',
      run: `deploy cloudformation.yaml; npm install @aws-sdk/client-sns @aws-sdk/client-sqs tsx; TOPIC_ARN=... npx tsx ${exampleName(svc)}`,
      does,
      leavesOut,
      cannotExpress: x.notExpressed,
    }),
    '',
    'import { randomUUID } from "node:crypto";',
    'import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";',
    'import {',
    '  ChangeMessageVisibilityCommand,',
    '  DeleteMessageCommand,',
    '  GetQueueUrlCommand,',
    '  type Message,',
    '  ReceiveMessageCommand,',
    '  SQSClient,',
    '} from "@aws-sdk/client-sqs";',
    '',
    'const TOPIC_ARN = process.env.TOPIC_ARN ?? "";',
    `const QUEUE_NAME = ${lit(queueName)};`,
    `const MAX_RECEIVE_COUNT = ${lit(b.max_receive_count)};`,
    '',
    ...sharedCode(s, svc),
    '',
    'const sns = new SNSClient({});',
    'const sqs = new SQSClient({});',
    '',
    '/** Publishes one event; resolves once SNS accepted it. */',
    'async function publishEvent(event: OrderEvent): Promise<void> {',
    '  await sns.send(',
    '    new PublishCommand({',
    '      TopicArn: TOPIC_ARN,',
    '      Message: JSON.stringify(event),',
    `      MessageAttributes: { ${lit(EVENT_ATTRIBUTE)}: { DataType: "String", StringValue: event.type } },`,
    ...(b.fifo
      ? ['      MessageGroupId: event.key,', '      MessageDeduplicationId: event.event_id,']
      : []),
    '    }),',
    '  );',
    '}',
    '',
  ];
  if (consumes)
    code.push(
      ...handleCode(svc),
      '',
      ...failureCode(svc),
      '',
      'const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: QUEUE_NAME }))).QueueUrl ?? "";',
      '',
      '/** One message: the work, then the delete; a failure hides it for the backoff. */',
      'async function onMessage(message: Message): Promise<void> {',
      '  const event = JSON.parse(message.Body ?? "{}") as OrderEvent;',
      '  const receives = Number(message.Attributes?.ApproximateReceiveCount ?? 1);',
      '  try {',
      '    const rememberAfter = await handle(event, event.event_id);',
      '    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));',
      '    if (rememberAfter !== undefined) store.remember(rememberAfter);',
      '  } catch {',
      '    if (receives >= MAX_RECEIVE_COUNT) return failedForGood(event); // SQS dead-letters it next',
      '    const seconds = Math.ceil(backoffMs(receives) / 1000);',
      '    await sqs.send(',
      '      new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: seconds }),',
      '    );',
      '  }',
      '}',
      '',
      'async function consume(): Promise<void> {',
      '  for (;;) {',
      '    const { Messages = [] } = await sqs.send(',
      '      new ReceiveMessageCommand({',
      '        QueueUrl: queueUrl,',
      `        MaxNumberOfMessages: ${lit(Math.min(10, svc.concurrency))},`,
      '        WaitTimeSeconds: 20,',
      '        MessageSystemAttributeNames: ["ApproximateReceiveCount"],',
      '      }),',
      '    );',
      '    await Promise.all(Messages.map(onMessage));',
      '  }',
      '}',
      '',
      'void consume();',
    );
  if (producer) code.push('', ...producer.code);
  if (producer?.code.some((l) => l.startsWith('async function relay')))
    code.push('', 'void relay();');
  if (producer) code.push('', 'await sendOrders(20);');
  return `${code.join('\n')}\n`;
}
