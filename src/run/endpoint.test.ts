/** What the engine's endpoint puts in a frame, and when. */
import { describe, expect, it } from 'vitest';
import { findScenario } from '../content/scenarios';
import { EngineEndpoint } from './endpoint';

const checkout = () => {
  const s = findScenario('checkout');
  if (!s) throw new Error('no checkout');
  return s;
};

describe('engine endpoint', () => {
  it('playback frames carry the inspected messages a few times a second; an advance without a wall budget always does', () => {
    let wall = 0;
    const endpoint = new EngineEndpoint({ clock: () => wall });
    const scenario = checkout();
    endpoint.handle({
      op: 'load',
      setup: { scenario, seed: scenario.seed, mode: 'event', at: 0, interventions: {} },
    });
    endpoint.handle({
      op: 'interests',
      interests: { inspect: { side: 'event', nodeId: 'email-queue' }, follow: null, watch: null },
    });
    const inspected = (frame: ReturnType<typeof endpoint.handle>['frame']) =>
      frame?.sides[0]?.inspect !== undefined;

    // Two frames of playback 16 ms apart: the second one skips the details.
    expect(inspected(endpoint.handle({ op: 'advance', to: 1000, wallMs: 24 }).frame)).toBe(true);
    wall += 16;
    expect(inspected(endpoint.handle({ op: 'advance', to: 1016, wallMs: 24 }).frame)).toBe(false);
    // A jump forward right after (a lesson, a test): its frame may be the last for a while.
    wall += 16;
    expect(inspected(endpoint.handle({ op: 'advance', to: 5000 }).frame)).toBe(true);
    expect(inspected(endpoint.handle({ op: 'advance', to: 6000 }).frame)).toBe(true);
  });
});
