import { PipelineError } from '../../shared/errors';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import type { Delivery, DuplicateDelivery, IngestLedger } from '../../shared/ingest/ports';
import { ingestDuplicatesTable, ingestLedgerTable } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';

/**
 * The ingest ledger in Azure Tables (`ingestledger`): one row per accepted Fedora message id, keyed by a hash
 * of the id and spread over 256 partitions. The insert is the arbiter between concurrent deliveries of one
 * message: the one whose insert conflicts lost. Deliveries of a message already accepted are kept in
 * `ingestduplicates`, one row per message id and source.
 */
export class TableIngestLedger implements IngestLedger {
  private readonly ledger: TableOf<typeof ingestLedgerTable>;
  private readonly duplicates: TableOf<typeof ingestDuplicatesTable>;

  constructor(tables: TableStore) {
    this.ledger = new CatalogueTable(tables, ingestLedgerTable);
    this.duplicates = new CatalogueTable(tables, ingestDuplicatesTable);
  }

  async known(ids: readonly string[]): Promise<Set<string>> {
    await this.ledger.ensure();
    const found = await mapLimited(ids, async (id) => ((await this.ledger.has(id)) ? id : undefined));
    return new Set(found.filter((id): id is string => id !== undefined));
  }

  async record(events: readonly UpstreamEvent[], delivery: Delivery): Promise<Set<string>> {
    await this.ledger.ensure();
    const lost = await mapLimited(events, async (event) => {
      try {
        await this.ledger.insert({
          messageId: event.messageId,
          topic: event.topic,
          kind: event.kind,
          packages: event.packages,
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
    await this.duplicates.ensure();
    await mapLimited(duplicates, (duplicate) =>
      this.duplicates.upsert(
        {
          messageId: duplicate.messageId,
          topic: duplicate.topic ?? '',
          source: duplicate.source,
          receivedAt: duplicate.receivedAt,
          reason: duplicate.reason,
        },
        'replace',
      ),
    );
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
