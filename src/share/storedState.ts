/**
 * The learner's session saved in the browser (localStorage), so a reload or a closed tab
 * does not lose it. One key, `fanout:session`, holds the setup in its file shape plus
 * when it was saved. Walkthrough progress and other features keep their own keys.
 */
import { fail, ok, type Result } from './result';
import { type BuildCheck, readSetup, type Setup, setupToJson } from './setup';

export const SESSION_KEY = 'fanout:session';
export const SESSION_FORMAT = 1;
/** A saved session larger than this is not read (localStorage holds ~5 MB in all). */
export const MAX_SESSION_CHARS = 2_000_000;

export interface StoredSession {
  setup: Setup;
  /** Wall-clock time of the save (ms since 1970), when known. */
  savedAt: number | null;
}

/** The text to store for `setup`. `savedAt` comes from the caller: this module has no clock. */
export function sessionText(setup: Setup, savedAt: number): string {
  return JSON.stringify({
    fanout_session: SESSION_FORMAT,
    saved_at: savedAt,
    setup: setupToJson(setup),
  });
}

/**
 * Read what `sessionText` wrote. `null` when nothing was saved; otherwise the session, or
 * one message saying why it cannot be restored. Never throws.
 */
export function readSession(
  text: string | null | undefined,
  builds?: BuildCheck,
): Result<StoredSession> | null {
  if (text === null || text === undefined || text === '') return null;
  const unreadable = (why: string) =>
    fail<StoredSession>(`Your saved session could not be restored: ${why}.`);
  try {
    if (text.length > MAX_SESSION_CHARS)
      return unreadable('it is larger than any session Fanout saves');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return unreadable('it is damaged (not valid JSON)');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return unreadable('it is damaged');
    const v = value as Record<string, unknown>;
    if (typeof v.fanout_session === 'number' && v.fanout_session > SESSION_FORMAT) {
      return unreadable('it was saved by a newer version of Fanout');
    }
    if (v.fanout_session !== SESSION_FORMAT) return unreadable('it is damaged (no session format)');
    const setup = readSetup(v.setup, 'It', builds);
    if (!setup.ok)
      return unreadable(
        setup.details ? setup.message : setup.message.replace(/^It /, 'it ').replace(/\.$/, ''),
      );
    const savedAt =
      typeof v.saved_at === 'number' && Number.isFinite(v.saved_at) ? v.saved_at : null;
    return ok({ setup: setup.value, savedAt });
  } catch (error) {
    return unreadable(
      `it could not be read (${error instanceof Error ? error.message.slice(0, 80) : 'unknown error'})`,
    );
  }
}
