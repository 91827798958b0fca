/**
 * Why a run was stopped, in a learner's words: the engine's one-line reason, plus what
 * grew. A queue that holds hundreds of thousands of messages means orders arrive faster
 * than its consumer processes them; a run whose events multiply is a loop in the design.
 */
import type { RunLimitError } from '../core/limits';
import type { Simulation } from '../core/simulation';
import { countText } from '../core/format';

export function explainStop(error: RunLimitError, sims: readonly Simulation[]): string {
  const base = `This run was ${error.message}.`;
  if (error.kind === 'memory') {
    let worst: { text: string; waiting: number } | null = null;
    for (const sim of sims) {
      for (let i = 0; i < sim.model.queues.length; i++) {
        const q = sim.queue(i);
        if (!worst || q.waiting > worst.waiting)
          worst = {
            waiting: q.waiting,
            text: `The ${q.name} holds ${countText(q.waiting)} messages: they arrive faster than its consumer processes them, so it grows without bound. Lower the rate, scale the consumer, or set a max-length.`,
          };
      }
      for (let i = 0; i < sim.model.services.length; i++) {
        const v = sim.service(i);
        if (!worst || v.waiting > worst.waiting)
          worst = {
            waiting: v.waiting,
            text: `${v.name} has ${countText(v.waiting)} calls waiting for a worker: orders arrive faster than it serves them, so they pile up without bound. Lower the rate or scale it.`,
          };
      }
    }
    if (worst && worst.waiting > error.live / 4) return `${base} ${worst.text}`;
  }
  if (error.kind === 'moment') return `${base} Something reacts to itself with no delay.`;
  return `${base} Fanout stops runs that grow without bound so the page stays responsive.`;
}
