/**
 * The editor's form parts: a labelled field with the problems the schema finds at its path
 * written below it (and linked for screen readers), and the hooks that pick those problems.
 */
import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PlacedProblem } from '../../store/draft';
import { useEditor } from './useEditor';

/** A number field's text as a draft value: empty is "not set" (the schema says if it must be). */
export const numberOf = (text: string): number | undefined =>
  text.trim() === '' ? undefined : Number(text);

const under = (p: PlacedProblem, head: string) =>
  p.field === head || p.field.startsWith(`${head}.`) || p.field.startsWith(`${head}[`);

/** Every problem of `service` (null: the system's), as objects; a component picks the fields it shows. */
export function usePlacedProblems(service: string | null): PlacedProblem[] {
  return useEditor(useShallow((s) => s.problems.filter((p) => p.service === service)));
}

export const textsAt = (problems: readonly PlacedProblem[], match: (field: string) => boolean) =>
  problems.filter((p) => match(p.field)).map((p) => p.text);

/** The draft's services as [id, name] pairs (name, or the id while the name is empty). */
export function useServiceNames(): [string, string][] {
  const services = useEditor(useShallow((s) => s.draft.services));
  return services.map((x) => [x.id, x.name || x.id]);
}

/** Problems of one field: `head` is the first key under the service (or the scenario path). */
export function useFieldProblems(service: string | null, head: string): string[] {
  return useEditor(
    useShallow((s) =>
      s.problems.filter((p) => p.service === service && under(p, head)).map((p) => p.text),
    ),
  );
}

export function FieldProblems({ id, problems }: { id: string; problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <ul id={id} className="edit-field-problems">
      {problems.map((t) => (
        <li key={t}>
          <span aria-hidden="true">⚠ </span>
          {t}
        </li>
      ))}
    </ul>
  );
}

/** A labelled input with its problems below it, linked for screen readers. */
export function Field({
  label,
  problems,
  children,
}: {
  label: string;
  problems: string[];
  children: (props: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => React.ReactNode;
}) {
  const id = useId();
  const problemsId = useId();
  const bad = problems.length > 0;
  return (
    <div className="edit-field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': bad, 'aria-describedby': bad ? problemsId : undefined })}
      <FieldProblems id={problemsId} problems={problems} />
    </div>
  );
}

/** A number field (empty reads as no number), with its problems below it. */
export function NumberField({
  label,
  problems,
  value,
  onChange,
  ...limits
}: {
  label: string;
  problems: string[];
  value: number | string;
  onChange: (n: number | undefined) => void;
  min?: number;
  max?: number;
  step?: string;
  placeholder?: string;
}) {
  return (
    <Field label={label} problems={problems}>
      {(p) => (
        <input
          {...p}
          {...limits}
          type="number"
          value={value}
          onChange={(e) => onChange(numberOf(e.target.value))}
        />
      )}
    </Field>
  );
}
