import { ingestDuplicatesTable, ingestLedgerTable, quarantineContainer } from '../../shared/storage';
import type { IngestDuplicateRow, IngestLedgerRow } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { BlobStore, TableOf, TableStore } from '../storage';
import type { BlobNamePager } from './blob-pages';
import type { EventOutcome, EventStatus, Page, PageRequest } from '../../shared/status/ports';
import { tablePage } from './table-pages';

/**
 * Ingest outcomes from what ingest keeps: accepted messages are the rows of the ingest ledger (one per
 * message id, hash-keyed, so in no useful order), with the source that delivered them first; duplicates the
 * rows of its duplicates table (one per message id and source, the latest delivery); rejected ones are the quarantine container's documents,
 * named by day, with the reason in their metadata.
 */
export class EventStatusReader {
  private readonly ledger: TableOf<typeof ingestLedgerTable>;
  private readonly duplicateRows: TableOf<typeof ingestDuplicatesTable>;

  constructor(
    tables: TableStore,
    private readonly blobs: BlobStore,
    private readonly pager: BlobNamePager,
  ) {
    this.ledger = new CatalogueTable(tables, ingestLedgerTable);
    this.duplicateRows = new CatalogueTable(tables, ingestDuplicatesTable);
  }

  list(outcome: EventOutcome, page: PageRequest): Promise<Page<EventStatus>> {
    if (outcome === 'accepted') return this.accepted(page);
    return outcome === 'duplicate' ? this.duplicates(page) : this.rejected(page);
  }

  private duplicates(page: PageRequest): Promise<Page<EventStatus>> {
    return tablePage(this.duplicateRows, {}, page, duplicateOf);
  }

  private accepted(page: PageRequest): Promise<Page<EventStatus>> {
    return tablePage(this.ledger, {}, page, acceptedOf);
  }

  private async rejected(page: PageRequest): Promise<Page<EventStatus>> {
    const { names, continuationToken } = await this.pager.page(quarantineContainer.name, page);
    const items = await Promise.all(names.map((name) => this.quarantined(name)));
    return {
      items: items.filter((item): item is EventStatus => item !== undefined),
      ...(continuationToken ? { continuationToken } : {}),
    };
  }

  /** The document holds the id and the full reason; metadata is only a short ASCII copy. */
  private async quarantined(name: string): Promise<EventStatus | undefined> {
    const blob = await this.blobs.get(quarantineContainer.name, name);
    if (!blob) return undefined; // deleted between listing and reading
    let entry: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(blob.bytes.toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null) entry = parsed as Record<string, unknown>;
    } catch {
      // a damaged document still shows with the metadata's reason
    }
    const text = (key: string): string | undefined =>
      typeof entry[key] === 'string' ? (entry[key] as string) : blob.metadata[key];
    return {
      outcome: 'rejected',
      messageId: typeof entry['id'] === 'string' ? entry['id'] : null,
      ...(typeof entry['topic'] === 'string' ? { topic: entry['topic'] } : {}),
      reason: text('reason') ?? '',
      path: text('path') ?? '',
      source: text('source') ?? '',
      receivedAt: text('receivedAt') ?? '',
      quarantineBlob: name,
    };
  }
}

const duplicateOf = (row: IngestDuplicateRow): EventStatus => ({ outcome: 'duplicate', ...row });

/** Rows recorded before the ledger kept the delivery have no source or receivedAt. */
const acceptedOf = (row: IngestLedgerRow): EventStatus => ({ outcome: 'accepted', ...row });
