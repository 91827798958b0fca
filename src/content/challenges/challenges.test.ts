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
});
