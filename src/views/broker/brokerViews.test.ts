import { describe, expect, it } from 'vitest';
import { FLAVOUR_ORDER, FLAVOURS, formatDuration, settingText } from '../../content/brokerFlavours';
import { findScenario } from '../../content/scenarios';
import { LOG_DEFAULTS } from '../../core/testkit';
import {
  Effect,
  Reason,
  Rec,
  REC_NAMES,
  type RecKind,
  Simulation,
  type TraceRecord,
} from '../../core';
import type { RunView } from '../../run/view';
import { toggleOutage } from '../../store/actions';
import { type Playground } from '../../store/playground';
import { createHeadlessPlayground } from '../../store/headless';
import { describeRecord, eventTypesById, sentence } from '../inspector/traceSentence';
import { duplicateNotes, effectVerb } from './explain';
import { brokerNodeView } from './nodeView';
import { orderingStats } from './ordering';

/** A paused playground showing only the event side. */
const fresh = async (scenarioId = 'checkout') => {
  const pg = createHeadlessPlayground({ scenarioId, mode: 'event', playing: false });
  await pg.ready;
  return pg;
};

const eventRunOf = (pg: Playground) => {
  const run = pg.getState().runs.event;
  if (!run) throw new Error('no event side');
  return run;
};

const serviceIndex = (run: RunView, id: string) => {
  const i = run.model.services.findIndex((s) => s.id === id);
  if (i < 0) throw new Error(`no service ${id}`);
  return i;
};

describe('the flavours as the playground presents them', () => {
  it('each names the product and version it imitates, and links every setting to vendor docs', () => {
    expect(FLAVOUR_ORDER.map((k) => FLAVOURS[k].imitates)).toEqual([
      'RabbitMQ 4.x (4.2)',
      'Apache Kafka 4.x',
      'Amazon SNS + SQS',
    ]);
    for (const kind of FLAVOUR_ORDER) {
      const f = FLAVOURS[kind];
      expect(f.homeUrl).toMatch(/^https:\/\//);
      for (const s of f.settings) {
        expect(s.docUrl, `${kind}.${s.key}`).toMatch(
          /^https:\/\/(www\.rabbitmq\.com|kafka\.apache\.org|docs\.aws\.amazon\.com)\//,
        );
        expect(s.defaultText.length).toBeGreaterThan(0);
      }
    }
  });

  it('shows the defaults the engine uses', async () => {
    const pg = await fresh();
    const text = async (kind: (typeof FLAVOUR_ORDER)[number], key: string) => {
      expect(await pg.broker.switchFlavour(kind)).toBeNull();
      const setting = FLAVOURS[kind].settings.find((s) => s.key === key);
      if (!setting) throw new Error(key);
      // The scenario the engine runs now, as a frame brought it back.
      return [settingText(setting, pg.getState().scenario), setting.defaultText];
    };
    expect(await text('queue', 'delivery_limit')).toEqual(['20', '20']);
    expect(await text('queue', 'prefetch')).toEqual([
      '= workers per replica (teaching default)',
      '= workers per replica (teaching default)',
    ]);
    expect(await text('log', 'partitions')).toEqual(['3', '3']);
    expect(await text('log', 'retention_ms')).toEqual(['7 days', '7 days']);
    expect(await text('log', 'commit')).toEqual(['after processing', 'after processing']);
    expect(await text('log', 'auto_offset_reset')).toEqual(['latest', 'latest']);
    expect(await text('log', 'retry')).toEqual([
      'in place (partition waits)',
      'in place (partition waits)',
    ]);
    expect(await text('log', 'group_type')).toEqual(['consumer group', 'consumer group']);
    expect(await text('log', 'share_lock_ms')).toEqual(['30 s', '30 s']);
    expect(await text('log', 'share_delivery_limit')).toEqual(['5', '5']);
    expect(await text('log', 'rebalance_ms')).toEqual(['off', 'off']);
    expect(await text('log', 'max_poll_interval_ms')).toEqual(['5 min', '5 min']);
    expect(await text('sns-sqs', 'visibility_timeout_ms')).toEqual(['30 s', '30 s']);
    expect(await text('sns-sqs', 'max_receive_count')).toEqual(['5', '5']);
    expect(await text('sns-sqs', 'message_retention_ms')).toEqual(['4 days', '4 days']);
    expect(await text('sns-sqs', 'delay_ms')).toEqual(['0 s', '0 s']);
    expect(await text('sns-sqs', 'extend_visibility')).toEqual(['off', 'off']);
  });

  it('each says what the broker does, what the consumer code does, and where the playground simplifies', () => {
    for (const kind of FLAVOUR_ORDER) {
      const { roles } = FLAVOURS[kind];
      expect(roles.broker.length).toBeGreaterThan(0);
      expect(roles.consumer.length).toBeGreaterThan(0);
      expect(roles.simplified.length).toBeGreaterThan(0);
    }
    // Retries live where the products put them: consumer code on RabbitMQ and Kafka, the broker on SQS.
    expect(FLAVOURS.queue.roles.consumer.join(' ')).toMatch(/retry queue/);
    expect(FLAVOURS.log.roles.consumer.join(' ')).toMatch(/retry topic/);
    expect(FLAVOURS.log.roles.consumer.join(' ')).toMatch(/dead-letter topic/);
    expect(FLAVOURS['sns-sqs'].roles.broker.join(' ')).toMatch(/visibility timeout/);
  });

  it('only the queue flavour, checked against a real RabbitMQ, lists what differs between versions, starting with what the check pins', () => {
    expect(FLAVOURS.queue.versions?.checked).toMatch(/verify:rabbitmq/);
    // scripts/verify-rabbitmq.ts sets x-delivery-limit on an older broker because of this.
    expect(FLAVOURS.queue.versions?.differences[0]).toMatch(/x-delivery-limit/);
    expect(FLAVOURS.log.versions).toBeUndefined();
    expect(FLAVOURS['sns-sqs'].versions).toBeUndefined();
  });

  it('formats durations as people say them', () => {
    expect(formatDuration(30_000)).toBe('30 s');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(600_000)).toBe('10 min');
    expect(formatDuration(7 * 24 * 3_600_000)).toBe('7 days');
    expect(formatDuration(250)).toBe('250 ms');
  });
});

