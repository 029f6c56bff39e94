import type { PipelineStores } from '../pipeline-stores';
import { Reconciler } from '../../shared/reconcile';
import type { ReconcileOptions } from '../../shared/reconcile';
import { ServiceBusReconcileQueues } from './service-bus-reconcile-queues';
import { TableReconcileRecords } from './table-reconcile-records';

/** The reconciler over Tables, Blob Storage and Service Bus. */
export function composeReconcile(
  stores: PipelineStores,
  options?: ReconcileOptions,
): { readonly reconciler: Reconciler; close(): Promise<void> } {
  const queues = new ServiceBusReconcileQueues(stores.serviceBus);
  const records = new TableReconcileRecords(stores.tables, stores.blobs, stores.skipInvalidRow);
  return { reconciler: new Reconciler(records, queues, options), close: () => queues.close() };
}
