/**
 * Learning paths (a 45-minute class, a beginner's route, an interview in an hour) and the
 * glossary the beginner's path links to. JSON beside this file and in ../lessons,
 * validated at load; loaded lazily with the learn views.
 */
import glossaryJson from '../lessons/glossary.json';
import {
  type Glossary,
  glossarySchema,
  type LearningPath,
  pathBankSchema,
} from '../learnPathsSchema';
import { parseContent } from '../learnSchema';
import pathsJson from './paths.json';

export const paths: LearningPath[] = parseContent(
  'paths/paths.json',
  pathBankSchema,
  pathsJson,
).paths;

export const glossary: Glossary = parseContent(
  'lessons/glossary.json',
  glossarySchema,
  glossaryJson,
);

export function findPath(id: string): LearningPath | undefined {
  return paths.find((p) => p.id === id);
}
