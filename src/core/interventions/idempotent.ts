/** Switch a consumer's deduplication by message id on or off, now. */
import { z } from 'zod';
import { bit, defineIntervention, fromBit, serviceIdSchema } from './define';

export const idempotent = defineIntervention({
  kind: 'idempotent',
  fields: { service: serviceIdSchema, on: z.boolean() },
  sides: 'all',
  services: (b) => [b.service],
  apply(run, b) {
    run.ops.setIdempotent(run.ctx, run.state, run.service(b.service), b.on);
  },
  link: {
    code: 'i',
    encode: (b, serviceIndex) => [serviceIndex(b.service), bit(b.on)],
    decode: ([service, on], serviceId) => ({ service: serviceId(service), on: fromBit(on) }),
  },
  marker: (b, name) => ({
    kind: 'action',
    label: `You switched ${name(b.service)}'s idempotency ${b.on ? 'on' : 'off'}`,
  }),
  verbs: [
    {
      do: 'idempotent',
      fields: { service: serviceIdSchema, on: z.boolean() },
      toBodies: (v) => [{ service: v.service as string, on: v.on as boolean }],
    },
  ],
});
