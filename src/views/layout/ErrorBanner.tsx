import { usePlayground, usePlaygroundApi } from '../../store/context';

/** One clear message about bad input (a URL parameter, an unknown scenario); the app keeps running. */
export function ErrorBanner() {
  const error = usePlayground((s) => s.error);
  const pg = usePlaygroundApi();
  if (!error) return null;
  return (
    <div className="banner" role="alert">
      <span className="banner-text">{error}</span>
      <button type="button" className="button" onClick={() => pg.ui.setError(null)}>
        Dismiss
      </button>
    </div>
  );
}
