/**
 * The schema of every piece of learning content: walkthroughs (steps, predictions,
 * sorting exercises, checklists), challenges, interview questions and "walk me through
 * it" drills. Content is JSON beside this file; adding a lesson touches no code, and a
 * file that does not match is refused at load (and by the content tests) with its path.
 *
 * Times are integer milliseconds unless a key says otherwise. Identifiers name things
 * in a scenario: service ids (`email`), queue ids (the subscriber's id) and canvas node
 * ids (`client`, `broker`, `email`, `email-queue`, `dead-letter`).
 */
import { z } from 'zod';
import { lessonVerbSchemas } from '../core/interventions';
import { BROKER_SETTINGS } from '../core/scenario';
import { isCompare, MODES, type Mode, SIDES, type Side } from '../run/modes';

/** An id of a piece of content (also part of its address). */
export const id = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, { error: 'must be lowercase letters, digits and dashes' })
  .max(60);
/** A paragraph a learner reads. */
export const text = z.string().min(1).max(1200);
/** A title, a label, one line. */
export const shortText = z.string().min(1).max(200);
const ms = z
  .number()
  .int()
  .min(0)
  .max(24 * 60 * 60 * 1000);

export const sideSchema = z.enum(SIDES as [Side, ...Side[]]);
export type { Side };
export const modeSchema = z.enum(MODES as [Mode, ...Mode[]]);
export type { Mode };
export const brokerKindSchema = z.enum(['queue', 'log', 'sns-sqs']);
export type BrokerKind = z.infer<typeof brokerKindSchema>;

// ---------------------------------------------------------------------------------
// Setups: which scenario the simulator shows, and how it differs from the built-in.

const servicePatch = z.strictObject({
  replicas: z.number().int().min(1).max(32).optional(),
  concurrency: z.number().int().min(1).max(256).optional(),
  idempotent: z.boolean().optional(),
  subscribed: z.boolean().optional(),
  /** A number or a latency distribution object, as in the scenario format. */
  latency_ms: z.unknown().optional(),
  /**
   * Producer and consumer settings a learner cannot switch with an action while a run
   * plays (the simulator restarts the run for them): a step loads them instead. Checked
   * in full by the scenario schema once merged.
   */
  publish: z.enum(['after-commit', 'before-commit', 'outbox']).optional(),
  publish_failure: z.enum(['fail', 'retry']).optional(),
  idempotency: z.record(z.string(), z.unknown()).optional(),
  emits: z.array(z.string()).max(8).optional(),
  subscribes: z.array(z.string()).max(8).optional(),
});

/**
 * Changes to a built-in scenario. Objects are merged key by key into the built-in;
 * lists (`faults`, `add_services`) replace or extend it. The result is validated with
 * the scenario schema itself, so a patch can never produce a scenario the engine refuses.
 */
export const scenarioPatchSchema = z.strictObject({
  name: shortText.optional(),
  description: z.string().max(200).optional(),
  seed: z.number().int().min(0).max(0xffff_ffff).optional(),
  duration_ms: ms.optional(),
  network_ms: z.number().int().min(0).max(1000).optional(),
  /** Replaces the broker section: `{ "kind": "log" }` gives a log with its defaults. */
  broker: z.record(z.string(), z.unknown()).optional(),
  workload: z.record(z.string(), z.unknown()).optional(),
  delivery: z.record(z.string(), z.unknown()).optional(),
  sync: z.record(z.string(), z.unknown()).optional(),
  /** Replaces the list of faults. */
  faults: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
  services: z.record(id, servicePatch).optional(),
  /** Services added after the built-in ones (e.g. a subscriber that joins later). */
  add_services: z.array(z.record(z.string(), z.unknown())).max(4).optional(),
  chain: z.array(id).max(12).optional(),
  /** Hybrid: the services the entry calls synchronously before it publishes. */
  sync_services: z.array(id).max(8).optional(),
});
export type ScenarioPatch = z.infer<typeof scenarioPatchSchema>;

