/** One extra order, now: "Send one order". */
import { z } from 'zod';
import { defineIntervention } from './define';

export const order = defineIntervention({
  kind: 'order',
  fields: {},
  sides: 'all',
  apply(run) {
    run.ops.createOrder(run.ctx, run.state);
  },
  link: { code: 'o', encode: () => [], decode: () => ({}) },
  marker: () => ({ kind: 'action', label: 'You sent one order' }),
  verbs: [
    {
      do: 'order',
      fields: { count: z.number().int().min(1).max(100).default(1) },
      toBodies: (v) => Array.from({ length: (v.count as number | undefined) ?? 1 }, () => ({})),
    },
  ],
});
