// @vitest-environment happy-dom
/**
 * No answer on screen before its prediction: for every prediction of every walkthrough,
 * the strip, the metrics panel (report table and charts) and the step's own numbers show
 * "hidden until you predict" instead of each figure the prediction asks about, and the
 * number itself is not in the page; once the prediction is locked in and revealed, the
 * figures come back.
 */
import '../canvas/testSetup';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Predict, Step, Walkthrough } from '../../content/learnSchema';
import { walkthroughs } from '../../content/lessons';
import { concealedFigures } from '../../learn/conceal';
import { sidesOf } from '../../run/modes';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { CONCEALED_LABEL } from '../../store/learn';
import type { Playground } from '../../store/playground';
import { CompareStrip } from '../compare/CompareStrip';
import { MetricsPanel } from '../metrics';
import { WalkthroughView } from './WalkthroughView';

vi.mock('uplot', () => ({
  default: class {
    width = 300;
    setData = vi.fn();
    setSize = vi.fn();
    destroy = vi.fn();
  },
}));

afterEach(() => cleanup());

/** Strip column and report row of each figure key (where the screen has one). */
const STRIP_COLUMN: Record<string, string> = {
  succeeded: 'ok',
  failed: 'failed',
  p50: 'p50',
  p99: 'p99',
  completed: 'completed',
  waiting: 'waiting',
  lost: 'lost',
  duplicates: 'dup',
};
const REPORT_ROW: Record<string, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  p50: 'p50',
  p99: 'p99',
  completed: 'completed',
  waiting: 'in_queue',
  lost: 'lost',
  duplicates: 'duplicates',
  pending: 'pending',
  in_flight: 'in_flight',
  redelivered: 'redelivered',
  dead_lettered: 'dead_lettered',
  never_published: 'never_published',
  phantom: 'phantom',
  republished: 'republished',
};

const predictSteps = walkthroughs.flatMap((w) =>
  w.steps.flatMap((s, i) => (s.predict ? [[`${w.id}/${s.id}`, w, i] as const] : [])),
);

async function openStep(w: Walkthrough, index: number): Promise<Playground> {
  const pg = createHeadlessPlayground({ playing: false });
  await pg.ready;
  await pg.learning.fastForward(w.steps, index);
  const learn = pg.progress.getState();
  learn.startWalkthrough(w.id);
  learn.goToStep(w.id, index);
  learn.setPreparedFor(`${w.id}:${index}`);
  return pg;
}

function expectHidden(cell: Element | null, where: string): void {
  expect(cell, where).not.toBeNull();
  expect(cell?.getAttribute('data-concealed'), where).toBe('true');
  expect(cell?.textContent, `${where}: no number in the page`).toBe('?');
  expect(
    within(cell as HTMLElement)
      .getByRole('img')
      .getAttribute('aria-label'),
  ).toBe(CONCEALED_LABEL);
}

describe('no prediction answer is visible before the prediction', () => {
  it('every walkthrough asks for at least two predictions', () => {
    for (const w of walkthroughs)
      expect(
        w.steps.filter((s) => s.predict).length,
        `${w.id}: predict-then-reveal steps`,
      ).toBeGreaterThanOrEqual(2);
  });

  it('every prediction hides at least one figure it asks about', () => {
    for (const [where, w, i] of predictSteps) {
      const figures = concealedFigures((w.steps[i] as Step).predict as Predict);
      expect(figures.length, where).toBeGreaterThan(0);
    }
  });

  it.each(predictSteps)(
    '%s: the strip, the metrics panel and the step hide the answer until it is revealed',
    async (_where, w, index) => {
      const step = w.steps[index] as Step;
      const predict = step.predict as Predict;
      const pg = await openStep(w, index);
      render(
        <PlaygroundProvider playground={pg} loop={false}>
          <CompareStrip />
          <MetricsPanel />
          <WalkthroughView walkthrough={w} />
        </PlaygroundProvider>,
      );
      const table = await screen.findByTestId('report-table');
      const figures = concealedFigures(predict);
      const visible = sidesOf(pg.getState().mode);
      let hidden = 0;
      for (const figure of figures) {
        const [side, key] = figure.split(':') as [string, string];
        for (const s of visible) {
          if (side !== '*' && side !== s) continue;
          const column = STRIP_COLUMN[key];
          if (column) {
            expectHidden(
              document.querySelector(`.strip tr[data-side="${s}"] td[data-metric="${column}"]`),
              `${figure} on the strip (${s})`,
            );
            hidden++;
          }
          const row = REPORT_ROW[key];
          const cell = row && table.querySelector(`tr[data-key="${row}"] td[data-side="${s}"]`);
          if (cell && !(s === 'chain' && cell.textContent === '–')) {
            expectHidden(cell, `${figure} in the report table (${s})`);
            hidden++;
          }
        }
      }
      // The canvas cannot be re-rendered here: its numbers are blurred by a page-wide mark.
      expect(document.documentElement.dataset.concealing ?? '').not.toBe('');
      expect(screen.getAllByRole('img', { name: CONCEALED_LABEL }).length).toBeGreaterThan(0);

      // Lock in an answer and reveal: the figures come back.
      const learn = pg.progress.getState();
      act(() => {
        learn.recordPrediction(w.id, step.id, predict.options ? (predict.options[0]?.id ?? '') : 1);
      });
      const result = await pg.learning.reveal(predict);
      act(() => learn.recordReveal(w.id, step.id, result));
      expect(document.querySelector('.strip [data-concealed]')).toBeNull();
      expect(table.querySelector('[data-concealed]')).toBeNull();
      expect(document.documentElement.dataset.concealing).toBeUndefined();
      if (hidden === 0) {
        // Asks about something the strip and table do not show (e.g. one order's span):
        // then the step's own numbers were the only place, and they are back too.
        expect(screen.queryAllByRole('img', { name: CONCEALED_LABEL })).toHaveLength(0);
      }
      pg.dispose();
    },
  );
});
