import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import {
  allContainers,
  allTables,
  artifactsContainer,
  buildsTable,
  catchUpCheckpointsTable,
  componentStateTable,
  ingestLedgerTable,
  planItemsTable,
  plansContainer,
  plansTable,
  publishQueueTable,
  quarantineContainer,
  repoStateContainer,
  storageTables,
  STORED_REASONS,
} from '../../../shared/storage';
import type { AnyTableDefinition, EntityKeys, RawEntity } from '../../../shared/storage';
import { jsonProperties } from '../../../shared/storage/json-property';
import { catalogueRows, storedProperties } from '../../../testing/fixtures/catalogue-rows';

const entries = Object.entries(storageTables) as [keyof typeof storageTables, AnyTableDefinition][];
const sha256 = (text: string) => createHash('sha256').update(text).digest();
const { messageId } = catalogueRows.pendingEvents;
const fingerprintHex = catalogueRows.builds.fingerprint.slice('sha256:'.length);

/** The keys each sample had when the adapters built them by hand. */
const keysBefore: { readonly [K in keyof typeof storageTables]: EntityKeys } = {
  ingestLedger: {
    partitionKey: `m${sha256(messageId).subarray(0, 1).toString('hex')}`,
    rowKey: sha256(messageId).toString('base64url'),
  },
  ingestDuplicates: {
    partitionKey: `m${sha256(messageId).subarray(0, 1).toString('hex')}`,
    rowKey: `${sha256(messageId).toString('base64url')}.datagrepper`,
  },
  catchUpCheckpoints: { partitionKey: 'catch-up', rowKey: 'datagrepper' },
  pendingEvents: { partitionKey: 'pending', rowKey: sha256(messageId).toString('base64url') },
  plannedEvents: { partitionKey: 'planned', rowKey: sha256(messageId).toString('base64url') },
  leases: { partitionKey: 'lease', rowKey: 'planner' },
  componentState: { partitionKey: 'component', rowKey: 'zlib-ng' },
  plans: { partitionKey: 'plan', rowKey: catalogueRows.plans.planId },
  planItems: { partitionKey: catalogueRows.plans.planId, rowKey: 'zlib-ng' },
  builds: { partitionKey: 'zlib-ng', rowKey: fingerprintHex },
  // A done row: in the repository's done partition.
  publishQueue: {
    partitionKey: 'base%2fx86_64:done',
    rowKey: `base%2fx86_64:${catalogueRows.builds.fingerprint}`,
  },
  messageFailures: {
    partitionKey: 'builds',
    rowKey: sha256(catalogueRows.messageFailures.messageId).toString('base64url'),
  },
  webhookSubscriptions: { partitionKey: 'subscription', rowKey: catalogueRows.webhookSubscriptions.id },
  webhookDeliveries: {
    partitionKey: catalogueRows.webhookDeliveries.endpointId,
    rowKey: catalogueRows.webhookDeliveries.deliveryId,
  },
  webhookAttempts: {
    partitionKey: catalogueRows.webhookAttempts.endpointId,
    rowKey: catalogueRows.webhookAttempts.attemptId,
  },
  imageBuilds: { partitionKey: 'vm-base', rowKey: '20260102.2' },
  imageTriggers: { partitionKey: 'image', rowKey: 'vm-base' },
};

const typesOf = (entity: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(entity)
      .filter(([name]) => name !== 'partitionKey' && name !== 'rowKey')
      .map(([name, value]) => [name, typeof value]),
  );

function invalidRow(entry: AnyTableDefinition, entity: RawEntity, table?: string): PipelineError {
  try {
    entry.fromEntity(entity, table);
  } catch (error) {
    if (error instanceof PipelineError) return error;
    throw error;
  }
  throw new Error(`${entry.name}: the row was accepted`);
}

describe('the table catalogue', () => {
  test.each(entries)(
    '%s: a row becomes the entity stored before the catalogue, and comes back whole',
    (key, entry) => {
      const entity = entry.toEntity(catalogueRows[key]);

      expect({ partitionKey: entity.partitionKey, rowKey: entity.rowKey }).toEqual(keysBefore[key]);
      expect(typesOf(entity)).toEqual(storedProperties[key]);
      expect(entry.fromEntity(entity)).toEqual(catalogueRows[key]);
    },
  );

  test('names every table once, each a valid Tables name with a purpose and a key scheme', () => {
    const names = allTables.map((table) => table.name);
    expect(new Set(names).size).toBe(names.length);
    for (const table of allTables) {
      expect(table.name).toMatch(/^[A-Za-z][A-Za-z0-9]{2,62}$/);
      expect(table.purpose.length).toBeGreaterThan(20);
      expect(table.partitionKey).not.toBe('');
      expect(table.rowKey).not.toBe('');
    }
  });

  test('names every container once, valid; only the repositories and the images are anonymously readable', () => {
    const names = allContainers.map((container) => container.name);
    expect(new Set(names).size).toBe(names.length);
    for (const container of allContainers)
      expect(container.name).toMatch(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/);
    expect(allContainers.filter((c) => c.publicAccess === 'blob').map((c) => c.name)).toEqual([
      'repos',
      'images',
    ]);
    expect(
      allContainers
        .filter((c) => c.documents)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['deps', 'plans', 'quarantine', 'repostate']);
  });
});

