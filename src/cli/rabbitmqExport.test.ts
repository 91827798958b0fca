/**
 * `npm run sim -- <scenario> --export rabbitmq`: the definitions on stdout, or one line
 * on stderr for a scenario the export cannot take.
 */
import { describe, expect, it } from 'vitest';
import { sim } from './simTestkit';

describe('sim --export rabbitmq|kafka|sns-sqs', () => {
  it('prints a kafka script and a CloudFormation template', () => {
    const kafka = sim('checkout', '--export', 'kafka');
    expect(kafka.status).toBe(0);
    expect(kafka.stdout).toContain("--topic 'OrderCreated' --partitions 3");
    const cfn = sim('checkout', '--export', 'sns-sqs');
    expect(cfn.status).toBe(0);
    expect(cfn.stdout).toContain('Type: AWS::SNS::Topic');
  });

  it('prints a built-in scenario as a definitions file', () => {
    const { status, stdout, stderr } = sim('email-outage', '--export', 'rabbitmq');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const d = JSON.parse(stdout);
    expect(d.comment.scenario.id).toBe('email-outage');
    expect(d.exchanges[0]).toMatchObject({ name: 'email-outage.events', type: 'direct' });
    expect(d.queues.map((q: { name: string }) => q.name)).toContain('email-outage.email');
  });

  it('exports a log scenario with the queue flavour defaults, and says so', () => {
    const { status, stdout } = sim('iot-telemetry', '--export', 'rabbitmq');
    expect(status).toBe(0);
    expect(JSON.parse(stdout).comment.not_expressed[0]).toContain('runs on the log broker');
  });

  it('says what does not go with it', () => {
    const { status, stderr } = sim('checkout', '--export', 'rabbitmq', '--json');
    expect(status).toBe(2);
    expect(stderr).toBe('sim: --json goes with --export asyncapi, not --export rabbitmq\n');
  });
});
