/**
 * Hostile input, at random: scenario files with loops (self-subscription, two
 * re-emitters, long rings), zero latencies and network, 5,000 orders/s, a dozen
 * subscribers, names full of control and direction characters, attributes called
 * `constructor` or `__proto__`, and plain mistakes. Whatever the file, the CLI answers
 * 0 or 2 (never a bug's 1, never a throw), says what is wrong in one line, and finishes
 * in bounded time and memory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { findHiddenCharacter } from '../core/text';
import { main } from './sim';

const dir = mkdtempSync(join(tmpdir(), 'fanout-sim-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EVENTS = ['OrderCreated', 'PaymentDone', 'Shipped'] as const;

/** A character that disguises text, or a name that carries one. */
const arbHostileName = fc
  .tuple(
    fc.constantFrom('Pay', 'Email', ''),
    fc.constantFrom(
      '\u202E',
      '\u2066',
      '\u200F',
      '\n',
      '\t',
      '\u001B[2J',
      '\u0000',
      '\uFEFF',
      '\u0085',
    ),
    fc.constantFrom('ment', 'x', ''),
  )
  .map(([a, b, c]) => `${a}${b}${c}`);

/** Attribute names, prototype-ish ones included. */
const arbAttribute = fc.constantFrom(
  'region',
  'tier',
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
);

const arbLatency = fc.oneof(
  fc.constantFrom(0, 1, 5, 60),
  fc.constant({ dist: 'exponential', mean_ms: 20 }),
  fc.constant({ dist: 'uniform', min_ms: 0, max_ms: 10 }),
  fc.constant({ dist: 'lognormal', median_ms: 0, sigma: 1 }),
  fc.constant({ dist: 'lognormal', median_ms: 4, sigma: 1 }),
  fc.constant({ dist: 'fixed', mean_ms: 3 }),
);

/**
 * A consumer reads some events and may emit some: emitting what it (or a service it
 * feeds) reads makes a loop, with or without delay, single or multiplying.
 */
const arbConsumer = fc.record({
  latency: arbLatency,
  subscribes: fc.subarray([...EVENTS], { minLength: 1 }),
  emits: fc.oneof(
    { weight: 2, arbitrary: fc.constant([] as string[]) },
    { weight: 3, arbitrary: fc.subarray([...EVENTS], { minLength: 1 }) },
  ),
  concurrency: fc.constantFrom(1, 4, 256),
  subscribed: fc.boolean(),
});

/** What is wrong with the file, if anything. */
const arbTrap = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: arbHostileName.map((name) => ({ kind: 'hostile-name' as const, name })) },
  {
    weight: 1,
    arbitrary: arbHostileName.map((name) => ({ kind: 'hostile-attribute' as const, name })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { kind: 'negative-latency' as const },
      { kind: 'unknown-key' as const },
      { kind: 'not-json' as const },
      { kind: 'not-an-object' as const },
    ),
  },
);

