/**
 * The last check on a scenario before it runs: build its run, as both architectures,
 * and report anything that throws as a problem with its place instead of a stack trace.
 * `parseScenario` should already refuse whatever would throw; this catches what it
 * missed, so a learner or a CLI user always gets one line.
 */
import type { Scenario, ScenarioProblem } from './scenario';
import { Simulation } from './simulation';
import { showHidden } from './text';

/** First line of what was thrown, with hidden characters written out. */
function describeThrown(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return showHidden(text.split('\n')[0] ?? '').trim() || 'an unknown error';
}

/**
 * Build the run of a validated scenario as a request chain, as event fan-out and as an
 * orchestrated saga (compare runs any two). Returns no problem when all build, else
 * `(scenario): cannot be run: <what went wrong>`. Never throws.
 */
export function checkScenarioBuilds(scenario: Scenario): ScenarioProblem[] {
  for (const architecture of ['chain', 'event', 'orchestration'] as const) {
    try {
      // The constructor compiles the model, the run context and the initial state:
      // everything a run needs before its first event.
      new Simulation(scenario, { architecture });
    } catch (error) {
      return [{ path: '(scenario)', message: `cannot be run: ${describeThrown(error)}` }];
    }
  }
  return [];
}
