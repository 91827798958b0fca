/**
 * The learning store: where a learner is in each walkthrough, what they predicted and
 * answered, their challenge settings and results, their interview notes, and the
 * large-text setting. A factory like the playground store, so each test builds a fresh
 * one with its own storage.
 *
 * Progress is kept in localStorage under `fanout.learn.v1`. What is read back is
 * validated: anything unreadable is ignored with a visible note (`storageNote`), never a
 * crash, and the learner starts fresh.
 *
 * This module stays small and content-free: it is part of the initial bundle (the Learn
 * button and the large-text class need it), while lessons load on demand.
 */
import { z } from 'zod';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Side } from '../run/modes';

export const LEARN_STORAGE_KEY = 'fanout.learn.v1';

const id = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/)
  .max(60);
const answerSchema = z.enum(['yes', 'no', 'unsure']);
export type ChecklistAnswer = z.infer<typeof answerSchema>;
const knobValue = z.union([z.string().max(40), z.number(), z.boolean()]);

const predictionSchema = z.strictObject({
  answer: z.union([z.string().max(60), z.number()]),
  revealed: z.boolean(),
  measured: z.array(z.number().nullable()).max(10),
  trueOptions: z.array(z.string().max(60)).max(5),
  actual: z.number().nullable(),
});
export type PredictionRecord = z.infer<typeof predictionSchema>;

const walkthroughProgress = z.strictObject({
  step: z.number().int().min(0).max(99),
  /** Ids of steps whose check the engine has shown (latched). */
  done: z.array(id).max(40),
  predictions: z.record(id, predictionSchema),
  /** Sorting exercises: item name -> bucket id, and whether the learner checked. */
  sorts: z.record(
    id,
    z.strictObject({ placed: z.record(z.string().max(60), id), checked: z.boolean() }),
  ),
  checklists: z.record(
    id,
    z.strictObject({ answers: z.record(id, answerSchema), submitted: z.boolean() }),
  ),
  finished: z.boolean(),
});
export type WalkthroughProgress = z.infer<typeof walkthroughProgress>;

const goalRecord = z.strictObject({
  label: z.string().max(200),
  unit: z.enum(['count', 'ms', 'percent', 's']),
  value: z.number().nullable(),
  atLeast: z.number().optional(),
  atMost: z.number().optional(),
  passed: z.boolean(),
});

const challengeProgress = z.strictObject({
  settings: z.record(id, knobValue),
  /** Passed at least once. */
  passed: z.boolean(),
  /** The latest grading, with the measured numbers. */
  last: z
    .strictObject({
      passed: z.boolean(),
      goals: z.array(goalRecord).max(10),
      settings: z.record(id, knobValue),
    })
    .nullable(),
});
export type ChallengeProgress = z.infer<typeof challengeProgress>;
export type GradeRecord = NonNullable<ChallengeProgress['last']>;

const drillProgress = z.strictObject({
  notes: z.string().max(20_000),
  revealed: z.boolean(),
});

const activitySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('walkthrough'), id }),
  z.strictObject({ kind: z.literal('challenge'), id }),
  /** `point`: the key point whose setup is on the simulator. */
  z.strictObject({ kind: z.literal('drill'), id, point: id.optional() }),
  /** An interview answer shown on the simulator (`point`: a drill's key point). */
  z.strictObject({ kind: z.literal('demo'), id, point: id.optional() }),
]);
export type Activity = z.infer<typeof activitySchema>;

/**
 * One question of the quiz as spaced repetition sees it: its box (how well it is known,
 * 0 = learning), when it is due again (epoch ms), how often it was reviewed and forgotten.
 * The schedule itself is in src/learn/quiz.ts (loaded with the quiz); this is only kept.
 */
const quizCardSchema = z.strictObject({
  box: z.number().int().min(0).max(10),
  due: z.number().min(0),
  reviews: z.number().int().min(0),
  lapses: z.number().int().min(0),
  last: z.enum(['again', 'hard', 'good', 'easy']),
});
export type QuizCard = z.infer<typeof quizCardSchema>;

const savedSchema = z.strictObject({
  version: z.literal(1),
  largeText: z.boolean(),
  active: activitySchema.nullable(),
  walkthroughs: z.record(id, walkthroughProgress),
  challenges: z.record(id, challengeProgress),
  drills: z.record(id, drillProgress),
  questionsSeen: z.array(id).max(500),
  checklist: z.record(id, answerSchema),
  /** Added later: progress saved before the quiz existed still reads (as an empty quiz). */
  quiz: z.record(id, quizCardSchema).default({}),
});
export type SavedLearning = z.infer<typeof savedSchema>;

