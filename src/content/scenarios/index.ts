/**
 * The built-in scenarios, in the order the picker shows them: a healthy baseline first,
 * then one failure at a time. Each is a JSON file beside this one, written in the same
 * format a teacher would use, and validated here at load.
 */
import { formatProblems, parseScenario, type Scenario } from '../../core/scenario';
import brokerOutage from './broker-outage.json';
import checkout from './checkout.json';
import dualWrite from './dual-write.json';
import duplicateDelivery from './duplicate-delivery.json';
import emailOutage from './email-outage.json';
import fairChain from './fair-chain.json';
import notesCrud from './notes-crud.json';
import orchestratedCheckout from './orchestrated-checkout.json';
import paymentDeclinedSaga from './payment-declined-saga.json';
import poisonMessage from './poison-message.json';
import signup from './signup.json';
import slowPayment from './slow-payment.json';
import trafficSpike from './traffic-spike.json';

/** File name (without `.json`) -> file contents, in teaching order. */
const files: ReadonlyArray<readonly [string, unknown]> = [
  ['checkout', checkout],
  ['signup', signup],
  ['email-outage', emailOutage],
  ['traffic-spike', trafficSpike],
  ['slow-payment', slowPayment],
  ['fair-chain', fairChain],
  ['poison-message', poisonMessage],
  ['duplicate-delivery', duplicateDelivery],
  ['dual-write', dualWrite],
  ['payment-declined-saga', paymentDeclinedSaga],
  ['orchestrated-checkout', orchestratedCheckout],
  ['broker-outage', brokerOutage],
  ['notes-crud', notesCrud],
];

function load(file: string, json: unknown): Scenario {
  const result = parseScenario(json);
  // A built-in that does not validate is a bug in this repository, not a user mistake.
  if (!result.ok) {
    throw new Error(
      `Built-in scenario ${file}.json is invalid:\n${formatProblems(result.problems)}`,
    );
  }
  return result.scenario;
}

/** Every built-in scenario, validated and with defaults filled in, in teaching order. */
export const builtInScenarios: Scenario[] = files.map(([file, json]) => load(file, json));

/** The built-in scenario with this id, if there is one. */
export function findScenario(id: string): Scenario | undefined {
  return builtInScenarios.find((s) => s.id === id);
}
