import type { ServiceBusClient } from './servicebus';
import type { BlobStore, InvalidRowHandler, TableStore } from './storage';
import type { PipelineTelemetry } from '../shared/telemetry/pipeline-telemetry';

/** The clients the composition root makes once and every composer builds its adapters on. */
export interface PipelineStores {
  readonly tables: TableStore;
  readonly blobs: BlobStore;
  readonly serviceBus: ServiceBusClient;
  /** Where a work-list row that does not fit its schema is reported (default: left out silently). */
  readonly skipInvalidRow?: InvalidRowHandler;
  /** What the services report to (default: nothing). */
  readonly telemetry?: PipelineTelemetry;
}
