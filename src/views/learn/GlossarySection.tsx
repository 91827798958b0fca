/** The glossary: every term the lessons use, in plain words. */
import { glossary } from '../../content/paths';

export function GlossarySection() {
  const terms = [...glossary.terms].sort((a, b) => a.term.localeCompare(b.term));
  return (
    <section className="learn-glossary" aria-label="Glossary">
      <p className="learn-hint">
        Each term is also a link in the walkthrough where a beginner first meets it.
      </p>
      <dl>
        {terms.map((t) => (
          <div key={t.id} id={`glossary-${t.id}`} className="learn-glossary-entry">
            <dt>{t.term}</dt>
            <dd>{t.definition}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
