import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, expectNoPageErrors, openPage } from './browser';

describe('smoke', () => {
  it('shows the Fanout page without errors or accessibility violations', async () => {
    const opened = await openPage('/');
    const { page } = opened;

    expect(await page.title()).toBe('Fanout');
    const heading = page.getByRole('heading', { level: 1, name: 'Fanout' });
    await heading.waitFor({ state: 'visible' });
    expect(await heading.isVisible()).toBe(true);

    expectNoPageErrors(opened);
    await expectNoAxeViolations(page);
  });

  it('runs when hosted under a sub-path', async () => {
    const opened = await openPage('/', { mountAt: '/some/where/' });
    const { page } = opened;

    expect(new URL(page.url()).pathname).toBe('/some/where/');
    await page.getByRole('heading', { level: 1, name: 'Fanout' }).waitFor({ state: 'visible' });
    expectNoPageErrors(opened);
  });
});
