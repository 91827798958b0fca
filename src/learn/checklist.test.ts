/** The decision checklist gives a recommendation and says why. */
import { describe, expect, it } from 'vitest';
import type { Answer } from '../content/learnSchema';
import { checklist } from '../content/lessons';
import { recommend } from './checklist';

const all = (answer: Answer) => Object.fromEntries(checklist.questions.map((q) => [q.id, answer]));

describe('decision checklist', () => {
  it('a system that needs what events give gets events, with a reason per answer, strongest first', () => {
    const r = recommend(checklist, { ...all('yes'), crud: 'no' });
    expect(r.verdict).toBe('events');
    expect(r.reasons).toHaveLength(checklist.questions.length);
    const weights = r.reasons.map((x) => Math.abs(x.score));
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
  });

  it('plain CRUD at low traffic gets request-response', () => {
    expect(recommend(checklist, { ...all('no'), crud: 'yes' }).verdict).toBe('request-response');
  });

  it('readers who need fresh data keep the path synchronous, however strong the rest is', () => {
    const r = recommend(checklist, { ...all('yes'), crud: 'no', consistency: 'no' });
    expect(r.blockers).toEqual(['consistency']);
    expect(r.verdict).toBe('hybrid');
  });

  it('"not sure" answers are listed as things to find out, and do not count', () => {
    const r = recommend(checklist, { ...all('yes'), crud: 'no', spikes: 'unsure' });
    expect(r.open).toEqual(['spikes']);
    expect(r.reasons.some((x) => x.question === 'spikes')).toBe(false);
  });

  it('unanswered questions are listed as missing', () => {
    const r = recommend(checklist, { async: 'yes' });
    expect(r.missing).toHaveLength(checklist.questions.length - 1);
    expect(r.verdict).toBe('hybrid');
  });
});
