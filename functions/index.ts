/**
 * The Azure Functions entry (package.json `main`): registers every function of the table with the
 * `@azure/functions` v4 programming model. Services are built on first use from the app settings.
 */
import './bootstrap';
import { app } from '@azure/functions';
import { createServices } from '../infra/composition';
import type { AppServices } from '../infra/composition';
import { projectRoot } from '../infra/os/project-paths';
import { createJsonLogger } from '../infra/telemetry/logger';
import { loadSettings } from '../shared/settings/load-settings';
import { withDistroDirFromAppRoot } from './app-settings';
import { buildFunctionTable } from './catalog';
import { registerTable } from './register';

let services: Promise<AppServices> | undefined;

const lazyServices = (): Promise<AppServices> =>
  (services ??= Promise.resolve().then(() => {
    // The app's root: the nearest folder above this module with package.json and host.json (the package root
    // in Azure, the repository when run from the sources).
    const settings = withDistroDirFromAppRoot(loadSettings(process.env), projectRoot(__dirname));
    return createServices(settings, createJsonLogger({ level: settings.logLevel }));
  }));

app.setup({ enableHttpStream: false });
registerTable(app, buildFunctionTable(lazyServices));
