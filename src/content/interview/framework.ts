/** The answer framework, follow-ups and seniority levels (framework.json), validated at load. */
import { type Framework, frameworkSchema } from '../learnPathsSchema';
import { parseContent } from '../learnSchema';
import frameworkJson from './framework.json';

export const framework: Framework = parseContent(
  'interview/framework.json',
  frameworkSchema,
  frameworkJson,
);
