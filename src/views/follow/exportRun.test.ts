/**
 * "Export this run" on the page: the page holds only the latest records of each side,
 * so the export asks the engine for every record (`pg.timeTravel.allRecords`). The file
 * must be the one the engine itself would write for the same run.
 */
import { describe, expect, it } from 'vitest';
import { findScenario } from '../../content/scenarios';
import { Simulation } from '../../core';
import { toggleOutage } from '../../store/actions';
import { createHeadlessPlayground } from '../../store/headless';
import { exportFileName, traceExport } from '../../time/exportTrace';
import { simulationToOtlp } from '../../time/otel';

describe('exporting a run from the page', () => {
  it('has every record of the run, beyond what the page holds, as the engine would write it', async () => {
    const pg = createHeadlessPlayground({
      scenarioId: 'email-outage',
      mode: 'event',
      playing: false,
    });
    await pg.ready;
    await pg.playback.advanceTo(4000);
    await toggleOutage(pg, 'email');
    await pg.playback.advanceTo(45_000);
    const run = pg.getState().runs.event;
    if (!run) throw new Error('no event side');
    const records = await pg.timeTravel.allRecords('event');

    const scenario = findScenario('email-outage');
    if (!scenario) throw new Error('no email-outage');
    const sim = new Simulation(scenario, {
      architecture: 'event',
      openEnded: true,
      interventions: [{ at: 4000, kind: 'fault', service: 'email', patch: { down: true } }],
    });
    sim.runUntil(45_000);

    // More than the page's ring holds: the export does not stop at what is on screen.
    expect(run.traceCount).toBeGreaterThan(run.traceTail(Number.MAX_SAFE_INTEGER).length);
    expect(records).toHaveLength(run.traceCount);
    expect(traceExport(run, records)).toEqual(traceExport(sim, sim.allRecords()));
    expect(simulationToOtlp(run, records)).toEqual(simulationToOtlp(sim, sim.allRecords()));
    expect(exportFileName(run, 'trace')).toBe('fanout-email-outage-event-00m45s.trace.json');
  });
});
