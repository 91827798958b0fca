/**
 * What every reader of outside input in `src/share` returns: a value, or one message a
 * learner can act on (with the details, e.g. one `path: problem` line per mistake).
 * Nothing here throws: a link, a file or a stored session is untrusted text.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; message: string; details?: string[] };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(message: string, details?: string[]): Result<T> {
  return details && details.length > 0 ? { ok: false, message, details } : { ok: false, message };
}

/** A value shown inside a message: short, and never mistaken for the sentence around it. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
