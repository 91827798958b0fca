/**
 * The sns-sqs export: for every built-in scenario (and the templates on SNS + SQS), a
 * CloudFormation template that parses as YAML and names only SNS/SQS resource types and
 * properties CloudFormation documents, with a subscription per subscriber filtering the
 * events the engine routes to it.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtInScenarios } from '../../content/scenarios';
import { templates } from '../../content/templates';
import type { Scenario } from '../../core/scenario';
import { EVENT_ATTRIBUTE, exportSnsSqs } from './snsSqs';
import { receivedTypes } from './flavour';

/** Properties per resource type (CloudFormation resource reference, the ones Fanout may write). */
const PROPERTIES: Record<string, string[]> = {
  'AWS::SNS::Topic': ['TopicName', 'FifoTopic', 'ContentBasedDeduplication', 'DisplayName'],
  'AWS::SNS::Subscription': [
    'TopicArn',
    'Protocol',
    'Endpoint',
    'RawMessageDelivery',
    'FilterPolicy',
    'FilterPolicyScope',
    'RedrivePolicy',
  ],
  'AWS::SQS::Queue': [
    'QueueName',
    'FifoQueue',
    'ContentBasedDeduplication',
    'VisibilityTimeout',
    'MessageRetentionPeriod',
    'DelaySeconds',
    'RedrivePolicy',
  ],
  'AWS::SQS::QueuePolicy': ['Queues', 'PolicyDocument'],
};

type Resource = { Type: string; Properties: Record<string, unknown> };

const snsTemplates = templates.map((t) => t.scenario).filter((s) => s.broker.kind === 'sns-sqs');

describe('sns-sqs export', () => {
  it.each([...builtInScenarios, ...snsTemplates].map((s) => [s.id, s] as const))(
    '%s',
    (_id, s: Scenario) => {
      const out = exportSnsSqs(s);
      const doc = parse(out.text) as {
        AWSTemplateFormatVersion: string;
        Description: string;
        Resources: Record<string, Resource>;
      };
      expect(doc.AWSTemplateFormatVersion).toBe('2010-09-09');
      expect(out.text).toContain('AWSTemplateFormatVersion: "2010-09-09"');
      expect(out.text).not.toMatch(/Version: \d/);
      expect(doc.Description.length).toBeLessThanOrEqual(1024);
      expect(doc.Description).toContain(`"${s.id}"`);
      const fifo = s.broker.kind === 'sns-sqs' && s.broker.fifo;
      for (const [id, r] of Object.entries(doc.Resources)) {
        expect(id).toMatch(/^[A-Za-z0-9]{1,255}$/);
        expect(Object.keys(PROPERTIES)).toContain(r.Type);
        for (const key of Object.keys(r.Properties))
          expect(PROPERTIES[r.Type], `${id}.${key}`).toContain(key);
        const p = r.Properties;
        if (r.Type === 'AWS::SQS::Queue') {
          if (p.QueueName !== undefined)
            expect(p.QueueName).toMatch(
              fifo ? /^[A-Za-z0-9_-]{1,75}\.fifo$/ : /^[A-Za-z0-9_-]{1,80}$/,
            );
          if (p.VisibilityTimeout !== undefined) {
            expect(p.VisibilityTimeout).toBeGreaterThanOrEqual(0);
            expect(p.VisibilityTimeout).toBeLessThanOrEqual(43_200);
          }
          expect(p.MessageRetentionPeriod).toBeGreaterThanOrEqual(60);
          expect(p.MessageRetentionPeriod).toBeLessThanOrEqual(1_209_600);
          if (p.RedrivePolicy !== undefined) {
            const rp = p.RedrivePolicy as { maxReceiveCount: number };
            expect(rp.maxReceiveCount).toBeGreaterThanOrEqual(1);
            expect(rp.maxReceiveCount).toBeLessThanOrEqual(1000);
          }
        }
      }
      const subscribers = s.services.filter((svc) => svc.subscribes.length > 0 && svc.subscribed);
      const subscriptions = Object.values(doc.Resources).filter(
        (r) => r.Type === 'AWS::SNS::Subscription',
      );
      expect(subscriptions).toHaveLength(subscribers.length);
      for (const [i, svc] of subscribers.entries()) {
        const policy = subscriptions[i]?.Properties.FilterPolicy as Record<string, string[]>;
        expect(policy[EVENT_ATTRIBUTE]).toEqual(receivedTypes(s, svc));
        expect(subscriptions[i]?.Properties.RawMessageDelivery).toBe(true);
      }
      if (s.broker.kind !== 'sns-sqs') expect(out.notExpressed[0]).toContain('default settings');
    },
  );
});
