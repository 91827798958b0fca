/**
 * Vite plugin: writes `sw.js` (the offline service worker, from src/pwa/sw.js) into the
 * build output once everything else is written. It precaches every built file and is
 * named by a digest of their contents, so each new deployment is a new worker and the
 * page can offer "Update available — reload". No dependency, nothing downloaded.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { precacheable, serviceWorkerText } from '../src/pwa/precache.ts';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

export function serviceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'fanout:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      const files = filesUnder(outDir)
        .map((path) => relative(outDir, path).split('\\').join('/'))
        .filter(precacheable)
        .sort();
      const digest = createHash('sha256');
      for (const file of files) digest.update(file).update(readFileSync(join(outDir, file)));
      const template = readFileSync(resolve(config.root, 'src/pwa/sw.js'), 'utf8');
      writeFileSync(
        join(outDir, 'sw.js'),
        serviceWorkerText(template, files, digest.digest('hex').slice(0, 16)),
      );
    },
  };
}
