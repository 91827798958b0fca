/**
 * Interview prep content: at least 30 questions, every topic covered, every answer
 * linked to a simulator setup that exists and, run on the engine, proves its point; the
 * drills' key points likewise.
 */
import { describe, expect, it } from 'vitest';
import type { Demo } from '../learnSchema';
import { drillBankSchema, questionBankSchema, topicSchema } from '../learnSchema';
import { HeadlessDriver } from '../../run/lessons';
import { Evaluator } from '../../learn/evaluate';
import { mustResolve } from '../../learn/setup';
import { validateDemo } from '../../learn/validate';
import { layoutModel } from '../../views/canvas/layout';
import { drills, questions } from './index';
import drillsJson from './drills.json';
import questionsJson from './questions.json';

const edges = (model: Parameters<typeof layoutModel>[0]) =>
  new Set(layoutModel(model).edges.map((e) => e.id));

/** Set the demo up as "Show me" does, run it to its proof time, and read it. */
function runDemo(demo: Demo) {
  const driver = new HeadlessDriver();
  driver.load(mustResolve(demo.setup));
  for (const action of demo.actions) driver.act(action);
  const proof = demo.proof;
  if (proof) driver.advanceTo(Math.max(driver.now, proof.byMs));
  const ev = new Evaluator(driver.world());
  return {
    proved: proof ? ev.check(proof.check) : false,
    readouts: demo.show.map((r) => ev.measure(r.measure)),
  };
}

describe('interview questions', () => {
  it('the bank matches the schema and has at least 30 questions with unique ids', () => {
    const r = questionBankSchema.safeParse(questionsJson);
    expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(
      [],
    );
    expect(questions.length).toBeGreaterThanOrEqual(30);
  });

  it('covers every topic', () => {
    expect(new Set(questions.map((q) => q.topic))).toEqual(new Set(topicSchema.options));
  });

  it.each(questions.map((q) => [q.id, q] as const))(
    '%s: "Show me" sets up a real scenario that proves the answer',
    (id, q) => {
      expect(validateDemo(`question ${id}`, q.demo, edges)).toEqual([]);
      expect(q.demo.proof, 'each answer says what its demo must show').toBeDefined();
      const { proved, readouts } = runDemo(q.demo);
      expect(proved).toBe(true);
      for (const [k, v] of readouts.entries()) expect(v, q.demo.show[k]?.label).not.toBeNull();
    },
  );
});

describe('walk me through it drills', () => {
  it('match the schema', () => {
    const r = drillBankSchema.safeParse(drillsJson);
    expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(
      [],
    );
    expect(drills.some((d) => /flash sale/i.test(d.prompt))).toBe(true);
  });

  const points = drills.flatMap((d) => d.points.map((p) => [`${d.id}/${p.id}`, p] as const));
  it.each(points)('%s: its demo sets up a real scenario that proves the point', (where, p) => {
    expect(validateDemo(where, p.demo, edges)).toEqual([]);
    expect(p.demo.proof).toBeDefined();
    const { proved, readouts } = runDemo(p.demo);
    expect(proved).toBe(true);
    for (const [k, v] of readouts.entries()) expect(v, p.demo.show[k]?.label).not.toBeNull();
  });
});
