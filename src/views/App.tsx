import { lazy, Suspense } from 'react';
import { PlaygroundProvider } from '../store/context';
import type { Page } from '../page';
import { ErrorBoundary } from './layout/ErrorBoundary';
import { LearnProvider } from './learn/LearnContext';
import { MotionProvider } from './motion/MotionProvider';
import { Playground } from './layout/Playground';
import { PresenterLayer } from './presenter/PresenterLayer';
import { ShareLayer } from './share/ShareLayer';

/** Only an iframe with `?embed=1` needs it (and the link writer it brings). */
const EmbedView = lazy(() => import('./embed/EmbedView').then((m) => ({ default: m.EmbedView })));

/**
 * The page: the playground built by `startPage` (src/page.ts), or the embed view with
 * `?embed=1`. A crash anywhere below is caught and offers a fresh start without losing
 * the saved session.
 */
export function App({ page }: { page: Page }) {
  return (
    <ErrorBoundary storage={page.storage}>
      <PlaygroundProvider playground={page.playground}>
        <MotionProvider>
          {page.embed ? (
            <Suspense fallback={null}>
              <EmbedView />
            </Suspense>
          ) : (
            <>
              <LearnProvider>
                <Playground />
              </LearnProvider>
              <ShareLayer storage={page.storage} />
              <PresenterLayer />
            </>
          )}
        </MotionProvider>
      </PlaygroundProvider>
    </ErrorBoundary>
  );
}
