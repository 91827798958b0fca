/** Small builders for tests: a valid scenario with just the parts a test cares about. */
import { parseScenario, type Scenario, type ScenarioInput } from './scenario';

type ServiceInput = ScenarioInput['services'][number];

export const orderService: ServiceInput = {
  id: 'orders',
  name: 'Order Service',
  latency_ms: 20,
  concurrency: 8,
  emits: ['OrderCreated'],
};
export const paymentService: ServiceInput = {
  id: 'payment',
  name: 'Payment Service',
  latency_ms: 60,
  subscribes: ['OrderCreated'],
};
export const emailService: ServiceInput = {
  id: 'email',
  name: 'Email Service',
  latency_ms: 120,
  subscribes: ['OrderCreated'],
};
export const analyticsService: ServiceInput = {
  id: 'analytics',
  name: 'Analytics Service',
  latency_ms: 30,
  subscribes: ['OrderCreated'],
};

/** The checkout system of the design doc as a file says it, before validation; override anything. */
export function scenarioInput(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    version: 1,
    id: 'test',
    name: 'Test',
    seed: 1,
    duration_ms: 10_000,
    entry: 'orders',
    services: [orderService, paymentService, emailService, analyticsService],
    chain: ['orders', 'payment', 'email', 'analytics'],
    workload: { rate_per_s: 10 },
    ...overrides,
  };
}

/** The checkout system of the design doc, healthy, 10 orders/s for 10 s; override anything. */
export function makeScenario(overrides: Partial<ScenarioInput> = {}): Scenario {
  const input = scenarioInput(overrides);
  const result = parseScenario(input);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.scenario;
}

/** The log flavour's settings when a scenario gives only its kind: the schema's defaults. */
export const LOG_DEFAULTS = makeScenario({ broker: { kind: 'log' } }).broker as Extract<
  Scenario['broker'],
  { kind: 'log' }
>;
