/**
 * Schemas of the learning content that only the Learn hub reads: paths (a 45-minute class,
 * a beginner's route, an interview in an hour), the glossary, and the interview answer
 * framework. Kept apart from learnSchema.ts, which the engine's side also loads, so that
 * they stay in the Learn hub's lazy chunk (DESIGN.md §7, the initial JS budget).
 */
import { z } from 'zod';
import { id, levelSchema, shortText, stageSchema, text } from './learnSchema';

/**
 * The answer framework every drill repeats (requirements -> events -> flow -> failure
 * modes -> trade-offs), the follow-ups interviewers ask, and what is expected at each
 * seniority level.
 */
export const frameworkSchema = z.strictObject({
  $schema: z.string().optional(),
  stages: z
    .array(
      z.strictObject({ id: stageSchema, title: shortText, ask: z.array(shortText).min(1).max(6) }),
    )
    .length(5),
  followUps: z
    .array(z.strictObject({ question: shortText, probes: shortText, answer: text }))
    .min(5)
    .max(30),
  levels: z
    .array(
      z.strictObject({
        level: levelSchema,
        title: shortText,
        expect: z.array(shortText).min(1).max(8),
      }),
    )
    .length(4),
});
export type Framework = z.infer<typeof frameworkSchema>;

export const pathItemSchema = z.strictObject({
  kind: z.enum([
    'walkthrough',
    'challenge',
    'drill',
    'quiz',
    'framework',
    'glossary',
    'discussion',
  ]),
  /** The walkthrough, challenge or drill id (none for quiz, framework, glossary, discussion). */
  ref: id.optional(),
  title: shortText,
  minutes: z.number().int().min(1).max(60),
  /** For a teacher: what to put on the projector during this part. */
  project: shortText.optional(),
  /** Questions to put to the room (or to yourself). */
  prompts: z.array(shortText).max(4).default([]),
  note: text.optional(),
});
export type PathItem = z.infer<typeof pathItemSchema>;

export const pathSchema = z
  .strictObject({
    id,
    title: shortText,
    audience: shortText,
    summary: text,
    minutes: z.number().int().min(5).max(240),
    items: z.array(pathItemSchema).min(3).max(20),
  })
  .superRefine((p, ctx) => {
    const total = p.items.reduce((a, i) => a + i.minutes, 0);
    if (total !== p.minutes)
      ctx.addIssue({
        code: 'custom',
        path: ['minutes'],
        message: `the items add up to ${total} minutes, not ${p.minutes}`,
      });
    p.items.forEach((item, i) => {
      const needsRef = ['walkthrough', 'challenge', 'drill'].includes(item.kind);
      if (needsRef !== (item.ref !== undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'ref'],
          message: needsRef ? `a ${item.kind} needs its id` : `a ${item.kind} has no id`,
        });
    });
  });
export type LearningPath = z.infer<typeof pathSchema>;

export const pathBankSchema = z.strictObject({
  $schema: z.string().optional(),
  paths: z.array(pathSchema).min(1).max(10),
});

export const glossarySchema = z.strictObject({
  $schema: z.string().optional(),
  terms: z
    .array(
      z.strictObject({
        id,
        term: shortText,
        /** Words in narration that mean this term, longest first (matched as whole words, any case). */
        match: z.array(z.string().min(2).max(40)).min(1).max(8),
        definition: text,
      }),
    )
    .min(7)
    .max(60),
});
export type Glossary = z.infer<typeof glossarySchema>;
export type GlossaryTerm = Glossary['terms'][number];
