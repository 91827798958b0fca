/**
 * Interview prep: the question bank (each answer linked to a simulator setup that shows
 * it) and the "walk me through it" drills. JSON beside this file, validated at load;
 * loaded lazily with the learn views.
 */
import { findTemplate } from '../templates';
import {
  type Demo,
  type Drill,
  drillBankSchema,
  parseContent,
  type Question,
  questionBankSchema,
  type Topic,
} from '../learnSchema';
import drillsJson from './drills.json';
import questionsJson from './questions.json';

/**
 * A demo that runs on a template of the New gallery carries that template's scenario, so
 * the engine (in its worker, or in tests) can set it up without importing the templates.
 */
function withTemplate(demo: Demo): void {
  const template = findTemplate(demo.setup.scenario);
  if (template && demo.setup.base === undefined) demo.setup.base = template.scenario;
}

export const questions: Question[] = parseContent(
  'interview/questions.json',
  questionBankSchema,
  questionsJson,
).questions;
export const drills: Drill[] = parseContent(
  'interview/drills.json',
  drillBankSchema,
  drillsJson,
).drills;
for (const q of questions) withTemplate(q.demo);
for (const d of drills) for (const p of d.points) withTemplate(p.demo);

export const TOPIC_LABELS: Record<Topic, string> = {
  basics: 'Basics',
  coupling: 'Coupling',
  scalability: 'Scalability',
  performance: 'Performance',
  reliability: 'Reliability',
  delivery: 'Delivery guarantees',
  consistency: 'Consistency',
  operations: 'Operations',
  brokers: 'Brokers',
  judgement: 'When to use it',
};

export function findQuestion(id: string): Question | undefined {
  return questions.find((q) => q.id === id);
}

export function findDrill(id: string): Drill | undefined {
  return drills.find((d) => d.id === id);
}
