import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/**
 * Test access to the one Azurite that `testing/azurite-global-setup.ts` starts for the whole vitest run. Tests share it,
 * so each test names its containers/tables with `uniqueName` and never relies on an empty account.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    azuriteConnectionString: string;
  }
}

export function azuriteConnectionString(): string {
  const value = inject('azuriteConnectionString');
  if (!value) {
    throw new Error("No Azurite: add globalSetup: ['testing/azurite-global-setup.ts'] to the vitest config");
  }
  return value;
}

/**
 * A name valid as both a blob container and a table name (lower-case letters and digits, starts with a letter,
 * 3-63 chars) that no other test uses. `prefix` should be letters only.
 */
export function uniqueName(prefix: string): string {
  const head = prefix.toLowerCase().replace(/[^a-z0-9]/g, '') || 't';
  const start = /^[a-z]/.test(head) ? head : `t${head}`;
  return `${start.slice(0, 40)}${randomBytes(6).toString('hex')}`;
}
