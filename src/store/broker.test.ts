import { describe, expect, it } from 'vitest';
import { toggleOutage } from './actions';
import {
  addableSubscribers,
  deadLettersNow,
  deployableSubscriber,
  FRAUD_SERVICE_ID,
  NO_EVENT_SIDE,
  replayProblem,
  subscription,
} from './broker';
import { type PlaygroundOptions } from './playground';
import { createHeadlessPlayground } from './headless';

/** A fresh playground per test, paused: time moves only when a test says so. */
const fresh = (options: Partial<PlaygroundOptions> = {}) =>
  createHeadlessPlayground({ playing: false, ...options });

describe('switching the broker flavour', () => {
  it('rebuilds every side at t = 0 with the same scenario, seed and architecture, on the chosen broker', async () => {
    const pg = fresh({ scenarioId: 'email-outage', seed: 7, mode: 'compare' });
    await pg.playback.advanceTo(5000);
    const before = pg.getState();
    expect(await pg.broker.switchFlavour('log')).toBeNull();
    const s = pg.getState();
    expect(s.now).toBe(0);
    expect(s.scenario.id).toBe('email-outage');
    expect(s.seed).toBe(7);
    expect(s.mode).toBe('compare');
    expect(s.runs.chain?.architecture).toBe('chain');
    expect(s.runs.event?.now).toBe(0);
    expect(s.runs.event?.seed).toBe(7);
    expect(s.version).toBeGreaterThan(before.version);
    // The flavour's defaults.
    expect(s.scenario.broker).toEqual({
      kind: 'log',
      partitions: 3,
      retention_ms: 7 * 24 * 60 * 60 * 1000,
      commit: 'after',
      auto_offset_reset: 'latest',
      retry: 'in-place',
      group_type: 'consumer',
      share_lock_ms: 30_000,
      share_delivery_limit: 5,
      rebalance_ms: 0,
      max_poll_interval_ms: 300_000,
    });
    expect(s.runs.event?.model.nodes.find((n) => n.id === 'email-queue')?.label).toBe(
      'email group',
    );
    // Everything else of the scenario is kept (faults, services, workload).
    expect(s.scenario.faults).toEqual(before.scenario.faults);
    expect(s.scenario.services).toEqual(before.scenario.services);
  });

  it('each flavour brings its defaults: delivery limit 20, visibility timeout 30 s, 3 partitions', async () => {
    const pg = fresh();
    await pg.broker.switchFlavour('sns-sqs');
    expect(pg.getState().scenario.broker).toMatchObject({
      kind: 'sns-sqs',
      visibility_timeout_ms: 30_000,
      max_receive_count: 5,
      fifo: false,
    });
    await pg.broker.switchFlavour('queue');
    expect(pg.getState().scenario.broker).toMatchObject({
      kind: 'queue',
      exchange: 'direct',
      delivery_limit: 20,
      on_failure: 'retry',
    });
    expect(pg.getState().scenario.broker).not.toHaveProperty('prefetch');
  });

  it('keeps the learner rate and idempotent consumers, the playing state and the selection', async () => {
    const pg = fresh({ mode: 'event', playing: true });
    await pg.apply({ kind: 'rate', rate: 25 });
    await pg.broker.setIdempotent('payment', true);
    pg.ui.select({ side: 'event', nodeId: 'payment-queue' });
    await pg.broker.switchFlavour('log');
    const s = pg.getState();
    expect(s.rate).toBe(25);
    expect(s.runs.event?.baseRate).toBe(25);
    expect(s.runs.event?.isIdempotent('payment')).toBe(true);
    expect(s.runs.event?.isIdempotent('email')).toBe(false);
    expect(s.playing).toBe(true);
    expect(s.ui.selection).toEqual({ side: 'event', nodeId: 'payment-queue' });
  });

  it('is a no-op for the current flavour', async () => {
    const pg = fresh();
    const runs = pg.getState().runs;
    expect(await pg.broker.switchFlavour('queue')).toBeNull();
    expect(pg.getState().runs).toBe(runs);
  });
});