describe('why a side effect happened twice', () => {
  it('charged twice: order #n was redelivered after the consumer crashed before acking', async () => {
    const pg = await fresh('duplicate-delivery');
    await pg.playback.advanceTo(20_000);
    const run = eventRunOf(pg);
    const notes = duplicateNotes(run.model, run.traceTail(4096), serviceIndex(run, 'payment'));
    expect(notes.length).toBeGreaterThan(0);
    expect(notes[0]?.text).toMatch(
      /^charged twice: order #\d+ was redelivered after the consumer crashed before acking$/,
    );
  });

  it('names a closed channel as the cause when a message comes back with it', () => {
    const scenario = findScenario('checkout');
    if (!scenario) throw new Error('no checkout');
    const sim = new Simulation(scenario, { architecture: 'event' });
    const payment = sim.model.services.find((svc) => svc.id === 'payment');
    if (!payment) throw new Error('no payment');
    const rec = (kind: RecKind, t: number, code: number): TraceRecord => ({
      index: t,
      t,
      kind,
      from: kind === Rec.Delivered ? (sim.model.queues[payment.queue]?.node ?? -1) : payment.node,
      to: payment.node,
      msg: 7,
      corr: 3,
      attempt: 1,
      code,
      value: 0,
    });
    const notes = (cause: number) =>
      duplicateNotes(
        sim.model,
        [
          rec(Rec.Delivered, 1, 0),
          rec(Rec.Processed, 2, Effect.First),
          rec(Rec.Delivered, 3, cause),
          rec(Rec.Processed, 4, Effect.Duplicate),
        ],
        payment.index,
      ).map((n) => n.text);
    expect(notes(Reason.ChannelClosed)).toEqual([
      'charged twice: order #3 was redelivered: another message on the same channel crashed the consumer before its ack',
    ]);
    expect(notes(Reason.ConsumerTimeout)[0]).toMatch(/within the consumer timeout/);
  });

  it('with the consumer idempotent: skipped, already handled', async () => {
    const pg = await fresh('duplicate-delivery');
    expect(await pg.broker.setIdempotent('payment', true)).toBeNull();
    await pg.playback.advanceTo(20_000);
    const run = eventRunOf(pg);
    const notes = duplicateNotes(run.model, run.traceTail(4096), serviceIndex(run, 'payment'));
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((n) => !n.repeated)).toBe(true);
    expect(notes[0]?.text).toMatch(/^skipped: already handled order #\d+ \(it was redelivered/);
  });

  it('names the side effect after the service', () => {
    expect(effectVerb('payment', 'Payment Service')).toBe('charged');
    expect(effectVerb('email', 'Email Service')).toBe('emailed');
    expect(effectVerb('x', 'Something')).toBe('processed');
  });

  it('counts the third time and explains a replay', () => {
    const model = new Simulation(
      {
        ...(findScenario('checkout') as NonNullable<ReturnType<typeof findScenario>>),
        broker: { ...LOG_DEFAULTS, retention_ms: 1e9 },
      },
      { architecture: 'event' },
    ).model;
    const email = model.services.find((s) => s.id === 'email');
    if (!email) throw new Error('no email');
    const rec = (kind: RecKind, code: number): TraceRecord => ({
      index: 0,
      t: 1,
      kind,
      from: kind === Rec.Delivered ? 0 : email.node,
      to: email.node,
      msg: 9,
      corr: 9,
      attempt: 1,
      code,
      value: 0,
    });
    const notes = duplicateNotes(
      model,
      [
        rec(Rec.Processed, Effect.First),
        rec(Rec.Delivered, Reason.Replay),
        rec(Rec.Processed, Effect.Duplicate),
        rec(Rec.Delivered, Reason.Replay),
        rec(Rec.Processed, Effect.Duplicate),
      ],
      email.index,
    );
    expect(notes.map((n) => n.text)).toEqual([
      "emailed three times: order #9 was read again after the group's offsets were reset (replay)",
      "emailed twice: order #9 was read again after the group's offsets were reset (replay)",
    ]);
  });
});

