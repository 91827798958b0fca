/**
 * Attribute names are names: a filter policy or a workload attribute called
 * `constructor`, `toString` or `__proto__` is looked up as an own property, never as
 * something every object inherits from `Object.prototype`.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from './scenario';
import { Simulation } from './simulation';
import { makeScenario } from './testkit';

const HOSTILE = ['constructor', 'toString', '__proto__'] as const;
const SAFE = ['alpha', 'beta', 'gamma'] as const;

/** `{ [names[0]]: first, ... }` with own keys only: JSON.parse keeps `__proto__` as a plain key. */
function record<T>(names: readonly string[], values: T[]): Record<string, T> {
  return JSON.parse(
    `{${names.map((n, i) => `${JSON.stringify(n)}: ${JSON.stringify(values[i])}`).join(', ')}}`,
  );
}

/** Three attributes and two filter policies over them, under the given attribute names. */
function scenarioNamed(names: readonly string[]): Scenario {
  const base = makeScenario({
    broker: { kind: 'sns-sqs', visibility_timeout_ms: 500 },
    services: [
      { id: 'orders', name: 'Orders', latency_ms: 5, concurrency: 8, emits: ['OrderCreated'] },
      { id: 'payment', name: 'Payment', latency_ms: 10, subscribes: ['OrderCreated'] },
      { id: 'email', name: 'Email', latency_ms: 10, subscribes: ['OrderCreated'] },
      // A service id is a name too: `filter_policies.constructor` is not Object's constructor.
      { id: 'constructor', name: 'Constructor', latency_ms: 10, subscribes: ['OrderCreated'] },
    ],
    chain: undefined,
    workload: { rate_per_s: 100 },
    duration_ms: 3000,
  });
  const attributes = record(names, [
    ['eu', 'us', 'apac'],
    ['gold', 'silver'],
    ['web', 'app'],
  ]);
  const payment = record([names[0] as string], [['eu']]);
  const email = record([names[1] as string, names[2] as string], [['gold'], ['app', 'web']]);
  if (base.broker.kind !== 'sns-sqs') throw new Error('sns-sqs expected');
  return {
    ...base,
    workload: { ...base.workload, attributes },
    broker: { ...base.broker, filter_policies: { payment, email } },
  };
}

function run(s: Scenario) {
  const sim = new Simulation(s);
  sim.runUntil(5000);
  const report = sim.report();
  // Through a string: `queues.constructor` would be typed as Object's constructor.
  const copies = (id: string) => report.queues[id]?.copies ?? 0;
  return { hash: sim.traceHash, report, copies };
}

describe('filter policies and attributes named like Object.prototype members', () => {
  it('run without throwing and filter exactly as the same policies under plain names', () => {
    const hostile = scenarioNamed(HOSTILE);
    expect(Object.keys(hostile.workload.attributes)).toEqual([...HOSTILE]);
    const a = run(hostile);
    const b = run(scenarioNamed(SAFE));
    // Names never reach the trace: the same draws and the same filtering give the same run.
    expect(a.hash).toBe(b.hash);
    const published = a.report.events.published;
    expect(published).toBeGreaterThan(100);
    const copies = a.copies;
    // About a third of the orders are from the EU, about half are gold.
    expect(copies('payment')).toBeGreaterThan(published * 0.2);
    expect(copies('payment')).toBeLessThan(published * 0.5);
    expect(copies('email')).toBeGreaterThan(published * 0.3);
    expect(copies('email')).toBeLessThan(published * 0.7);
    // No policy of its own: it gets every copy.
    expect(copies('constructor')).toBe(published);
  });

  it('match nothing when a policy names an attribute the orders do not carry', () => {
    for (const name of HOSTILE) {
      const s = scenarioNamed(SAFE);
      if (s.broker.kind !== 'sns-sqs') throw new Error('sns-sqs expected');
      // Built past validation on purpose: nothing inherited may stand in for the attribute.
      const policies = { ...s.broker.filter_policies, payment: record([name], [['eu']]) };
      const { report, copies } = run({ ...s, broker: { ...s.broker, filter_policies: policies } });
      expect(report.events.published).toBeGreaterThan(100);
      expect(copies('payment')).toBe(0);
      expect(copies('constructor')).toBe(report.events.published);
    }
  });
});