describe('changing a setting of the current flavour', () => {
  it('restarts the run with the new value and the other settings kept', async () => {
    const pg = fresh({ mode: 'event' });
    await pg.broker.switchFlavour('log');
    await pg.playback.advanceTo(3000);
    expect(await pg.broker.changeSetting('partitions', 6)).toBeNull();
    const s = pg.getState();
    expect(s.now).toBe(0);
    expect(s.scenario.broker).toMatchObject({ kind: 'log', partitions: 6, commit: 'after' });
    await pg.playback.advanceTo(2000);
    expect(s.runs.event?.partitions(0)).toHaveLength(6);
  });

  it('removes an optional setting with undefined', async () => {
    const pg = fresh();
    await pg.broker.changeSetting('message_ttl_ms', 5000);
    expect(pg.getState().scenario.broker).toMatchObject({ message_ttl_ms: 5000 });
    await pg.broker.changeSetting('message_ttl_ms', undefined);
    expect(pg.getState().scenario.broker).not.toHaveProperty('message_ttl_ms');
  });

  it('refuses a value the scenario format refuses, says why, and changes nothing', async () => {
    const pg = fresh();
    const before = pg.getState().scenario;
    const problem = await pg.broker.changeSetting('delivery_limit', 0);
    expect(problem).toMatch(/broker\.delivery_limit: must be >= 1/);
    expect(pg.getState().error).toBe(problem);
    expect(pg.getState().scenario).toBe(before);
  });
});

