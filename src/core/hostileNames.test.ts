/**
 * A file from a stranger (a share link, a downloaded lesson) names things: its names must
 * not disguise text on screen or in a terminal, and a name that happens to be a property
 * of every JavaScript object (`constructor`, `toString`, `__proto__`) is just a name.
 */
import { describe, expect, it } from 'vitest';
import { checkScenarioBuilds } from './runnable';
import { formatProblems, parseScenario, type Scenario } from './scenario';
import { Simulation } from './simulation';
import { findHiddenCharacter, showHidden, stripHidden } from './text';

// biome-ignore lint/suspicious/noExplicitAny: the tests write hostile values on purpose.
type Editable = Record<string, any>;

function snsScenario(): Editable {
  return {
    version: 1,
    id: 'names',
    name: 'Names',
    description: 'Orders with a region',
    seed: 3,
    duration_ms: 3_000,
    entry: 'orders',
    broker: { kind: 'sns-sqs', filter_policies: {} },
    services: [
      { id: 'orders', name: 'Order Service', latency_ms: 5, emits: ['OrderCreated'] },
      { id: 'email', name: 'Email Service', latency_ms: 10, subscribes: ['OrderCreated'] },
    ],
    workload: { rate_per_s: 20, attributes: { region: ['eu', 'us'] } },
  };
}

/** JSON text, as a file or a link carries it: `__proto__` is then an own key. */
const fromJson = (s: Editable) =>
  JSON.parse(JSON.stringify(s).replaceAll('"PROTO"', '"__proto__"'));

function problems(s: Editable): string[] {
  const r = parseScenario(fromJson(s));
  return r.ok ? [] : formatProblems(r.problems).split('\n');
}

describe('names refuse characters that disguise text', () => {
  const NOTE =
    'remove it (names are one line of plain text, without control or direction-changing characters)';

  it('names the character and where it is, for every free-text field', () => {
    const cases: [(s: Editable) => void, string][] = [
      [
        (s) => (s.name = 'Check\u202Eout'),
        `name: contains U+202E (right-to-left override) at character 6: ${NOTE}`,
      ],
      [
        (s) => (s.description = 'one\nline'),
        `description: contains U+000A (line break) at character 4: ${NOTE}`,
      ],
      [
        (s) => (s.services[1].name = '\u2067Email'),
        `services[1].name: contains U+2067 (right-to-left isolate) at character 1: ${NOTE}`,
      ],
      [
        (s) => (s.services[0].name = 'Order\tService'),
        `services[0].name: contains U+0009 (tab) at character 6: ${NOTE}`,
      ],
      [
        (s) => (s.services[0].name = 'Order\u001B[31m'),
        `services[0].name: contains U+001B (escape) at character 6: ${NOTE}`,
      ],
      [
        (s) => (s.services[0].name = 'Order\u0085'),
        `services[0].name: contains U+0085 (control character) at character 6: ${NOTE}`,
      ],
      [
        (s) => (s.services[0].name = 'Or\u200Bder'),
        `services[0].name: contains U+200B (zero-width space) at character 3: ${NOTE}`,
      ],
      [
        (s) => (s.services[0].name = 'Order\u200F'),
        `services[0].name: contains U+200F (right-to-left mark) at character 6: ${NOTE}`,
      ],
      [
        (s) => (s.services[0].name = 'Order\u2060'),
        `services[0].name: contains U+2060 (word joiner) at character 6: ${NOTE}`,
      ],
      [
        (s) => (s.services[0].name = '\uFEFFOrder'),
        `services[0].name: contains U+FEFF (byte-order mark) at character 1: ${NOTE}`,
      ],
      [
        (s) => (s.workload.attributes = { region: ['eu'], 'ti\u202Aer': ['gold'] }),
        `workload.attributes: the name of attribute 2 contains U+202A (left-to-right embedding) at character 3: ${NOTE}`,
      ],
      [
        (s) => (s.workload.attributes.region = ['eu', 'u\u202Ds']),
        `workload.attributes.region[1]: contains U+202D (left-to-right override) at character 2: ${NOTE}`,
      ],
      [
        (s) => (s.broker.filter_policies = { email: { region: ['e\u2066u'] } }),
        `broker.filter_policies.email.region[0]: contains U+2066 (left-to-right isolate) at character 2: ${NOTE}`,
      ],
    ];
    for (const [edit, expected] of cases) {
      const s = snsScenario();
      edit(s);
      expect(problems(s)).toEqual([expected]);
    }
  });

  it('still accepts names in any script, accents and emoji', () => {
    const s = snsScenario();
    s.name = 'Caisse — Bestellung — 注文 — طلب 🛒';
    s.services[1].name = 'Électronique ✉️';
    expect(problems(s)).toEqual([]);
  });

  it('writes a hidden character out in a path rather than letting it reorder the line', () => {
    const s = snsScenario();
    s['na\u202Eme'] = 'x';
    expect(problems(s)).toEqual(['na<U+202E>me: unknown key (did you mean "name"?)']);
  });

  it('finds, strips and shows the characters it refuses', () => {
    expect(findHiddenCharacter('plain text')).toBeUndefined();
    expect(findHiddenCharacter('a\u2069b')).toEqual({
      index: 1,
      code: 0x2069,
      label: 'U+2069 (pop directional isolate)',
    });
    expect(stripHidden('\u001B[2Jpay\u202Emen\u0000t\n')).toBe('[2Jpayment');
    expect(showHidden('a\u200Eb')).toBe('a<U+200E>b');
  });
});

