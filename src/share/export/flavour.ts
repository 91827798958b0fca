/**
 * What every export needs from a scenario whatever its broker: the broker settings of the
 * target flavour (the scenario's own when it already uses that flavour, else the
 * flavour's defaults, as the playground's broker switch gives them), and which event
 * types each subscriber receives.
 */
import { bindingMatches, eventTypesOf, parseScenario, type Scenario } from '../../core/scenario';

export type BrokerOf<K extends Scenario['broker']['kind']> = Extract<
  Scenario['broker'],
  { kind: K }
>;

/** The flavour's settings with every default filled in, read off the schema. */
export function defaultBroker<K extends Scenario['broker']['kind']>(kind: K): BrokerOf<K> {
  const result = parseScenario({
    version: 1,
    id: 'defaults',
    name: 'defaults',
    seed: 0,
    duration_ms: 1,
    entry: 'a',
    services: [{ id: 'a', name: 'a', latency_ms: 0 }],
    workload: { rate_per_s: 0 },
    broker: { kind },
  });
  if (!result.ok) throw new Error(`no defaults for broker kind ${kind}`);
  return result.scenario.broker as BrokerOf<K>;
}

/**
 * The target flavour's settings for this scenario, and a note when they are the defaults
 * because the scenario runs on another broker.
 */
export function brokerFor<K extends Scenario['broker']['kind']>(
  s: Scenario,
  kind: K,
): { broker: BrokerOf<K>; note?: string } {
  if (s.broker.kind === kind) return { broker: s.broker as BrokerOf<K> };
  return {
    broker: defaultBroker(kind),
    note: `the scenario runs on the ${s.broker.kind} broker: exported with the ${kind} flavour's default settings, as the playground's broker switch would run it`,
  };
}

/**
 * The scenario as a broker sees it. In a hybrid file (`sync_services`) the services the
 * entry calls synchronously take calls, not events: they get no queue, as in the engine,
 * and the note says the call is the services' own code. Otherwise the scenario unchanged.
 */
export function forBroker(s: Scenario): { scenario: Scenario; note?: string } {
  const sync = s.sync_services;
  if (!sync) return { scenario: s };
  return {
    scenario: {
      ...s,
      services: s.services.map((svc) => (sync.includes(svc.id) ? { ...svc, subscribes: [] } : svc)),
    },
    note: `${sync.join(', ')}: called synchronously by ${s.entry} before it publishes (hybrid), so no queue here; that call is the services' own code (HTTP or gRPC), not broker configuration`,
  };
}

/** Event types every service emits (sagas' failure events last), in the engine's order. */
export const eventTypes = eventTypesOf;

/**
 * The event types a subscriber receives, as the engine routes them (model.ts): a fanout
 * exchange sends it every event, a topic exchange matches its patterns, everything else
 * matches names exactly.
 */
export function receivedTypes(s: Scenario, svc: Scenario['services'][number]): string[] {
  const exchange = s.broker.kind === 'queue' ? s.broker.exchange : 'direct';
  return eventTypes(s).filter(
    (type) =>
      exchange === 'fanout' ||
      svc.subscribes.some((b) => bindingMatches(b, type, exchange === 'topic')),
  );
}