describe('adding a subscriber while the run goes on', () => {
  it('deploys a Fraud Service without changing the run, greyed until it subscribes', async () => {
    const pg = fresh({ mode: 'event' });
    expect(deployableSubscriber(pg.getState().scenario)?.id).toBe(FRAUD_SERVICE_ID);
    await pg.playback.advanceTo(10_000);
    const before = pg.getState().runs.event?.report();
    expect(await pg.broker.deploySubscriber()).toBeNull();
    const s = pg.getState();
    const sim = s.runs.event;
    expect(s.now).toBe(10_000);
    expect(sim?.now).toBe(10_000);
    // The same run so far: a service that has not subscribed takes no part in it.
    expect(sim?.report().events).toEqual(before?.events);
    expect(sim?.report().services.payment).toEqual(before?.services.payment);
    expect(sim?.isSubscribed(FRAUD_SERVICE_ID)).toBe(false);
    expect(addableSubscribers(s.scenario, sim)).toEqual([{ id: 'fraud', name: 'Fraud Service' }]);
    expect(deployableSubscriber(s.scenario)).toBeNull();
    await pg.playback.advanceTo(12_000);
    expect(pg.getState().runs.event?.report().queues.fraud?.copies).toBe(0);
  });

  it('on a queue broker, a new subscriber gets only events published after it subscribed', async () => {
    const pg = fresh({ mode: 'event' });
    await pg.playback.advanceTo(10_000);
    expect(await pg.broker.addSubscriber(FRAUD_SERVICE_ID, 'latest')).toBeNull();
    const sim = pg.getState().runs.event;
    expect(subscription(sim!, FRAUD_SERVICE_ID)).toEqual({ at: 10_000, from: 'latest' });
    const publishedBefore = sim?.report().events.published ?? 0;
    await pg.playback.advanceTo(15_000);
    const r = sim?.report();
    const publishedAfter = (r?.events.published ?? 0) - publishedBefore;
    expect(r?.queues.fraud?.copies).toBeGreaterThan(0);
    // Only copies of what was published from t = 10 s on (a few may still be in transit at 15 s).
    expect(r?.queues.fraud?.copies).toBeLessThanOrEqual(publishedAfter);
    expect(r?.queues.payment?.copies).toBeGreaterThan(r?.queues.fraud?.copies ?? 0);
    expect(addableSubscribers(pg.getState().scenario, sim)).toEqual([]);
    expect(await pg.broker.addSubscriber(FRAUD_SERVICE_ID, 'latest')).toMatch(/already subscribed/);
  });

  it('on a log from earliest, it reads the whole history: lag starts at the log size and falls', async () => {
    const pg = fresh({ mode: 'event' });
    await pg.broker.switchFlavour('log');
    await pg.playback.advanceTo(10_000);
    await pg.broker.addSubscriber(FRAUD_SERVICE_ID, 'earliest');
    const sim = pg.getState().runs.event;
    const fraudQueue = sim?.model.services.find((x) => x.id === FRAUD_SERVICE_ID)?.queue ?? -1;
    const parts = sim?.partitions(fraudQueue) ?? [];
    const logSize = parts.reduce((n, p) => n + p.end - p.start, 0);
    const lag0 = parts.reduce((n, p) => n + p.lag, 0);
    expect(logSize).toBeGreaterThan(50);
    expect(lag0).toBe(logSize);
    await pg.playback.advanceTo(11_000);
    const lag1 = sim?.partitions(fraudQueue).reduce((n, p) => n + p.lag, 0) ?? 0;
    expect(lag1).toBeLessThan(lag0);
    expect(sim?.report().queues.fraud?.processed).toBeGreaterThan(0);
  });

  it('on a log from latest, it starts at the log end', async () => {
    const pg = fresh({ mode: 'event' });
    await pg.broker.switchFlavour('log');
    await pg.playback.advanceTo(10_000);
    await pg.broker.addSubscriber(FRAUD_SERVICE_ID, 'latest');
    const sim = pg.getState().runs.event;
    const fraudQueue = sim?.model.services.find((x) => x.id === FRAUD_SERVICE_ID)?.queue ?? -1;
    expect(sim?.partitions(fraudQueue).reduce((n, p) => n + p.lag, 0)).toBe(0);
  });

  it('needs the event side', async () => {
    const pg = fresh({ mode: 'chain' });
    expect(await pg.apply({ kind: 'subscribe', service: 'payment', from: 'latest' })).toMatch(
      /no broker/,
    );
    expect(await pg.broker.addSubscriber(FRAUD_SERVICE_ID, 'latest')).toBe(NO_EVENT_SIDE);
  });
});

describe('replay (log) and redrive (queue, SNS + SQS)', () => {
  it('replays a stopped consumer group from earliest: the records are processed again', async () => {
    const pg = fresh({ mode: 'event' });
    await pg.broker.switchFlavour('log');
    await pg.playback.advanceTo(10_000);
    const sim = () => pg.getState().runs.event;
    expect(replayProblem(sim(), 'email')).toMatch(/stop the consumer group first/);
    expect(await pg.broker.replay('email', { to: 'earliest' })).toMatch(
      /stop the consumer group first/,
    );
    await toggleOutage(pg, 'email');
    await pg.playback.advanceTo(10_500);
    expect(replayProblem(sim(), 'email')).toBeNull();
    const done = sim()?.report().services.email?.processed ?? 0;
    expect(await pg.broker.replay('email', { to: 'earliest' })).toBeNull();
    await toggleOutage(pg, 'email');
    await pg.playback.advanceTo(25_000);
    const email = sim()?.report().services.email;
    // Read again: a consumer that is not idempotent repeats its side effects.
    expect(email?.duplicates).toBeGreaterThanOrEqual(done);
    // Caught up again (orders keep coming: a record or two may be in hand).
    expect(sim()?.report().queues.email?.lag).toBeLessThan(5);
  });

  it('an idempotent consumer replays without repeating side effects', async () => {
    const pg = fresh({ mode: 'event' });
    await pg.broker.switchFlavour('log');
    await pg.broker.setIdempotent('email', true);
    await pg.playback.advanceTo(8_000);
    await toggleOutage(pg, 'email');
    expect(await pg.broker.replay('email', { to: 'earliest' })).toBeNull();
    await toggleOutage(pg, 'email');
    await pg.playback.advanceTo(20_000);
    expect(pg.getState().runs.event?.report().services.email?.duplicates).toBe(0);
  });

  it('refuses replay on a queue broker', async () => {
    const pg = fresh({ mode: 'event' });
    await toggleOutage(pg, 'email');
    expect(await pg.broker.replay('email', { to: 'earliest' })).toMatch(/only on a log/);
  });

  it('redrives dead letters back to their source queue', async () => {
    const pg = fresh({ scenarioId: 'poison-message', mode: 'event' });
    await pg.playback.advanceTo(40_000);
    const sim = pg.getState().runs.event;
    if (!sim) throw new Error('no event side');
    const dead = deadLettersNow(sim);
    expect(dead).toBeGreaterThan(0);
    const version = pg.getState().version;
    expect(await pg.broker.redrive()).toBe(dead);
    expect(pg.getState().version).toBe(version + 1);
    expect(deadLettersNow(sim)).toBe(0);
    expect(sim.report().queues.analytics?.redriven).toBe(dead);
    // Poison stays poison: delivered again, they fail again and come back.
    await pg.playback.advanceTo(60_000);
    expect(deadLettersNow(sim)).toBeGreaterThanOrEqual(dead);
    expect(await fresh({ mode: 'chain' }).broker.redrive()).toBe(0);
  });
});

