/**
 * A teacher wires a service to the event it emits: the loop is refused when a run could
 * not advance or would multiply, and only flagged when one copy goes round with a delay.
 */
import { describe, expect, it } from 'vitest';
import { formatProblems, parseScenario, type ScenarioInput } from './scenario';
import { Simulation } from './simulation';
import { analyseTopology, runawayReason } from './topology';

type ServiceInput = ScenarioInput['services'][number];

/** Orders emit OrderCreated; the rest of the services are the test's. */
function scenario(services: ServiceInput[], extra: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    version: 1,
    id: 'loop',
    name: 'Loop',
    seed: 1,
    duration_ms: 2_000,
    network_ms: 0,
    entry: 'orders',
    services: [
      { id: 'orders', name: 'Order Service', latency_ms: 0, emits: ['OrderCreated'] },
      ...services,
    ],
    workload: { rate_per_s: 1 },
    ...extra,
  };
}

const problems = (input: ScenarioInput) => {
  const r = parseScenario(input);
  return r.ok ? [] : formatProblems(r.problems).split('\n');
};
const warnings = (input: ScenarioInput) => {
  const r = parseScenario(input);
  if (!r.ok) throw new Error(formatProblems(r.problems));
  return r.warnings ? formatProblems(r.warnings).split('\n') : [];
};

const payment = (latency_ms: ServiceInput['latency_ms'], extra: Partial<ServiceInput> = {}) => ({
  id: 'payment',
  name: 'Payment Service',
  latency_ms,
  subscribes: ['OrderCreated'],
  emits: ['OrderCreated'],
  ...extra,
});

describe('a loop that takes no time', () => {
  it('is refused: a service re-emits what it subscribes to with no latency and no network time', () => {
    // The 352-character share link that hung the tab: a valid scenario until now.
    expect(problems(scenario([payment(0)]))).toEqual([
      'services[1].subscribes[0]: Payment Service re-emits OrderCreated, which it subscribes to, with no delay: the run would never advance (set network_ms above 0, or give it a latency that is never 0)',
    ]);
  });

  it('counts every latency whose minimum is 0 as able to take no time', () => {
    for (const latency of [
      { dist: 'fixed', mean_ms: 0 },
      { dist: 'exponential', mean_ms: 50 },
      { dist: 'lognormal', median_ms: 0, sigma: 0.5 },
      { dist: 'uniform', min_ms: 0, max_ms: 40 },
    ] as const) {
      expect(problems(scenario([payment(latency)]))[0], latency.dist).toMatch(/with no delay/);
    }
    for (const latency of [
      1,
      { dist: 'fixed', mean_ms: 3 },
      { dist: 'lognormal', median_ms: 5, sigma: 0.5 },
      { dist: 'uniform', min_ms: 1, max_ms: 40 },
    ] as const) {
      expect(problems(scenario([payment(latency)])), JSON.stringify(latency)).toEqual([]);
    }
  });

  it('is refused around a ring of several services, naming each step', () => {
    expect(
      problems(
        scenario([
          payment(0, { emits: ['PaymentCompleted'] }),
          {
            id: 'billing',
            name: 'Billing Service',
            latency_ms: { dist: 'uniform', min_ms: 0, max_ms: 10 },
            subscribes: ['PaymentCompleted'],
            emits: ['OrderCreated'],
          },
        ]),
      ),
    ).toEqual([
      'services[1].subscribes[0]: Payment Service turns OrderCreated into PaymentCompleted and Billing Service turns PaymentCompleted back into OrderCreated, with no delay: the run would never advance (set network_ms above 0, or give one of them a latency that is never 0)',
    ]);
  });

  it('counts a service that joins only during the run', () => {
    expect(problems(scenario([payment(0, { subscribed: false })]))[0]).toMatch(
      /^services\[1\]\.subscribes\[0\]: Payment Service re-emits OrderCreated/,
    );
  });

  it('finds a loop made by a topic pattern', () => {
    const input = scenario(
      [
        {
          id: 'audit',
          name: 'Audit Service',
          latency_ms: 0,
          subscribes: ['order.#'],
          emits: ['order.audited'],
        },
      ],
      { broker: { kind: 'queue', exchange: 'topic' } },
    );
    input.services[0] = { ...(input.services[0] as ServiceInput), emits: ['order.created'] };
    expect(problems(input)[0]).toMatch(
      /^services\[1\]\.subscribes\[0\]: Audit Service re-emits order\.audited, which it subscribes to, with no delay/,
    );
  });

  it('is harmless when no order can reach it', () => {
    // Only the service in the loop emits Audited, so nothing ever starts it.
    expect(
      warnings(
        scenario([
          payment(0, { subscribes: ['Audited'], emits: ['Audited'] }),
          { id: 'email', name: 'Email Service', latency_ms: 5, subscribes: ['OrderCreated'] },
        ]),
      ),
    ).toEqual([]);
  });
});

