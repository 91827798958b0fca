/**
 * The decision checklist: a few questions about a system, each answer moving the score
 * towards events or towards plain request-response, with its reason. The result is a
 * recommendation and the reasons behind it, never a bare yes/no.
 */
import type { Answer, Checklist, Verdict } from '../content/learnSchema';

export interface Reason {
  question: string;
  answer: Answer;
  score: number;
  text: string;
}

export interface Recommendation {
  verdict: Verdict;
  score: number;
  /** Answered questions, strongest first. */
  reasons: Reason[];
  /** Questions answered "not sure": find these out before deciding. */
  open: string[];
  /** A "no" that keeps the path it is about synchronous whatever the score. */
  blockers: string[];
  /** Questions not answered at all. */
  missing: string[];
}

export function recommend(
  checklist: Checklist,
  answers: Readonly<Record<string, Answer | undefined>>,
): Recommendation {
  let score = 0;
  const reasons: Reason[] = [];
  const open: string[] = [];
  const blockers: string[] = [];
  const missing: string[] = [];
  for (const q of checklist.questions) {
    const answer = answers[q.id];
    if (answer === undefined) {
      missing.push(q.id);
      continue;
    }
    if (answer === 'unsure') {
      open.push(q.id);
      continue;
    }
    const branch = answer === 'yes' ? q.yes : q.no;
    score += branch.score;
    reasons.push({ question: q.id, answer, score: branch.score, text: branch.reason });
    if (answer === 'no' && q.blockerOnNo) blockers.push(q.id);
  }
  reasons.sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
  const { verdicts } = checklist;
  let verdict: Verdict;
  if (score <= verdicts['request-response'].atMost) verdict = 'request-response';
  else if (score >= verdicts.events.atLeast && blockers.length === 0) verdict = 'events';
  else verdict = 'hybrid';
  return { verdict, score, reasons, open, blockers, missing };
}
