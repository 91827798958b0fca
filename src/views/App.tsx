import { useState } from 'react';
import { PlaygroundProvider } from '../store/context';
import type { PlaygroundInit } from '../store/playground';
import { parsePlaygroundUrl } from '../store/urlParams';
import { Playground } from './layout/Playground';

/** The setup the page was opened with: URL parameters, bad ones named in one message. */
function initialSetup(): Partial<PlaygroundInit> {
  const { init, problems } = parsePlaygroundUrl(window.location.search);
  const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  return { ...init, reducedMotion, error: problems.length > 0 ? problems.join(' ') : null };
}

export function App() {
  const [init] = useState(initialSetup);
  return (
    <PlaygroundProvider init={init}>
      <Playground />
    </PlaygroundProvider>
  );
}