describe('the idempotent consumer switch', () => {
  it('stops duplicate side effects after crash-before-ack', async () => {
    const run = async (idempotent: boolean) => {
      const pg = fresh({ scenarioId: 'duplicate-delivery', mode: 'compare' });
      await pg.broker.setIdempotent('payment', idempotent);
      await pg.playback.advanceTo(35_000);
      return pg.getState();
    };
    const off = await run(false);
    const on = await run(true);
    expect(off.runs.event?.report().services.payment?.duplicates).toBeGreaterThan(0);
    expect(on.runs.event?.report().services.payment?.duplicates).toBe(0);
    expect(on.runs.event?.isIdempotent('payment')).toBe(true);
    // Applied to every visible side, like a fault.
    expect(on.runs.chain?.isIdempotent('payment')).toBe(true);
  });

  it('names an unknown service', async () => {
    expect(await fresh().broker.setIdempotent('nope', true)).toMatch(/"nope"/);
  });
});

describe('broker actions in the past', () => {
  it('ask before forking the future, like every other change', async () => {
    const pg = fresh({ scenarioId: 'poison-message', mode: 'event' });
    await pg.playback.advanceTo(40_000);
    await pg.timeTravel.seek(30_000);
    const run = pg.getState().runs.event;
    const held = run ? deadLettersNow(run) : 0;
    expect(held).toBeGreaterThan(0);
    expect(await pg.broker.redrive()).toBe(held);
    // Held until the learner answers: nothing moved yet.
    expect(pg.getState().pendingFork).toMatchObject({ at: 30_000, head: 40_000 });
    expect(pg.getState().runs.event?.interventions).toEqual([]);
    pg.timeTravel.cancelFork();
    await pg.broker.setIdempotent('analytics', true);
    expect(pg.getState().pendingFork).not.toBeNull();
    expect(pg.getState().runs.event?.isIdempotent('analytics')).toBe(false);
  });
});

