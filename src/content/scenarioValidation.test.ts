/**
 * The messages a teacher sees for the usual mistakes in a scenario file. Each problem
 * must name where it is (`services[2].latency_ms`) and say what would be right.
 */
import { describe, expect, it } from 'vitest';
import {
  formatProblems,
  parseScenario,
  parseScenarioText,
  type ScenarioInput,
} from '../core/scenario';

function valid(): ScenarioInput {
  return {
    version: 1,
    id: 'lesson',
    name: 'A lesson',
    seed: 42,
    duration_ms: 60_000,
    entry: 'orders',
    services: [
      { id: 'orders', name: 'Order Service', latency_ms: 20, emits: ['OrderCreated'] },
      { id: 'payment', name: 'Payment Service', latency_ms: 60, subscribes: ['OrderCreated'] },
      { id: 'email', name: 'Email Service', latency_ms: 120, subscribes: ['OrderCreated'] },
    ],
    workload: { rate_per_s: 10 },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: these tests write wrongly typed values on purpose.
type Editable = Record<string, any>;

/** Break a valid scenario with `edit`, then return the problem lines. */
function problemsAfter(edit: (s: Editable) => void): string[] {
  const s = valid() as Editable;
  edit(s);
  const result = parseScenario(s);
  return result.ok ? [] : formatProblems(result.problems).split('\n');
}

describe('scenario validation messages', () => {
  it('accepts the starting scenario', () => {
    expect(problemsAfter(() => {})).toEqual([]);
  });

  it('orchestration: refuses a compensation on the orchestrator, and two steps whose messages share a name', () => {
    expect(problemsAfter((s) => (s.services[0].compensate = 'CancelOrder'))).toEqual([
      'services[0].compensate: the entry service is the orchestrator: it sends commands and receives none',
    ]);
    expect(problemsAfter((s) => (s.services[2].command = 'PaymentDone'))).toEqual([
      'services[2].command: orchestration would name the command to email "PaymentDone", the name of payment\'s done reply too: choose another command name',
    ]);
  });

  it('names the path of a negative latency', () => {
    expect(problemsAfter((s) => (s.services[2].latency_ms = -5))).toEqual([
      'services[2].latency_ms: must be >= 0',
    ]);
  });

  it('names the field inside a latency distribution', () => {
    expect(
      problemsAfter((s) => (s.services[1].latency_ms = { dist: 'lognormal', median_ms: 80 })),
    ).toEqual(['services[1].latency_ms.sigma: is required when dist is "lognormal"']);
  });

  it('suggests the key that was probably meant', () => {
    expect(problemsAfter((s) => (s.services[0].concurency = 8))).toEqual([
      'services[0].concurency: unknown key (did you mean "concurrency"?)',
    ]);
    expect(problemsAfter((s) => (s.workload.rate_per_sec = 8))).toEqual([
      'workload.rate_per_sec: unknown key (did you mean "rate_per_s"?)',
    ]);
    expect(problemsAfter((s) => (s.delivery = { max_attempt: 3 }))).toEqual([
      'delivery.max_attempt: unknown key (did you mean "max_attempts"?)',
    ]);
  });

  it('says a key is unknown even when nothing is close', () => {
    expect(problemsAfter((s) => (s.colour = 'blue'))).toEqual(['colour: unknown key']);
  });

  it('names a fault that points at a service that does not exist', () => {
    expect(
      problemsAfter((s) => (s.faults = [{ service: 'emial', at_ms: 1000, mode: 'down' }])),
    ).toEqual(['faults[0].service: no service has id "emial"']);
  });

  it('lists the fault modes when the mode is misspelled', () => {
    expect(
      problemsAfter((s) => (s.faults = [{ service: 'email', at_ms: 1000, mode: 'broken' }])),
    ).toEqual([
      'faults[0].mode: must be one of "down", "slow", "flaky", "crash-before-ack", "crash-before-publish", "leader-change"',
    ]);
  });

  it('asks for the factor of a slow fault', () => {
    expect(
      problemsAfter((s) => (s.faults = [{ service: 'email', at_ms: 1000, mode: 'slow' }])),
    ).toEqual(['faults[0].factor: is required when mode is "slow"']);
  });

  it('says which type was expected and what was given', () => {
    expect(problemsAfter((s) => (s.seed = '42'))).toEqual(['seed: must be a number, not "42"']);
    expect(problemsAfter((s) => (s.services = {}))).toEqual([
      'services: must be a list, not an object',
    ]);
    expect(problemsAfter((s) => (s.services[0].idempotent = 'yes'))).toEqual([
      'services[0].idempotent: must be a boolean, not "yes"',
    ]);
    expect(problemsAfter((s) => (s.services[2].latency_ms = '120'))).toEqual([
      'services[2].latency_ms: must be a number of milliseconds or a distribution object, not "120"',
    ]);
  });

  it('says a required section is missing', () => {
    expect(problemsAfter((s) => delete s.workload)).toEqual(['workload: is required']);
  });

  it('catches a subscription to an event nobody emits', () => {
    expect(problemsAfter((s) => (s.services[1].subscribes = ['OrderPlaced']))).toEqual([
      'services[1].subscribes[0]: no service emits "OrderPlaced"',
    ]);
  });

  it('catches an entry service that does not exist', () => {
    expect(problemsAfter((s) => (s.entry = 'order'))).toEqual(['entry: no service has id "order"']);
  });

  it('explains the form of ids and event names', () => {
    expect(problemsAfter((s) => (s.id = 'Email Outage'))).toEqual([
      'id: must be lowercase letters, digits and dashes, starting with a letter',
    ]);
  });

  it('refuses a newer version as a whole, with a clear reason', () => {
    // Even with other mistakes in it: a newer file is not half-read.
    expect(
      problemsAfter((s) => {
        s.version = 2;
        s.services[0].retry_policy = 'new in version 2';
      }),
    ).toEqual([
      'version: is 2, but this version of Fanout reads scenario version 1 only; update Fanout to open it',
    ]);
  });

  it('reports invalid JSON text as a problem, never by throwing', () => {
    const result = parseScenarioText('{ "version": 1, }');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]?.path).toBe('(file)');
      expect(result.problems[0]?.message).toMatch(/^is not valid JSON: /);
    }
  });

  it('refuses a value that is not an object', () => {
    for (const [text, what] of [
      ['[]', 'a list'],
      ['null', 'null'],
      ['"checkout"', '"checkout"'],
      ['3', 'number 3'],
    ] as const) {
      const result = parseScenarioText(text);
      expect(result.ok ? '' : formatProblems(result.problems)).toBe(
        `(scenario): must be a JSON object, not ${what}`,
      );
    }
  });

  it('fills in the documented defaults', () => {
    const result = parseScenario(valid());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const s = result.scenario;
    expect(s.architecture).toBe('event');
    expect(s.network_ms).toBe(5);
    expect(s.services[1]).toMatchObject({ concurrency: 4, replicas: 1, idempotent: false });
    expect(s.delivery).toEqual({
      max_attempts: 5,
      backoff: 'exponential',
      base_ms: 200,
      cap_ms: 10_000,
      jitter: 'full',
      dead_letter: true,
    });
    expect(s.sync).toEqual({ timeout_ms: 1000, retries: 0 });
  });

  describe('wording', () => {
    it('says "whole number" rather than "an int" or a wrong alternative', () => {
      expect(problemsAfter((s) => (s.services[0].concurrency = 1.5))).toEqual([
        'services[0].concurrency: must be a whole number, not 1.5',
      ]);
      expect(problemsAfter((s) => (s.services[2].latency_ms = 12.5))).toEqual([
        'services[2].latency_ms: must be a whole number, not 12.5',
      ]);
    });

    it('gives one problem per place', () => {
      expect(problemsAfter((s) => (s.services[0].emits = 'OrderCreated'))).toEqual([
        'services[0].emits: must be a list, not "OrderCreated"',
      ]);
      expect(problemsAfter((s) => (s.seed = 1e20))).toEqual(['seed: must be <= 4294967295']);
    });

    it('says a missing version is missing', () => {
      expect(problemsAfter((s) => delete s.version)).toEqual(['version: is required']);
    });

    it('suggests the key with its _ms suffix', () => {
      expect(problemsAfter((s) => (s.duration = 60_000))).toEqual([
        'duration: unknown key (did you mean "duration_ms"?)',
      ]);
    });

    it('accepts a $schema key so editors can check the file', () => {
      expect(problemsAfter((s) => (s.$schema = './scenario.schema.json'))).toEqual([]);
    });

    it('does not blame the entry service for a duplicate id', () => {
      expect(problemsAfter((s) => (s.services[1].id = 'orders'))).toEqual([
        'services[1].id: duplicate service id "orders"',
      ]);
    });
  });
});

