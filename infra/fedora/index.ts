/**
 * Fedora upstream adapters for the datagrepper catch-up: a `DatagrepperClient` (the history-search port) and
 * a `TableCheckpointStore` (the checkpoint port); `runCatchUp` in `shared/fedora/catch-up` drives them.
 */
export { TableCheckpointStore } from './checkpoint-store';
export type { TableCheckpointStoreOptions } from './checkpoint-store';
export { DatagrepperClient } from './datagrepper-client';
export type { DatagrepperClientOptions } from './datagrepper-client';
export { parseDatagrepperBaseUrl, searchUrl } from './datagrepper-url';
export { DEFAULT_RETRY_POLICY } from './retry-policy';
export type { RetryPolicy } from './retry-policy';
