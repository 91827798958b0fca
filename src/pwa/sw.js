/*
 * Fanout's service worker: after the first visit the playground opens offline.
 *
 * This file is a template: the build (scripts/serviceWorkerPlugin.ts) replaces the two
 * placeholders with the list of built files and a digest of their contents, and writes
 * the result to `sw.js` beside index.html. A new deployment therefore ships a different
 * sw.js; the browser installs it in the background and the page offers to reload.
 *
 * Every path is relative to the worker's own scope, so the app works from any sub-path.
 */
const BUILD_ID = '__FANOUT_BUILD_ID__';
const FILES = __FANOUT_PRECACHE__;
const CACHE = `fanout-precache-${BUILD_ID}`;
const CACHE_PREFIX = 'fanout-precache-';

const scope = new URL(self.registration.scope);
const precached = new Set(FILES.map((file) => new URL(file, scope).href));
const indexUrl = new URL('index.html', scope).href;

self.addEventListener('install', (event) => {
  // `cache: 'reload'`: fetch past the HTTP cache, so the precache is this build's files.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll([...precached].map((url) => new Request(url, { cache: 'reload' }))),
      ),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The page asks for this when the learner accepts "Update available — reload".
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin) return;
  url.hash = '';
  let key = null;
  if (
    request.mode === 'navigate' &&
    (url.pathname === scope.pathname || url.href.split('?')[0] === indexUrl)
  ) {
    // The playground page itself, whatever its query (?scenario=..., ?embed=1).
    key = indexUrl;
  } else {
    url.search = '';
    if (precached.has(url.href)) key = url.href;
  }
  // Anything else (not part of this build) goes to the network as usual.
  if (key === null) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(key))
      .then((hit) => hit || fetch(request)),
  );
});
