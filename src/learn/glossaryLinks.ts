/**
 * Where each glossary term is first met. The course is read in the beginner path's order
 * (then the walkthroughs it leaves out, by number); a term is linked to its definition in
 * the one narration paragraph where one of its words first appears, and nowhere else, so
 * the page is not a sea of links.
 */
import type { GlossaryTerm, LearningPath } from '../content/learnPathsSchema';
import type { Walkthrough } from '../content/learnSchema';

export interface Place {
  walkthrough: string;
  step: string;
  paragraph: number;
}

export type Segment = { text: string; term?: undefined } | { text: string; term: GlossaryTerm };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regular expression per term: any of its words, as a whole word, any case. */
function termPattern(term: GlossaryTerm): RegExp {
  const words = [...term.match].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(`(?<![\\w-])(${words.join('|')})(?![\\w-])`, 'i');
}

/** Walkthroughs in reading order: the path's walkthroughs first, then the others by number. */
export function readingOrder(
  walkthroughs: readonly Walkthrough[],
  path: LearningPath | undefined,
): Walkthrough[] {
  const first = (path?.items ?? [])
    .filter((i) => i.kind === 'walkthrough')
    .map((i) => walkthroughs.find((w) => w.id === i.ref))
    .filter((w): w is Walkthrough => w !== undefined);
  const rest = [...walkthroughs]
    .filter((w) => !first.includes(w))
    .sort((a, b) => a.number - b.number);
  return [...first, ...rest];
}

/** The first place each term appears (terms that appear nowhere are left out). */
export function firstPlaces(
  terms: readonly GlossaryTerm[],
  order: readonly Walkthrough[],
): Map<string, Place> {
  const places = new Map<string, Place>();
  const patterns = terms.map((t) => [t, termPattern(t)] as const);
  for (const w of order)
    for (const s of w.steps)
      s.say.forEach((paragraph, k) => {
        for (const [t, re] of patterns)
          if (!places.has(t.id) && re.test(paragraph))
            places.set(t.id, { walkthrough: w.id, step: s.id, paragraph: k });
      });
  return places;
}

/** A paragraph cut into plain text and the terms first met in it (each linked once). */
export function linkTerms(
  paragraph: string,
  here: Omit<Place, 'paragraph'> & { paragraph: number },
  terms: readonly GlossaryTerm[],
  places: ReadonlyMap<string, Place>,
): Segment[] {
  const mine = terms.filter((t) => {
    const p = places.get(t.id);
    return (
      p !== undefined &&
      p.walkthrough === here.walkthrough &&
      p.step === here.step &&
      p.paragraph === here.paragraph
    );
  });
  let segments: Segment[] = [{ text: paragraph }];
  for (const term of mine) {
    const re = termPattern(term);
    const next: Segment[] = [];
    let done = false;
    for (const seg of segments) {
      const m = !done && !seg.term ? re.exec(seg.text) : null;
      if (!m) {
        next.push(seg);
        continue;
      }
      done = true;
      const before = seg.text.slice(0, m.index);
      const after = seg.text.slice(m.index + (m[0]?.length ?? 0));
      if (before) next.push({ text: before });
      next.push({ text: m[0] ?? '', term });
      if (after) next.push({ text: after });
    }
    segments = next;
  }
  return segments;
}