describe('settings the chosen broker ignores', () => {
  const warningsFor = (edit: (s: Editable) => void) => {
    const s = valid() as Editable;
    edit(s);
    const result = parseScenario(s);
    if (!result.ok) throw new Error(formatProblems(result.problems));
    return (result.warnings ?? []).map((w) => w.path);
  };

  it('warns that SQS ignores the delivery backoff and max_attempts, and runs the file anyway', () => {
    const paths = warningsFor((s) => {
      s.broker = { kind: 'sns-sqs' };
      s.delivery = { max_attempts: 3, base_ms: 500, dead_letter: true };
    });
    expect(paths).toEqual(['delivery.max_attempts', 'delivery.base_ms']);
  });

  it('names the setting that does the job on SQS', () => {
    const s = valid() as Editable;
    s.broker = { kind: 'sns-sqs' };
    s.delivery = { max_attempts: 3 };
    const result = parseScenario(s);
    expect(result.ok && result.warnings?.[0]?.message).toContain('max_receive_count');
  });

  it('warns about the backoff on a queue that requeues or rejects, not on one that retries', () => {
    const backoff = (on_failure: string) =>
      warningsFor((s) => {
        s.broker = { kind: 'queue', on_failure };
        s.delivery = { cap_ms: 5000 };
      });
    expect(backoff('retry')).toEqual([]);
    expect(backoff('requeue')).toEqual(['delivery.cap_ms']);
    expect(backoff('reject')).toEqual(['delivery.cap_ms']);
  });

  it('warns about a delivery limit on a classic queue and consumer-group keys on a share group', () => {
    expect(
      warningsFor((s) => {
        s.broker = { kind: 'queue', queue_type: 'classic', delivery_limit: 3 };
      }),
    ).toEqual(['broker.delivery_limit']);
    expect(
      warningsFor((s) => {
        s.broker = { kind: 'log', group_type: 'share', commit: 'before', share_lock_ms: 5000 };
        s.delivery = { max_attempts: 3 };
      }),
    ).toEqual(['delivery.max_attempts', 'broker.commit']);
    expect(
      warningsFor((s) => {
        s.broker = { kind: 'log', share_delivery_limit: 3 };
      }),
    ).toEqual(['broker.share_delivery_limit']);
  });

  it('says nothing about settings left at their defaults', () => {
    expect(warningsFor((s) => (s.broker = { kind: 'sns-sqs' }))).toEqual([]);
  });
});
