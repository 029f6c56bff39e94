import type { app as azureApp } from '@azure/functions';
import type { FunctionEntry, FunctionTable } from './table';

type App = typeof azureApp;

/** Registers one table entry with the `@azure/functions` v4 programming model. */
export function registerFunction(app: App, entry: FunctionEntry): void {
  switch (entry.kind) {
    case 'http':
      app.http(entry.name, {
        route: entry.route,
        methods: [...entry.methods],
        authLevel: entry.authLevel,
        handler: entry.handler,
      });
      return;
    case 'timer':
      app.timer(entry.name, {
        schedule: entry.schedule,
        runOnStartup: entry.runOnStartup,
        handler: entry.handler,
      });
      return;
    case 'serviceBusQueue':
      app.serviceBusQueue(entry.name, {
        connection: entry.connection,
        queueName: entry.queueName,
        isSessionsEnabled: entry.isSessionsEnabled,
        autoCompleteMessages: true,
        cardinality: 'one',
        handler: entry.handler,
      });
      return;
    case 'serviceBusTopic':
      app.serviceBusTopic(entry.name, {
        connection: entry.connection,
        topicName: entry.topicName,
        subscriptionName: entry.subscriptionName,
        isSessionsEnabled: entry.isSessionsEnabled,
        cardinality: 'one',
        handler: entry.handler,
      });
      return;
  }
}

export function registerTable(app: App, table: FunctionTable): void {
  for (const entry of table) registerFunction(app, entry);
}
