/**
 * Loaded before every unit test file (vite.config.ts `setupFiles`). Testing Library's
 * `findBy…` and `waitFor` give up after 1 s of wall clock by default; a lazily loaded
 * panel on a busy 2-core machine can take longer than that to import. They poll and
 * return as soon as the element is there, so a longer limit costs nothing when the test
 * passes and only catches a real hang: tests still never wait for time to pass.
 */
import { configure } from '@testing-library/dom';

configure({ asyncUtilTimeout: 10_000 });
