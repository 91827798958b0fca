/**
 * Walkthrough content: every file matches the schema, the thirteen walkthroughs of the
 * course are there in order, and every scenario, service, queue, canvas node and edge
 * they name exists where they show it.
 */
import { describe, expect, it } from 'vitest';
import { recommend } from '../../learn/checklist';
import { validateWalkthrough } from '../../learn/validate';
import { layoutModel } from '../../views/canvas/layout';
import { walkthroughSchema } from '../learnSchema';
import { checklist, walkthroughFiles, walkthroughs } from './index';

const edges = (model: Parameters<typeof layoutModel>[0]) =>
  new Set(layoutModel(model).edges.map((e) => e.id));

describe('walkthrough content', () => {
  it('has the seventeen walkthroughs of the course, numbered 1 to 17 in order, with unique ids', () => {
    expect(walkthroughs.map((w) => w.number)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
    ]);
    expect(new Set(walkthroughs.map((w) => w.id)).size).toBe(17);
  });

  it.each(walkthroughFiles.map(([file, json]) => [file, json] as const))(
    '%s matches the schema',
    (_file, json) => {
      const result = walkthroughSchema.safeParse(json);
      expect(
        result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      ).toEqual([]);
    },
  );

  it.each(walkthroughs.map((w) => [w.id, w] as const))(
    '%s names only things that exist',
    (_id, w) => {
      expect(validateWalkthrough(w, edges)).toEqual([]);
    },
  );

  it('the schema refuses a step that waits for something without saying what to do', () => {
    const bad = structuredClone(walkthroughFiles[0]?.[1]) as { steps: Record<string, unknown>[] };
    delete (bad.steps[0] as { task?: string }).task;
    expect(walkthroughSchema.safeParse(bad).success).toBe(false);
  });

  it('the validator names a highlight of a node that is not on the canvas', () => {
    const w = structuredClone(walkthroughs[0]);
    if (!w?.steps[0]) throw new Error('no walkthrough');
    w.steps[0].highlight = { nodes: ['email-queue'], edges: [] };
    // Walkthrough 1 starts on the chain, which has no queues.
    expect(validateWalkthrough(w, edges)).toEqual([
      'request-chains step 1 (the-chain): highlight names node "email-queue", not on the canvas',
    ]);
  });

  it('the validator names a metric the report does not have', () => {
    const w = structuredClone(walkthroughs[1]);
    if (!w?.steps[0]) throw new Error('no walkthrough');
    w.steps[0].waitFor = { metric: 'queues.fraud.processed', side: 'event', atLeast: 1 };
    expect(validateWalkthrough(w, edges).join('\n')).toContain(
      'no number "queues.fraud.processed"',
    );
  });

  it('every sorting exercise puts each item in one of its buckets', () => {
    for (const w of walkthroughs) {
      for (const s of w.steps) {
        if (!s.sort) continue;
        const buckets = new Set(s.sort.buckets.map((b) => b.id));
        for (const item of s.sort.items) expect(buckets.has(item.bucket), item.name).toBe(true);
        // Both kinds appear, so the exercise cannot be passed by one answer for all.
        expect(new Set(s.sort.items.map((i) => i.bucket)).size).toBe(buckets.size);
      }
    }
  });

  it('every checklist step: our answers give the recommendation the step expects', () => {
    let seen = 0;
    for (const w of walkthroughs) {
      for (const s of w.steps) {
        if (!s.checklist) continue;
        seen++;
        expect(Object.keys(s.checklist.answers).sort()).toEqual(
          checklist.questions.map((q) => q.id).sort(),
        );
        expect(recommend(checklist, s.checklist.answers).verdict, `${w.id}/${s.id}`).toBe(
          s.checklist.expect,
        );
      }
    }
    expect(seen).toBeGreaterThanOrEqual(2);
  });
});
