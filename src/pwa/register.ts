/**
 * Registers the offline service worker (`sw.js` beside index.html, so its scope is the
 * app's own folder on any sub-path) and reports when a newer build is installed and
 * waiting. Accepting the update tells the waiting worker to take over, then reloads once.
 *
 * Only in a production build served over http(s): the dev server has no sw.js.
 */
export interface ServiceWorkerHooks {
  /** A new version is installed; call `apply` to switch to it (the page reloads). */
  onUpdate(apply: () => void): void;
}

/** How often an open page asks the server whether a new build is deployed. */
const CHECK_EVERY_MS = 30 * 60 * 1000;

export function registerServiceWorker(hooks: ServiceWorkerHooks): () => void {
  if (
    !import.meta.env.PROD ||
    !('serviceWorker' in navigator) ||
    !/^https?:$/.test(location.protocol)
  )
    return () => {};
  const container = navigator.serviceWorker;
  let stopped = false;
  let reloading = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let onVisible: (() => void) | undefined;

  const offer = (worker: ServiceWorker) => {
    hooks.onUpdate(() => {
      reloading = true;
      worker.postMessage({ type: 'SKIP_WAITING' });
    });
  };
  // The first worker also takes control (clients.claim); only a switch the learner asked for reloads.
  const onControllerChange = () => {
    if (reloading) location.reload();
  };
  container.addEventListener('controllerchange', onControllerChange);

  container
    .register('./sw.js', { scope: './' })
    .then((registration) => {
      if (stopped) return;
      const watch = (worker: ServiceWorker | null) => {
        worker?.addEventListener('statechange', () => {
          // Installed while another version controls the page: that is an update.
          if (worker.state === 'installed' && container.controller) offer(worker);
        });
      };
      if (registration.waiting && container.controller) offer(registration.waiting);
      watch(registration.installing);
      registration.addEventListener('updatefound', () => watch(registration.installing));
      const check = () => {
        registration.update().catch(() => {
          // Offline or the server is away: try again later.
        });
      };
      timer = setInterval(check, CHECK_EVERY_MS);
      onVisible = () => {
        if (document.visibilityState === 'visible') check();
      };
      document.addEventListener('visibilitychange', onVisible);
    })
    .catch(() => {
      // No service worker (private mode, file server without sw.js): the app works online as before.
    });

  return () => {
    stopped = true;
    container.removeEventListener('controllerchange', onControllerChange);
    if (timer) clearInterval(timer);
    if (onVisible) document.removeEventListener('visibilitychange', onVisible);
  };
}