export const setupSchema = z.strictObject({
  /** A built-in scenario id, or a template id when `base` carries the template. */
  scenario: id,
  /**
   * The scenario of a New-gallery template, filled in when the content that names it is
   * loaded (src/content/interview/index.ts), never written by hand: the engine's side then
   * needs no copy of the templates, which stay out of the initial bundle.
   */
  base: z.unknown().optional(),
  /** Which architecture(s) to show; default: compare. */
  mode: modeSchema.default('compare'),
  /** Shortcut for `patch.broker = { kind }`. */
  broker: brokerKindSchema.optional(),
  patch: scenarioPatchSchema.optional(),
  speed: z.number().min(0.1).max(50).optional(),
  /** Start paused at t = 0 (default: playing). */
  paused: z.boolean().default(false),
});
export type Setup = z.infer<typeof setupSchema>;
export type SetupInput = z.input<typeof setupSchema>;

// ---------------------------------------------------------------------------------
// Actions: what a step does on entry, what the learner is asked to do, what "Show me"
// sets up. Engine verbs (`outage`, `fault`, `scale`, `rate`, `spike`, `order`,
// `subscribe`, `idempotent`, `redrive`, `reset-offsets`) come from the registry of learner
// actions in src/core/interventions; the playback verbs are the player's own.

const playbackSchemas = [
  z.strictObject({ do: z.literal('mode'), mode: modeSchema }),
  z.strictObject({ do: z.literal('speed'), speed: z.number().min(0.1).max(50) }),
  z.strictObject({ do: z.literal('play') }),
  z.strictObject({ do: z.literal('pause') }),
  /** Jump the clock to this simulated time (runs every event up to it). */
  z.strictObject({ do: z.literal('run'), untilMs: ms }),
] as const;
export type PlaybackAction = z.infer<(typeof playbackSchemas)[number]>;
/** A verb of the registry, e.g. `{ do: 'outage', service: 'email', down: true }`. */
export interface EngineAction {
  do: string;
  service?: string;
  [field: string]: unknown;
}
export type Action = PlaybackAction | EngineAction;

const PLAYBACK_VERBS: ReadonlySet<string> = new Set(playbackSchemas.map((s) => s.shape.do.value));
/** The playback verb, or null for an engine verb. */
export function playbackAction(a: Action): PlaybackAction | null {
  return PLAYBACK_VERBS.has(a.do) ? (a as PlaybackAction) : null;
}

export const actionSchema = z.discriminatedUnion('do', [
  ...lessonVerbSchemas(),
  ...playbackSchemas,
] as unknown as [z.ZodObject, ...z.ZodObject[]]) as unknown as z.ZodType<
  Action,
  Record<string, unknown>
>;
export type ActionInput = z.input<typeof actionSchema>;

// ---------------------------------------------------------------------------------
// Measures: numbers read from the engine. Checks compare them.

const onSide = { side: sideSchema.optional() };

export const measureSchema = z.union([
  /** A number of the run report, by its path: `requests.failed`, `queues.email.max_depth`. */
  z.strictObject({ metric: z.string().regex(/^[a-z_]+(\.[a-z0-9_-]+)*$/), ...onSide }),
  /** Share of answered orders that succeeded (0..1). */
  z.strictObject({ availability: z.literal('measured'), ...onSide }),
  /** Product of each chain hop's chance of success (1 - error rate, 0 when down). */
  z.strictObject({ availability: z.literal('formula'), ...onSide }),
  /** Age of the oldest message waiting in a queue, ms (0 when empty). */
  z.strictObject({ oldestAge: id, ...onSide }),
  /** How far one service's view is behind another's: processed(from) - processed(to). */
  z.strictObject({ viewLag: z.tuple([id, id]), ...onSide }),
  /** Time from `afterMs` until a queue was first empty again (from the sampled series); -1 if not yet. */
  z.strictObject({ drainMs: id, afterMs: ms, ...onSide }),
  /** Replicas x workers of one service, or of every service when `workers` is `*`. */
  z.strictObject({ workers: z.union([id, z.literal('*')]), ...onSide }),
  z.strictObject({ replicas: z.union([id, z.literal('*')]), ...onSide }),
  /** Workers of a service busy right now. */
  z.strictObject({ busy: id, ...onSide }),
  /** Messages of a queue waiting out a retry backoff right now. */
  z.strictObject({ retrying: id, ...onSide }),
  /** Order `n`: time from its first to its latest trace record so far, ms. */
  z.strictObject({ orderSpan: z.number().int().min(1), ...onSide }),
  /** Order `n`: how many different services have worked on it so far. */
  z.strictObject({ orderServices: z.number().int().min(1), ...onSide }),
  /** Orders not fully handled yet: sent minus completed (failed, dead-lettered or still in progress). */
  z.strictObject({ unfinished: z.literal(true), ...onSide }),
  /** Simulated time now, ms. */
  z.strictObject({ time: z.literal(true) }),
]);
export type Measure = z.infer<typeof measureSchema>;

