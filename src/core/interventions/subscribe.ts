/**
 * A subscriber joins now, without the producer changing: the heart of "add a consumer
 * without touching the publisher". On a log it reads from the earliest offset still kept,
 * or only what comes next (latest).
 */
import { z } from 'zod';
import { defineIntervention, serviceIdSchema, serviceIndexIn } from './define';

const from = z.enum(['earliest', 'latest']);

export const subscribe = defineIntervention({
  kind: 'subscribe',
  fields: { service: serviceIdSchema, from },
  sides: 'event',
  services: (b) => [b.service],
  problem(run, b) {
    const index = serviceIndexIn(run, b.service);
    if ((run.model.services[index]?.queue ?? -1) < 0) return 'this service subscribes to nothing';
    return run.service(index).subscribed ? 'this service is already subscribed' : null;
  },
  apply(run, b) {
    run.ops.subscribe(run.ctx, run.state, run.service(b.service), b.from);
  },
  link: {
    code: 'u',
    encode: (b, serviceIndex) => [serviceIndex(b.service), b.from === 'earliest' ? 'e' : 'l'],
    decode: ([service, f], serviceId) => ({
      service: serviceId(service),
      from: f === 'e' ? 'earliest' : f === 'l' ? 'latest' : f,
    }),
  },
  marker: (b, name) => ({ kind: 'action', label: `You subscribed ${name(b.service)}` }),
  verbs: [
    {
      do: 'subscribe',
      fields: { service: serviceIdSchema, from: from.default('latest') },
      toBodies: (v) => [
        {
          service: v.service as string,
          from: (v.from as 'earliest' | 'latest' | undefined) ?? 'latest',
        },
      ],
    },
  ],
});
