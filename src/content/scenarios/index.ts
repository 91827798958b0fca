/**
 * The built-in scenarios, in the order the picker shows them: a healthy baseline first,
 * then one failure at a time. Each is a JSON file beside this one, written in the same
 * format a teacher would use, and validated the first time it is asked for: a page
 * validates only the scenario it opens (issue 17: validating all thirteen took 40-60 ms
 * of the page's first second), the CLI and the tests all of them.
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

/** What the picker reads from a file before it is validated. */
interface BuiltInFile {
  id: string;
  name: string;
  description?: string;
}

/** File name (without `.json`) -> file contents, in teaching order. */
const files: ReadonlyArray<readonly [string, BuiltInFile]> = [
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

const validated = new Map<string, Scenario>();

/** The built-in scenario with this id, if there is one (the same object every time). */
export function findScenario(id: string): Scenario | undefined {
  const known = validated.get(id);
  if (known) return known;
  const entry = files.find(([, json]) => json.id === id);
  if (!entry) return undefined;
  const scenario = load(...entry);
  validated.set(id, scenario);
  return scenario;
}

function allBuiltIns(): Scenario[] {
  return files.map(([, json]) => findScenario(json.id) as Scenario);
}

/**
 * Every built-in scenario, validated and with defaults filled in, in teaching order.
 * (Pure: a bundle that never reads it, like the page's, leaves it out and validates
 * nothing up front.)
 */
export const builtInScenarios: Scenario[] = /* @__PURE__ */ allBuiltIns();

/**
 * The picker's list: id, name and one line of each built-in, read from the files without
 * validating them (scenarios.test.ts checks they are what validation gives).
 */
export const builtInChoices: ReadonlyArray<{ id: string; name: string; description: string }> =
  files.map(([, json]) => ({
    id: json.id,
    name: json.name,
    description: json.description ?? '',
  }));