const bounds = {
  atLeast: z.number().optional(),
  atMost: z.number().optional(),
};

const leafCheckSchema = z.union([
  /** The clock has reached this simulated time. */
  z.strictObject({ time: ms }),
  z.strictObject({
    service: id,
    down: z.boolean().optional(),
    idempotent: z.boolean().optional(),
    subscribed: z.boolean().optional(),
    replicasAtLeast: z.number().int().min(1).optional(),
    busyAtLeast: z.number().int().min(1).optional(),
    workersAtLeast: z.number().int().min(1).optional(),
    errorRateAtLeast: z.number().min(0).max(1).optional(),
    slowFactorAtLeast: z.number().min(1).optional(),
    crashRateAtLeast: z.number().min(0).max(1).optional(),
    ...onSide,
  }),
  z.strictObject({
    queue: id,
    waitingAtLeast: z.number().int().min(0).optional(),
    waitingAtMost: z.number().int().min(0).optional(),
    deadLetteredAtLeast: z.number().int().min(0).optional(),
    processedAtLeast: z.number().int().min(0).optional(),
    ...onSide,
  }),
  /** A number of the run report (the shape the issue names). */
  z.strictObject({ metric: z.string().regex(/^[a-z_]+(\.[a-z0-9_-]+)*$/), ...onSide, ...bounds }),
  z.strictObject({ measure: measureSchema, ...bounds }),
  z.strictObject({ mode: modeSchema }),
  z.strictObject({ broker: brokerKindSchema }),
  z.strictObject({ rateAtMost: z.number().min(0) }),
  z.strictObject({ rateAtLeast: z.number().min(0) }),
]);

export type Check =
  | z.infer<typeof leafCheckSchema>
  | { all: Check[] }
  | { any: Check[] }
  | { not: Check };

export const checkSchema: z.ZodType<Check> = z.lazy(() =>
  z.union([
    leafCheckSchema,
    z.strictObject({ all: z.array(checkSchema).min(1) }),
    z.strictObject({ any: z.array(checkSchema).min(1) }),
    z.strictObject({ not: checkSchema }),
  ]),
);

/** A live number shown beside the narration, with what it means. */
export const readoutSchema = z.strictObject({
  label: shortText,
  measure: measureSchema,
  unit: z.enum(['count', 'ms', 'percent', 's']).default('count'),
  help: shortText.optional(),
});
export type Readout = z.infer<typeof readoutSchema>;

// ---------------------------------------------------------------------------------
// Steps

export const highlightSchema = z.strictObject({
  /** Canvas node ids. */
  nodes: z.array(id).max(12).default([]),
  /** Edges by their two node ids. */
  edges: z
    .array(z.tuple([id, id]))
    .max(12)
    .default([]),
  /** Only on one side (default: every side that has them). */
  side: sideSchema.optional(),
});
export type Highlight = z.infer<typeof highlightSchema>;

const predictOption = z.strictObject({
  id,
  label: shortText,
  /** True after the run exactly when this answer is what happened: the engine grades it. */
  check: checkSchema,
});

export const predictSchema = z
  .strictObject({
    question: text,
    options: z.array(predictOption).min(2).max(5).optional(),
    /** Ask for a number instead of a choice. */
    number: z
      .strictObject({
        unit: z.enum(['count', 'ms', 'percent', 's']),
        measure: measureSchema,
        /** Within this fraction of the measured value counts as close (default 0.2). */
        tolerance: z.number().min(0).max(1).default(0.2),
        min: z.number().default(0),
        max: z.number().default(1_000_000),
      })
      .optional(),
    /** What "Run and reveal" does once the prediction is locked in. */
    run: z.array(actionSchema).min(1),
    /** Numbers shown beside the prediction after the run. */
    measured: z.array(readoutSchema).min(1),
    /** Why it came out this way, shown after the reveal. */
    explain: text,
  })
  .refine((p) => (p.options === undefined) !== (p.number === undefined), {
    error: 'give either options or number',
  });
