/**
 * The Azure Functions entry (package.json `main`): registers every function of the table with the
 * `@azure/functions` v4 programming model. Services are built on first use from the app settings.
 */
import './bootstrap';
import { app } from '@azure/functions';
import { createServices } from '../infra/composition';
import type { AppServices } from '../infra/composition';
import { createJsonLogger } from '../infra/telemetry/logger';
import { loadSettings } from '../shared/settings/load-settings';
import { buildFunctionTable } from './catalog';
import { registerTable } from './register';

let services: Promise<AppServices> | undefined;

const lazyServices = (): Promise<AppServices> =>
  (services ??= Promise.resolve().then(() => {
    const settings = loadSettings(process.env);
    return createServices(settings, createJsonLogger({ level: settings.logLevel }));
  }));

app.setup({ enableHttpStream: false });
registerTable(app, buildFunctionTable(lazyServices));
