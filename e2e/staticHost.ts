/**
 * A plain static file server (Node's http, nothing else) serving the build under a
 * sub-path, the way a project site is hosted (`/courses/eda/fanout/`). Pages opened with
 * `openApp(..., { mountAt })` are served by one, and so is the service worker's own
 * traffic, which no page route could reach. `deploy()` changes what `sw.js` says, as a
 * new deployment would.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

export interface StaticHost {
  /** The app's root on this server, e.g. `http://127.0.0.1:40123/courses/eda/fanout/`. */
  url: string;
  /** A new deployment: `sw.js` names a new build from now on. */
  deploy(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

/** Serves the build (`E2E_OUTDIR`, default `dist`) below `mount` on a free loopback port. */
export async function staticHost(mount: string): Promise<StaticHost> {
  const prefix = `/${mount.replace(/^\/+|\/+$/g, '')}/`;
  const root = resolve(import.meta.dirname, '..', process.env.E2E_OUTDIR ?? 'dist');
  let deployment = 0;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    const file = normalize(join(root, path.slice(prefix.length) || 'index.html'));
    const target = file.endsWith('/') || file === root ? join(file, 'index.html') : file;
    if (!target.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(target).then(
      (body) => {
        let out: Buffer | string = body;
        if (target.endsWith('sw.js') && deployment > 0) {
          out = body
            .toString('utf8')
            .replace(/const BUILD_ID = '([^']+)'/, `const BUILD_ID = '$1-deploy${deployment}'`);
        }
        res.writeHead(200, {
          'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
          'cache-control': 'no-cache',
        });
        res.end(out);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    deploy() {
      deployment++;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