export type Predict = z.infer<typeof predictSchema>;

export const sortSchema = z.strictObject({
  prompt: text,
  buckets: z
    .array(z.strictObject({ id, label: shortText }))
    .min(2)
    .max(4),
  items: z
    .array(z.strictObject({ name: z.string().min(1).max(60), bucket: id, why: shortText }))
    .min(4)
    .max(16),
});
export type Sort = z.infer<typeof sortSchema>;

export const verdictSchema = z.enum(['events', 'hybrid', 'request-response']);
export type Verdict = z.infer<typeof verdictSchema>;
export const answerSchema = z.enum(['yes', 'no', 'unsure']);
export type Answer = z.infer<typeof answerSchema>;

export const checklistStepSchema = z.strictObject({
  /** The system the learner judges. */
  system: text,
  /** Our reading of it: shown after the learner's own recommendation. */
  answers: z.record(id, answerSchema),
  expect: verdictSchema,
});
export type ChecklistStep = z.infer<typeof checklistStepSchema>;

export const stepSchema = z
  .strictObject({
    id,
    title: shortText,
    /** Narration: one short paragraph per entry. */
    say: z.array(text).min(1).max(6),
    load: setupSchema.optional(),
    /** Applied when the step opens, after `load`. */
    actions: z.array(actionSchema).max(10).default([]),
    highlight: highlightSchema.optional(),
    show: z.array(readoutSchema).max(6).default([]),
    /** List every trace record of one order so far, as sentences (following one order). */
    trail: z
      .strictObject({ order: z.number().int().min(1), side: sideSchema.default('event') })
      .optional(),
    /** What the learner is asked to do, in words. */
    task: shortText.optional(),
    /** What the engine must show before Next is enabled (latched once true). */
    waitFor: checkSchema.optional(),
    /** What a learner would do to meet `waitFor`: "Do it for me" applies it; the tests play it. */
    solution: z.array(actionSchema).max(10).default([]),
    /** Longest simulated time the solution may need to meet `waitFor`, counted from when it is applied. */
    withinMs: ms.default(120_000),
    predict: predictSchema.optional(),
    sort: sortSchema.optional(),
    checklist: checklistStepSchema.optional(),
  })
  .superRefine((s, ctx) => {
    const kinds = [s.waitFor, s.predict, s.sort, s.checklist].filter((k) => k !== undefined);
    if (kinds.length > 1)
      ctx.addIssue({
        code: 'custom',
        message: 'a step has at most one of waitFor, predict, sort, checklist',
      });
    if (s.waitFor && !s.task)
      ctx.addIssue({ code: 'custom', path: ['task'], message: 'is required with waitFor' });
    if (s.solution.length > 0 && !s.waitFor)
      ctx.addIssue({ code: 'custom', path: ['solution'], message: 'only applies with waitFor' });
  });
export type Step = z.infer<typeof stepSchema>;
export type StepInput = z.input<typeof stepSchema>;

export const walkthroughSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id,
    number: z.number().int().min(1).max(99),
    title: shortText,
    summary: text,
    minutes: z.number().int().min(1).max(60),
    steps: z.array(stepSchema).min(3).max(20),
    /**
     * Where the product facts a walkthrough states come from (vendor documentation), for
     * reviewers: not shown to learners. One line each: the claim, then the source.
     */
    sources: z.array(z.string().min(1).max(400)).max(20).default([]),
  })
  .superRefine((w, ctx) => {
    const ids = new Set<string>();
    w.steps.forEach((s, i) => {
      if (ids.has(s.id))
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'id'],
          message: `duplicate step id "${s.id}"`,
        });
      ids.add(s.id);
    });
    if (!w.steps[0]?.load)
      ctx.addIssue({
        code: 'custom',
        path: ['steps', 0, 'load'],
        message: 'the first step must load a scenario',
      });
  });
export type Walkthrough = z.infer<typeof walkthroughSchema>;

// ---------------------------------------------------------------------------------
// The decision checklist (walkthrough 9 and the standalone tool)

