import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The key name Azure gives a namespace's first shared access policy; the local broker's key goes by it too. */
export const LOCAL_BROKER_KEY_NAME = 'RootManageSharedAccessKey';

/**
 * The local broker's shared access key (its TLS endpoint checks SAS tokens signed with it): generated on the
 * first run, 32 random bytes in base64 as Azure's keys are, and kept in the data folder (mode 0600) so
 * connection strings handed out stay valid across restarts.
 */
export function localBrokerKey(dataDir: string): string {
  const dir = join(dataDir, 'servicebus');
  const path = join(dir, 'shared-access-key');
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored) return stored;
  }
  const key = randomBytes(32).toString('base64');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}
