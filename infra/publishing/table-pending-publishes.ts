import { PipelineError } from '../../shared/errors';
import { publishRequestSchema } from '../../shared/publishing';
import type { PendingPublish, PendingPublishes, PublishRequest } from '../../shared/publishing';
import { ensureOnce } from '../storage/ensure-once';
import { jsonProperties, readJsonProperty } from '../../shared/storage/json-property';
import { componentKey } from '../../shared/storage/table-keys';
import type { TableStore } from '../storage';

export const PUBLISH_QUEUE_TABLE = 'publishqueue';

interface PendingRow {
  key: string;
  state: 'pending' | 'done';
  revision?: number;
}

/**
 * Publish requests per repository in Azure Tables: partition = repository id, row = the message's key
 * (both escaped for Tables). A request records itself before its run; a run takes every `pending` row of
 * the repository and marks them `done` with the revision that included them.
 */
export class TablePendingPublishes implements PendingPublishes {
  private readonly ensure: () => Promise<void>;

  constructor(
    private readonly tables: TableStore,
    private readonly table: string = PUBLISH_QUEUE_TABLE,
  ) {
    this.ensure = ensureOnce(() => tables.ensureTable(table));
  }

  async record(key: string, request: PublishRequest): Promise<'pending' | 'done'> {
    await this.ensure();
    const keys = { partitionKey: componentKey(request.repository), rowKey: componentKey(key) };
    try {
      await this.tables.insert(this.table, {
        ...keys,
        key,
        state: 'pending',
        ...jsonProperties('request', request),
      });
      return 'pending';
    } catch (error) {
      if (!PipelineError.is(error, 'storage.conflict')) throw error;
    }
    const row = await this.tables.get<PendingRow>(this.table, keys.partitionKey, keys.rowKey);
    return row?.entity.state === 'done' ? 'done' : 'pending';
  }

  async pending(repository: string): Promise<PendingPublish[]> {
    await this.ensure();
    const found: PendingPublish[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.tables.query(this.table, {
        partitionKey: componentKey(repository),
        filter: "state eq 'pending'",
        continuationToken,
      });
      for (const { entity } of page.items) {
        const parsed = publishRequestSchema.safeParse(readJsonProperty(entity, 'request'));
        if (parsed.success) found.push({ key: String(entity.key), request: parsed.data });
      }
      continuationToken = page.continuationToken;
    } while (continuationToken);
    return found;
  }

  async markDone(repository: string, keys: readonly string[], revision: number): Promise<void> {
    await this.ensure();
    const partitionKey = componentKey(repository);
    for (let i = 0; i < keys.length; i += 16) {
      await Promise.all(
        keys.slice(i, i + 16).map((key) =>
          this.tables.upsert(this.table, {
            partitionKey,
            rowKey: componentKey(key),
            key,
            state: 'done',
            revision,
          }),
        ),
      );
    }
  }
}
