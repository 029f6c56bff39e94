import { describe, expect, test } from 'vitest';
import { BlobStore, TableStore } from '../../infra/storage';
import { azuriteConnectionString, useAzurite } from '../../testing/azurite';

/** useAzurite's names are the block's own: what was made under them is gone after the block's tests. */
const made: { table?: string; container?: string } = {};

describe('a block using useAzurite', () => {
  const azurite = useAzurite();

  test('gets stores on the run’s Azurite and a new name on every call', async () => {
    made.table = azurite.name('kit');
    made.container = azurite.name('kit');
    expect(made.table).not.toBe(made.container);
    await azurite.tables.ensureTable(made.table);
    await azurite.tables.insert(made.table, { partitionKey: 'p', rowKey: 'r' });
    await azurite.blobs.ensureContainer(made.container);
    await azurite.blobs.put(made.container, 'a.txt', 'kept until the block ends');
    expect(azurite.connectionString).toBe(azuriteConnectionString());
  });
});

describe('after that block', () => {
  test('its table and container no longer exist', async () => {
    const connectionString = azuriteConnectionString();
    const tables = new TableStore({ connectionString });
    const blobs = new BlobStore({ connectionString });
    await expect(tables.get(made.table ?? '', 'p', 'r')).rejects.toMatchObject({ code: 'storage.not-found' });
    await expect(blobs.get(made.container ?? '', 'a.txt')).rejects.toMatchObject({
      code: 'storage.not-found',
    });
  });
});