/** A scenario as a file holds it: mostly runnable, sometimes a trap. */
const arbFile = fc
  .record({
    network: fc.constantFrom(0, 1, 5),
    rate: fc.oneof(fc.constantFrom(0, 1, 50, 400), fc.constant(5000)),
    consumers: fc.array(arbConsumer, { minLength: 1, maxLength: 6 }),
    /** Extreme fan-out: this many more plain subscribers of OrderCreated. */
    fanOut: fc.constantFrom(0, 0, 5),
    broker: fc.constantFrom('queue', 'log', 'sns-sqs'),
    attributes: fc.uniqueArray(arbAttribute, { maxLength: 3 }),
    policyOn: fc.option(arbAttribute, { nil: undefined }),
    trap: arbTrap,
    until: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.constant(10_000)),
    seed: fc.nat(),
  })
  .map((r) => {
    // Subscriptions only to what some service emits, so loops (not typos) are what is tested.
    const emitted = new Set(['OrderCreated', ...r.consumers.flatMap((c) => c.emits)]);
    const consumers = r.consumers.map((c, i) => ({
      id: `svc-${i}`,
      name: `Service ${i}`,
      latency_ms: c.latency as unknown,
      subscribes: c.subscribes
        .filter((t) => emitted.has(t))
        .concat(c.subscribes.some((t) => emitted.has(t)) ? [] : ['OrderCreated']),
      emits: c.emits,
      concurrency: c.concurrency,
      subscribed: c.subscribed,
    }));
    for (let i = 0; i < r.fanOut; i++) {
      consumers.push({
        id: `fan-${i}`,
        name: `Fan ${i}`,
        latency_ms: 1,
        subscribes: ['OrderCreated'],
        emits: [],
        concurrency: 4,
        subscribed: true,
      });
    }
    const attributes: Record<string, string[]> = Object.fromEntries(
      r.attributes.map((a) => [a, ['a', 'b']]),
    );
    const broker =
      r.broker === 'sns-sqs'
        ? {
            kind: 'sns-sqs',
            visibility_timeout_ms: 1000,
            filter_policies: r.policyOn ? { 'svc-0': { [r.policyOn]: ['a'] } } : {},
          }
        : { kind: r.broker };
    const scenario: Record<string, unknown> = {
      version: 1,
      id: 'random',
      name: 'Random',
      seed: r.seed,
      duration_ms: 10_000,
      network_ms: r.network,
      broker,
      entry: 'orders',
      services: [
        {
          id: 'orders',
          name: 'Order Service',
          latency_ms: 1,
          concurrency: 256,
          emits: ['OrderCreated'],
        },
        ...consumers,
      ],
      workload: { rate_per_s: r.rate, attributes },
    };
    const trap = r.trap;
    if (trap.kind === 'hostile-name') (consumers[0] as { name: string }).name = trap.name;
    if (trap.kind === 'hostile-attribute') attributes[trap.name] = [trap.name];
    if (trap.kind === 'negative-latency') (consumers[0] as { latency_ms: unknown }).latency_ms = -1;
    if (trap.kind === 'unknown-key') scenario.colour = 'blue';
    // JSON text: a `__proto__` key is then an own key, as in a real file.
    const json = JSON.stringify(scenario);
    const text =
      trap.kind === 'not-json'
        ? json.slice(0, -3)
        : trap.kind === 'not-an-object'
          ? '[1, 2, 3]'
          : json;
    return { text, until: r.until };
  });

describe('sim on hostile files', () => {
  let n = 0;
  const seen = new Set<string>();
  it('answers 0 or 2, one line on error, within its event budget and in bounded memory', () => {
    fc.assert(
      fc.property(arbFile, ({ text, until }) => {
        const path = join(dir, `case-${n++}.json`);
        writeFileSync(path, text);
        let stdout = '';
        let stderr = '';
        const heapBefore = process.memoryUsage().heapUsed;
        const status = main(
          [path, '--json', '--max-events', '200000', '--until', String(until)],
          (t) => {
            stdout += t;
          },
          (t) => {
            stderr += t;
          },
        );
        const grew = process.memoryUsage().heapUsed - heapBefore;
        seen.add(status === 0 ? 'ran' : /--max-events/.test(stderr) ? 'stopped' : 'refused');

        expect([0, 2], stderr).toContain(status);
        if (status === 2) {
          expect(stdout).toBe('');
          expect(stderr.split('\n')).toHaveLength(2); // one line and its newline
        } else {
          expect(JSON.parse(stdout)).toMatchObject({ until_ms: until });
          // Only warnings, one line each.
          for (const line of stderr.split('\n').slice(0, -1))
            expect(line).toMatch(/^sim: warning: /);
        }
        // Nothing printed carries a hidden character from the input.
        for (const line of stderr.split('\n')) expect(findHiddenCharacter(line)).toBeUndefined();
        // Bounded by the engine, not by the wall clock: --max-events stops a runaway run
        // (the 'stopped' outcome below), so every case returns; its memory stays bounded.
        expect(grew).toBeLessThan(256 * 1024 * 1024);
      }),
      { numRuns: 50, seed: 20_260_712 },
    );
    // The fixed seed reaches all three outcomes: runs that finish, refusals, and stops.
    expect([...seen].sort()).toEqual(['ran', 'refused', 'stopped']);
  }, 60_000);
});
