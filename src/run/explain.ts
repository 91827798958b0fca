/**
 * Why a run was stopped, in a learner's words: the engine's one-line reason, plus what
 * grew. A queue that holds hundreds of thousands of messages means orders arrive faster
 * than its consumer processes them; a run whose events multiply is a loop in the design.
 */
import type { RunLimitError, Simulation } from '../core';
import { countText } from '../core/format';

export function explainStop(error: RunLimitError, sims: readonly Simulation[]): string {
  const base = `This run was ${error.message}.`;
  if (error.kind === 'memory') {
    let worst: { name: string; waiting: number } | null = null;
    for (const sim of sims) {
      for (let i = 0; i < sim.model.queues.length; i++) {
        const q = sim.queue(i);
        if (!worst || q.waiting > worst.waiting) worst = { name: q.name, waiting: q.waiting };
      }
      for (let i = 0; i < sim.model.services.length; i++) {
        const v = sim.service(i);
        if (!worst || v.waiting > worst.waiting) worst = { name: `${v.name}'s call queue`, waiting: v.waiting };
      }
    }
    if (worst && worst.waiting > error.live / 4) {
      return `${base} The ${worst.name} holds ${countText(worst.waiting)} messages: orders arrive faster than it processes them, so it grows without bound. Lower the rate, scale the consumer, or set a max-length.`;
    }
  }
  if (error.kind === 'moment') return `${base} Something reacts to itself with no delay.`;
  return `${base} Fanout stops runs that grow without bound so the page stays responsive.`;
}