export type HubSection =
  | 'walkthroughs'
  | 'paths'
  | 'challenges'
  | 'interview'
  | 'quiz'
  | 'glossary'
  | 'checklist';

/**
 * A figure on screen that an open prediction asks about, as `side:key` (`event:failed`,
 * `*:waiting` for both sides). Keys name the strip's columns and the report table's rows:
 * `succeeded`, `failed`, `p50`, `p99`, `completed`, `waiting`, `lost`, `duplicates`,
 * `sent`, `pending`, `in_flight`, `redelivered`, `dead_lettered`, `never_published`,
 * `phantom`, `republished`; and figures only the canvas shows, blurred there: `cancelled`
 * (a saga's declines and the work done for cancelled orders), `refused` (publishes the
 * broker turned away).
 */
export type ConcealedFigure = string;

/** What a figure hidden until the learner predicts says instead of its number. */
export const CONCEALED_LABEL = 'hidden until you predict';

/** Is the figure `key` of `side` hidden by the open prediction? */
export function isConcealed(
  concealed: readonly ConcealedFigure[],
  side: Side,
  key: string,
): boolean {
  if (concealed.length === 0) return false;
  return concealed.includes(`${side}:${key}`) || concealed.includes(`*:${key}`);
}

export interface LearnState extends Omit<SavedLearning, 'version'> {
  /** Why saved progress was not used (shown once, dismissable). */
  storageNote: string | null;
  /** `${walkthrough}:${step}` whose setup was applied to the simulator in this session. */
  preparedFor: string | null;
  /**
   * `${walkthrough}:${step}` whose setup the engine has not answered yet: until it has, the
   * step says "Setting up…" (its figures and its playback are still the last step's).
   */
  settingUp: string | null;
  /**
   * The page opened on a walkthrough saved earlier: wait for the learner to ask before
   * replacing whatever the simulator shows (a share link, say) with the step's setup.
   */
  resumePending: boolean;
  /** Bumped when the learner opens an activity: the layout shows the side panel. */
  panelRequest: number;
  /**
   * Figures the open prediction asks about: the strip, the metrics panel and the lesson's
   * own numbers show "hidden until you predict" for these until the answer is revealed.
   * Not saved: a reload re-opens the prediction, which hides them again.
   */
  concealed: readonly ConcealedFigure[];
  conceal(figures: readonly ConcealedFigure[]): void;

  setLargeText(on: boolean): void;
  dismissStorageNote(): void;
  setActive(activity: Activity | null): void;
  /**
   * Marks `key`'s setup as applied; with `answered` (the engine's round trip), the step is
   * "setting up" until it settles.
   */
  setPreparedFor(key: string | null, answered?: Promise<unknown>): void;
  /** The learner asked to continue where they left off. */
  resume(): void;
  /** Open an activity in the side panel (walkthrough, challenge, drill, demo). */
  openActivity(activity: Activity): void;

  /** Opens a walkthrough where the learner left it (step 0 the first time). */
  startWalkthrough(id: string): void;
  goToStep(id: string, step: number): void;
  markStepDone(id: string, stepId: string): void;
  finishWalkthrough(id: string): void;
  /** Back to step 0 with every answer cleared. */
  restartWalkthrough(id: string): void;
  recordPrediction(id: string, stepId: string, answer: string | number): void;
  recordReveal(
    id: string,
    stepId: string,
    reveal: Omit<PredictionRecord, 'answer' | 'revealed'>,
  ): void;
  placeSortItem(id: string, stepId: string, item: string, bucket: string): void;
  checkSort(id: string, stepId: string): void;
  answerChecklistStep(id: string, stepId: string, question: string, answer: ChecklistAnswer): void;
  submitChecklistStep(id: string, stepId: string): void;

  setKnob(challenge: string, knob: string, value: string | number | boolean): void;
  resetChallenge(challenge: string): void;
  recordGrade(challenge: string, grade: GradeRecord): void;

  setDrillNotes(drill: string, notes: string): void;
  revealDrill(drill: string): void;
  restartDrill(drill: string): void;
  markQuestionSeen(question: string): void;
  /** Keep a quiz question's new schedule (computed by src/learn/quiz.ts). */
  setQuizCard(question: string, card: QuizCard): void;
  clearQuiz(): void;
  answerChecklist(question: string, answer: ChecklistAnswer): void;
  clearChecklist(): void;
}

/** The part of Storage the store uses: injectable, and absent when storage is blocked. */
export type LearnStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface LearnInit {
  /** Default: `window.localStorage` when available. `null`: keep nothing. */
  storage?: LearnStorage | null;
}

