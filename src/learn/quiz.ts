/**
 * Spaced repetition for the interview quiz: a Leitner schedule. Each question sits in a
 * box; answering it well moves it up and pushes its next review further away, forgetting
 * it sends it back to the first box, due again in ten minutes. Time is always passed in
 * (`now`, epoch ms), so the schedule is a pure function the tests drive with any clock.
 */
import type { QuizCard } from '../store/learn';

export type QuizGrade = QuizCard['last'];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** How long a card waits in each box before it is due again. */
export const BOX_INTERVALS_MS: readonly number[] = [
  10 * MINUTE,
  1 * DAY,
  3 * DAY,
  7 * DAY,
  16 * DAY,
  35 * DAY,
  90 * DAY,
];
export const TOP_BOX = BOX_INTERVALS_MS.length - 1;

/** What the learner says after seeing the model answer, in the order the buttons show. */
export const GRADES: ReadonlyArray<{ grade: QuizGrade; label: string; hint: string }> = [
  { grade: 'again', label: 'Again', hint: 'I did not know it: ask again in 10 minutes' },
  { grade: 'hard', label: 'Hard', hint: 'Partly: keep it in its box, review a little sooner' },
  { grade: 'good', label: 'Good', hint: 'I knew the main points: next box' },
  { grade: 'easy', label: 'Easy', hint: 'I could teach it: skip a box' },
];

/** The card after answering with `grade` at `now` (a question never seen starts in box 0). */
export function schedule(card: QuizCard | undefined, grade: QuizGrade, now: number): QuizCard {
  const box = card?.box ?? 0;
  const reviews = (card?.reviews ?? 0) + 1;
  const lapses = (card?.lapses ?? 0) + (grade === 'again' && card ? 1 : 0);
  let next: number;
  let wait: number;
  switch (grade) {
    case 'again':
      next = 0;
      wait = BOX_INTERVALS_MS[0] as number;
      break;
    case 'hard':
      next = box;
      wait = Math.max(BOX_INTERVALS_MS[0] as number, (BOX_INTERVALS_MS[box] as number) / 2);
      break;
    case 'good':
      next = Math.min(TOP_BOX, box + 1);
      wait = BOX_INTERVALS_MS[next] as number;
      break;
    case 'easy':
      next = Math.min(TOP_BOX, box + 2);
      wait = BOX_INTERVALS_MS[next] as number;
      break;
  }
  return { box: next, due: now + wait, reviews, lapses, last: grade };
}

/** Is the card due for review at `now`? */
export const isDue = (card: QuizCard, now: number): boolean => card.due <= now;

export interface RoundOptions {
  /** Most questions in one round (default 10). */
  size?: number;
  /** Most questions never seen before in one round (default 5). */
  newPerRound?: number;
}

/**
 * The questions of one round: due reviews first, the most overdue first; then, while there
 * is room, questions never seen, in the bank's order. Cards not due yet are left alone.
 */
export function pickRound(
  questionIds: readonly string[],
  cards: Readonly<Record<string, QuizCard>>,
  now: number,
  { size = 10, newPerRound = 5 }: RoundOptions = {},
): string[] {
  const due = questionIds
    .filter((id) => cards[id] !== undefined && isDue(cards[id] as QuizCard, now))
    .sort((a, b) => (cards[a] as QuizCard).due - (cards[b] as QuizCard).due);
  const fresh = questionIds.filter((id) => cards[id] === undefined).slice(0, newPerRound);
  return [...due, ...fresh].slice(0, size);
}

export interface QuizStats {
  /** Seen and due now. */
  due: number;
  /** Seen, in the first two boxes. */
  learning: number;
  /** Seen, in box 2 or higher. */
  known: number;
  /** Never answered. */
  unseen: number;
  /** When the next card not due yet becomes due (null: none waiting). */
  nextDue: number | null;
}

export function quizStats(
  questionIds: readonly string[],
  cards: Readonly<Record<string, QuizCard>>,
  now: number,
): QuizStats {
  const stats: QuizStats = { due: 0, learning: 0, known: 0, unseen: 0, nextDue: null };
  for (const id of questionIds) {
    const card = cards[id];
    if (!card) {
      stats.unseen++;
      continue;
    }
    if (isDue(card, now)) stats.due++;
    else if (stats.nextDue === null || card.due < stats.nextDue) stats.nextDue = card.due;
    if (card.box >= 2) stats.known++;
    else stats.learning++;
  }
  return stats;
}
