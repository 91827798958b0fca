/**
 * Issue 13's scale case: a learner's system bigger than any built-in. 25 services: a
 * storefront that emits OrderPlaced, 8 services that each take it and announce their own
 * step, and 16 that each take two of those steps. Each subscriber has its own queue (24
 * queues, plus the dead-letter and retry queues), and every order makes 40 deliveries.
 * 500 orders/s for 15 minutes; workers sized so the system keeps up in simulated time.
 */
import { parseScenario, type Scenario, type ScenarioInput } from '../src/core';

const pad = (n: number) => String(n).padStart(2, '0');

export function scaleScenarioInput(): ScenarioInput {
  const step = (i: number) => `Step${pad(i)}Done`;
  const services: ScenarioInput['services'] = [
    {
      id: 'storefront',
      name: 'Storefront',
      latency_ms: 5,
      concurrency: 64,
      emits: ['OrderPlaced'],
    },
  ];
  for (let i = 1; i <= 8; i++)
    services.push({
      id: `step-${pad(i)}`,
      name: `Step ${pad(i)}`,
      latency_ms: 10,
      concurrency: 32,
      subscribes: ['OrderPlaced'],
      emits: [step(i)],
    });
  for (let j = 1; j <= 16; j++) {
    const a = Math.ceil(j / 2);
    const b = (a % 8) + 1;
    services.push({
      id: `reader-${pad(j)}`,
      name: `Reader ${pad(j)}`,
      latency_ms: 8,
      concurrency: 32,
      subscribes: [step(a), step(b)],
    });
  }
  return {
    version: 1,
    id: 'scale-25',
    name: 'Scale: 25 services at 500 orders/s',
    seed: 13,
    duration_ms: 15 * 60 * 1000,
    architecture: 'event',
    entry: 'storefront',
    services,
    workload: { rate_per_s: 500 },
  };
}

/** The scale scenario, validated as any file is. */
export function scaleScenario(): Scenario {
  const r = parseScenario(scaleScenarioInput());
  if (!r.ok)
    throw new Error(
      `scale scenario: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  return r.scenario;
}
