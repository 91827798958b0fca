import { describe, expect, it } from 'vitest';
import {
  addableSubscribers,
  addSubscriber,
  changeBrokerSetting,
  deadLettersNow,
  deployableSubscriber,
  deploySubscriber,
  FRAUD_SERVICE_ID,
  NO_EVENT_SIDE,
  redriveDeadLetters,
  replayGroup,
  replayProblem,
  setIdempotent,
  subscribeService,
  subscription,
  switchBroker,
} from './broker';
import { createPlaygroundStore, type PlaygroundInit } from './playground';
import { timeTravelOf } from './timeTravel';

/** A fresh store per test, paused: time moves only when a test says so. */
const fresh = (init: Partial<PlaygroundInit> = {}) =>
  createPlaygroundStore({ playing: false, ...init });

describe('switching the broker flavour', () => {
  it('rebuilds every side at t = 0 with the same scenario, seed and architecture, on the chosen broker', () => {
    const store = fresh({ scenarioId: 'email-outage', seed: 7, mode: 'compare' });
    store.getState().advanceTo(5000);
    const before = store.getState();
    expect(switchBroker(store, 'log')).toBeNull();
    const s = store.getState();
    expect(s.now).toBe(0);
    expect(s.scenario.id).toBe('email-outage');
    expect(s.seed).toBe(7);
    expect(s.mode).toBe('compare');
    expect(s.sims.chain?.architecture).toBe('chain');
    expect(s.sims.event?.now).toBe(0);
    expect(s.sims.event?.seed).toBe(7);
    expect(s.version).toBeGreaterThan(before.version);
    // The flavour's defaults.
    expect(s.scenario.broker).toEqual({
      kind: 'log',
      partitions: 3,
      retention_ms: 7 * 24 * 60 * 60 * 1000,
      commit: 'after',
    });
    expect(s.sims.event?.model.nodes.find((n) => n.id === 'email-queue')?.label).toBe(
      'email group',
    );
    // Everything else of the scenario is kept (faults, services, workload).
    expect(s.scenario.faults).toEqual(before.scenario.faults);
    expect(s.scenario.services).toEqual(before.scenario.services);
  });

  it('each flavour brings its defaults: delivery limit 20, visibility timeout 30 s, 3 partitions', () => {
    const store = fresh();
    switchBroker(store, 'sns-sqs');
    expect(store.getState().scenario.broker).toMatchObject({
      kind: 'sns-sqs',
      visibility_timeout_ms: 30_000,
      max_receive_count: 5,
      fifo: false,
    });
    switchBroker(store, 'queue');
    expect(store.getState().scenario.broker).toMatchObject({
      kind: 'queue',
      exchange: 'fanout',
      delivery_limit: 20,
      on_failure: 'retry',
    });
    expect(store.getState().scenario.broker).not.toHaveProperty('prefetch');
  });

  it('keeps the learner rate and idempotent consumers, the playing state and the selection', () => {
    const store = fresh({ mode: 'event', playing: true });
    store.getState().setRate(25);
    setIdempotent(store, 'payment', true);
    store.getState().select({ side: 'event', nodeId: 'payment-queue' });
    switchBroker(store, 'log');
    const s = store.getState();
    expect(s.rate).toBe(25);
    expect(s.sims.event?.baseRate).toBe(25);
    expect(s.sims.event?.isIdempotent('payment')).toBe(true);
    expect(s.sims.event?.isIdempotent('email')).toBe(false);
    expect(s.playing).toBe(true);
    expect(s.selection).toEqual({ side: 'event', nodeId: 'payment-queue' });
  });

  it('is a no-op for the current flavour', () => {
    const store = fresh();
    const sims = store.getState().sims;
    expect(switchBroker(store, 'queue')).toBeNull();
    expect(store.getState().sims).toBe(sims);
  });
});

describe('changing a setting of the current flavour', () => {
  it('restarts the run with the new value and the other settings kept', () => {
    const store = fresh({ mode: 'event' });
    switchBroker(store, 'log');
    store.getState().advanceTo(3000);
    expect(changeBrokerSetting(store, 'partitions', 6)).toBeNull();
    const s = store.getState();
    expect(s.now).toBe(0);
    expect(s.scenario.broker).toMatchObject({ kind: 'log', partitions: 6, commit: 'after' });
    s.advanceTo(2000);
    expect(s.sims.event?.partitions(0)).toHaveLength(6);
  });

  it('removes an optional setting with undefined', () => {
    const store = fresh();
    changeBrokerSetting(store, 'message_ttl_ms', 5000);
    expect(store.getState().scenario.broker).toMatchObject({ message_ttl_ms: 5000 });
    changeBrokerSetting(store, 'message_ttl_ms', undefined);
    expect(store.getState().scenario.broker).not.toHaveProperty('message_ttl_ms');
  });

  it('refuses a value the scenario format refuses, says why, and changes nothing', () => {
    const store = fresh();
    const before = store.getState().scenario;
    const problem = changeBrokerSetting(store, 'delivery_limit', 0);
    expect(problem).toMatch(/broker\.delivery_limit: must be >= 1/);
    expect(store.getState().error).toBe(problem);
    expect(store.getState().scenario).toBe(before);
  });
});

