/**
 * A leader change, now: a quorum queue's leader (queue broker, named by the service
 * whose queue it is) or a partition's leader (log broker, the same partition of every
 * topic) goes away, and a new one is elected after `durationMs`. Meanwhile its publishes
 * wait at the producer and its consumers get nothing from it; everything else carries on.
 * SNS and SQS show no leaders to their users, and a classic queue has no replicas to
 * elect from, so neither has one.
 */
import { z } from 'zod';
import { defineIntervention, serviceIdSchema } from './define';

/** Longest election a learner can ask for: two minutes. */
export const MAX_ELECTION_MS = 120_000;

export const leaderChange = defineIntervention({
  kind: 'leader-change',
  fields: {
    /** Queue broker: the service whose quorum queue loses its leader. */
    queue: serviceIdSchema.optional(),
    /** Log broker: the partition that loses its leader. */
    partition: z.number().int().min(0).max(63).optional(),
    durationMs: z.number().int().min(1).max(MAX_ELECTION_MS),
  },
  sides: 'event',
  services: (b) => (b.queue === undefined ? [] : [b.queue]),
  problem(run, b) {
    const broker = run.scenario.broker;
    if (broker.kind === 'sns-sqs') return 'SNS and SQS show no leaders to move';
    if (broker.kind === 'queue') {
      if (broker.queue_type === 'classic')
        return 'a classic queue has no replicas to elect a new leader from';
      const svc = run.model.services.find((s) => s.id === b.queue);
      if (!svc) return 'name the service whose quorum queue loses its leader';
      return svc.subscribes.length > 0 ? null : `${svc.name} has no queue`;
    }
    if (b.partition === undefined) return 'name the partition that loses its leader';
    return b.partition < broker.partitions
      ? null
      : `there are ${broker.partitions} partitions per topic, numbered from 0`;
  },
  apply(run, b) {
    const target = run.ops.leaderTarget(run.ctx, b);
    if (target >= 0) run.ops.startLeaderChange(run.ctx, run.state, target, b.durationMs);
  },
  link: {
    code: 'l',
    encode: (b, serviceIndex) => [
      b.queue === undefined ? -1 : serviceIndex(b.queue),
      b.partition ?? -1,
      b.durationMs,
    ],
    decode([queue, partition, durationMs], serviceId) {
      return {
        ...(typeof queue === 'number' && queue >= 0 ? { queue: serviceId(queue) } : {}),
        ...(typeof partition === 'number' && partition >= 0 ? { partition } : {}),
        durationMs,
      };
    },
  },
  marker: (b, name) => ({
    kind: 'fault',
    label: `You moved the leader of ${
      b.queue !== undefined ? `${name(b.queue)}'s quorum queue` : `partition ${b.partition}`
    }: ${b.durationMs / 1000} s to elect a new one`,
    durationMs: b.durationMs,
  }),
  verbs: [
    {
      do: 'leader-change',
      fields: {
        queue: serviceIdSchema.optional(),
        partition: z.number().int().min(0).max(63).optional(),
        durationMs: z.number().int().min(1).max(MAX_ELECTION_MS),
      },
      toBodies: (v) => [
        {
          ...(v.queue !== undefined ? { queue: v.queue as string } : {}),
          ...(v.partition !== undefined ? { partition: v.partition as number } : {}),
          durationMs: v.durationMs as number,
        },
      ],
    },
  ],
});