describe('a loop that multiplies the copies of an order', () => {
  const reEmitter = (id: string, name: string) => ({
    id,
    name,
    latency_ms: 10,
    subscribes: ['OrderCreated'],
    emits: ['OrderCreated'],
  });

  it('is refused when two subscribers both re-emit the event they receive', () => {
    expect(
      problems(
        scenario([reEmitter('payment', 'Payment Service'), reEmitter('audit', 'Audit Service')], {
          network_ms: 5,
        }),
      ),
    ).toEqual([
      'services[2].subscribes[0]: each OrderCreated makes two more (Payment Service and Audit Service both re-emit it): the copies of every order would multiply at every round, without end',
    ]);
  });

  it('is refused when a subscriber emits two events that both lead back', () => {
    const back = (id: string, from: string) => ({
      id,
      name: `${from} Handler`,
      latency_ms: 10,
      subscribes: [from],
      emits: ['OrderCreated'],
    });
    expect(
      problems(
        scenario(
          [
            payment(10, { emits: ['PaymentCompleted', 'ReceiptSent'] }),
            back('completed', 'PaymentCompleted'),
            back('receipt', 'ReceiptSent'),
          ],
          { network_ms: 5 },
        ),
      ),
    ).toEqual([
      'services[1].emits[1]: each OrderCreated leads to two more (Payment Service emits PaymentCompleted and ReceiptSent): the copies of every order would multiply at every round, without end',
    ]);
  });

  it('is refused when a service lists the event it re-emits twice', () => {
    expect(
      problems(
        scenario([payment(10, { emits: ['OrderCreated', 'OrderCreated'] })], { network_ms: 1 }),
      ),
    ).toEqual([
      'services[1].emits[1]: each OrderCreated makes two more (Payment Service re-emits it twice): the copies of every order would multiply at every round, without end',
    ]);
  });

  it('reports both dangers when a multiplying loop also takes no time', () => {
    const input = scenario([
      reEmitter('payment', 'Payment Service'),
      payment(0, { id: 'audit', name: 'Audit Service' }),
    ]);
    (input.services[1] as ServiceInput).latency_ms = 0;
    const found = problems(input);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/with no delay: the run would never advance/);
    expect(found[1]).toMatch(/each OrderCreated makes two more/);
  });
});

describe('a loop that keeps one copy circulating', () => {
  it('is allowed with a warning when every hop takes time', () => {
    const r = parseScenario(scenario([payment(0)], { network_ms: 1 }));
    expect(r.ok).toBe(true);
    expect(r.ok && r.warnings).toEqual([
      {
        path: 'services[1].subscribes[0]',
        message:
          "every order's OrderCreated circulates forever through Payment Service; the run never drains, and each new order adds to the traffic",
      },
    ]);
  });

  it('names every service of a longer ring', () => {
    expect(
      warnings(
        scenario(
          [
            payment(20, { emits: ['PaymentCompleted'] }),
            {
              id: 'billing',
              name: 'Billing Service',
              latency_ms: 10,
              subscribes: ['PaymentCompleted'],
              emits: ['OrderCreated'],
            },
          ],
          { network_ms: 0 },
        ),
      ),
    ).toEqual([
      "services[1].subscribes[0]: every order's OrderCreated and PaymentCompleted circulate forever through Payment Service and Billing Service; the run never drains, and each new order adds to the traffic",
    ]);
  });

  it('runs: simulated time advances with one copy per order going round', () => {
    const r = parseScenario(
      scenario([payment(0)], { network_ms: 1, workload: { rate_per_s: 20 } }),
    );
    if (!r.ok) throw new Error(formatProblems(r.problems));
    const sim = new Simulation(r.scenario, { architecture: 'event' });
    sim.runUntil(500);
    expect(sim.now).toBe(500);
  });

  it('gives no warning for the usual fan-out without loops', () => {
    expect(
      warnings(
        scenario([
          { id: 'email', name: 'Email Service', latency_ms: 0, subscribes: ['OrderCreated'] },
          payment(0, { emits: ['PaymentCompleted'] }),
        ]),
      ),
    ).toEqual([]);
  });
});

describe('the analysis, for explaining a run later', () => {
  it('lists the loops worst first with their kind, events, services and reason', () => {
    const r = parseScenario(scenario([payment(5)], { network_ms: 1 }));
    if (!r.ok) throw new Error(formatProblems(r.problems));
    const analysis = analyseTopology(r.scenario);
    expect(analysis.loops).toEqual([
      expect.objectContaining({
        kind: 'circulating',
        events: ['OrderCreated'],
        services: ['payment'],
        path: 'services[1].subscribes[0]',
        reason: "every order's OrderCreated circulates forever through Payment Service",
      }),
    ]);
    expect(analysis.hops).toEqual([
      { from: 'OrderCreated', to: 'OrderCreated', service: 1, binding: 0, emit: 0, instant: false },
    ]);
    expect(runawayReason(r.scenario)).toBe(
      "every order's OrderCreated circulates forever through Payment Service",
    );
  });

  it('says the same words a refused file was refused with', () => {
    const r = parseScenario(scenario([payment(10)], { network_ms: 1 }));
    if (!r.ok) throw new Error(formatProblems(r.problems));
    // A second re-emitter added after validation, as a run changed by the learner might be.
    const grown = r.scenario;
    grown.services.push({
      ...(grown.services[1] as (typeof grown.services)[number]),
      id: 'audit',
      name: 'Audit Service',
    });
    expect(runawayReason(grown)).toBe('each OrderCreated makes two more');
    expect(analyseTopology(grown).problems[0]?.message).toMatch(
      /^each OrderCreated makes two more \(/,
    );
  });
});
