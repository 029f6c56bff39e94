import { randomBytes } from 'node:crypto';
import { azuriteAccountConnectionString, startAzurite } from '../infra/local/azurite';
import type { AzuriteHandle } from '../infra/local/azurite';
import { BlobStore, TableStore } from '../infra/storage';
import { useStarted } from './lifecycle';

/** One account of `useTwoAccountAzurite`: its connection string and stores. */
export interface AzuriteAccountAccess {
  readonly name: string;
  readonly connectionString: string;
  readonly blobs: BlobStore;
  readonly tables: TableStore;
}

export interface TwoAccounts {
  /** `devstoreaccount1` with its well-known key: the private account. */
  readonly main: AzuriteAccountAccess;
  /** A second account with its own random key, on the same Azurite: the publishing account. */
  readonly publishing: AzuriteAccountAccess;
}

export const PUBLISHING_ACCOUNT = 'azlpublishing';

/**
 * An in-memory Azurite of the block's own that hosts two real accounts (Azurite's AZURITE_ACCOUNTS), for
 * tests of what lives in which account. Each account has its own key, so neither's credential reads the
 * other's private blobs. Started in the block's `beforeAll` (a few seconds), stopped in its `afterAll`.
 */
export function useTwoAccountAzurite(): () => TwoAccounts {
  const publishingKey = randomBytes(32).toString('base64');
  const started = useStarted(
    'the two-account Azurite',
    () =>
      startAzurite({
        persistence: 'memory',
        extraAccounts: [{ name: PUBLISHING_ACCOUNT, key: publishingKey }],
      }),
    (azurite: AzuriteHandle) => azurite.stop(),
    { startMs: 60_000, stopMs: 15_000 },
  );
  let accounts: TwoAccounts | undefined;
  return () => {
    const azurite = started();
    const ports = { blob: azurite.blobPort, queue: azurite.queuePort, table: azurite.tablePort };
    const access = (connectionString: string, name: string): AzuriteAccountAccess => ({
      name,
      connectionString,
      blobs: new BlobStore({ connectionString }),
      tables: new TableStore({ connectionString }),
    });
    accounts ??= {
      main: access(azurite.connectionString, 'devstoreaccount1'),
      publishing: access(
        azuriteAccountConnectionString(ports, { name: PUBLISHING_ACCOUNT, key: publishingKey }),
        PUBLISHING_ACCOUNT,
      ),
    };
    return accounts;
  };
}