describe('adding a subscriber while the run goes on', () => {
  it('deploys a Fraud Service without changing the run, greyed until it subscribes', () => {
    const store = fresh({ mode: 'event' });
    expect(deployableSubscriber(store.getState().scenario)?.id).toBe(FRAUD_SERVICE_ID);
    store.getState().advanceTo(10_000);
    const before = store.getState().sims.event?.report();
    expect(deploySubscriber(store)).toBeNull();
    const s = store.getState();
    const sim = s.sims.event;
    expect(s.now).toBe(10_000);
    expect(sim?.now).toBe(10_000);
    // The same run so far: a service that has not subscribed takes no part in it.
    expect(sim?.report().events).toEqual(before?.events);
    expect(sim?.report().services.payment).toEqual(before?.services.payment);
    expect(sim?.isSubscribed(FRAUD_SERVICE_ID)).toBe(false);
    expect(addableSubscribers(s.scenario, sim)).toEqual([{ id: 'fraud', name: 'Fraud Service' }]);
    expect(deployableSubscriber(s.scenario)).toBeNull();
    s.advanceTo(12_000);
    expect(store.getState().sims.event?.report().queues.fraud?.copies).toBe(0);
  });

  it('on a queue broker, a new subscriber gets only events published after it subscribed', () => {
    const store = fresh({ mode: 'event' });
    store.getState().advanceTo(10_000);
    expect(addSubscriber(store, FRAUD_SERVICE_ID, 'latest')).toBeNull();
    const sim = store.getState().sims.event;
    expect(subscription(sim!, FRAUD_SERVICE_ID)).toEqual({ at: 10_000, from: 'latest' });
    const publishedBefore = sim?.report().events.published ?? 0;
    store.getState().advanceTo(15_000);
    const r = sim?.report();
    const publishedAfter = (r?.events.published ?? 0) - publishedBefore;
    expect(r?.queues.fraud?.copies).toBeGreaterThan(0);
    // Only copies of what was published from t = 10 s on (a few may still be in transit at 15 s).
    expect(r?.queues.fraud?.copies).toBeLessThanOrEqual(publishedAfter);
    expect(r?.queues.payment?.copies).toBeGreaterThan(r?.queues.fraud?.copies ?? 0);
    expect(addableSubscribers(store.getState().scenario, sim)).toEqual([]);
    expect(addSubscriber(store, FRAUD_SERVICE_ID, 'latest')).toMatch(/already subscribed/);
  });

  it('on a log from earliest, it reads the whole history: lag starts at the log size and falls', () => {
    const store = fresh({ mode: 'event' });
    switchBroker(store, 'log');
    store.getState().advanceTo(10_000);
    addSubscriber(store, FRAUD_SERVICE_ID, 'earliest');
    const sim = store.getState().sims.event;
    const fraudQueue = sim?.model.services.find((x) => x.id === FRAUD_SERVICE_ID)?.queue ?? -1;
    const parts = sim?.partitions(fraudQueue) ?? [];
    const logSize = parts.reduce((n, p) => n + p.end - p.start, 0);
    const lag0 = parts.reduce((n, p) => n + p.lag, 0);
    expect(logSize).toBeGreaterThan(50);
    expect(lag0).toBe(logSize);
    store.getState().advanceTo(11_000);
    const lag1 = sim?.partitions(fraudQueue).reduce((n, p) => n + p.lag, 0) ?? 0;
    expect(lag1).toBeLessThan(lag0);
    expect(sim?.report().queues.fraud?.processed).toBeGreaterThan(0);
  });

  it('on a log from latest, it starts at the log end', () => {
    const store = fresh({ mode: 'event' });
    switchBroker(store, 'log');
    store.getState().advanceTo(10_000);
    addSubscriber(store, FRAUD_SERVICE_ID, 'latest');
    const sim = store.getState().sims.event;
    const fraudQueue = sim?.model.services.find((x) => x.id === FRAUD_SERVICE_ID)?.queue ?? -1;
    expect(sim?.partitions(fraudQueue).reduce((n, p) => n + p.lag, 0)).toBe(0);
  });

  it('needs the event side', () => {
    const store = fresh({ mode: 'chain' });
    expect(subscribeService(store, 'payment', 'latest')).toBe(NO_EVENT_SIDE);
    expect(addSubscriber(store, FRAUD_SERVICE_ID, 'latest')).toBe(NO_EVENT_SIDE);
  });
});

