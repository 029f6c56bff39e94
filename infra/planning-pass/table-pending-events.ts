import { upstreamEventSchema } from '../../shared/fedora/upstream-event';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import type { PendingEvents } from '../../shared/planning-pass';
import { PipelineError } from '../../shared/errors';
import type { TableStore } from '../storage';
import { ensureOnce } from '../storage/ensure-once';
import { jsonProperties, readJsonProperty } from '../../shared/storage/json-property';
import { digestKey } from '../../shared/storage/table-keys';

export const PENDING_EVENTS_TABLE = 'pendingevents';
const PARTITION = 'pending';

/** Pending events in Azure Tables, one row per message id; listed oldest first (Fedora's sent time). */
export class TablePendingEvents implements PendingEvents {
  private readonly ensure: () => Promise<void>;

  constructor(private readonly tables: TableStore) {
    this.ensure = ensureOnce(() => tables.ensureTable(PENDING_EVENTS_TABLE));
  }

  async add(event: UpstreamEvent): Promise<void> {
    await this.ensure();
    try {
      await this.tables.insert(PENDING_EVENTS_TABLE, {
        partitionKey: PARTITION,
        rowKey: digestKey(event.messageId),
        messageId: event.messageId,
        sentAt: event.time,
        ...jsonProperties('event', event),
      });
    } catch (error) {
      if (!PipelineError.is(error, 'storage.conflict')) throw error; // kept already
    }
  }

  async list(limit: number): Promise<UpstreamEvent[]> {
    await this.ensure();
    const events: UpstreamEvent[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.tables.query(PENDING_EVENTS_TABLE, {
        partitionKey: PARTITION,
        continuationToken,
      });
      for (const { entity } of page.items) {
        const parsed = upstreamEventSchema.safeParse(readJsonProperty(entity, 'event'));
        if (parsed.success) events.push(parsed.data);
      }
      continuationToken = page.continuationToken;
    } while (continuationToken);
    events.sort((a, b) => a.time.localeCompare(b.time) || a.messageId.localeCompare(b.messageId));
    return events.slice(0, limit);
  }

  async remove(messageIds: readonly string[]): Promise<void> {
    await this.ensure();
    for (let i = 0; i < messageIds.length; i += 32) {
      await Promise.all(
        messageIds
          .slice(i, i + 32)
          .map((id) => this.tables.delete(PENDING_EVENTS_TABLE, PARTITION, digestKey(id))),
      );
    }
  }
}
