import { createReadStream, mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, sep } from 'node:path';
import type { FixturePackage } from './fixture-package';

/**
 * A lookaside cache laid out as Fedora's (`<pkg>/<filename>/sha512/<hash>/<filename>` under `root`) and a
 * static HTTP server for it, at `/repo/pkgs/` as on src.fedoraproject.org.
 */
export function writeLookaside(root: string, pkg: FixturePackage): void {
  for (const entry of pkg.sourcesEntries) {
    const folder = join(root, pkg.name, entry.filename, 'sha512', entry.hash);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, entry.filename), pkg.downloads.get(entry.filename) ?? Buffer.alloc(0));
  }
}

export interface LookasideServer {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** The `lookaside-base-uri` for this server. */
  readonly template: string;
  close(): Promise<void>;
}

const PREFIX = '/repo/pkgs/';

/**
 * Serves the files under `root` on 127.0.0.1 (`port` 0 picks a free one): GET and HEAD only, paths that
 * resolve outside `root` (`..`, symbolic links) or to anything but a regular file are 404.
 */
export async function startLookasideServer(root: string, port = 0): Promise<LookasideServer> {
  const base = realpathSync(root);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = path.startsWith(PREFIX) ? resolveInside(base, path.slice(PREFIX.length)) : undefined;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || file === undefined) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file.path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${bound}`;
  return {
    base: url,
    template: `${url}${PREFIX}$pkg/$filename/$hashtype/$hash/$filename`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function resolveInside(base: string, relative: string): { path: string; size: number } | undefined {
  try {
    const path = realpathSync(join(base, relative));
    if (!path.startsWith(base + sep)) return undefined;
    const stat = statSync(path);
    return stat.isFile() ? { path, size: stat.size } : undefined;
  } catch {
    return undefined;
  }
}