describe('replay (log) and redrive (queue, SNS + SQS)', () => {
  it('replays a stopped consumer group from earliest: the records are processed again', () => {
    const store = fresh({ mode: 'event' });
    switchBroker(store, 'log');
    store.getState().advanceTo(10_000);
    const sim = () => store.getState().sims.event;
    expect(replayProblem(sim(), 'email')).toMatch(/stop the consumer group first/);
    expect(replayGroup(store, 'email', { to: 'earliest' })).toMatch(
      /stop the consumer group first/,
    );
    store.getState().toggleOutage('email');
    store.getState().advanceTo(10_500);
    expect(replayProblem(sim(), 'email')).toBeNull();
    const done = sim()?.report().services.email?.processed ?? 0;
    expect(replayGroup(store, 'email', { to: 'earliest' })).toBeNull();
    store.getState().toggleOutage('email');
    store.getState().advanceTo(25_000);
    const email = sim()?.report().services.email;
    // Read again: a consumer that is not idempotent repeats its side effects.
    expect(email?.duplicates).toBeGreaterThanOrEqual(done);
    // Caught up again (orders keep coming: a record or two may be in hand).
    expect(sim()?.report().queues.email?.lag).toBeLessThan(5);
  });

  it('an idempotent consumer replays without repeating side effects', () => {
    const store = fresh({ mode: 'event' });
    switchBroker(store, 'log');
    setIdempotent(store, 'email', true);
    store.getState().advanceTo(8_000);
    store.getState().toggleOutage('email');
    expect(replayGroup(store, 'email', { to: 'earliest' })).toBeNull();
    store.getState().toggleOutage('email');
    store.getState().advanceTo(20_000);
    expect(store.getState().sims.event?.report().services.email?.duplicates).toBe(0);
  });

  it('refuses replay on a queue broker', () => {
    const store = fresh({ mode: 'event' });
    store.getState().toggleOutage('email');
    expect(replayGroup(store, 'email', { to: 'earliest' })).toMatch(/only on a log/);
  });

  it('redrives dead letters back to their source queue', () => {
    const store = fresh({ scenarioId: 'poison-message', mode: 'event' });
    store.getState().advanceTo(40_000);
    const sim = store.getState().sims.event;
    if (!sim) throw new Error('no event side');
    const dead = deadLettersNow(sim);
    expect(dead).toBeGreaterThan(0);
    const version = store.getState().version;
    expect(redriveDeadLetters(store)).toBe(dead);
    expect(store.getState().version).toBe(version + 1);
    expect(deadLettersNow(sim)).toBe(0);
    expect(sim.report().queues.analytics?.redriven).toBe(dead);
    // Poison stays poison: delivered again, they fail again and come back.
    store.getState().advanceTo(60_000);
    expect(deadLettersNow(sim)).toBeGreaterThanOrEqual(dead);
    expect(redriveDeadLetters(fresh({ mode: 'chain' }))).toBe(0);
  });
});

describe('the idempotent consumer switch', () => {
  it('stops duplicate side effects after crash-before-ack', () => {
    const run = (idempotent: boolean) => {
      const store = fresh({ scenarioId: 'duplicate-delivery', mode: 'compare' });
      setIdempotent(store, 'payment', idempotent);
      store.getState().advanceTo(35_000);
      return store.getState();
    };
    const off = run(false);
    const on = run(true);
    expect(off.sims.event?.report().services.payment?.duplicates).toBeGreaterThan(0);
    expect(on.sims.event?.report().services.payment?.duplicates).toBe(0);
    expect(on.sims.event?.isIdempotent('payment')).toBe(true);
    // Applied to every visible side, like a fault.
    expect(on.sims.chain?.isIdempotent('payment')).toBe(true);
  });

  it('names an unknown service', () => {
    expect(setIdempotent(fresh(), 'nope', true)).toMatch(/"nope"/);
  });
});

describe('broker actions in the past', () => {
  it('ask before forking the future, like every other change', () => {
    const store = createPlaygroundStore({ scenarioId: 'poison-message', mode: 'event', playing: false });
    const time = timeTravelOf(store);
    store.getState().advanceTo(40_000);
    time.store.getState().seek(30_000);
    const held = store.getState().sims.event?.deadLetters().count ?? 0;
    expect(held).toBeGreaterThan(0);
    expect(redriveDeadLetters(store)).toBe(held);
    // Held until the learner answers: nothing moved yet.
    expect(time.store.getState().pendingFork).toEqual({ at: 30_000, head: 40_000 });
    expect(store.getState().sims.event?.interventions).toEqual([]);
    time.store.getState().cancelFork();
    setIdempotent(store, 'analytics', true);
    expect(time.store.getState().pendingFork).not.toBeNull();
    expect(store.getState().sims.event?.isIdempotent('analytics')).toBe(false);
  });
});
