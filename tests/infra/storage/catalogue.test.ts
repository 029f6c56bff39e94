import { beforeAll, describe, expect, test } from 'vitest';
import { BlobStore, CatalogueTable, ensureCatalogueContainer, TableStore } from '../../../infra/storage';
import { allContainers, planItemsTable, storageTables } from '../../../shared/storage';
import type { AnyTableDefinition } from '../../../shared/storage';
import { azuriteConnectionString, uniqueName } from '../../../testing/azurite';
import { catalogueRows, storedProperties } from '../../../testing/fixtures/catalogue-rows';

/**
 * The catalogue against the real services: each table's sample row goes in through its entry and comes back
 * equal, stored with the properties and types the adapters always wrote; each container is created with its
 * access level. Rows go to a copy of each table (the account is shared with the other tests), after the
 * catalogue's own name was accepted by the service.
 */
const entries = Object.entries(storageTables) as [keyof typeof storageTables, AnyTableDefinition][];

let tables: TableStore;
let blobs: BlobStore;
beforeAll(() => {
  tables = new TableStore({ connectionString: azuriteConnectionString() });
  blobs = new BlobStore({ connectionString: azuriteConnectionString() });
});

describe('every catalogue table on Azurite', () => {
  test.each(entries)('%s: a row round-trips through its entry', async (key, entry) => {
    await tables.ensureTable(entry.name);
    const table = new CatalogueTable(tables, entry, uniqueName(entry.name));
    await table.ensure();
    const row = catalogueRows[key];
    const { partitionKey, rowKey } = entry.toEntity(row);

    await table.insert(row);

    expect((await table.query({ partitionKey })).rows).toEqual([row]);
    const stored = await tables.get(table.name, partitionKey, rowKey);
    const types = Object.fromEntries(
      Object.entries(stored?.entity ?? {})
        .filter(([name]) => name !== 'partitionKey' && name !== 'rowKey')
        .map(([name, value]) => [name, typeof value]),
    );
    expect(types).toEqual(storedProperties[key]);
  });

  test('a stored row that does not fit reads as storage.invalid-row naming the table it is in', async () => {
    const table = new CatalogueTable(tables, planItemsTable, uniqueName('planitems'));
    await table.ensure();
    const row = catalogueRows.planItems;
    const entity = { ...planItemsTable.toEntity(row), wave: 'first' };
    await tables.insert(table.name, entity);

    await expect(table.get(row.planId, row.component)).rejects.toMatchObject({
      code: 'storage.invalid-row',
      context: { table: table.name, partitionKey: entity.partitionKey, rowKey: entity.rowKey, field: 'wave' },
    });
  });
});

describe('every catalogue container on Azurite', () => {
  test.each(allContainers.map((c) => [c.name, c] as const))(
    '%s: created with its public access level',
    async (_name, entry) => {
      await ensureCatalogueContainer(blobs, entry);
      const copy = uniqueName(entry.name);
      await ensureCatalogueContainer(blobs, entry, copy);
      await blobs.put(copy, 'some/blob.txt', 'x');

      const anonymousRead = await fetch(blobs.url(copy, 'some/blob.txt'));
      const anonymousList = await fetch(`${blobs.url(copy)}?restype=container&comp=list`);

      if (entry.publicAccess === 'blob') expect(anonymousRead.status).toBe(200);
      else expect(anonymousRead.status).toBeGreaterThanOrEqual(400);
      expect(anonymousList.status).toBeGreaterThanOrEqual(400);
    },
  );
});
