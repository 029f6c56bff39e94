import { odata } from '@azure/data-tables';
import type { TableEntityResult } from '@azure/data-tables';
import type { EntityKeys } from '../../shared/storage/table-definition';

/**
 * Entity shapes of the table adapter: plain objects with `partitionKey` and `rowKey`. Property values are what
 * the Tables SDK serialises (string, number, boolean, Date, Uint8Array, or `{ value, type }` for Int64/Guid).
 * System properties stay out of the entity: the ETag and timestamp travel beside it.
 */
export type { EntityKeys };

export type Entity<T extends object = Record<string, unknown>> = T & EntityKeys;

export interface StoredEntity<T extends object = Record<string, unknown>> {
  readonly entity: Entity<T>;
  readonly etag: string;
  /** Service-side last-modified time (ISO 8601), when the service returned it. */
  readonly timestamp: string | undefined;
}

export interface QueryPage<T extends object = Record<string, unknown>> {
  readonly items: StoredEntity<T>[];
  /** Pass back to `query` for the next page; `undefined` on the last page. */
  readonly continuationToken: string | undefined;
}

export type WriteMode = 'merge' | 'replace';

export interface QueryOptions {
  readonly partitionKey?: string;
  /** An OData filter, e.g. built with the SDK's `odata` template tag so values are quoted safely. */
  readonly filter?: string;
  /** At most this many entities per page (the service caps pages at 1000). */
  readonly pageSize?: number;
  readonly continuationToken?: string;
  /** Only these properties (`$select`): a page of a few columns instead of whole rows. */
  readonly select?: readonly string[];
}

/** Splits an SDK result into the plain entity and its ETag/timestamp, dropping `odata.*` annotations. */
export function toStored<T extends object>(result: TableEntityResult<T>): StoredEntity<T> {
  const entity: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result)) {
    if (key === 'etag' || key === 'timestamp' || key.startsWith('odata.')) continue;
    entity[key] = value;
  }
  return { entity: entity as Entity<T>, etag: result.etag, timestamp: result.timestamp };
}

/** `PartitionKey eq '<pk>'` (quoted safely) and/or the caller's OData filter, parenthesised so `or` stays inside. */
export function combineFilter(
  partitionKey: string | undefined,
  filter: string | undefined,
): string | undefined {
  const parts: string[] = [];
  if (partitionKey !== undefined) parts.push(odata`PartitionKey eq ${partitionKey}`);
  if (filter !== undefined && filter.trim() !== '') parts.push(`(${filter})`);
  return parts.length === 0 ? undefined : parts.join(' and ');
}
