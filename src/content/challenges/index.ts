/**
 * The challenges, easy to hard. Each is a JSON file beside this one, validated at load
 * (the content tests grade each one's default settings, which must fail, and its stored
 * solution, which must pass). Loaded lazily with the learn views.
 */
import { type Challenge, challengeSchema, parseContent } from '../learnSchema';

/** File name -> contents of every challenge file: adding a challenge is adding a file. */
export const challengeFiles: ReadonlyArray<readonly [string, unknown]> = Object.entries(
  import.meta.glob<unknown>('./*.json', { eager: true, import: 'default' }),
)
  .map(([path, json]) => [path.replace(/^\.\/|\.json$/g, ''), json] as const)
  .sort(([a], [b]) => a.localeCompare(b));

export const challenges: Challenge[] = challengeFiles
  .map(([file, json]) => parseContent(`challenges/${file}.json`, challengeSchema, json))
  .sort((a, b) => a.order - b.order);

export function findChallenge(id: string): Challenge | undefined {
  return challenges.find((c) => c.id === id);
}