describe('ordering', () => {
  it('log: same key, same partition, in order; across partitions out of publish order', async () => {
    const pg = await fresh();
    await pg.broker.switchFlavour('log');
    await pg.playback.advanceTo(20_000);
    const run = eventRunOf(pg);
    const rows = orderingStats(run.model, run.traceTail(4096));
    const email = rows.find((r) => r.name === 'Email Service');
    expect(email?.processed).toBeGreaterThan(50);
    expect(email?.outOfOrder).toBeGreaterThan(0);
    for (const r of rows) expect(r.outOfOrderInPartition).toBe(0);
  });

  it('log with one partition: everything in publish order', async () => {
    const pg = await fresh();
    await pg.broker.switchFlavour('log');
    expect(await pg.broker.changeSetting('partitions', 1)).toBeNull();
    await pg.playback.advanceTo(20_000);
    const run = eventRunOf(pg);
    const rows = orderingStats(run.model, run.traceTail(4096));
    expect(rows.every((r) => r.processed > 50)).toBe(true);
    for (const r of rows) expect(r.outOfOrder).toBe(0);
  });

  it('a standard SQS queue processes orders out of publish order', async () => {
    const pg = await fresh();
    await pg.broker.switchFlavour('sns-sqs');
    await pg.playback.advanceTo(20_000);
    const run = eventRunOf(pg);
    const rows = orderingStats(run.model, run.traceTail(4096));
    expect(rows.some((r) => r.outOfOrder > 0)).toBe(true);
    expect(rows.every((r) => r.outOfOrderInPartition === null)).toBe(true);
  });
});

