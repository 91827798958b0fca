// @vitest-environment happy-dom
/**
 * A quiz round as a learner plays it, driven by role: start a round, reveal the answer,
 * grade yourself; the question comes back only when the schedule says, with the clock
 * injected. Paths open what they name, and a glossary term opens its definition where
 * the beginner first reads it.
 */
import '../canvas/testSetup';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { questions } from '../../content/interview';
import { walkthroughs } from '../../content/lessons';
import { findPath, glossary } from '../../content/paths';
import { firstPlaces, readingOrder } from '../../learn/glossaryLinks';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { PathsSection } from './PathsSection';
import { QuizSection } from './QuizSection';
import { WalkthroughView } from './WalkthroughView';

afterEach(() => cleanup());

const DAY = 24 * 60 * 60_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

async function playground() {
  const pg = createHeadlessPlayground({ playing: false });
  await pg.ready;
  return pg;
}

describe('quiz round', () => {
  it('reveal, self-score, and the question comes back when it is due', async () => {
    const pg = await playground();
    let now = T0;
    const clock = () => now;
    const view = render(
      <PlaygroundProvider playground={pg} loop={false}>
        <QuizSection clock={clock} />
      </PlaygroundProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Start a quiz round' }));
    const first = questions[0]?.question ?? '';
    const card = screen.getByRole('article', { name: /Question 1 of 5/ });
    expect(within(card).getByRole('heading', { name: first })).toBeTruthy();
    // No model answer before the learner asks for it.
    expect(within(card).queryByText(questions[0]?.answer[0] ?? '')).toBeNull();
    fireEvent.click(within(card).getByRole('button', { name: 'Show the answer' }));
    expect(within(card).getByText(questions[0]?.answer[0] ?? '')).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: /^Good:/ }));
    const id = questions[0]?.id ?? '';
    expect(pg.progress.getState().quiz[id]).toMatchObject({ box: 1, due: T0 + DAY });
    // Grade the rest of the round "again".
    for (let i = 2; i <= 5; i++) {
      const c = screen.getByRole('article', { name: new RegExp(`Question ${i} of 5`) });
      fireEvent.click(within(c).getByRole('button', { name: 'Show the answer' }));
      fireEvent.click(within(c).getByRole('button', { name: /^Again:/ }));
    }
    expect(screen.getByRole('status').textContent).toContain('5 questions graded');

    // Twenty minutes later: the four missed are due, the known one is not.
    now = T0 + 20 * 60_000;
    view.rerender(
      <PlaygroundProvider playground={pg} loop={false}>
        <QuizSection clock={clock} />
      </PlaygroundProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Start another round' }));
    const second = screen.getByRole('article', { name: /Question 1 of/ });
    expect(within(second).getByRole('heading').textContent).toBe(questions[1]?.question);
    expect(second.getAttribute('aria-label')).toMatch(/of 9$/);

    // A day later the first question is due again.
    now = T0 + DAY;
    view.rerender(
      <PlaygroundProvider playground={pg} loop={false}>
        <QuizSection clock={clock} />
      </PlaygroundProvider>,
    );
    expect(screen.getByTestId('quiz-stats').textContent).toContain('5 due');
    pg.dispose();
  });
});

describe('paths', () => {
  it('the 45-minute class opens its first walkthrough from its first part', async () => {
    const pg = await playground();
    render(
      <PlaygroundProvider playground={pg} loop={false}>
        <PathsSection />
      </PlaygroundProvider>,
    );
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Open A 45-minute class, part 1: The chain and its limits',
      }),
    );
    expect(pg.progress.getState().active).toEqual({ kind: 'walkthrough', id: 'request-chains' });
    expect(screen.getAllByRole('list', { name: /^Questions for:/ }).length).toBeGreaterThan(5);
    pg.dispose();
  });
});

describe('glossary links', () => {
  it('a term is a button where a beginner first reads it, and opens its definition', async () => {
    const pg = await playground();
    const places = firstPlaces(glossary.terms, readingOrder(walkthroughs, findPath('beginner')));
    const place = places.get('offset');
    const w = walkthroughs.find((x) => x.id === place?.walkthrough);
    if (!w || !place) throw new Error('offset is never explained');
    const index = w.steps.findIndex((s) => s.id === place.step);
    const learn = pg.progress.getState();
    learn.startWalkthrough(w.id);
    learn.setPreparedFor(`${w.id}:${index}`);
    learn.goToStep(w.id, index);
    render(
      <PlaygroundProvider playground={pg} loop={false}>
        <WalkthroughView walkthrough={w} />
      </PlaygroundProvider>,
    );
    const term = screen.getByRole('button', { name: /^offsets?$/i });
    expect(term.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(term);
    expect(term.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('note').textContent).toMatch(/^Offset:/);
    pg.dispose();
  });
});
