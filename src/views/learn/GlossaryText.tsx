/**
 * A narration paragraph with the glossary terms first met in it turned into buttons that
 * open their definition in place (src/learn/glossaryLinks.ts decides where).
 */
import { useId, useState } from 'react';
import type { GlossaryTerm } from '../../content/learnPathsSchema';
import { walkthroughs } from '../../content/lessons';
import { findPath, glossary } from '../../content/paths';
import { firstPlaces, linkTerms, readingOrder } from '../../learn/glossaryLinks';

const PLACES = firstPlaces(glossary.terms, readingOrder(walkthroughs, findPath('beginner')));

function Term({ text, term }: { text: string; term: GlossaryTerm }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <button
        type="button"
        className="learn-term"
        aria-expanded={open}
        aria-controls={id}
        title={`${term.term}: what it means`}
        onClick={() => setOpen((o) => !o)}
      >
        {text}
      </button>
      {open && (
        <span id={id} role="note" className="learn-term-definition">
          <strong>{term.term}:</strong> {term.definition}
        </span>
      )}
    </>
  );
}

export function GlossaryText({
  text,
  walkthrough,
  step,
  paragraph,
}: {
  text: string;
  walkthrough: string;
  step: string;
  paragraph: number;
}) {
  const segments = linkTerms(text, { walkthrough, step, paragraph }, glossary.terms, PLACES);
  return (
    <p>
      {segments.map((s, i) =>
        s.term ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments of one fixed paragraph
          <Term key={i} text={s.text} term={s.term} />
        ) : (
          s.text
        ),
      )}
    </p>
  );
}
