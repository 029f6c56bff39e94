import { createHash } from 'node:crypto';
import { PipelineError } from '../../shared/errors';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import type { Delivery, DuplicateDelivery, IngestLedger } from '../../shared/ingest/ports';
import type { TableStore } from '../storage';

export const INGEST_LEDGER_TABLE = 'ingestledger';
/** Messages delivered again: one row per message id and source (the ledger row's keys + `.source`). */
export const INGEST_DUPLICATES_TABLE = 'ingestduplicates';

/**
 * The ingest ledger in Azure Tables: one row per accepted Fedora message id. Keys are derived from a hash of
 * the id (ids are free text to Tables, which forbids `/ \ # ?` in keys), spread over 256 partitions. The
 * insert is the arbiter between concurrent deliveries of one message: the one whose insert conflicts lost.
 */
export class TableIngestLedger implements IngestLedger {
  private ready: Promise<void> | undefined;
  private duplicatesReady: Promise<void> | undefined;

  constructor(private readonly tables: TableStore) {}

  async known(ids: readonly string[]): Promise<Set<string>> {
    await this.ensureTable();
    const found = await mapLimited(ids, async (id) =>
      (await this.tables.get(INGEST_LEDGER_TABLE, ...keysOf(id))) ? id : undefined,
    );
    return new Set(found.filter((id): id is string => id !== undefined));
  }

  async record(events: readonly UpstreamEvent[], delivery: Delivery): Promise<Set<string>> {
    await this.ensureTable();
    const lost = await mapLimited(events, async (event) => {
      const [partitionKey, rowKey] = keysOf(event.messageId);
      try {
        await this.tables.insert(INGEST_LEDGER_TABLE, {
          partitionKey,
          rowKey,
          messageId: event.messageId,
          topic: event.topic,
          kind: event.kind,
          packages: event.packages.join(' ').slice(0, 1024),
          sentAt: event.time,
          source: delivery.source,
          receivedAt: delivery.receivedAt,
        });
        return undefined;
      } catch (error) {
        if (!PipelineError.is(error, 'storage.conflict')) throw error;
        return event.messageId; // a concurrent delivery recorded it first
      }
    });
    return new Set(lost.filter((id): id is string => id !== undefined));
  }

  async recordDuplicates(duplicates: readonly DuplicateDelivery[]): Promise<void> {
    await (this.duplicatesReady ??= this.tables
      .ensureTable(INGEST_DUPLICATES_TABLE)
      .catch((error: unknown) => {
        this.duplicatesReady = undefined;
        throw error;
      }));
    await mapLimited(duplicates, async (duplicate) => {
      const [partitionKey, rowKey] = keysOf(duplicate.messageId);
      await this.tables.upsert(
        INGEST_DUPLICATES_TABLE,
        {
          partitionKey,
          rowKey: `${rowKey}.${duplicate.source}`,
          messageId: duplicate.messageId,
          topic: duplicate.topic ?? '',
          source: duplicate.source,
          receivedAt: duplicate.receivedAt,
          reason: duplicate.reason,
        },
        'replace',
      );
    });
  }

  private ensureTable(): Promise<void> {
    return (this.ready ??= this.tables.ensureTable(INGEST_LEDGER_TABLE).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    }));
  }
}

/** A 1 MiB ingest body can hold thousands of messages: at most this many Tables calls run at once. */
const CONCURRENCY = 32;

async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY) {
    results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(fn))));
  }
  return results;
}

function keysOf(id: string): [string, string] {
  const digest = createHash('sha256').update(id).digest();
  return [`m${digest.subarray(0, 1).toString('hex')}`, digest.toString('base64url')];
}