export const checklistSchema = z.strictObject({
  $schema: z.string().optional(),
  questions: z
    .array(
      z.strictObject({
        id,
        question: shortText,
        /** The plain-words version of the question behind it. */
        detail: shortText,
        yes: z.strictObject({ score: z.number().int().min(-5).max(5), reason: shortText }),
        no: z.strictObject({ score: z.number().int().min(-5).max(5), reason: shortText }),
        /** A "no" here rules out events for the path it is about, whatever the score. */
        blockerOnNo: z.boolean().default(false),
      }),
    )
    .min(4)
    .max(12),
  verdicts: z.strictObject({
    events: z.strictObject({ atLeast: z.number().int(), title: shortText, summary: text }),
    hybrid: z.strictObject({ title: shortText, summary: text }),
    'request-response': z.strictObject({
      atMost: z.number().int(),
      title: shortText,
      summary: text,
    }),
  }),
});
export type Checklist = z.infer<typeof checklistSchema>;

// ---------------------------------------------------------------------------------
// Challenges

const knobTarget = z.union([
  z.strictObject({ architecture: z.literal(true) }),
  z.strictObject({
    service: id,
    /**
     * `idempotency_key` (`off`, `message-id`, `business-key`) and `idempotency_record`
     * (`same-transaction`, `after-effect`) together make the service's `idempotency`;
     * `off` leaves it out. `publish`: the entry service's publish mode, `publish_failure`
     * what it does with a refused publish. `subscribes`: the event types the service
     * reacts to, as one option value separated by commas (`PaymentCompleted,OrderCancelled`).
     */
    field: z.enum([
      'replicas',
      'concurrency',
      'idempotent',
      'publish',
      'publish_failure',
      'subscribes',
      'idempotency_key',
      'idempotency_record',
    ]),
  }),
  z.strictObject({
    delivery: z.enum(['max_attempts', 'base_ms', 'cap_ms', 'jitter', 'backoff', 'dead_letter']),
  }),
  z.strictObject({ sync: z.enum(['timeout_ms', 'retries']) }),
  /** `keys`: how many distinct partition keys / FIFO message groups orders carry. */
  z.strictObject({ workload: z.enum(['keys', 'rate_per_s']) }),
  z.strictObject({
    // Any flavour's setting, as the scenario schema has them.
    broker: z.enum(['kind', ...new Set(Object.values(BROKER_SETTINGS).flat())] as [
      string,
      ...string[],
    ]),
  }),
]);
export type KnobTarget = z.infer<typeof knobTarget>;

const knobValue = z.union([z.string(), z.number(), z.boolean()]);
export type KnobValue = z.infer<typeof knobValue>;

export const knobSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('choice'),
    id,
    label: shortText,
    help: shortText.optional(),
    target: knobTarget,
    options: z
      .array(z.strictObject({ value: z.union([z.string(), z.number()]), label: shortText }))
      .min(2)
      .max(8),
    default: z.union([z.string(), z.number()]),
  }),
  z.strictObject({
    kind: z.literal('number'),
    id,
    label: shortText,
    help: shortText.optional(),
    target: knobTarget,
    min: z.number(),
    max: z.number(),
    step: z.number().positive().default(1),
    unit: z.string().max(20).optional(),
    default: z.number(),
  }),
  z.strictObject({
    kind: z.literal('toggle'),
    id,
    label: shortText,
    help: shortText.optional(),
    target: knobTarget,
    default: z.boolean(),
  }),
]);
export type Knob = z.infer<typeof knobSchema>;

export const goalSchema = z
  .strictObject({
    label: shortText,
    measure: measureSchema,
    unit: z.enum(['count', 'ms', 'percent', 's']).default('count'),
    ...bounds,
  })
  .refine((g) => g.atLeast !== undefined || g.atMost !== undefined, {
    error: 'give atLeast or atMost',
  });
export type Goal = z.infer<typeof goalSchema>;

export const challengeSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id,
    order: z.number().int().min(1).max(99),
    level: z.enum(['easy', 'medium', 'hard']),
    title: shortText,
    story: z.array(text).min(1).max(4),
    /** The system as it starts; `mode` is replaced by the architecture knob if there is one. */
    setup: setupSchema,
    /** The grader runs the engine to this simulated time. */
    untilMs: ms,
    knobs: z.array(knobSchema).min(1).max(8),
    goals: z.array(goalSchema).min(1).max(6),
    hints: z.array(shortText).min(1).max(4),
    /** Knob values that pass: the tests grade it, so every challenge is known to be solvable. */
    solution: z.record(id, knobValue),
    /** What passing teaches, shown after a pass. */
    debrief: text,
  })
  .superRefine((c, ctx) => {
    const ids = new Set(c.knobs.map((k) => k.id));
    for (const key of Object.keys(c.solution))
      if (!ids.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['solution', key],
          message: 'is not a knob of this challenge',
        });
    if (isCompare(c.setup.mode))
      ctx.addIssue({
        code: 'custom',
        path: ['setup', 'mode'],
        message: 'a challenge runs one architecture: chain, event or orchestration',
      });
  });
