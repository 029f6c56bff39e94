import type { ContainerDefinition } from './container-definition';
import {
  artifactsContainer,
  depsContainer,
  imagesContainer,
  plansContainer,
  quarantineContainer,
  repoStateContainer,
  reposContainer,
} from './containers';
import type { TableDefinition } from './table-definition';
import { buildsTable } from './tables/builds';
import { catchUpCheckpointsTable } from './tables/catch-up-checkpoints';
import { componentStateTable } from './tables/component-state';
import { imageBuildsTable } from './tables/image-builds';
import { imageTriggersTable } from './tables/image-triggers';
import { ingestDuplicatesTable } from './tables/ingest-duplicates';
import { ingestLedgerTable } from './tables/ingest-ledger';
import { leasesTable } from './tables/leases';
import { messageFailuresTable } from './tables/message-failures';
import { pendingEventsTable } from './tables/pending-events';
import { planItemsTable } from './tables/plan-items';
import { plannedEventsTable } from './tables/planned-events';
import { plansTable } from './tables/plans';
import { publishQueueTable } from './tables/publish-queue';
import { webhookAttemptsTable } from './tables/webhook-attempts';
import { webhookDeliveriesTable } from './tables/webhook-deliveries';
import { webhookSubscriptionsTable } from './tables/webhook-subscriptions';

/**
 * Every table and blob container the pipeline uses, defined once (as `shared/messaging/entities.ts` defines
 * the Service Bus entities). Adapters read and write rows only through these entries, tests walk them, and
 * the deployment's storage resources can be generated from them.
 */
export const storageTables = {
  ingestLedger: ingestLedgerTable,
  ingestDuplicates: ingestDuplicatesTable,
  catchUpCheckpoints: catchUpCheckpointsTable,
  pendingEvents: pendingEventsTable,
  plannedEvents: plannedEventsTable,
  leases: leasesTable,
  componentState: componentStateTable,
  plans: plansTable,
  planItems: planItemsTable,
  builds: buildsTable,
  publishQueue: publishQueueTable,
  messageFailures: messageFailuresTable,
  webhookSubscriptions: webhookSubscriptionsTable,
  webhookDeliveries: webhookDeliveriesTable,
  webhookAttempts: webhookAttemptsTable,
  imageBuilds: imageBuildsTable,
  imageTriggers: imageTriggersTable,
} as const;

export const storageContainers = {
  quarantine: quarantineContainer,
  deps: depsContainer,
  plans: plansContainer,
  artifacts: artifactsContainer,
  repos: reposContainer,
  repoState: repoStateContainer,
  images: imagesContainer,
} as const;

/** Any table entry, whatever its row type (for walking the catalogue). */
export type AnyTableDefinition = TableDefinition<unknown, readonly unknown[]>;

export const allTables: readonly AnyTableDefinition[] = Object.values(storageTables);
export const allContainers: readonly ContainerDefinition[] = Object.values(storageContainers);
