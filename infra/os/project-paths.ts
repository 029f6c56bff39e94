import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root: the nearest folder above this module holding the project's package.json. */
export function projectRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'host.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no project root (package.json with host.json) above ${from}`);
    dir = parent;
  }
}

/** Where local runs keep their data (git-ignored): Azurite's files, the broker journal, endpoints.json. */
export const defaultDataDir = (): string => join(projectRoot(), '.data');

let version: string | undefined;

/** The app's package.json version (user-agents, manifests), read once; `0.0.0` when it cannot be read. */
export function pipelineVersion(): string {
  if (version === undefined) {
    try {
      const manifest = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as {
        version?: unknown;
      };
      version = typeof manifest.version === 'string' ? manifest.version : '0.0.0';
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}
