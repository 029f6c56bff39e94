import type { StorageOperationCounts } from '../../infra/storage/operation-tally';

/** Storage operations grouped by the stage that owns each table or container. */
export type StageCounts = Readonly<
  Record<
    string,
    {
      readonly tableReads: number;
      readonly rowsRead: number;
      readonly tableWrites: number;
      readonly blobReads: number;
      readonly blobWrites: number;
    }
  >
>;

/** Which stage each table and container belongs to; anything else is counted under `other`. */
const STAGE_OF: Readonly<Record<string, string>> = {
  ingestledger: 'ingest',
  ingestduplicates: 'ingest',
  pendingevents: 'planning',
  plannedevents: 'planning',
  plans: 'planning',
  planitems: 'planning',
  componentstate: 'planning',
  leases: 'planning',
  deps: 'planning',
  builds: 'build',
  artifacts: 'build',
  publishqueue: 'publish',
  repos: 'publish',
  repostate: 'publish',
  messagefailures: 'failures',
};

export function stageCounts(counts: StorageOperationCounts | undefined): StageCounts {
  const stages: Record<
    string,
    { tableReads: number; rowsRead: number; tableWrites: number; blobReads: number; blobWrites: number }
  > = {};
  const stage = (name: string) =>
    (stages[STAGE_OF[name] ?? 'other'] ??= {
      tableReads: 0,
      rowsRead: 0,
      tableWrites: 0,
      blobReads: 0,
      blobWrites: 0,
    });
  for (const [name, table] of Object.entries(counts?.tables ?? {})) {
    const s = stage(name);
    s.tableReads += table.gets + table.queries;
    s.rowsRead += table.rows;
    s.tableWrites += table.writes;
  }
  for (const [name, container] of Object.entries(counts?.containers ?? {})) {
    const s = stage(name);
    s.blobReads += container.reads + container.lists;
    s.blobWrites += container.writes;
  }
  return stages;
}