describe('the inspector broker section of a node', () => {
  it('log: partitions with their owners, and the idle members beyond them', async () => {
    const pg = await fresh();
    await pg.broker.switchFlavour('log');
    await pg.playback.advanceTo(5_000);
    const view = brokerNodeView(eventRunOf(pg), 'payment-queue');
    expect(view?.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(view?.partitions.map((p) => p.member)).toEqual([0, 1, 2]);
    // Payment: 2 replicas x 4 workers = 8 members for 3 partitions.
    expect(view?.members).toBe(8);
    expect(view?.idleMembers).toEqual([3, 4, 5, 6, 7]);
    for (const p of view?.partitions ?? []) expect(p.lag).toBe(p.end - p.committed);
  });

  it('a dormant subscriber is described, then its join with what it misses', async () => {
    const pg = await fresh();
    await pg.playback.advanceTo(5_000);
    expect(await pg.broker.addSubscriber('fraud', 'latest')).toBeNull();
    await pg.playback.advanceTo(6_000);
    const view = brokerNodeView(eventRunOf(pg), 'fraud-queue');
    expect(view?.subscribed).toBe(true);
    expect(view?.lateJoiner).toBe(true);
    expect(view?.subscriptionNote).toMatch(
      /Subscribed at t = 5\.0 s\. It gets only events published after it subscribed/,
    );
    expect(view?.subscriptionNote).toMatch(/the \d+ orders placed before never reach it/);
  });

  it('SQS: invisible messages with their receive counts; FIFO: blocked message groups', async () => {
    const pg = await fresh('duplicate-delivery');
    await pg.broker.switchFlavour('sns-sqs');
    expect(await pg.broker.changeSetting('fifo', true)).toBeNull();
    await pg.playback.advanceTo(12_000);
    const view = brokerNodeView(eventRunOf(pg), 'payment-queue');
    expect(view?.visibilityTimeoutMs).toBe(30_000);
    expect(view?.invisible.length).toBeGreaterThan(0);
    expect(view?.invisible.some((m) => m.receives >= 1)).toBe(true);
    expect(view?.blockedGroups).toBe(view?.invisible.length);
  });

  it('says nothing about brokers on the request chain', async () => {
    const pg = createHeadlessPlayground({ mode: 'chain', playing: false });
    await pg.ready;
    const run = pg.getState().runs.chain;
    if (!run) throw new Error('no chain side');
    expect(brokerNodeView(run, 'payment')).toBeNull();
  });
});

describe('trace sentences for what only some brokers do', () => {
  it('every record of a log run with a late joiner and a replay reads as a sentence', async () => {
    const pg = await fresh();
    await pg.broker.switchFlavour('log');
    expect(await pg.broker.setIdempotent('email', true)).toBeNull();
    await pg.playback.advanceTo(3_000);
    expect(await pg.broker.addSubscriber('fraud', 'earliest')).toBeNull();
    await toggleOutage(pg, 'email');
    expect(await pg.broker.replay('email', { to: 'earliest' })).toBeNull();
    await toggleOutage(pg, 'email');
    await pg.playback.advanceTo(6_000);
    const run = eventRunOf(pg);
    const records = await pg.timeTravel.allRecords('event');
    const types = eventTypesById(run.model, records);
    const ctx = { model: run.model, eventOf: (m: number) => types.get(m) };
    const text = (kind: RecKind) =>
      records.filter((r) => r.kind === kind).map((r) => sentence(r, ctx));
    expect(text(Rec.Subscribed)).toEqual([
      'Fraud subscribed: its new consumer group starts at the earliest offset and reads the whole history',
    ]);
    expect(text(Rec.OffsetsReset)[0]).toMatch(
      /^Email's consumer group offsets reset to the earliest offset: \d+ records to read again$/,
    );
    expect(text(Rec.IdempotencyChanged)[0]).toMatch(/^Email is now idempotent/);
    expect(text(Rec.Appended)[0]).toMatch(/^OrderCreated #1 appended to partition \d at offset 0$/);
    expect(text(Rec.Acked)[0]).toMatch(/committed OrderCreated #\d+ \(offset \d+\)$/);
    for (const r of records) {
      const line = describeRecord(r, ctx);
      expect(line, REC_NAMES[r.kind]).not.toMatch(/undefined|NaN|record \d+/);
    }
  });

  it('SQS words: received with a receive count, deleted, visible again', async () => {
    const pg = await fresh('duplicate-delivery');
    await pg.broker.switchFlavour('sns-sqs');
    expect(await pg.broker.changeSetting('visibility_timeout_ms', 1000)).toBeNull();
    await pg.playback.advanceTo(15_000);
    const run = eventRunOf(pg);
    const records = await pg.timeTravel.allRecords('event');
    const ctx = { model: run.model, eventOf: () => 'OrderCreated' };
    const lines = records.map((r) => sentence(r, ctx));
    expect(
      lines.some((l) =>
        /^Payment received OrderCreated #\d+ \(receive count 2, visibility timeout ended\)$/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(
      lines.some((l) => /^Payment deleted OrderCreated #\d+ from payment queue$/.test(l)),
    ).toBe(true);
    expect(
      lines.some((l) =>
        /is visible again in payment queue: not deleted within its visibility timeout/.test(l),
      ),
    ).toBe(true);
  });

  it('redrive and reject-publish read as sentences', async () => {
    const pg = await fresh('poison-message');
    expect(await pg.broker.changeSetting('max_length', 10)).toBeNull();
    expect(await pg.broker.changeSetting('overflow', 'reject-publish')).toBeNull();
    await toggleOutage(pg, 'email');
    await pg.playback.advanceTo(30_000);
    await toggleOutage(pg, 'email');
    expect(await pg.broker.redrive()).toBeGreaterThan(0);
    const run = eventRunOf(pg);
    const records = await pg.timeTravel.allRecords('event');
    const ctx = { model: run.model, eventOf: () => 'OrderCreated' };
    const lines = records.map((r) => sentence(r, ctx));
    expect(
      lines.some((l) =>
        /^email queue is full \(max-length, reject-publish\): it refused OrderCreated #\d+/.test(l),
      ),
    ).toBe(true);
    expect(
      lines.some((l) =>
        /^redriven OrderCreated #\d+ from the dead-letter queue back to analytics queue$/.test(l),
      ),
    ).toBe(true);
  });
});
