/** The base arrival rate, changed now (Poisson arrivals: redrawing after a change is exact). */
import { z } from 'zod';
import { defineIntervention } from './define';

/** The scenario format's own limit. The playground's slider offers less (`MAX_RATE` in the store). */
export const MAX_RATE_PER_S = 5000;

export const rate = defineIntervention({
  kind: 'rate',
  fields: { rate: z.number().min(0).max(MAX_RATE_PER_S) },
  sides: 'all',
  apply(run, b) {
    run.ops.setBaseRate(run.ctx, run.state, b.rate);
  },
  link: { code: 'r', encode: (b) => [b.rate], decode: ([r]) => ({ rate: r }) },
  marker: (b) => ({ kind: 'action', label: `You set the rate to ${b.rate} orders/s` }),
  verbs: [
    {
      do: 'rate',
      fields: { perSecond: z.number().min(0).max(200) },
      toBodies: (v) => [{ rate: v.perSecond as number }],
    },
  ],
});
