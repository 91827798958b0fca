/**
 * A Fanout scenario -> an AWS CloudFormation template (YAML) for what the SNS + SQS
 * flavour (src/core/broker/snsSqs.ts) runs on. Pure: the same text for the same scenario.
 *
 * - One SNS topic for the scenario's events (FIFO when `fifo`); a publisher sets the
 *   message attribute `fanout_event` to the event name, so each subscription's filter
 *   policy selects the events it subscribes to, as the engine routes them by name, plus
 *   the scenario's own filter policy on the order's attributes.
 * - One SQS queue per subscriber, subscribed with raw message delivery, with the
 *   flavour's visibility timeout, retention and delay (seconds: CloudFormation takes
 *   whole seconds, rounded up), and a redrive policy with `maxReceiveCount` to one
 *   dead-letter queue when dead letters are on; a queue policy lets the topic send to it.
 *
 * Property names are CloudFormation's (docs: AWS::SNS::Topic, AWS::SNS::Subscription,
 * AWS::SQS::Queue, AWS::SQS::QueuePolicy). Intrinsic functions are written in their long
 * form (`Ref`, `Fn::GetAtt`), which any YAML parser reads. A scenario on another broker
 * is exported with the SNS + SQS flavour's defaults (flavour.ts).
 */
import { stringify } from 'yaml';
import packageJson from '../../../package.json';
import { SCENARIO_VERSION, type Scenario } from '../../core/scenario';
import { brokerFor, forBroker, receivedTypes } from './flavour';

/** The message attribute a publisher sets to the event name. */
export const EVENT_ATTRIBUTE = 'fanout_event';

type Obj = Record<string, unknown>;

export interface SnsSqsExport {
  template: Obj;
  notExpressed: string[];
  text: string;
}

const getArn = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const seconds = (ms: number) => Math.ceil(ms / 1000);
/** `order-service` -> `OrderService`: CloudFormation logical ids are letters and digits. */
const pascal = (id: string) =>
  id
    .split('-')
    .map((w) => (w[0]?.toUpperCase() ?? '') + w.slice(1))
    .join('');

export function exportSnsSqs(scenario: Scenario): SnsSqsExport {
  const { scenario: s, note: hybrid } = forBroker(scenario);
  const { broker: b, note } = brokerFor(s, 'sns-sqs');
  const notExpressed: string[] = [...(note ? [note] : []), ...(hybrid ? [hybrid] : [])];
  const fifo = b.fifo;
  const suffix = fifo ? '.fifo' : '';
  // SQS and SNS names: up to 80 letters, digits, - and _ (and .fifo); longer ones are left to CloudFormation.
  const name = (base: string) =>
    `${base}${suffix}`.length <= 80 ? { name: `${base}${suffix}` } : {};
  const resources: Obj = {};
  const used = new Set<string>();
  const logical = (prefix: string, id: string) => {
    let candidate = `${prefix}${pascal(id)}`;
    for (let n = 2; used.has(candidate); n++) candidate = `${prefix}${pascal(id)}${n}`;
    used.add(candidate);
    return candidate;
  };

  const topicId = 'EventsTopic';
  used.add(topicId);
  const topicName = name(`${s.id}-events`).name;
  resources[topicId] = {
    Type: 'AWS::SNS::Topic',
    Properties: {
      ...(topicName ? { TopicName: topicName } : {}),
      ...(fifo ? { FifoTopic: true, ContentBasedDeduplication: false } : {}),
    },
  };

  const dlqId = 'DeadLetterQueue';
  used.add(dlqId);
  if (s.delivery.dead_letter) {
    const dlqName = name(`${s.id}-dead-letter`).name;
    resources[dlqId] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        ...(dlqName ? { QueueName: dlqName } : {}),
        ...(fifo ? { FifoQueue: true } : {}),
        // The longest SQS keeps anything: dead letters outlive their source queue's retention.
        MessageRetentionPeriod: 14 * 24 * 60 * 60,
      },
    };
  }

  const round = (label: string, ms: number) => {
    if (ms % 1000 !== 0)
      notExpressed.push(
        `${label} ${ms} ms: CloudFormation takes whole seconds, rounded up to ${seconds(ms)} s`,
      );
  };
  round('visibility timeout', b.visibility_timeout_ms);
  round('delay', b.delay_ms);
  round('retention', b.message_retention_ms);

  for (const svc of s.services) {
    if (svc.subscribes.length === 0) continue;
    const queueId = logical('Queue', svc.id);
    const queueName = name(`${s.id}-${svc.id}`).name;
    resources[queueId] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        ...(queueName ? { QueueName: queueName } : {}),
        ...(fifo ? { FifoQueue: true } : {}),
        VisibilityTimeout: seconds(b.visibility_timeout_ms),
        MessageRetentionPeriod: seconds(b.message_retention_ms),
        DelaySeconds: seconds(b.delay_ms),
        ...(s.delivery.dead_letter
          ? {
              RedrivePolicy: {
                deadLetterTargetArn: getArn(dlqId),
                maxReceiveCount: b.max_receive_count,
              },
            }
          : {}),
      },
    };
    resources[logical('QueuePolicy', svc.id)] = {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: getArn(queueId),
              Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } },
            },
          ],
        },
      },
    };
    if (!svc.subscribed) {
      notExpressed.push(
        `${svc.id} subscribes only when the learner adds it: its queue has no subscription yet`,
      );
      continue;
    }
    const own = Object.hasOwn(b.filter_policies, svc.id) ? b.filter_policies[svc.id] : undefined;
    resources[logical('Subscription', svc.id)] = {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: topicId },
        Protocol: 'sqs',
        Endpoint: getArn(queueId),
        RawMessageDelivery: true,
        FilterPolicyScope: 'MessageAttributes',
        FilterPolicy: { [EVENT_ATTRIBUTE]: receivedTypes(s, svc), ...(own ?? {}) },
      },
    };
  }

  if (b.extend_visibility)
    notExpressed.push(
      'extend_visibility: consumers call ChangeMessageVisibility while they work (consumer code)',
    );
  if (fifo)
    notExpressed.push(
      'FIFO: publishers set MessageGroupId (the order key) and MessageDeduplicationId (the event id)',
    );
  notExpressed.push(
    'services, latency, workers, workload, faults, idempotency and retries with backoff: application behaviour, not AWS resources',
  );

  const template: Obj = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      `Fanout ${packageJson.version}: SNS + SQS topology of scenario "${s.id}" (format ${SCENARIO_VERSION}). See Metadata.Fanout for what it cannot express.`.slice(
        0,
        1024,
      ),
    Metadata: {
      Fanout: {
        produced_by: `Fanout ${packageJson.version}`,
        scenario: { id: s.id, name: s.name, format_version: SCENARIO_VERSION },
        publish: `set the message attribute ${EVENT_ATTRIBUTE} (String) to the event name`,
        not_expressed: notExpressed,
      },
    },
    Resources: resources,
    Outputs: { TopicArn: { Value: { Ref: topicId } } },
  };
  // Dates quoted: a YAML 1.1 reader (CloudFormation's examples quote them) would read a timestamp.
  const text = stringify(template, { aliasDuplicateObjects: false, lineWidth: 0 }).replace(
    /^(\s*)(AWSTemplateFormatVersion|Version): (\d{4}-\d{2}-\d{2})$/gm,
    '$1$2: "$3"',
  );
  return { template, notExpressed, text };
}
