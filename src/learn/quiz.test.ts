/**
 * The quiz's spaced repetition, with an injected clock: a question answered well comes
 * back later and later, a forgotten one comes back in ten minutes, and a round asks what
 * is due before anything new.
 */
import { describe, expect, it } from 'vitest';
import { createLearnStore, type LearnStorage, type QuizCard } from '../store/learn';
import { BOX_INTERVALS_MS, pickRound, quizStats, schedule, TOP_BOX } from './quiz';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('quiz scheduling', () => {
  it('a new question answered "good" is due in a day, then 3, then 7: each good answer waits longer', () => {
    let card = schedule(undefined, 'good', T0);
    expect(card).toEqual({ box: 1, due: T0 + DAY, reviews: 1, lapses: 0, last: 'good' });
    let now = card.due;
    card = schedule(card, 'good', now);
    expect(card.due - now).toBe(3 * DAY);
    now = card.due;
    card = schedule(card, 'good', now);
    expect(card.due - now).toBe(7 * DAY);
    expect(card.box).toBe(3);
  });

  it('"again" sends a card back to the first box, due in ten minutes, and counts a lapse', () => {
    const known: QuizCard = { box: 4, due: T0, reviews: 6, lapses: 0, last: 'good' };
    const card = schedule(known, 'again', T0);
    expect(card).toEqual({ box: 0, due: T0 + 10 * MIN, reviews: 7, lapses: 1, last: 'again' });
  });

  it('"hard" keeps the box and waits half its interval; "easy" skips a box', () => {
    const c: QuizCard = { box: 3, due: T0, reviews: 3, lapses: 0, last: 'good' };
    expect(schedule(c, 'hard', T0)).toMatchObject({ box: 3, due: T0 + 3.5 * DAY });
    expect(schedule(c, 'easy', T0)).toMatchObject({ box: 5, due: T0 + 35 * DAY });
  });

  it('the top box is a ceiling', () => {
    const top: QuizCard = { box: TOP_BOX, due: T0, reviews: 9, lapses: 0, last: 'easy' };
    expect(schedule(top, 'easy', T0)).toMatchObject({
      box: TOP_BOX,
      due: T0 + (BOX_INTERVALS_MS[TOP_BOX] as number),
    });
  });

  it('a round asks due questions first, most overdue first, then new ones, never ones not due', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const cards: Record<string, QuizCard> = {
      a: { box: 2, due: T0 + DAY, reviews: 2, lapses: 0, last: 'good' },
      b: { box: 1, due: T0 - 2 * DAY, reviews: 1, lapses: 0, last: 'good' },
      c: { box: 0, due: T0 - 5 * MIN, reviews: 1, lapses: 1, last: 'again' },
    };
    expect(pickRound(ids, cards, T0, { size: 4, newPerRound: 2 })).toEqual(['b', 'c', 'd', 'e']);
    // A day later "a" is due too, and goes before the new ones.
    expect(pickRound(ids, cards, T0 + DAY, { size: 3 })).toEqual(['b', 'c', 'a']);
  });

  it('counts what is due, learning, known and unseen, and when the next card falls due', () => {
    const cards: Record<string, QuizCard> = {
      a: { box: 3, due: T0 + 7 * DAY, reviews: 3, lapses: 0, last: 'good' },
      b: { box: 1, due: T0 - MIN, reviews: 1, lapses: 0, last: 'good' },
      c: { box: 0, due: T0 + 10 * MIN, reviews: 1, lapses: 0, last: 'again' },
    };
    expect(quizStats(['a', 'b', 'c', 'd'], cards, T0)).toEqual({
      due: 1,
      learning: 2,
      known: 1,
      unseen: 1,
      nextDue: T0 + 10 * MIN,
    });
  });

  it('the schedule survives a reload through the learning progress store', () => {
    const data: Record<string, string> = {};
    const storage: LearnStorage = {
      getItem: (k) => data[k] ?? null,
      setItem: (k, v) => {
        data[k] = v;
      },
    };
    const first = createLearnStore({ storage });
    first.getState().setQuizCard('idempotency', schedule(undefined, 'good', T0));
    const again = createLearnStore({ storage });
    expect(again.getState().quiz.idempotency).toMatchObject({ box: 1, due: T0 + DAY });
    expect(pickRound(['idempotency'], again.getState().quiz, T0 + DAY - 1)).toEqual([]);
    expect(pickRound(['idempotency'], again.getState().quiz, T0 + DAY)).toEqual(['idempotency']);
  });

  it('progress saved before the quiz existed still loads, with an empty quiz', () => {
    const old = {
      version: 1,
      largeText: true,
      active: null,
      walkthroughs: {},
      challenges: {},
      drills: {},
      questionsSeen: ['idempotency'],
      checklist: {},
    };
    const storage: LearnStorage = {
      getItem: () => JSON.stringify(old),
      setItem: () => {},
    };
    const s = createLearnStore({ storage }).getState();
    expect(s.storageNote).toBeNull();
    expect(s.largeText).toBe(true);
    expect(s.quiz).toEqual({});
  });
});