describe('a row that does not fit', () => {
  const stored = buildsTable.toEntity(catalogueRows.builds);

  test('is a permanent storage.invalid-row naming the table, the keys and the field', () => {
    const record = { ...catalogueRows.builds, state: 'half-done' };
    const error = invalidRow(buildsTable, { ...stored, ...jsonProperties('record', record) });

    expect(error).toMatchObject({
      code: 'storage.invalid-row',
      retryable: false,
      context: { table: 'builds', partitionKey: 'zlib-ng', rowKey: fingerprintHex, field: 'record.state' },
    });
    expect(error.message).toMatch(/builds.*record\.state/);
  });

  test('names a missing or retyped column, and the table it was read from', () => {
    const { waveCount: _gone, ...summary } = plansTable.toEntity(catalogueRows.plans);
    expect(invalidRow(plansTable, summary).context).toMatchObject({ table: 'plans', field: 'waveCount' });

    const item = { ...planItemsTable.toEntity(catalogueRows.planItems), wave: '1' };
    expect(invalidRow(planItemsTable, item, 'planitemscopy').context).toMatchObject({
      table: 'planitemscopy',
      field: 'wave',
    });
  });

  test('names a JSON column whose text does not parse, split or whole', () => {
    expect(invalidRow(buildsTable, { ...stored, record0: '{"buildId":' }).context.field).toBe('record');

    const state = { ...componentStateTable.toEntity(catalogueRows.componentState), lock: '{nvr' };
    expect(invalidRow(componentStateTable, state).context.field).toBe('lock');
  });

  test('a checkpoint that is not a whole number of seconds does not read', () => {
    const entity = { ...catchUpCheckpointsTable.toEntity(catalogueRows.catchUpCheckpoints), through: 1.5 };
    expect(invalidRow(catchUpCheckpointsTable, entity).context.field).toBe('through');
  });
});

describe('row conversions', () => {
  test('a plan item keeps its first reasons and counts them all', () => {
    const reason = catalogueRows.planItems.reasons[0]!;
    const reasons = Array.from({ length: STORED_REASONS + 5 }, () => reason);
    const entity = planItemsTable.toEntity({
      ...catalogueRows.planItems,
      reasons,
      reasonCount: reasons.length,
    });

    const read = planItemsTable.fromEntity(entity);

    expect(read.reasons).toHaveLength(STORED_REASONS);
    expect(read.reasonCount).toBe(STORED_REASONS + 5);
  });

  test('parts of a row stay out of the entity when absent (a merge keeps what is stored)', () => {
    const done = publishQueueTable.toEntity({
      repository: 'sdk/srpms',
      key: 'sdk/srpms:k',
      state: 'done',
      revision: 2,
    });
    expect(Object.keys(done).sort()).toEqual(['key', 'partitionKey', 'revision', 'rowKey', 'state']);
    expect(publishQueueTable.fromEntity(done)).toEqual({
      repository: 'sdk/srpms',
      key: 'sdk/srpms:k',
      state: 'done',
      revision: 2,
    });

    const request = componentStateTable.toEntity({
      component: 'a#b',
      latestFingerprint: 'f',
      latestRequestedAt: 't',
    });
    expect(request).toEqual({
      partitionKey: 'component',
      rowKey: 'a%23b',
      component: 'a#b',
      latestFingerprint: 'f',
      latestRequestedAt: 't',
    });
  });

  test('a ledger row written before the ledger kept the delivery reads without it', () => {
    const { source: _s, receivedAt: _r, ...old } = ingestLedgerTable.toEntity(catalogueRows.ingestLedger);
    const { source: _source, receivedAt: _received, ...expected } = catalogueRows.ingestLedger;
    expect(ingestLedgerTable.fromEntity(old)).toEqual(expected);
  });
});

describe('blob names', () => {
  test('are built where the catalogue says', () => {
    const { fingerprint } = catalogueRows.builds;
    expect(artifactsContainer.blobName('zlib-ng', fingerprint, 'x.rpm')).toBe(
      `zlib-ng/${fingerprintHex}/x.rpm`,
    );
    expect(plansContainer.blobName('plan-1')).toBe('plan-1.json');
    const id = createHash('sha256').update('m-1').digest('hex').slice(0, 16);
    expect(
      quarantineContainer.blobName({ receivedAt: '2026-12-01T21:40:00Z', source: 'http', id: 'm-1' }, 'u'),
    ).toBe(`2026-12-01/http/${id}-u.json`);
  });

  test('a generation blob names its repository; nothing else does', () => {
    const name = repoStateContainer.blobName('base/debuginfo/x86_64', 12, 'a-b-c');
    expect(name).toBe('base/debuginfo/x86_64/generation-12-a-b-c.json');
    expect(repoStateContainer.repositoryOf(name)).toBe('base/debuginfo/x86_64');
    expect(repoStateContainer.repositoryOf('base/x86_64/notes.json')).toBeUndefined();
    expect(repoStateContainer.repositoryOf('generation-1-u.json')).toBeUndefined();
  });
});
