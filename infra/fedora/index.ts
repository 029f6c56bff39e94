/**
 * Fedora upstream adapters. The datagrepper catch-up: build a `DatagrepperClient` and a
 * `TableCheckpointStore`, then call `runCatchUp` from a timer with the ingest sink.
 */
export { runCatchUp } from './catch-up';
export type { CatchUpDependencies } from './catch-up';
export type { CatchUpEnd, CatchUpResult, CatchUpTally } from './catch-up-result';
export { TableCheckpointStore } from './checkpoint-store';
export type { TableCheckpointStoreOptions } from './checkpoint-store';
export { DatagrepperClient } from './datagrepper-client';
export type { DatagrepperClientOptions, DatagrepperSearch, SearchResult } from './datagrepper-client';
export { parseDatagrepperBaseUrl, searchUrl } from './datagrepper-url';
export type { SearchQuery } from './datagrepper-url';
export { DEFAULT_RETRY_POLICY } from './retry-policy';
export type { RetryPolicy } from './retry-policy';
export { readWindow } from './window-reader';
export type { WindowRead } from './window-reader';
export { resolveCatchUpOptions } from '../../shared/fedora/catch-up';
export type {
  CatchUpOptions,
  CatchUpSettings,
  Checkpoint,
  CheckpointPort,
} from '../../shared/fedora/catch-up';
