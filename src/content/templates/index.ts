/**
 * The "New" gallery: working systems from different domains to start from. Each is a
 * JSON file beside this one — a scenario in the usual format, plus the domain it comes
 * from and an experiment to try — validated at load like the built-in scenarios. The
 * scenario's description is the template's one-line story.
 *
 * Loaded with the gallery (lazily in the page) and by the CLI (`npm run sim -- ride-hailing`).
 */
import { z } from 'zod';
import { formatProblems, parseScenario, type Scenario } from '../../core/scenario';
import bankTransfer from './bank-transfer.json';
import blank from './blank.json';
import foodDelivery from './food-delivery.json';
import iotTelemetry from './iot-telemetry.json';
import rideHailing from './ride-hailing.json';
import shopCheckout from './shop-checkout.json';
import userSignup from './user-signup.json';
import videoUpload from './video-upload.json';

export interface Template {
  /** The scenario's id. */
  id: string;
  /** Where such a system is found: "Mobility", "Banking"... */
  domain: string;
  /** One line: what happens in it (the scenario's description). */
  story: string;
  /** One thing to try in it first. */
  experiment: string;
  scenario: Scenario;
}

const templateFile = z.strictObject({
  domain: z.string().min(1).max(40),
  experiment: z.string().min(20).max(240),
  scenario: z.unknown(),
});

/** File name (without `.json`) -> contents, in gallery order. */
const files: ReadonlyArray<readonly [string, unknown]> = [
  ['shop-checkout', shopCheckout],
  ['ride-hailing', rideHailing],
  ['food-delivery', foodDelivery],
  ['bank-transfer', bankTransfer],
  ['user-signup', userSignup],
  ['iot-telemetry', iotTelemetry],
  ['video-upload', videoUpload],
  ['blank', blank],
];

function load(file: string, json: unknown): Template {
  // A template that does not validate is a bug in this repository, not a user mistake.
  const shape = templateFile.safeParse(json);
  if (!shape.success)
    throw new Error(
      `Template ${file}.json is invalid: ${shape.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const parsed = parseScenario(shape.data.scenario);
  if (!parsed.ok)
    throw new Error(`Template ${file}.json is invalid:\n${formatProblems(parsed.problems)}`);
  const { scenario } = parsed;
  return {
    id: scenario.id,
    domain: shape.data.domain,
    story: scenario.description,
    experiment: shape.data.experiment,
    scenario,
  };
}

/** Every template, validated, in gallery order. */
export const templates: Template[] = files.map(([file, json]) => load(file, json));

export function findTemplate(id: string): Template | undefined {
  return templates.find((t) => t.id === id);
}
