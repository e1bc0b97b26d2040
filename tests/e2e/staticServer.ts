import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/**
 * The plainest static host: files of a folder under a sub-path, no rewrites, no special headers unless
 * asked. Used to show the build needs nothing more, and to cut the network (close) or ship a "new build"
 * (rewrite) in offline and update tests. Loopback only.
 */
export interface StaticServer {
  /** The app's URL, ending in the mount path with its slash. */
  url: string;
  /** Every path requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export interface StaticServerOptions {
  mount?: string;
  headers?: Record<string, string>;
  /** Changes a file's bytes on the way out (a new build); returning null answers 404. */
  rewrite?: (path: string, bytes: Buffer) => Buffer | null;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
};

export async function serveStatic(root: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const mount = options.mount ?? '/some/sub/path/';
  const requests: string[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (path === mount.slice(0, -1)) {
      res.writeHead(301, { location: mount }).end();
      return;
    }
    if (!path.startsWith(mount) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    const relative = path.slice(mount.length) || 'index.html';
    const file = normalize(join(root, relative));
    if (!file.startsWith(normalize(root) + sep) || !(await stat(file).catch(() => null))?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    let bytes: Buffer | null = await readFile(file);
    if (options.rewrite) bytes = options.rewrite(relative, bytes);
    if (bytes === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': bytes.length,
      'cache-control': 'no-cache',
      ...options.headers,
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
