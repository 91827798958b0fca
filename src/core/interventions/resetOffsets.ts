/**
 * Replay on a log: move a stopped consumer group's committed offsets back (or forward).
 * Kafka only resets the offsets of a group with no active members, so the service must
 * be switched off first (`kafka-consumer-groups.sh --reset-offsets` refuses otherwise).
 */
import { z } from 'zod';
import { defineIntervention, MAX_AT_MS, serviceIdSchema, serviceIndexIn } from './define';

const target = z.discriminatedUnion('to', [
  z.strictObject({ to: z.literal('earliest') }),
  z.strictObject({ to: z.literal('offset'), offset: z.number().int().min(0) }),
  z.strictObject({ to: z.literal('time'), at: z.number().int().min(0).max(MAX_AT_MS) }),
]);
export type OffsetTarget = z.output<typeof target>;

export const resetOffsets = defineIntervention({
  kind: 'reset-offsets',
  fields: { service: serviceIdSchema, target },
  sides: 'event',
  services: (b) => [b.service],
  problem(run, b) {
    if (run.scenario.broker.kind !== 'log') return 'offsets exist only on a log broker';
    const index = serviceIndexIn(run, b.service);
    const qi = run.model.services[index]?.queue ?? -1;
    if (qi < 0 || !run.service(index).subscribed) return 'this service reads no topic';
    if (!run.service(index).down)
      return 'stop the consumer group first (switch the service off), as Kafka requires';
    return null;
  },
  apply(run, b) {
    run.ops.resetOffsets(run.ctx, run.state, run.service(b.service), b.target);
  },
  link: {
    code: 'z',
    encode(b, serviceIndex) {
      const t = b.target;
      const spelled =
        t.to === 'earliest' ? ['e'] : t.to === 'offset' ? ['o', t.offset] : ['t', t.at];
      return [serviceIndex(b.service), ...spelled];
    },
    decode([service, to, value], serviceId) {
      const t =
        to === 'e'
          ? { to: 'earliest' }
          : to === 'o'
            ? { to: 'offset', offset: value }
            : to === 't'
              ? { to: 'time', at: value }
              : null;
      return t ? { service: serviceId(service), target: t } : 'its replay target is damaged';
    },
  },
  marker: (b, name) => ({ kind: 'action', label: `You reset ${name(b.service)}'s offsets` }),
  verbs: [
    {
      do: 'reset-offsets',
      fields: { service: serviceIdSchema },
      toBodies: (v) => [{ service: v.service as string, target: { to: 'earliest' as const } }],
    },
  ],
});