const empty = (): Omit<SavedLearning, 'version'> => ({
  largeText: false,
  active: null,
  walkthroughs: {},
  challenges: {},
  drills: {},
  questionsSeen: [],
  checklist: {},
  quiz: {},
});

const freshWalkthrough = (): WalkthroughProgress => ({
  step: 0,
  done: [],
  predictions: {},
  sorts: {},
  checklists: {},
  finished: false,
});

/** Read saved progress; anything unreadable becomes a note, never an exception. */
export function readSaved(storage: LearnStorage | null): {
  saved: Omit<SavedLearning, 'version'>;
  note: string | null;
} {
  if (!storage) return { saved: empty(), note: null };
  let raw: string | null;
  try {
    raw = storage.getItem(LEARN_STORAGE_KEY);
  } catch {
    return {
      saved: empty(),
      note: 'Saved learning progress could not be read (storage is blocked); progress will not be kept.',
    };
  }
  if (raw === null) return { saved: empty(), note: null };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {
      saved: empty(),
      note: 'Saved learning progress was damaged (not valid JSON) and was ignored; starting fresh.',
    };
  }
  const result = savedSchema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues[0]?.path.join('.') || 'the top level';
    return {
      saved: empty(),
      note: `Saved learning progress did not match this version of Fanout (at ${where}) and was ignored; starting fresh.`,
    };
  }
  const { version: _, ...saved } = result.data;
  return { saved, note: null };
}

/** The page's localStorage for progress, or null where the browser refuses it. */
export function createLearnStorage(): LearnStorage | null {
  try {
    return typeof window !== 'undefined' && window.localStorage ? window.localStorage : null;
  } catch {
    return null;
  }
}

function pickSaved(s: LearnState): SavedLearning {
  return {
    version: 1,
    largeText: s.largeText,
    active: s.active,
    walkthroughs: s.walkthroughs,
    challenges: s.challenges,
    drills: s.drills,
    questionsSeen: s.questionsSeen,
    checklist: s.checklist,
    quiz: s.quiz,
  };
}

