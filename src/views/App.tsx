import { PlaygroundProvider } from '../store/context';
import type { Page } from '../page';
import { EmbedView } from './embed/EmbedView';
import { ErrorBoundary } from './layout/ErrorBoundary';
import { LearnProvider } from './learn/LearnContext';
import { MotionProvider } from './motion/MotionProvider';
import { Playground } from './layout/Playground';
import { PresenterLayer } from './presenter/PresenterLayer';
import { ShareLayer } from './share/ShareLayer';

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
            <EmbedView />
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
