/**
 * The walkthroughs, in course order, and the decision checklist. Each is a JSON file
 * beside this one, found by its name, so a new lesson needs no code. Validated at load:
 * a file that does not match the schema is a bug in this repository and stops the learn
 * views with its path (the content tests catch it first). Loaded lazily with the learn
 * views, never in the initial bundle.
 */
import {
  type Checklist,
  checklistSchema,
  parseContent,
  type Walkthrough,
  walkthroughSchema,
} from '../learnSchema';
import checklistJson from './checklist.json';

/**
 * File name -> contents of every walkthrough file (`NN-name.json`): adding a lesson is
 * adding a file. Course order comes from each file's `number`.
 */
export const walkthroughFiles: ReadonlyArray<readonly [string, unknown]> = Object.entries(
  import.meta.glob<unknown>('./[0-9]*.json', { eager: true, import: 'default' }),
)
  .map(([path, json]) => [path.replace(/^\.\/|\.json$/g, ''), json] as const)
  .sort(([a], [b]) => a.localeCompare(b));

export const walkthroughs: Walkthrough[] = walkthroughFiles
  .map(([file, json]) => parseContent(`lessons/${file}.json`, walkthroughSchema, json))
  .sort((a, b) => a.number - b.number);

export const checklist: Checklist = parseContent(
  'lessons/checklist.json',
  checklistSchema,
  checklistJson,
);

export function findWalkthrough(id: string): Walkthrough | undefined {
  return walkthroughs.find((w) => w.id === id);
}
