import { fedoraCatchUpNow, fedoraCatchUpTimer } from './fedora-catch-up';
import { fedoraIngestFunction } from './fedora-ingest';
import { buildFunction } from './build';
import { buildResultsFunction } from './build-results';
import { dashboardFunctions } from './dashboard';
import { eventGridFunction } from './event-grid';
import { healthFunction } from './health';
import { imagesFunctions } from './images';
import { describeApi } from './api-description';
import { openApiFunction } from './openapi';
import {
  imageBuildsQueueFunction,
  imagesSubscriptionFunction,
  requestImageBuildFunction,
} from './images-trigger';
import { publishFunction, sweepRepositoriesTimer } from './publish';
import { planFunction, planSettledTimer, refreshDependencyIndexTimer } from './plan';
import { reconcileTimer } from './reconcile';
import { withRedeliveryBackoff } from './redelivery';
import type { ServicesProvider } from '../shared/services';
import { statusFunctions } from './status';
import { webhookEventTypesFunction } from './webhook-event-types';
import { webhookFunctions } from './webhooks';
import { webhookDeliverFunction, webhookFanOutFunction, webhookLogSweepTimer } from './webhook-delivery';
import type { FunctionTable, HttpFunction } from './table';

/**
 * The app's function table. Issues add their functions here, and only here. Service Bus functions hold a
 * transiently failed message for a while before it is redelivered (see `withRedeliveryBackoff`).
 */
export function buildFunctionTable(services: ServicesProvider): FunctionTable {
  const table: FunctionTable = [
    healthFunction(services),
    openApiFunction(() => describeApi(httpRoutesOf(table))),
    fedoraIngestFunction(services),
    fedoraCatchUpTimer(services),
    fedoraCatchUpNow(services),
    planFunction(services),
    planSettledTimer(services),
    refreshDependencyIndexTimer(services),
    publishFunction(services),
    sweepRepositoriesTimer(services),
    buildFunction(services),
    buildResultsFunction(services),
    ...statusFunctions(services),
    ...imagesFunctions(services),
    ...dashboardFunctions(services),
    webhookEventTypesFunction(),
    ...webhookFunctions(services),
    webhookFanOutFunction(services),
    webhookDeliverFunction(services),
    webhookLogSweepTimer(services),
    eventGridFunction(services),
    imagesSubscriptionFunction(services),
    imageBuildsQueueFunction(services),
    requestImageBuildFunction(services),
    reconcileTimer(services),
  ];
  const logger = async () => (await services()).logger;
  return table.map((entry) => withRedeliveryBackoff(entry, { logger }));
}

/** The table's HTTP functions: the routes the API description must describe. */
export const httpRoutesOf = (table: FunctionTable): HttpFunction[] =>
  table.filter((entry): entry is HttpFunction => entry.kind === 'http');
