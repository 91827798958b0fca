/** Challenge knobs become scenario changes; values out of range fall back to something valid. */
import { describe, expect, it } from 'vitest';
import type { Challenge } from '../content/learnSchema';
import { challengeSchema } from '../content/learnSchema';
import { challengeSetup, defaultSettings, knobValue, resolveChallenge } from './grade';
import { gradeChallenge } from '../run/grade';

const challenge: Challenge = challengeSchema.parse({
  id: 'test',
  order: 1,
  level: 'easy',
  title: 'Test',
  story: ['A test.'],
  setup: { scenario: 'checkout', mode: 'chain' },
  untilMs: 10_000,
  knobs: [
    {
      kind: 'choice',
      id: 'arch',
      label: 'Architecture',
      target: { architecture: true },
      options: [
        { value: 'chain', label: 'Chain' },
        { value: 'event', label: 'Events' },
      ],
      default: 'chain',
    },
    {
      kind: 'number',
      id: 'email',
      label: 'Email replicas',
      target: { service: 'email', field: 'replicas' },
      min: 1,
      max: 8,
      default: 1,
    },
    {
      kind: 'toggle',
      id: 'idem',
      label: 'Idempotent payment',
      target: { service: 'payment', field: 'idempotent' },
      default: false,
    },
    {
      kind: 'number',
      id: 'attempts',
      label: 'Attempts',
      target: { delivery: 'max_attempts' },
      min: 1,
      max: 10,
      default: 5,
    },
    {
      kind: 'number',
      id: 'retries',
      label: 'Retries',
      target: { sync: 'retries' },
      min: 0,
      max: 3,
      default: 0,
    },
    {
      kind: 'choice',
      id: 'kind',
      label: 'Broker',
      target: { broker: 'kind' },
      options: [
        { value: 'queue', label: 'Queue' },
        { value: 'sns-sqs', label: 'SNS + SQS' },
      ],
      default: 'queue',
    },
    {
      kind: 'choice',
      id: 'visibility',
      label: 'Visibility',
      target: { broker: 'visibility_timeout_ms' },
      options: [
        { value: 1000, label: '1 s' },
        { value: 5000, label: '5 s' },
      ],
      default: 1000,
    },
  ],
  goals: [{ label: 'Orders failed', measure: { metric: 'requests.failed' }, atMost: 0 }],
  hints: ['none'],
  solution: { arch: 'event' },
  debrief: 'Done.',
});

describe('challenge settings', () => {
  it('each knob lands where it says', () => {
    const setup = challengeSetup(challenge, {
      ...defaultSettings(challenge),
      arch: 'event',
      email: 3,
      idem: true,
      attempts: 7,
      retries: 2,
      kind: 'sns-sqs',
      visibility: 5000,
    });
    expect(setup.mode).toBe('event');
    expect(setup.patch?.services).toEqual({
      email: { replicas: 3 },
      payment: { idempotent: true },
    });
    expect(setup.patch?.delivery).toEqual({ max_attempts: 7 });
    expect(setup.patch?.sync).toEqual({ retries: 2 });
    expect(setup.patch?.broker).toEqual({ kind: 'sns-sqs', visibility_timeout_ms: 5000 });
    const { scenario } = resolveChallenge(challenge, {
      ...defaultSettings(challenge),
      kind: 'sns-sqs',
      visibility: 5000,
    });
    expect(scenario.broker).toMatchObject({
      kind: 'sns-sqs',
      visibility_timeout_ms: 5000,
      max_receive_count: 5,
    });
  });

  it('a setting of another broker flavour is left out instead of making the scenario invalid', () => {
    const setup = challengeSetup(challenge, {
      ...defaultSettings(challenge),
      kind: 'queue',
      visibility: 5000,
    });
    expect(setup.patch?.broker).toMatchObject({ kind: 'queue', exchange: 'direct' });
    expect(setup.patch?.broker).not.toHaveProperty('visibility_timeout_ms');
    expect(() =>
      resolveChallenge(challenge, { ...defaultSettings(challenge), visibility: 5000 }),
    ).not.toThrow();
  });

  it('out-of-range or wrong-typed values fall back to the knob range or default', () => {
    const [arch, email, idem] = challenge.knobs;
    if (!arch || !email || !idem) throw new Error('knobs');
    expect(knobValue(email, 99)).toBe(8);
    expect(knobValue(email, 0)).toBe(1);
    expect(knobValue(email, 'many')).toBe(1);
    expect(knobValue(arch, 'mesh')).toBe('chain');
    expect(knobValue(idem, 'yes')).toBe(false);
    expect(knobValue(idem, undefined)).toBe(false);
  });

  it('grading reports every goal with its measured number', () => {
    const chain = gradeChallenge(challenge, defaultSettings(challenge));
    expect(chain.mode).toBe('chain');
    expect(chain.goals[0]?.value).toBe(0);
    expect(chain.passed).toBe(true);
    const broken = structuredClone(challenge);
    broken.setup.patch = { faults: [{ service: 'email', at_ms: 1000, mode: 'down' }] };
    const failed = gradeChallenge(broken, defaultSettings(broken));
    expect(failed.passed).toBe(false);
    expect(failed.goals[0]?.value).toBeGreaterThan(10);
    expect(gradeChallenge(broken, { ...defaultSettings(broken), arch: 'event' }).passed).toBe(true);
  });

  it('producer and idempotency knobs: the publish mode, and a key and a moment that make one idempotency setting', () => {
    const producer: Challenge = challengeSchema.parse({
      ...structuredClone(challenge),
      setup: { scenario: 'dual-write', mode: 'event' },
      knobs: [
        {
          kind: 'choice',
          id: 'publish',
          label: 'Publish',
          target: { service: 'orders', field: 'publish' },
          options: [
            { value: 'after-commit', label: 'After' },
            { value: 'outbox', label: 'Outbox' },
          ],
          default: 'after-commit',
        },
        {
          kind: 'choice',
          id: 'key',
          label: 'Key',
          target: { service: 'payment', field: 'idempotency_key' },
          options: [
            { value: 'off', label: 'Off' },
            { value: 'message-id', label: 'Message id' },
            { value: 'business-key', label: 'Order id' },
          ],
          default: 'off',
        },
        {
          kind: 'choice',
          id: 'record',
          label: 'Saved',
          target: { service: 'payment', field: 'idempotency_record' },
          options: [
            { value: 'after-effect', label: 'After' },
            { value: 'same-transaction', label: 'With' },
          ],
          default: 'after-effect',
        },
      ],
      solution: { publish: 'outbox' },
    });
    // Off: no idempotency at all, whatever the moment says.
    const off = resolveChallenge(producer, defaultSettings(producer)).scenario;
    expect(off.services.find((s) => s.id === 'payment')?.idempotency).toBeUndefined();
    expect(off.services.find((s) => s.id === 'orders')?.publish).toBe('after-commit');
    const on = resolveChallenge(producer, {
      publish: 'outbox',
      key: 'business-key',
      record: 'same-transaction',
    }).scenario;
    expect(on.services.find((s) => s.id === 'orders')?.publish).toBe('outbox');
    expect(on.services.find((s) => s.id === 'payment')?.idempotency).toEqual({
      key: 'business-key',
      record: 'same-transaction',
      window: 10_000,
    });
  });
});
