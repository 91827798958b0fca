/**
 * Pure helpers of the service-worker build step (scripts/serviceWorkerPlugin.ts): which
 * built files to precache, and the worker's text with those files and a build id filled in.
 */

/** Files never precached: the worker itself, source maps, and anything hidden. */
export function precacheable(path: string): boolean {
  const name = path.split('/').pop() ?? '';
  return (
    name !== 'sw.js' &&
    !name.endsWith('.map') &&
    !name.startsWith('.') &&
    !path.split('/').some((part) => part.startsWith('.'))
  );
}

/** The worker text: the template with the file list (sorted, `/`-separated) and build id. */
export function serviceWorkerText(
  template: string,
  files: readonly string[],
  buildId: string,
): string {
  if (!/^[A-Za-z0-9_-]+$/.test(buildId))
    throw new Error(`build id must be URL-safe, got "${buildId}"`);
  const list = [...new Set(files.map((f) => f.replace(/\\/g, '/').replace(/^\.?\//, '')))]
    .filter(precacheable)
    .sort();
  if (!template.includes('__FANOUT_PRECACHE__') || !template.includes('__FANOUT_BUILD_ID__')) {
    throw new Error('service worker template lost its placeholders');
  }
  return template
    .replace('__FANOUT_PRECACHE__', JSON.stringify(list))
    .replace('__FANOUT_BUILD_ID__', buildId);
}
