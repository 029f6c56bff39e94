import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The local host's function key: `AZL_FUNCTION_KEY` when set, otherwise one generated on the first run and
 * kept in the data folder, so scripts and bookmarks keep working across restarts.
 */
export function localFunctionKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.AZL_FUNCTION_KEY?.trim();
  if (fromEnv) return fromEnv;
  const path = join(dataDir, 'function-key');
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored) return stored;
  }
  const key = randomBytes(24).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}
