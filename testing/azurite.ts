import { randomBytes } from 'node:crypto';
import { TableServiceClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, inject } from 'vitest';
import { BlobStore, TableStore } from '../infra/storage';

/**
 * Test access to the one Azurite that `testing/azurite-global-setup.ts` starts for the whole vitest run.
 * Test files share it, so each names its containers and tables uniquely and never relies on an empty account.
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

/** The run's Azurite as a block of tests uses it. */
export interface AzuriteAccess {
  readonly connectionString: string;
  readonly tables: TableStore;
  readonly blobs: BlobStore;
  /**
   * A unique table or container name (`uniqueName`) owned by the block: the table and the container of that
   * name, whichever exists, are deleted after the block's tests.
   */
  name(prefix: string): string;
}

/** Stores on the run's Azurite and unique names that are cleaned up after the block's tests. */
export function useAzurite(): AzuriteAccess {
  const connectionString = azuriteConnectionString();
  const owned: string[] = [];
  afterAll(() => deleteTablesAndContainers(connectionString, owned));
  return {
    connectionString,
    tables: new TableStore({ connectionString }),
    blobs: new BlobStore({ connectionString }),
    name: (prefix) => {
      const name = uniqueName(prefix);
      owned.push(name);
      return name;
    },
  };
}

async function deleteTablesAndContainers(connectionString: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const tables = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true });
  const blobs = BlobServiceClient.fromConnectionString(connectionString);
  await Promise.all(
    names.flatMap((name) => [
      tables.deleteTable(name), // a missing table is not an error here
      blobs.getContainerClient(name).deleteIfExists(),
    ]),
  );
}
