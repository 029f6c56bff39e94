import { Reconciler } from '../../shared/reconcile';
import type { ReconcileOptions } from '../../shared/reconcile';
import type { ServiceBusClient } from '../servicebus';
import type { BlobStore, InvalidRowHandler, TableStore } from '../storage';
import { ServiceBusReconcileQueues } from './service-bus-reconcile-queues';
import { TableReconcileRecords } from './table-reconcile-records';

/** The reconciler over Tables, Blob Storage and Service Bus. */
export function composeReconcile(
  stores: {
    readonly tables: TableStore;
    readonly blobs: BlobStore;
    readonly serviceBus: ServiceBusClient;
    /** Where a work-list row that does not fit its schema is reported (default: left out silently). */
    readonly skipInvalidRow?: InvalidRowHandler;
  },
  options?: ReconcileOptions,
): { readonly reconciler: Reconciler; close(): Promise<void> } {
  const queues = new ServiceBusReconcileQueues(stores.serviceBus);
  const records = new TableReconcileRecords(stores.tables, stores.blobs, stores.skipInvalidRow);
  return { reconciler: new Reconciler(records, queues, options), close: () => queues.close() };
}
