/** A burst of traffic starting now: `rate` orders per second for `durationMs`. */
import { z } from 'zod';
import { defineIntervention, MAX_AT_MS } from './define';
import { MAX_RATE_PER_S } from './rate';

export const spike = defineIntervention({
  kind: 'spike',
  fields: {
    rate: z.number().min(0).max(MAX_RATE_PER_S),
    durationMs: z.number().int().min(1).max(MAX_AT_MS),
  },
  sides: 'all',
  apply(run, b) {
    run.ops.startSpike(run.ctx, run.state, { rate: b.rate, endAt: run.state.now + b.durationMs });
  },
  link: {
    code: 'p',
    encode: (b) => [b.rate, b.durationMs],
    decode: ([r, d]) => ({ rate: r, durationMs: d }),
  },
  marker: (b) => ({
    kind: 'spike',
    label: `You started a spike: ${b.rate} orders/s for ${b.durationMs / 1000} s`,
    durationMs: b.durationMs,
  }),
  verbs: [
    {
      do: 'spike',
      fields: {
        perSecond: z.number().min(1).max(MAX_RATE_PER_S),
        durationMs: z.number().int().min(1).max(600_000),
      },
      toBodies: (v) => [{ rate: v.perSecond as number, durationMs: v.durationMs as number }],
    },
  ],
});
