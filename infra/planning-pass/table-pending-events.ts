import { odata } from '@azure/data-tables';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import type { Arrival, PendingEvents } from '../../shared/planning-pass';
import { PipelineError } from '../../shared/errors';
import { pendingEventsTable } from '../../shared/storage';
import type { PendingEvent } from '../../shared/storage';
import { CatalogueTable, ignoreInvalidRow } from '../storage';
import type { InvalidRowHandler, TableOf, TableStore } from '../storage';

/**
 * Pending events in Azure Tables, one row per message id; listed oldest first (Fedora's sent time). The
 * arrival look-ups are filtered queries on `receivedAt` that read at most one row.
 */
export class TablePendingEvents implements PendingEvents {
  private readonly table: TableOf<typeof pendingEventsTable>;

  /** `skipInvalid`: a row that does not fit is left out of the list and reported here (default: silently). */
  constructor(
    tables: TableStore,
    private readonly skipInvalid: InvalidRowHandler = ignoreInvalidRow,
  ) {
    this.table = new CatalogueTable(tables, pendingEventsTable);
  }

  async add(event: UpstreamEvent, arrival: Arrival = {}): Promise<void> {
    await this.table.ensure();
    const { trace, receivedAt } = arrival;
    try {
      await this.table.insert({
        ...event,
        ...(trace ? { trace } : {}),
        ...(receivedAt ? { receivedAt: receivedAt.toISOString() } : {}),
      });
    } catch (error) {
      if (!PipelineError.is(error, 'storage.conflict')) throw error; // kept already
    }
  }

  async list(limit: number): Promise<PendingEvent[]> {
    await this.table.ensure();
    const events: PendingEvent[] = [];
    for await (const event of this.table.allValid(
      { partitionKey: pendingEventsTable.partition },
      this.skipInvalid,
    ))
      events.push(event);
    events.sort((a, b) => a.time.localeCompare(b.time) || a.messageId.localeCompare(b.messageId));
    return events.slice(0, limit);
  }

  async receivedSince(at: Date): Promise<boolean> {
    await this.table.ensure();
    return this.table.any({
      partitionKey: pendingEventsTable.partition,
      filter: odata`receivedAt ge ${at.toISOString()}`,
    });
  }

  async receivedBefore(at: Date): Promise<boolean> {
    await this.table.ensure();
    return this.table.any({
      partitionKey: pendingEventsTable.partition,
      filter: odata`receivedAt lt ${at.toISOString()}`,
    });
  }

  async remove(messageIds: readonly string[]): Promise<void> {
    await this.table.ensure();
    await this.table.deleteAll(messageIds.map((id) => this.table.key(id)));
  }
}