describe('the entry service’s publish mode (the dual write)', () => {
  it('switching dual-write to the outbox restarts the run with the same seed: nothing is lost any more', async () => {
    const pg = fresh({ scenarioId: 'dual-write', mode: 'event' });
    await pg.playback.advanceTo(20_000);
    expect(pg.getState().runs.event?.report().events.lost).toBeGreaterThan(0);
    expect(await pg.broker.setPublishMode('orders', 'outbox')).toBeNull();
    const s = pg.getState();
    expect(s.now).toBe(0);
    expect(s.seed).toBe(42);
    expect(s.scenario.services[0]?.publish).toBe('outbox');
    expect(s.runs.event?.model.nodes.some((n) => n.kind === 'outbox')).toBe(true);
    await pg.playback.advanceTo(20_000);
    const e = pg.getState().runs.event?.report().events;
    expect(e?.never_published).toBe(0);
    expect(e?.lost).toBe(0);
    // And back: the outbox's relay poll goes with it.
    expect(await pg.broker.setPublishMode('orders', 'after-commit')).toBeNull();
    expect(pg.getState().scenario.services[0]).not.toHaveProperty('outbox_poll_ms');
  });

  it('refuses a publish mode on a consumer, says why, and changes nothing', async () => {
    const pg = fresh({ scenarioId: 'dual-write', mode: 'event' });
    const before = pg.getState().scenario;
    const problem = await pg.broker.setPublishMode('payment', 'outbox');
    expect(problem).toMatch(/services\[1\]\.publish: applies to the entry service/);
    expect(pg.getState().scenario).toBe(before);
  });
});

describe('what the entry service does with a refused publish (broker-outage)', () => {
  it('switching to retry restarts the run: the outage’s orders wait instead of failing; an outbox drops the setting, after-commit keeps it', async () => {
    const pg = fresh({ scenarioId: 'broker-outage', mode: 'event' });
    await pg.playback.advanceTo(40_000);
    expect(pg.getState().runs.event?.report().requests.failed).toBeGreaterThan(50);
    expect(await pg.broker.setPublishFailure('orders', 'retry')).toBeNull();
    expect(pg.getState().now).toBe(0);
    expect(pg.getState().scenario.services[0]?.publish_failure).toBe('retry');
    await pg.playback.advanceTo(40_000);
    const r = pg.getState().runs.event?.report();
    expect(r?.requests.failed).toBe(0);
    expect(r?.events.publish_retries).toBeGreaterThan(50);
    expect(await pg.broker.setPublishMode('orders', 'outbox')).toBeNull();
    expect(pg.getState().scenario.services[0]).not.toHaveProperty('publish_failure');
    await pg.playback.advanceTo(40_000);
    expect(pg.getState().runs.event?.report().requests.failed).toBe(0);
    expect(pg.getState().runs.event?.report().events.lost).toBe(0);
  });
});

describe('the request chain’s safeguards (circuit breaker, deadline)', () => {
  it('turning both on restarts the slow-payment chain with the defaults; orders stop waiting out the timeout, and both come off again', async () => {
    const pg = fresh({ scenarioId: 'slow-payment', mode: 'chain' });
    await pg.playback.advanceTo(30_000);
    const before = pg.getState().runs.chain?.report();
    expect(await pg.broker.setSafeguards({ breaker: true, deadline: true })).toBeNull();
    const s = pg.getState();
    expect(s.now).toBe(0);
    expect(s.scenario.sync.deadline_ms).toBe(s.scenario.sync.timeout_ms);
    expect(s.scenario.sync.circuit_breaker).toEqual({
      failure_rate: 0.5,
      window_ms: 10_000,
      open_ms: 5_000,
      min_calls: 10,
    });
    expect(s.runs.chain?.service(1).circuit).toBe('closed');
    await pg.playback.advanceTo(30_000);
    const after = pg.getState().runs.chain?.report();
    // The same orders, the same seed: the safeguards change what happens to them.
    expect(after?.requests.sent).toBe(before?.requests.sent);
    const fast = Object.values(after?.services ?? {}).reduce(
      (n, x) => n + x.short_circuited + x.past_deadline,
      0,
    );
    expect(fast).toBeGreaterThan(0);
    expect(await pg.broker.setSafeguards({ breaker: false, deadline: false })).toBeNull();
    expect(pg.getState().scenario.sync).toEqual({ timeout_ms: 1000, retries: 0 });
  });
});
