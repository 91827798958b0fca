/**
 * Redrive: move every dead letter back to the queue it came from (RabbitMQ shovel / SQS
 * "start DLQ redrive"). A log has no dead-letter queue to redrive from: there, replay.
 */
import { defineIntervention } from './define';

export const redrive = defineIntervention({
  kind: 'redrive',
  fields: {},
  sides: 'event',
  problem: (run) =>
    run.scenario.broker.kind === 'log'
      ? 'a log has no dead-letter queue to redrive; reset offsets to replay'
      : null,
  apply(run) {
    run.ops.redrive(run.ctx, run.state);
  },
  link: { code: 'd', encode: () => [], decode: () => ({}) },
  marker: () => ({ kind: 'action', label: 'You redrove the dead letters' }),
  verbs: [{ do: 'redrive', fields: {}, toBodies: () => [{}] }],
});
