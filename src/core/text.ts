/**
 * Characters that make text show something other than what it says: control
 * characters (a newline in a one-line name, an escape sequence that recolours a
 * terminal), invisible ones, and the bidirectional overrides and isolates that reorder
 * what follows them (a name that reads "Payment" on screen but is "tnemyaP" in the file).
 * Scenario names refuse them; the CLI strips them from whatever it prints from input.
 */

/**
 * C0 and C1 controls (tab and newline included), the Arabic letter mark, zero-width
 * space/joiners and direction marks (U+200B-U+200F), line and paragraph separators,
 * embeddings and overrides (U+202A-U+202E), word joiner to isolates (U+2060-U+2069),
 * the byte-order mark, and interlinear annotation marks.
 */
// Written as a string: the lint rule against control characters in regular expressions
// is right everywhere except here, where finding them is the point.
const HIDDEN_CLASS =
  '[\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u2069\\uFEFF\\uFFF9-\\uFFFB]';
const HIDDEN = new RegExp(HIDDEN_CLASS);
const HIDDEN_ALL = new RegExp(HIDDEN_CLASS, 'g');

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'null'],
  [0x09, 'tab'],
  [0x0a, 'line break'],
  [0x0d, 'carriage return'],
  [0x1b, 'escape'],
  [0x7f, 'delete'],
  [0x061c, 'Arabic letter mark'],
  [0x200b, 'zero-width space'],
  [0x200c, 'zero-width non-joiner'],
  [0x200d, 'zero-width joiner'],
  [0x200e, 'left-to-right mark'],
  [0x200f, 'right-to-left mark'],
  [0x2028, 'line separator'],
  [0x2029, 'paragraph separator'],
  [0x202a, 'left-to-right embedding'],
  [0x202b, 'right-to-left embedding'],
  [0x202c, 'pop directional formatting'],
  [0x202d, 'left-to-right override'],
  [0x202e, 'right-to-left override'],
  [0x2060, 'word joiner'],
  [0x2066, 'left-to-right isolate'],
  [0x2067, 'right-to-left isolate'],
  [0x2068, 'first strong isolate'],
  [0x2069, 'pop directional isolate'],
  [0xfeff, 'byte-order mark'],
]);

/** `U+202E` */
export function codePointLabel(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A character `text` must not contain: where (0-based) and which. */
export interface HiddenCharacter {
  index: number;
  code: number;
  /** `U+202E (right-to-left override)` */
  label: string;
}

/** The first control, invisible or direction-changing character of `text`, if any. */
export function findHiddenCharacter(text: string): HiddenCharacter | undefined {
  const match = HIDDEN.exec(text);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0);
  const kind =
    NAMES.get(code) ?? (code < 0xa0 ? 'control character' : 'invisible formatting character');
  return { index: match.index, code, label: `${codePointLabel(code)} (${kind})` };
}

/** `text` without any of those characters: for terminals and one-line messages. */
export function stripHidden(text: string): string {
  return text.replace(HIDDEN_ALL, '');
}

/** `text` with each of those characters written out as `<U+202E>`, so a message can name it. */
export function showHidden(text: string): string {
  return text.replace(HIDDEN_ALL, (c) => `<${codePointLabel(c.charCodeAt(0))}>`);
}