describe('names that are also properties of every object', () => {
  const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

  it('refuses a filter policy on an attribute orders do not carry, whatever its name', () => {
    for (const name of NAMES) {
      const s = snsScenario();
      s.broker.filter_policies = { email: { [name === '__proto__' ? 'PROTO' : name]: ['x'] } };
      expect(problems(s), name).toEqual([
        `broker.filter_policies.email.${name}: orders carry no attribute "${name}" (declare it in workload.attributes)`,
      ]);
    }
  });

  it('accepts them as attribute names when declared, keeps them, and runs', () => {
    for (const name of NAMES) {
      const s = snsScenario();
      const key = name === '__proto__' ? 'PROTO' : name;
      s.workload.attributes = { region: ['eu', 'us'], [key]: ['a', 'b'] };
      s.broker.filter_policies = { email: { [key]: ['a'] } };
      const r = parseScenario(fromJson(s));
      if (!r.ok) throw new Error(`${name}: ${formatProblems(r.problems)}`);
      const attributes = r.scenario.workload.attributes;
      expect(Object.keys(attributes), name).toEqual(['region', name]);
      expect(Object.hasOwn(attributes, name)).toBe(true);
      expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
      expect(attributes[name]).toEqual(['a', 'b']);
      expect(checkScenarioBuilds(r.scenario)).toEqual([]);
      const sim = new Simulation(r.scenario);
      sim.runUntil(3_000);
      const report = sim.report();
      // The filter keeps about half of the orders: those whose value is "a".
      const copies = report.queues.email?.copies ?? 0;
      expect(copies).toBeGreaterThan(0);
      expect(copies).toBeLessThan(report.events.published);
    }
  });

  it('refuses __proto__ as a subscriber id with the usual message for ids', () => {
    const s = snsScenario();
    s.broker.filter_policies = { PROTO: { region: ['eu'] } };
    expect(problems(s)).toEqual([
      'broker.filter_policies.__proto__: as a key, must be lowercase letters, digits and dashes, starting with a letter',
    ]);
  });

  it('treats a service called constructor like any other, with or without a policy', () => {
    for (const withPolicy of [false, true]) {
      const s = snsScenario();
      s.services[1].id = 'constructor';
      if (withPolicy) s.broker.filter_policies = { constructor: { region: ['eu'] } };
      const r = parseScenario(fromJson(s));
      if (!r.ok) throw new Error(formatProblems(r.problems));
      const sim = new Simulation(r.scenario);
      sim.runUntil(3_000);
      const byId = new Map(Object.entries(sim.report().services));
      expect(byId.get('constructor')?.processed).toBeGreaterThan(0);
    }
    const s = snsScenario();
    s.broker.filter_policies = { constructor: { region: ['eu'] } };
    expect(problems(s)).toEqual([
      'broker.filter_policies.constructor: no service has id "constructor"',
    ]);
  });

  it('refuses a key that imitates the internal stand-in for __proto__', () => {
    const s = snsScenario();
    s.workload.attributes = { '\u0000__proto__': ['a'] };
    expect(problems(s)).toEqual([
      'workload.attributes: a key contains U+0000 (null) at character 1: remove it',
    ]);
  });

  it('does not mistake an inherited property for a missing value in a message', () => {
    const s = snsScenario();
    s.workload.attributes = { constructor: 'eu' };
    expect(problems(s)).toEqual(['workload.attributes.constructor: must be a list, not "eu"']);
  });
});

describe('a run that cannot be built', () => {
  it('is a problem with its place, never a thrown error', () => {
    const r = parseScenario(fromJson(snsScenario()));
    if (!r.ok) throw new Error(formatProblems(r.problems));
    const broken = { ...r.scenario } as Editable;
    Object.defineProperty(broken, 'services', {
      get() {
        throw new Error('services went missing\n    at somewhere (file.ts:1:1)');
      },
    });
    expect(checkScenarioBuilds(broken as Scenario)).toEqual([
      { path: '(scenario)', message: 'cannot be run: services went missing' },
    ]);
  });

  it('has nothing to say about a scenario that builds', () => {
    const r = parseScenario(fromJson(snsScenario()));
    expect(r.ok && checkScenarioBuilds(r.scenario)).toEqual([]);
  });
});
