import { useState } from 'react';
import { PlaygroundProvider } from '../store/context';
import { EmbedView } from './embed/EmbedView';
import { LearnProvider } from './learn/LearnContext';
import { Playground } from './layout/Playground';
import { PresenterLayer } from './presenter/PresenterLayer';
import { bootPlayground } from './share/boot';
import { ShareLayer } from './share/ShareLayer';

/**
 * The setup the page opens with (share/boot.ts): a share link's `#setup=`, else the saved
 * session, else the URL parameters, bad ones named in one message. `?embed=1` shows the
 * embed view: canvas and minimal controls.
 */
export function App() {
  const [boot] = useState(bootPlayground);
  return (
    <PlaygroundProvider store={boot.store}>
      {boot.embed ? (
        <EmbedView />
      ) : (
        <>
          <LearnProvider>
            <Playground />
          </LearnProvider>
          <ShareLayer storage={boot.storage} />
          <PresenterLayer />
        </>
      )}
    </PlaygroundProvider>
  );
}
