import { existsSync } from 'node:fs';
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
