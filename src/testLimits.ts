/**
 * Loaded before every unit test file (vite.config.ts `setupFiles`). Testing Library's
 * `findBy…` and `waitFor` give up after 1 s of wall clock by default; a lazily loaded
 * panel on a busy 2-core machine can take longer than that to import. They poll and
 * return as soon as the element is there, so a longer limit costs nothing when the test
 * passes and only catches a real hang: tests still never wait for time to pass.
 */
import { configure } from '@testing-library/dom';
import fc from 'fast-check';

configure({ asyncUtilTimeout: 10_000 });

/**
 * Property tests draw the same random scenarios on every run, so `npm test` (and CI)
 * passes or fails the same way each time. To explore new ones, run with `FC_SEED=random`
 * (or a number); a failure prints its seed and counterexample to replay. A test that
 * passes its own `seed` keeps it.
 */
const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20_261_202 });
