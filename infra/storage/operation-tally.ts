/**
 * How many storage operations this process asked for, per table and per container: what the scale benchmark
 * reports per stage and what the Azure cost estimate multiplies by a price per transaction. One count per
 * adapter call (a query page, a point read, a write, a blob upload); the SDK's own retries of a call are not
 * counted again, so on Azure the billed transactions are at least these.
 */
export interface TableOperationCounts {
  /** Point reads (`get`). */
  gets: number;
  /** Query pages (each one request). */
  queries: number;
  /** Rows the query pages returned. */
  rows: number;
  /** insert, upsert, update and delete. */
  writes: number;
}

export interface ContainerOperationCounts {
  /** Downloads (whole or ranged) and property reads. */
  reads: number;
  /** Listing pages. */
  lists: number;
  /** Uploads, copies, deletes and container creation. */
  writes: number;
}

export interface StorageOperationCounts {
  readonly tables: Readonly<Record<string, TableOperationCounts>>;
  readonly containers: Readonly<Record<string, ContainerOperationCounts>>;
}

export class StorageOperationTally {
  private readonly tables = new Map<string, TableOperationCounts>();
  private readonly containers = new Map<string, ContainerOperationCounts>();

  table(name: string, kind: 'get' | 'write'): void;
  table(name: string, kind: 'query', rows: number): void;
  table(name: string, kind: 'get' | 'query' | 'write', rows = 0): void {
    const counts = this.tables.get(name) ?? { gets: 0, queries: 0, rows: 0, writes: 0 };
    if (kind === 'get') counts.gets++;
    else if (kind === 'query') {
      counts.queries++;
      counts.rows += rows;
    } else counts.writes++;
    this.tables.set(name, counts);
  }

  container(name: string, kind: 'read' | 'list' | 'write'): void {
    const counts = this.containers.get(name) ?? { reads: 0, lists: 0, writes: 0 };
    if (kind === 'read') counts.reads++;
    else if (kind === 'list') counts.lists++;
    else counts.writes++;
    this.containers.set(name, counts);
  }

  /** A copy of the counts so far, names sorted. */
  snapshot(): StorageOperationCounts {
    const sorted = <T extends object>(map: Map<string, T>): Record<string, T> =>
      Object.fromEntries(
        [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]),
      );
    return { tables: sorted(this.tables), containers: sorted(this.containers) };
  }
}

/**
 * The thread's tally: every TableStore and BlobStore of the thread counts into it (a worker thread has its
 * own, so the local runtime's HTTP instance counts apart from the pipeline's functions).
 */
export const storageOperations = new StorageOperationTally();
