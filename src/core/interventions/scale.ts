/** Scale a service now: replicas x workers per replica. Shrinking never interrupts work. */
import { z } from 'zod';
import { defineIntervention, serviceIdSchema } from './define';

export const MAX_REPLICAS = 32;
export const MAX_CONCURRENCY = 256;
const replicas = z.number().int().min(1).max(MAX_REPLICAS);
const concurrency = z.number().int().min(1).max(MAX_CONCURRENCY);

export const scale = defineIntervention({
  kind: 'scale',
  fields: { service: serviceIdSchema, replicas, concurrency },
  sides: 'all',
  services: (b) => [b.service],
  apply(run, b) {
    run.ops.scaleService(run.ctx, run.state, run.service(b.service), b.replicas, b.concurrency);
  },
  link: {
    code: 'k',
    encode: (b, serviceIndex) => [serviceIndex(b.service), b.replicas, b.concurrency],
    decode: ([service, r, c], serviceId) => ({
      service: serviceId(service),
      replicas: r,
      concurrency: c,
    }),
  },
  marker: (b, name) => ({
    kind: 'action',
    label: `You scaled ${name(b.service)} to ${b.replicas} × ${b.concurrency} workers`,
  }),
  verbs: [
    {
      do: 'scale',
      fields: { service: serviceIdSchema, replicas, concurrency: concurrency.optional() },
      toBodies: (v, now) => [
        {
          service: v.service as string,
          replicas: v.replicas as number,
          concurrency:
            (v.concurrency as number | undefined) ?? now.concurrency(v.service as string),
        },
      ],
    },
  ],
});
