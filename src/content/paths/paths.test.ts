/**
 * Paths and the glossary: the three paths are there with the right length, every
 * walkthrough, challenge and drill they name exists, and every glossary term is linked
 * where a beginner first reads it.
 */
import { describe, expect, it } from 'vitest';
import { firstPlaces, linkTerms, readingOrder } from '../../learn/glossaryLinks';
import { challenges } from '../challenges';
import { drills } from '../interview';
import { walkthroughs } from '../lessons';
import { findPath, glossary, paths } from './index';

describe('learning paths', () => {
  it('a 45-minute class, a beginner path and an interview in an hour', () => {
    expect(findPath('class-45')?.minutes).toBe(45);
    expect(findPath('interview-hour')?.minutes).toBe(60);
    expect(findPath('beginner')).toBeDefined();
    expect(paths.length).toBeGreaterThanOrEqual(3);
  });

  it.each(paths.flatMap((p) => p.items.map((i, k) => [`${p.id} item ${k + 1}`, i] as const)))(
    '%s names something that exists',
    (_where, item) => {
      if (item.kind === 'walkthrough') expect(walkthroughs.map((w) => w.id)).toContain(item.ref);
      if (item.kind === 'challenge') expect(challenges.map((c) => c.id)).toContain(item.ref);
      if (item.kind === 'drill') expect(drills.map((d) => d.id)).toContain(item.ref);
    },
  );

  it('the class track is what a teacher projects: every part says what to show and what to ask', () => {
    for (const item of findPath('class-45')?.items ?? []) {
      expect(item.project, item.title).toBeDefined();
      expect(item.prompts.length, item.title).toBeGreaterThan(0);
    }
    expect(findPath('class-45')?.items[0]?.kind).toBe('walkthrough');
  });
});

describe('glossary', () => {
  const order = readingOrder(walkthroughs, findPath('beginner'));
  const places = firstPlaces(glossary.terms, order);
  const beginnerWalkthroughs = new Set(
    findPath('beginner')
      ?.items.filter((i) => i.kind === 'walkthrough')
      .map((i) => i.ref),
  );

  it('has the terms a beginner meets first', () => {
    const ids = glossary.terms.map((t) => t.id);
    for (const required of [
      'ack',
      'offset',
      'consumer-group',
      'partition',
      'dlq',
      'idempotency',
      'back-pressure',
    ])
      expect(ids).toContain(required);
  });

  it.each(glossary.terms.map((t) => [t.id, t] as const))(
    '%s is linked where it first appears on the beginner path',
    (id, term) => {
      const place = places.get(id);
      expect(place, `${term.term} never appears in the narration`).toBeDefined();
      if (!place) return;
      expect(beginnerWalkthroughs.has(place.walkthrough)).toBe(true);
      const w = walkthroughs.find((x) => x.id === place.walkthrough);
      const paragraph = w?.steps.find((s) => s.id === place.step)?.say[place.paragraph] ?? '';
      const segments = linkTerms(paragraph, place, glossary.terms, places);
      expect(segments.filter((s) => s.term?.id === id)).toHaveLength(1);
      expect(segments.map((s) => s.text).join('')).toBe(paragraph);
    },
  );
});