export type Challenge = z.infer<typeof challengeSchema>;

// ---------------------------------------------------------------------------------
// Interview prep

/** A simulator setup that shows something, with what to look at. */
export const demoSchema = z.strictObject({
  setup: setupSchema,
  actions: z.array(actionSchema).max(10).default([]),
  /** What to look at once it is set up. */
  look: shortText,
  highlight: highlightSchema.optional(),
  /** Live numbers shown beside it. */
  show: z.array(readoutSchema).max(6).default([]),
  /** What the engine must show by `byMs` for this demo to prove its point (checked by the tests). */
  proof: z.strictObject({ check: checkSchema, byMs: ms }).optional(),
});
export type Demo = z.infer<typeof demoSchema>;

export const topicSchema = z.enum([
  'basics',
  'coupling',
  'scalability',
  'performance',
  'reliability',
  'delivery',
  'consistency',
  'operations',
  'brokers',
  'judgement',
]);
export type Topic = z.infer<typeof topicSchema>;

export const questionSchema = z.strictObject({
  id,
  topic: topicSchema,
  question: shortText,
  /** The model answer, one paragraph per entry. */
  answer: z.array(text).min(1).max(4),
  demo: demoSchema,
  /** What an interviewer asks next, to practise after the answer. */
  followUps: z.array(shortText).max(4).default([]),
  /** Where the product facts in the answer come from (not shown), as in walkthroughs. */
  sources: z.array(z.string().min(1).max(400)).max(8).default([]),
});
export type Question = z.infer<typeof questionSchema>;

export const questionBankSchema = z
  .strictObject({
    $schema: z.string().optional(),
    questions: z.array(questionSchema).min(30).max(200),
  })
  .superRefine((b, ctx) => {
    const ids = new Set<string>();
    b.questions.forEach((q, i) => {
      if (ids.has(q.id))
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'id'],
          message: `duplicate id "${q.id}"`,
        });
      ids.add(q.id);
    });
  });

/** The repeated answer framework's stages, in the order an answer walks them. */
export const stageSchema = z.enum(['requirements', 'events', 'flow', 'failures', 'trade-offs']);
export type Stage = z.infer<typeof stageSchema>;
export const levelSchema = z.enum(['junior', 'mid', 'senior', 'staff']);
export type Level = z.infer<typeof levelSchema>;

export const drillSchema = z.strictObject({
  id,
  prompt: shortText,
  /** Context an interviewer would give when asked. */
  context: z.array(text).min(1).max(4),
  minutes: z.number().int().min(2).max(45),
  points: z
    .array(
      z.strictObject({
        id,
        /** Which stage of the answer framework this point belongs to. */
        stage: stageSchema.optional(),
        title: shortText,
        detail: text,
        demo: demoSchema,
      }),
    )
    .min(3)
    .max(10),
  /** What an interviewer asks next, once the design is on the board. */
  followUps: z.array(shortText).max(8).default([]),
  /** What each seniority level is expected to cover in this drill. */
  levels: z.partialRecord(levelSchema, shortText).optional(),
});

export type Drill = z.infer<typeof drillSchema>;

export const drillBankSchema = z.strictObject({
  $schema: z.string().optional(),
  drills: z.array(drillSchema).min(1).max(20),
});

/**
 * Validate one content file. Content ships with the app, so a mismatch is a bug in this
 * repository: it throws with the file and every problem's path (the content tests catch
 * it before any learner could).
 */
export function parseContent<T extends z.ZodType>(
  file: string,
  schema: T,
  json: unknown,
): z.output<T> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (i) => `${i.path.map(String).join('.') || '(file)'}: ${i.message}`,
  );
  throw new Error(`Learning content ${file} is invalid:\n${lines.join('\n')}`);
}
