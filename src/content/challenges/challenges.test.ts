/**
 * Challenges: at least six, easy to hard, every name they use exists, and the engine
 * grades each one deterministically: the starting settings fail (there is something to
 * do) and the stored solution passes (it can be done).
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../learn/grade';
import { gradeChallenge } from '../../run/grade';
import { validateChallenge } from '../../learn/validate';
import { layoutModel } from '../../views/canvas/layout';
import { challengeSchema } from '../learnSchema';
import { challengeFiles, challenges } from './index';

const edges = (model: Parameters<typeof layoutModel>[0]) =>
  new Set(layoutModel(model).edges.map((e) => e.id));
const LEVELS = ['easy', 'medium', 'hard'];

describe('challenges', () => {
  it('has at least six, ordered from easy to hard, with unique ids', () => {
    expect(challenges.length).toBeGreaterThanOrEqual(6);
    const levels = challenges.map((c) => LEVELS.indexOf(c.level));
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(new Set(levels).size).toBe(3);
    expect(new Set(challenges.map((c) => c.id)).size).toBe(challenges.length);
  });

  it.each(challengeFiles.map(([file, json]) => [file, json] as const))(
    '%s matches the schema',
    (_f, json) => {
      const r = challengeSchema.safeParse(json);
      expect(
        r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      ).toEqual([]);
    },
  );

  it.each(challenges.map((c) => [c.id, c] as const))(
    '%s names only things that exist',
    (_id, c) => {
      expect(validateChallenge(c, edges)).toEqual([]);
    },
  );

  it.each(challenges.map((c) => [c.id, c] as const))('%s: the starting settings fail', (_id, c) => {
    const grade = gradeChallenge(c, defaultSettings(c));
    expect(grade.passed).toBe(false);
    expect(grade.goals.some((g) => !g.passed)).toBe(true);
  });

  it.each(challenges.map((c) => [c.id, c] as const))(
    '%s: the stored solution passes, with every goal measured',
    (_id, c) => {
      const grade = gradeChallenge(c, { ...defaultSettings(c), ...c.solution });
      const failing = grade.goals.filter((g) => !g.passed).map((g) => `${g.label} = ${g.value}`);
      expect(failing).toEqual([]);
      for (const g of grade.goals) expect(g.value).not.toBeNull();
      expect(grade.passed).toBe(true);
    },
  );

  it('grading is deterministic: the same settings give the same numbers', () => {
    const c = challenges[0];
    if (!c) throw new Error('no challenges');
    expect(gradeChallenge(c, defaultSettings(c))).toEqual(gradeChallenge(c, defaultSettings(c)));
  });

  it('the schema refuses a solution that names a knob the challenge does not have', () => {
    const bad = structuredClone(challengeFiles[0]?.[1]) as { solution: Record<string, unknown> };
    bad.solution.replicas = 3;
    expect(challengeSchema.safeParse(bad).success).toBe(false);
  });

  it('crashing-producer: the outbox alone double-charges, the order-id key alone loses orders; both pass', () => {
    const c = challenges.find((x) => x.id === 'crashing-producer');
    if (!c) throw new Error('crashing-producer is missing');
    const missed = (settings: Record<string, string>) =>
      gradeChallenge(c, { ...defaultSettings(c), ...settings })
        .goals.filter((g) => !g.passed)
        .map((g) => g.label);
    expect(missed({})).toEqual([
      'Orders saved but never announced (lost)',
      'Cards charged twice',
      'Orders the user was told failed',
    ]);
    expect(missed({ publish: 'outbox', record: 'same-transaction' })).toEqual([
      'Cards charged twice',
    ]);
    // A republish from the outbox carries a new message id: message ids let it through.
    expect(missed({ publish: 'outbox', key: 'message-id', record: 'same-transaction' })).toEqual([
      'Cards charged twice',
    ]);
    // Saved after the charge, the key is not there when Payment crashes before its ack.
    expect(missed({ publish: 'outbox', key: 'business-key' })).toEqual(['Cards charged twice']);
    expect(missed({ key: 'business-key', record: 'same-transaction' })).toEqual([
      'Orders saved but never announced (lost)',
      'Orders the user was told failed',
    ]);
    expect(
      missed({ publish: 'before-commit', key: 'business-key', record: 'same-transaction' }),
    ).toEqual(['Events for orders never saved (phantoms)', 'Orders the user was told failed']);
    expect(missed(c.solution as Record<string, string>)).toEqual([]);
  });

  it('double-charges: remembering message ids is not enough when the id is written after the charge', () => {
    const c = challenges.find((x) => x.id === 'double-charges');
    if (!c) throw new Error('double-charges is missing');
    const charged = (settings: Record<string, string>) =>
      gradeChallenge(c, { ...defaultSettings(c), ...settings }).goals.find(
        (g) => g.label === 'Cards charged twice',
      )?.value;
    expect(charged({ key: 'message-id', record: 'after-effect' })).toBeGreaterThan(0);
    expect(charged({ key: 'message-id', record: 'same-transaction' })).toBe(0);
    expect(charged({ key: 'business-key', record: 'same-transaction' })).toBe(0);
  });

  it('broker-down: failing loses customers, retrying keeps them waiting ~10 s, only the outbox passes', () => {
    const c = challenges.find((x) => x.id === 'broker-down');
    if (!c) throw new Error('broker-down is missing');
    const missed = (settings: Record<string, string>) =>
      gradeChallenge(c, { ...defaultSettings(c), ...settings })
        .goals.filter((g) => !g.passed)
        .map((g) => `${g.label} = ${g.value}`);
    // The broker is down for 10 s at 10 orders/s: about a hundred refusals.
    expect(missed({})).toEqual(['Orders the customer was told failed = 90']);
    const retry = missed({ refused: 'retry' });
    expect(retry).toHaveLength(1);
    expect(retry[0]).toMatch(/^Response time, p99 = \d{4}$/);
    // Published before the save, a refused publish fails the order whatever the knob says.
    expect(missed({ publish: 'before-commit', refused: 'retry' })).toEqual([
      'Orders the customer was told failed = 90',
    ]);
    expect(missed({ publish: 'outbox', refused: 'retry' })).toEqual([]);
  });

  it('saga: confirming on PaymentCompleted stops wrong emails; only an order-id key stops double cancellations', () => {
    const c = challenges.find((x) => x.id === 'saga');
    if (!c) throw new Error('saga is missing');
    const goal = (settings: Record<string, string>, label: string) =>
      gradeChallenge(c, { ...defaultSettings(c), ...settings }).goals.find((g) => g.label === label)
        ?.value;
    const wrongEmails = 'Confirmations sent for orders later cancelled';
    const twice = 'Orders cancelled a second time';
    expect(goal({}, wrongEmails)).toBeGreaterThan(0);
    expect(goal({ confirm: 'PaymentCompleted,OrderCancelled' }, wrongEmails)).toBe(0);
    // A crashed Payment repeats PaymentFailed as a new message: its id is new.
    expect(goal({ 'saga-key': 'off' }, twice)).toBeGreaterThan(0);
    expect(goal({ 'saga-key': 'message-id' }, twice)).toBeGreaterThan(0);
    expect(goal({ 'saga-key': 'business-key' }, twice)).toBe(0);
  });

  it('orchestrator-slow: orchestrated, a slow orchestrator holds every saga; choreographed, Email must wait for the payment', () => {
    const c = challenges.find((x) => x.id === 'orchestrator-slow');
    if (!c) throw new Error('orchestrator-slow is missing');
    const missed = (settings: Record<string, string>) =>
      gradeChallenge(c, { ...defaultSettings(c), ...settings })
        .goals.filter((g) => !g.passed)
        .map((g) => g.label);
    const settled = 'Orders settled (confirmed or cancelled), p99';
    const wrong = 'Confirmations sent for orders later cancelled';
    // Orchestrated, Email is commanded after the payment whatever it subscribes to.
    expect(missed({})).toEqual([settled]);
    expect(missed({ confirm: 'PaymentCompleted' })).toEqual([settled]);
    expect(missed({ design: 'event' })).toEqual([wrong]);
    expect(missed({ design: 'event', confirm: 'PaymentCompleted' })).toEqual([]);
  });
});