export function createLearnStore(init: LearnInit = {}): StoreApi<LearnState> {
  const storage = init.storage === undefined ? createLearnStorage() : init.storage;
  const { saved, note } = readSaved(storage);

  // Which setup the step waits for: a step set up again (the same key) waits for its newest.
  let latestSetup: Promise<unknown> | undefined;
  const store = createStore<LearnState>()((set, get) => {
    const walkthrough = (wid: string): WalkthroughProgress =>
      get().walkthroughs[wid] ?? freshWalkthrough();
    const patchWalkthrough = (
      wid: string,
      patch: (w: WalkthroughProgress) => Partial<WalkthroughProgress>,
    ) => {
      const w = walkthrough(wid);
      set({ walkthroughs: { ...get().walkthroughs, [wid]: { ...w, ...patch(w) } } });
    };
    const challenge = (cid: string): ChallengeProgress =>
      get().challenges[cid] ?? { settings: {}, passed: false, last: null };
    const patchChallenge = (
      cid: string,
      patch: (c: ChallengeProgress) => Partial<ChallengeProgress>,
    ) => {
      const c = challenge(cid);
      set({ challenges: { ...get().challenges, [cid]: { ...c, ...patch(c) } } });
    };
    const drill = (did: string) => get().drills[did] ?? { notes: '', revealed: false };
    const patchDrill = (did: string, patch: Partial<{ notes: string; revealed: boolean }>) =>
      set({ drills: { ...get().drills, [did]: { ...drill(did), ...patch } } });

    return {
      ...saved,
      storageNote: note,
      preparedFor: null,
      settingUp: null,
      resumePending: saved.active !== null,
      panelRequest: 0,
      concealed: [],

      conceal(figures) {
        const now = get().concealed;
        if (now.length === figures.length && now.every((f, i) => f === figures[i])) return;
        set({ concealed: [...figures] });
      },
      setLargeText(on) {
        set({ largeText: on });
      },
      dismissStorageNote() {
        set({ storageNote: null });
      },
      setActive(activity) {
        set({ active: activity, preparedFor: null, resumePending: false });
      },
      setPreparedFor(key, answered) {
        latestSetup = answered;
        set({ preparedFor: key, settingUp: answered ? key : null });
        const settled = () => {
          if (latestSetup === answered) set({ settingUp: null });
        };
        answered?.then(settled, settled);
      },
      resume() {
        set({ resumePending: false });
      },
      openActivity(activity) {
        set({
          active: activity,
          preparedFor: null,
          resumePending: false,
          panelRequest: get().panelRequest + 1,
        });
      },

      startWalkthrough(wid) {
        if (!get().walkthroughs[wid]) patchWalkthrough(wid, () => ({}));
        get().openActivity({ kind: 'walkthrough', id: wid });
      },
      goToStep(wid, step) {
        patchWalkthrough(wid, () => ({ step: Math.max(0, Math.min(99, Math.floor(step))) }));
        set({ resumePending: false });
      },
      markStepDone(wid, stepId) {
        if (walkthrough(wid).done.includes(stepId)) return;
        patchWalkthrough(wid, (w) => ({ done: [...w.done, stepId] }));
      },
      finishWalkthrough(wid) {
        patchWalkthrough(wid, () => ({ finished: true }));
      },
      restartWalkthrough(wid) {
        set({
          walkthroughs: { ...get().walkthroughs, [wid]: freshWalkthrough() },
          preparedFor: null,
          resumePending: false,
        });
      },
      recordPrediction(wid, stepId, value) {
        const previous = walkthrough(wid).predictions[stepId];
        // Once revealed, a prediction is history: it cannot be changed after the fact.
        if (previous?.revealed) return;
        patchWalkthrough(wid, (w) => ({
          predictions: {
            ...w.predictions,
            [stepId]: {
              answer: value,
              revealed: false,
              measured: [],
              trueOptions: [],
              actual: null,
            },
          },
        }));
      },
      recordReveal(wid, stepId, reveal) {
        const previous = walkthrough(wid).predictions[stepId];
        if (!previous) return;
        patchWalkthrough(wid, (w) => ({
          predictions: { ...w.predictions, [stepId]: { ...previous, ...reveal, revealed: true } },
          done: w.done.includes(stepId) ? w.done : [...w.done, stepId],
        }));
      },
      placeSortItem(wid, stepId, item, bucket) {
        patchWalkthrough(wid, (w) => {
          const sort = w.sorts[stepId] ?? { placed: {}, checked: false };
          return {
            sorts: {
              ...w.sorts,
              [stepId]: { placed: { ...sort.placed, [item]: bucket }, checked: false },
            },
          };
        });
      },
      checkSort(wid, stepId) {
        patchWalkthrough(wid, (w) => {
          const sort = w.sorts[stepId] ?? { placed: {}, checked: false };
          return { sorts: { ...w.sorts, [stepId]: { ...sort, checked: true } } };
        });
      },
      answerChecklistStep(wid, stepId, question, value) {
        patchWalkthrough(wid, (w) => {
          const c = w.checklists[stepId] ?? { answers: {}, submitted: false };
          return {
            checklists: {
              ...w.checklists,
              [stepId]: { answers: { ...c.answers, [question]: value }, submitted: false },
            },
          };
        });
      },
      submitChecklistStep(wid, stepId) {
        patchWalkthrough(wid, (w) => {
          const c = w.checklists[stepId] ?? { answers: {}, submitted: false };
          return {
            checklists: { ...w.checklists, [stepId]: { ...c, submitted: true } },
            done: w.done.includes(stepId) ? w.done : [...w.done, stepId],
          };
        });
      },

      setKnob(cid, knob, value) {
        patchChallenge(cid, (c) => ({ settings: { ...c.settings, [knob]: value } }));
      },
      resetChallenge(cid) {
        patchChallenge(cid, () => ({ settings: {}, last: null }));
      },
      recordGrade(cid, grade) {
        patchChallenge(cid, (c) => ({ last: grade, passed: c.passed || grade.passed }));
      },

      setDrillNotes(did, notes) {
        patchDrill(did, { notes: notes.slice(0, 20_000) });
      },
      revealDrill(did) {
        patchDrill(did, { revealed: true });
      },
      restartDrill(did) {
        patchDrill(did, { notes: '', revealed: false });
      },
      markQuestionSeen(qid) {
        if (get().questionsSeen.includes(qid)) return;
        set({ questionsSeen: [...get().questionsSeen, qid].slice(-500) });
      },
      setQuizCard(qid, card) {
        set({ quiz: { ...get().quiz, [qid]: card } });
      },
      clearQuiz() {
        set({ quiz: {} });
      },
      answerChecklist(question, value) {
        set({ checklist: { ...get().checklist, [question]: value } });
      },
      clearChecklist() {
        set({ checklist: {} });
      },
    };
  });

  if (storage) {
    let last = JSON.stringify(pickSaved(store.getState()));
    store.subscribe((s) => {
      const next = JSON.stringify(pickSaved(s));
      if (next === last) return;
      last = next;
      try {
        storage.setItem(LEARN_STORAGE_KEY, next);
      } catch {
        // Full or blocked storage: learning goes on, progress is just not kept.
      }
    });
  }
  return store;
}
